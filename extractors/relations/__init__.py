"""Reads the five relations from parsed sentences: the rules that turn mentions into facts.

Each rule has an id that travels into the fact's provenance (nkg:rule). The rules
combine the dependency parse (who is the subject of which verb, what a place is
attached to) with the order of words, because the statistical parser is often
wrong on long news sentences while word order is not.

One module per relation, over a shared sentence context, the way spaCy splits a
pipeline into components over one Doc. The rule behind a fact's nkg:rule is in:

    rule id          relation     module
    ---------------  -----------  ------------
    leader.*         leaderOf     leaders.py
    visit.*          visits       visits.py
    visit.summit     visits       summits.py    (read with the summit it goes to)
    visit.attendance visits       summits.py    (read with the attendees of an event)
    meet.*           meets        meetings.py
    meet.small-summit meets       summits.py    (the attendees of a trilateral summit)
    meet.summit-between meets     summits.py    ("le sommet entre X et Y")
    summit.*         summitAt     summits.py
    ally.*           alliedWith   alliances.py

Trigger-word ids (data/triggers.jsonl) are listed in the docstring of the module
that reads them. A visit whose rule is a meet.* or ally.* id was asserted by
visits.py, from a place attached to that meeting or alliance word.

context.py holds `Sentence`, the word lists and the shared helpers (`RuleBase`);
extractor.py composes the rules into `RelationExtractor` and sets their order.
tests/test_rule_index.py checks that every rule id is in exactly one module.
"""
from __future__ import annotations

from .context import Sentence
from .extractor import RelationExtractor

__all__ = ["RelationExtractor", "Sentence"]

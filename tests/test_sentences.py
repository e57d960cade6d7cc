"""The sentence table (tests/data/sentences.tsv): what each French sentence must and must not yield.

These run the real fr_core_news_md pipeline. Each row names what it covers: the
triggers, descriptions, tenses, negations, date forms and places of the rules.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from newskg.extractors.facts import SYMMETRIC

TABLE = Path(__file__).parent / "data" / "sentences.tsv"
FACT = re.compile(r"^(\w+)\(([\w?-]+),([\w?-]+)\)(?:=(\w+))?(?:@([\d-]+))?$")

pytestmark = pytest.mark.model


def rows() -> list[dict]:
    with open(TABLE, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def parse_facts(cell: str) -> list[tuple]:
    found = []
    for part in filter(None, (p.strip() for p in (cell or "").split(";"))):
        match = FACT.match(part)
        assert match, f"bad fact notation {part!r}"
        found.append(match.groups())
    return found


def matches(fact, relation, subject, obj) -> bool:
    pairs = [(fact.subject.id, fact.object.id)]
    if fact.relation in SYMMETRIC:
        pairs.append((fact.object.id, fact.subject.id))
    return fact.relation == relation and any(
        subject in ("?", s) and obj in ("?", o) for s, o in pairs)


def show(facts) -> str:
    return "\n".join(f"  {f.relation}({f.subject.id},{f.object.id})={f.status}@{f.date}"
                     f" [{f.rule}]" for f in facts) or "  (no facts)"


@pytest.fixture(scope="module")
def table_facts(read_sentences):
    """Each row's facts, read once for all the tests of this module."""
    return {row["id"]: read_sentences(row["text"], row["date"]) for row in rows()}


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["id"])
def test_sentence(row, table_facts):
    facts = table_facts[row["id"]]
    for relation, subject, obj, status, date in parse_facts(row["expect"]):
        found = [f for f in facts if matches(f, relation, subject, obj)]
        if status:
            found = [f for f in found if f.status == status]
        else:
            found = [f for f in found if f.status != "negated"]
        assert found, f"{row['id']}: missing {relation}({subject},{obj})={status}\n{show(facts)}"
        if date:
            assert any(f.date.startswith(date) for f in found), \
                f"{row['id']}: {relation}({subject},{obj}) wants date {date}\n{show(facts)}"
    for relation, subject, obj, status, _ in parse_facts(row["reject"]):
        found = [f for f in facts if matches(f, relation, subject, obj)
                 and (f.status == status if status else f.status != "negated")]
        assert not found, f"{row['id']}: unwanted {relation}({subject},{obj})\n{show(facts)}"


def test_table_is_large_and_exercises_every_trigger_and_word_list(table_facts, extraction):
    from newskg.extractors.lexicon import DATA, triggers
    from newskg.extractors.text import fold

    table = rows()
    assert len(table) >= 80
    rules = {f.rule for facts in table_facts.values() for f in facts}
    for trigger in triggers():
        assert any(r == trigger.id or r.startswith(trigger.id + "-") for r in rules), \
            f"no sentence is read by trigger {trigger.id}"
    text = " ".join(fold(r["text"]) for r in table)
    words = set(text.split()) | {fold(t.lemma_) for doc in extraction.nlp.pipe(
        r["text"] for r in table) for t in doc} | {fold(t.text) for doc in extraction.nlp.pipe(
        r["text"] for r in table) for t in doc}
    for name in ("negation.txt", "planned.txt", "reporting.txt", "future_time.txt",
                 "former.txt", "transparent.txt", "destination_verbs.txt", "negators.txt",
                 "attendance.txt", "topic_nouns.txt", "recipient_verbs.txt",
                 "news_agencies.txt", "dependants.txt", "small_formats.txt", "event_nouns.txt"):
        entries = [fold(l.split("#")[0].strip()) for l in (DATA / name).read_text("utf-8").splitlines()
                   if l.split("#")[0].strip()]
        assert any(e in words for e in entries), f"no sentence uses a word of {name}"
    for table_name in ("roles.tsv", "descriptions.tsv"):
        lines = (DATA / table_name).read_text("utf-8").splitlines()[1:]
        phrases = [fold(l.split("\t")[0]) for l in lines if l and not l.startswith("#")]
        assert any(p in text for p in phrases), f"no sentence uses a phrase of {table_name}"


def test_model_is_the_pinned_version(extraction):
    """The rules were written against this model; a new one must be checked, not assumed."""
    from newskg.extractors.model import MODEL, MODEL_VERSION

    assert extraction.nlp.meta["name"] == MODEL.split("_", 1)[1]
    assert extraction.nlp.meta["version"] == MODEL_VERSION


def test_phrase_patterns_run_only_where_all_their_words_are(extraction):
    """The matcher runs on a sentence only when every required word of some phrase
    pattern is in it: "main" inside "demain" or "cap" inside "capitale" alone do not
    run it, and every example of a phrase trigger does."""
    from newskg.extractors.lexicon import triggers

    gate = extraction.extractor.phrase_gate
    assert not gate.match("il arrivera demain dans la capitale.")
    assert gate.match("les deux hommes se sont serré la main.")
    assert gate.match("il mettra ensuite le cap sur bakou.")
    for trigger in triggers():      # a trigger made only of phrases: its example passes
        if all(len(pattern) > 1 for pattern in trigger.patterns):
            assert gate.match(trigger.example.lower()), trigger.id

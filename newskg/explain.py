"""The audit view: every fact of an article, the rule that read it, and its sentence."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .articles import read
from .errors import NothingToBuild, UsageError

GRAPH_SUFFIXES = (".ttl", ".nt", ".nq", ".jsonld", ".rdf", ".trig", ".owl")


def _name(entity) -> str:
    return entity.label_fr + (f" ({entity.qid})" if entity.qid else "")


def explain(paths: list[Path], extraction=None) -> Iterator[str]:
    from .pipeline import Extraction

    graphs = [p for p in paths if p.suffix.lower() in GRAPH_SUFFIXES]
    if graphs:
        raise UsageError(f"{graphs[0]}: a graph file; explain reads articles (.txt, .html, "
                         ".jsonl, .csv) and shows the facts read from them. For a graph, use "
                         "newskg query, entities or view")
    reading = read(paths)
    if not reading.articles:
        raise NothingToBuild("no article could be read from " + ", ".join(map(str, paths)),
                             reading.problems)
    extraction = extraction or Extraction()
    for result in extraction.run(reading.articles):
        article = result.article
        yield f"== {article.id}  date {article.date or 'unknown'}  {len(result.facts)} facts"
        sentence = None
        for fact in result.facts:
            if fact.sentence != sentence:
                sentence = fact.sentence
                yield f"  « {sentence} » [{fact.start_char}:{fact.end_char}]"
            where = f" at {fact.location.label_fr}" if fact.location else ""
            when = f" {fact.date} ({fact.date_source})" if fact.date else ""
            shown = "REJECTED (negated) " if fact.status == "negated" else ""
            yield (f"    {shown}{fact.relation}({_name(fact.subject)}, {_name(fact.object)})"
                   f" {fact.status}{when}{where}  rule {fact.rule}")
        if result.rejected:
            yield "  considered and not asserted:"
            for sentence, why in result.rejected:
                yield f"    {why}  « {sentence[:80]}{'…' if len(sentence) > 80 else ''} »"

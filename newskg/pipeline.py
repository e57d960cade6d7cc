"""The build: articles → parsed documents → facts → graph → Turtle and HTML files."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .articles import read
from .errors import NothingToBuild


@dataclass
class BuildReport:
    articles: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)     # (relation, status) -> count
    entities: int = 0
    linked: int = 0
    outputs: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.articles} articles read, {self.skipped} skipped"]
        relations = sorted({r for r, _ in self.facts})
        for relation in relations:
            parts = ", ".join(f"{s} {self.facts[(relation, s)]}"
                              for s in ("occurred", "planned", "negated")
                              if self.facts[(relation, s)])
            lines.append(f"  {relation:<11} {parts}")
        lines.append(f"{self.entities} entities, {self.linked} linked to Wikidata")
        lines += [f"wrote {path}" for path in self.outputs]
        return "\n".join(lines)


class Extraction:
    """The loaded pipeline and rules: made once, used for every article."""

    def __init__(self, nlp=None):
        from extractors.gazetteer import Gazetteer
        from extractors.lexicon import Lexicon
        from extractors.model import load
        from extractors.relations import RelationExtractor

        self.nlp = nlp if nlp is not None else load()
        self.gazetteer = Gazetteer.default()
        self.extractor = RelationExtractor(self.nlp, self.gazetteer, Lexicon.load())

    def run(self, articles, batch_size: int = 16):
        """Facts per article; long articles are parsed in chunks, all in one nlp.pipe."""
        articles = list(articles)
        pieces = [(n, offset, text) for n, article in enumerate(articles)
                  for offset, text in chunks(article.text)]
        docs = self.nlp.pipe((text for _, _, text in pieces), batch_size=batch_size)
        current, parts = 0, []
        for (n, offset, _), doc in zip(pieces, docs):
            if n != current:
                yield self.extractor.extract(parts, articles[current])
                current, parts = n, []
            parts.append((offset, doc))
        if articles:
            yield self.extractor.extract(parts, articles[current])


CHUNK = 50_000


def chunks(text: str, limit: int = CHUNK) -> list[tuple[int, str]]:
    """(offset, piece) cut at paragraph, then line, then sentence ends: spaCy's parser
    needs memory in proportion to a text's length, and an archive may hold a book."""
    if len(text) <= limit:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
            if cut > limit // 4:
                end = start + cut + 1
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def build(paths: list[Path], out_dir: Path, extraction: Extraction | None = None,
          fields=None, stdin=None) -> BuildReport:
    from graph.html import render
    from graph.network import to_networkx
    from graph.rdf import build_graph
    from graph.turtle import turtle, write_atomic

    from .articles import Fields

    reading = read(paths, fields or Fields(), stdin)
    report = BuildReport(len(reading.articles), reading.skipped, list(reading.problems))
    if not reading.articles:
        raise NothingToBuild("no article could be read from " + ", ".join(map(str, paths)),
                             reading.problems)
    extraction = extraction or Extraction()
    facts, entities = [], {}
    for result in extraction.run(reading.articles):
        facts.extend(result.facts)
    facts.sort(key=lambda f: (f.article, f.start_char, f.relation, f.subject.id, f.object.id,
                              f.status, f.rule, f.date))
    graph = build_graph(reading.articles, facts, extraction.gazetteer.entities)
    seen = {}
    for fact in facts:
        report.facts[(fact.relation, fact.status)] += 0
        for entity in (fact.subject, fact.object):
            seen[entity.id] = entity
    for key in {f.key() + (f.status,) for f in facts}:
        report.facts[(key[1], key[-1])] += 1
    report.entities = len(seen)
    report.linked = sum(1 for e in seen.values() if e.qid)
    ttl, html = out_dir / "graph.ttl", out_dir / "graph.html"
    for stale in list(out_dir.glob(".graph.ttl.*.tmp")) + list(out_dir.glob(".graph.html.*.tmp")):
        stale.unlink(missing_ok=True)     # left by a build that was killed while writing
    data = turtle(graph)
    page = render(to_networkx(graph), title=f"newskg — {len(reading.articles)} articles")
    write_atomic(ttl, data)
    write_atomic(html, page.encode("utf-8"))
    report.outputs = [ttl, html]
    return report

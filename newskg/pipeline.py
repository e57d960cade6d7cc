"""The build: articles → parsed documents → facts → graph → Turtle and HTML files.

Facts stream out of the extraction in article order and go straight into an on-disk
Oxigraph store, batch by batch; only what events need (a few fields per fact) stays in
memory. Parsing can run in several processes (`processes`) or on a Dask cluster
(`scheduler`); facts already read from an unchanged article come from the cache.
"""
from __future__ import annotations

import hashlib
import pickle
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .articles import read
from .errors import NothingToBuild

CHUNK = 50_000
BATCH = 16


@dataclass
class BuildReport:
    articles: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)     # (relation, status) -> count
    entities: int = 0
    linked: int = 0
    triples: int = 0
    parsed: int = 0                                      # articles parsed (not from the cache)
    outputs: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.articles} articles read, {self.skipped} skipped"
                 + (f", {self.articles - self.parsed} from the cache" if self.parsed < self.articles
                    else "")]
        for relation in sorted({r for r, _ in self.facts}):
            parts = ", ".join(f"{s} {self.facts[(relation, s)]}"
                              for s in ("occurred", "planned", "negated")
                              if self.facts[(relation, s)])
            lines.append(f"  {relation:<11} {parts}")
        lines.append(f"{self.entities} entities, {self.linked} linked to Wikidata, "
                     f"{self.triples} triples")
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

    def run(self, articles, batch_size: int = BATCH, n_process: int = 1):
        """Facts per article; long articles are parsed in chunks, all in one nlp.pipe."""
        articles = list(articles)
        pieces = [(n, offset, text) for n, article in enumerate(articles)
                  for offset, text in chunks(article.text)]
        docs = self.nlp.pipe((text for _, _, text in pieces), batch_size=batch_size,
                             n_process=n_process)
        current, parts = 0, []
        for (n, offset, _), doc in zip(pieces, docs):
            if n != current:
                yield self.extractor.extract(parts, articles[current])
                current, parts = n, []
            parts.append((offset, doc))
        if articles:
            yield self.extractor.extract(parts, articles[current])


def chunks(text: str, limit: int = CHUNK) -> list[tuple[int, str]]:
    """(offset, piece) cut at paragraph, then line, then sentence ends: spaCy's parser
    needs memory in proportion to a text's length."""
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


# -- where facts come from ----------------------------------------------------------------

_WORKER: Extraction | None = None


def _extract_batch(articles) -> list:
    """Facts of a batch of articles, in a worker process (pool or Dask)."""
    global _WORKER
    if _WORKER is None:
        _WORKER = Extraction()
    return [_portable(result) for result in _WORKER.run(articles)]


def _portable(result):
    """What a worker sends back: the facts, without spaCy objects."""
    return replace(result, entities={})


def batches(items: list, size: int = BATCH) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def extract_local(articles, extraction: Extraction | None, processes: int) -> Iterator:
    """Facts in article order. With several processes, forked workers inherit the loaded
    pipeline and each parses and reads a batch of articles, sending back only the facts:
    no Doc crosses a process boundary, and this process is left to write the graph."""
    global _WORKER
    extraction = extraction or Extraction()
    if processes <= 1:
        yield from extraction.run(articles)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    _WORKER = extraction        # inherited by the forked workers, not loaded again
    try:
        with ProcessPoolExecutor(max_workers=processes, mp_context=mp.get_context("fork")) as pool:
            for results in pool.map(_extract_batch, batches(list(articles)), chunksize=1):
                yield from results
    finally:
        _WORKER = None


def extract_dask(articles, scheduler: str) -> Iterator:
    """Batches of articles mapped to fact shards on a Dask cluster, gathered in order."""
    from dask.distributed import Client

    with Client(scheduler) as client:
        futures = client.map(_extract_batch, batches(list(articles)), pure=False)
        for future in futures:
            yield from future.result()


# -- the cache ----------------------------------------------------------------------------

def pipeline_version() -> str:
    """Changes whenever anything that shapes the facts changes: code version, model, data."""
    import newskg
    import ontology
    from extractors.lexicon import DATA
    from extractors.model import MODEL, MODEL_VERSION

    digest = hashlib.sha256(f"{newskg.__version__}|{MODEL}|{MODEL_VERSION}".encode())
    code = Path(__file__).resolve().parent.parent / "extractors"
    for path in sorted([*DATA.glob("*"), *ontology.HERE.glob("*.tsv"), *code.glob("*.py")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class FactCache:
    """Facts per article, keyed by the article's content and the pipeline's version."""

    def __init__(self, folder: Path):
        self.folder = folder / pipeline_version()
        self.folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(article) -> str:
        text = "\x1f".join([article.id, article.date, article.title, article.text])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, article):
        path = self.folder / f"{self.key(article)}.pickle"
        if not path.exists():
            return None
        try:
            with open(path, "rb") as handle:
                result = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        return replace(result, article=article)   # sources may differ between runs

    def put(self, result) -> None:
        from graph.turtle import write_atomic

        write_atomic(self.folder / f"{self.key(result.article)}.pickle",
                     pickle.dumps(_portable(result), protocol=pickle.HIGHEST_PROTOCOL))


def facts_for(articles, extraction, processes: int, scheduler: str | None,
              cache: FactCache | None, report: BuildReport) -> Iterator:
    """Facts of every article in article order: cached, or extracted now."""
    cached = {a.id: cache.get(a) for a in articles} if cache else {}
    missing = [a for a in articles if cached.get(a.id) is None]
    report.parsed = len(missing)
    if scheduler:
        fresh = extract_dask(missing, scheduler)
    else:
        fresh = extract_local(missing, extraction, processes) if missing else iter(())
    for article in articles:
        result = cached.get(article.id)
        if result is None:
            result = next(fresh)
            if cache:
                cache.put(result)
        yield result


# -- the build ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _EventFact:
    """What grouping into events needs of a fact, and no more."""
    article: str
    relation: str
    subject: object
    object: object
    status: str
    date: str
    start_char: int
    rule: str
    location: object
    organization: object


def build(paths: list[Path], out_dir: Path, extraction: Extraction | None = None,
          fields=None, stdin=None, processes: int = 1, scheduler: str | None = None,
          cache_dir: Path | None = None, store_dir: Path | None = None,
          progress: bool = False) -> BuildReport:
    import pyoxigraph as ox

    from graph.events import group_events
    from graph.html import render
    from graph.rdf import (article_triples, entity_triples, event_triples, fact_triples,
                           used_entities)
    from graph.store import PREFIX_IRIS
    from graph.turtle import write_atomic

    from .articles import Fields

    reading = read(paths, fields or Fields(), stdin)
    report = BuildReport(len(reading.articles), reading.skipped, list(reading.problems))
    if not reading.articles:
        raise NothingToBuild("no article could be read from " + ", ".join(map(str, paths)),
                             reading.problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in list(out_dir.glob(".graph.ttl.*.tmp")) + list(out_dir.glob(".graph.html.*.tmp")):
        stale.unlink(missing_ok=True)     # left by a build that was killed while writing
    if extraction is None and not scheduler:
        extraction = Extraction()
    if extraction is not None:
        gazetteer = extraction.gazetteer
    else:
        from extractors.gazetteer import Gazetteer
        gazetteer = Gazetteer.default()
    cache = FactCache(cache_dir) if cache_dir else None
    scratch = tempfile.mkdtemp(prefix=".newskg-store-", dir=out_dir)
    try:
        if store_dir is not None:
            shutil.rmtree(store_dir, ignore_errors=True)
        store = ox.Store(str(store_dir or Path(scratch) / "store"))
        event_facts, keys, known = [], set(), {}
        canon = lambda e: None if e is None else known.setdefault(e.id, e)   # one object each
        word = sys.intern
        results = facts_for(reading.articles, extraction, processes, scheduler, cache, report)
        if progress:
            from tqdm import tqdm
            results = tqdm(results, total=len(reading.articles), unit="article",
                           file=sys.stderr, desc="newskg build")
        batch = []
        for result in results:
            batch.extend(article_triples(result.article))
            for fact in result.facts:
                batch.extend(fact_triples(fact))
                event_facts.append(_EventFact(
                    word(fact.article), word(fact.relation), canon(fact.subject),
                    canon(fact.object), word(fact.status), word(fact.date), fact.start_char,
                    word(fact.rule), canon(fact.location), canon(fact.organization)))
                keys.add(tuple(word(k) for k in fact.key()) + (word(fact.status),))
            if len(batch) > 50_000:
                store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in batch)
                batch = []
        used = used_entities(event_facts, gazetteer.entities)
        labels = {i: e.label_fr for i, e in used.items()}
        for event in group_events(event_facts):
            batch.extend(event_triples(event, labels))
        for entity in used.values():
            batch.extend(entity_triples(entity, used))
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in batch)
        store.flush()
        for key in keys:
            report.facts[(key[1], key[-1])] += 1
        people = {e.id: e for f in event_facts for e in (f.subject, f.object)}
        report.entities = len(people)
        report.linked = sum(1 for e in people.values() if e.qid)
        report.triples = len(store)
        ttl, html = out_dir / "graph.ttl", out_dir / "graph.html"
        page = render(store, title=f"newskg — {len(reading.articles)} articles")
        write_atomic(ttl, lambda out: ox.serialize((q.triple for q in store), out,
                                                   format=ox.RdfFormat.TURTLE,
                                                   prefixes=PREFIX_IRIS))
        del store
        write_atomic(html, page.encode("utf-8"))
        report.outputs = [ttl, html] + ([store_dir] if store_dir else [])
        return report
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

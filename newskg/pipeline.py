"""The build: articles → parsed documents → facts → graph → Turtle and HTML files.

Articles stream in one at a time; a few batches of them are in flight to the parser at
once, and their facts go straight into an on-disk Oxigraph store. What the end of the build
needs stays small or on disk (the entity vocabulary, the page's links, an SQLite index of
the facts that report events), so memory does not grow with the corpus. Parsing can run in
several processes (`processes`) or on a Dask cluster (`scheduler`); facts already read from
an unchanged article come from the cache.
"""
from __future__ import annotations

import gc
import hashlib
import itertools
import queue
import shutil
import sys
import tempfile
import threading
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from .articles import LONG_RUN, LONG_RUN_TEXT, Articles, one_line
from .errors import NothingToBuild, UsageError

CHUNK = 50_000
BATCH = 16


@dataclass
class BuildReport:
    articles: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)     # (relation, status) -> statements
    events: Counter = field(default_factory=Counter)    # (relation, status) -> events
    entities: int = 0                                   # entity nodes in the graph
    in_facts: int = 0                                   # ... named as subject or object
    linked: int = 0                                     # ... with a Wikidata QID
    triples: int = 0
    parsed: int = 0                                      # articles parsed (not from the cache)
    failed: list[str] = field(default_factory=list)     # articles read but not parsed: why
    outputs: list[Path] = field(default_factory=list)

    @staticmethod
    def _table(counts: Counter) -> list[str]:
        lines = []
        for relation in sorted({r for r, _ in counts}):
            parts = ", ".join(f"{s} {counts[(relation, s)]}"
                              for s in ("occurred", "planned", "negated")
                              if counts[(relation, s)])
            lines.append(f"  {relation:<11} {parts}")
        return lines

    def summary(self) -> str:
        """What the build read, saying what each count counts: statements are what the
        articles say (one per sentence that says it), events what happened or is planned
        (however many statements report it; negated: denied and never reported done)."""
        lines = [f"{self.articles - len(self.failed)} articles read, "
                 f"{self.skipped + len(self.failed)} skipped"
                 + (f", {self.articles - self.parsed} from the cache" if self.parsed < self.articles
                    else "")]
        lines.append(f"statements (what the articles say), {sum(self.facts.values())}:")
        lines += self._table(self.facts)
        if self.events:
            lines.append(f"events (visits, meetings, summits, however many statements report "
                         f"each), {sum(self.events.values())}:")
            lines += self._table(self.events)
        lines.append(f"{self.entities} entities ({self.in_facts} as subject or object of a "
                     f"statement), {self.linked} linked to Wikidata, {self.triples} triples")
        lines += [f"wrote {path}" for path in self.outputs]
        return "\n".join(lines)


class Extraction:
    """The loaded pipeline and rules: made once, used for every article."""

    def __init__(self, nlp=None, gazetteer=None):
        from newskg.extractors.gazetteer import Gazetteer
        from newskg.extractors.lexicon import Lexicon
        from newskg.extractors.model import load
        from newskg.extractors.relations import RelationExtractor

        self.nlp = nlp if nlp is not None else load()
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.default()
        self.extractor = RelationExtractor(self.nlp, self.gazetteer, Lexicon.load())
        # the model and tables live as long as the process: out of the garbage collector's
        # reach, its passes over the objects each article makes no longer walk them too
        # (and forked workers do not touch, hence copy, the pages that hold them)
        gc.freeze()

    def run(self, articles, batch_size: int = BATCH, n_process: int = 1):
        """Facts per article, in order; long articles are parsed in chunks, all in one
        nlp.pipe that pulls articles as it goes. An article whose parsing or reading
        fails gives a result with its `problem` and no facts: the others go on."""
        articles = list(articles)
        done = 0
        try:
            for result in self._run(articles, batch_size, n_process):
                done += 1
                yield result
        except Exception:           # the batch's pipe is broken: the rest, one at a time
            for article in articles[done:]:
                yield self._alone(article)

    def _alone(self, article):
        from newskg.extractors.facts import ArticleFacts

        try:
            return next(self._run([article], 1, 1))
        except Exception as error:
            return ArticleFacts(article, problem=f"{article.source or article.id}: could not be "
                                f"read ({type(error).__name__}: {one_line(str(error))[:200]}); "
                                "skipped")

    def _run(self, articles, batch_size: int, n_process: int):
        pieces = ((text, (article, offset)) for article in articles
                  for offset, text in chunks(article.text))
        docs = self.nlp.pipe(pieces, as_tuples=True, batch_size=batch_size, n_process=n_process)
        current, parts = None, []
        for doc, (article, offset) in docs:
            if article is not current and current is not None:
                yield self.extractor.extract(parts, current)
                parts = []
            current = article
            parts.append((offset, doc))
        if current is not None:
            yield self.extractor.extract(parts, current)


def chunks(text: str, limit: int = CHUNK) -> list[tuple[int, str]]:
    """(offset, piece) cut at paragraph, then line, then sentence ends: spaCy's parser
    needs memory in proportion to a text's length. A run of over LONG_RUN characters
    without a space (a line of '!', a pasted blob) is cut in pieces of that size too:
    the tokenizer's time grows with the square of such a run's length."""
    if len(text) <= limit:
        pieces = [(0, text)]
    else:
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
    if not LONG_RUN_TEXT.search(text):
        return pieces
    return [part for offset, piece in pieces for part in _split_runs(offset, piece)]


def _split_runs(offset: int, piece: str) -> list[tuple[int, str]]:
    parts, start = [], 0
    for run in LONG_RUN_TEXT.finditer(piece):
        if run.start() > start:
            parts.append((offset + start, piece[start:run.start()]))
        for at in range(run.start(), run.end(), LONG_RUN):
            parts.append((offset + at, piece[at:min(at + LONG_RUN, run.end())]))
        start = run.end()
    if start < len(piece):
        parts.append((offset + start, piece[start:]))
    return parts


# -- where facts come from ----------------------------------------------------------------

_WORKER: Extraction | None = None


def _die_with_parent() -> None:
    """A worker ends when its build does: a build killed with SIGKILL would otherwise leave
    its workers parsing on, each holding a core (Linux; elsewhere a no-op)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)    # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _extract_batch(articles) -> list:
    """Facts of a batch of articles, in a worker process (pool or Dask)."""
    global _WORKER
    if _WORKER is None:
        _WORKER = Extraction()
    return [_portable(result) for result in _WORKER.run(articles)]


def _portable(result):
    """What a worker sends back: the facts, without spaCy objects."""
    return replace(result, entities={})


class _Done:
    """A batch extracted in this process, answering like a future."""

    def __init__(self, results: list):
        self.results = results

    def result(self) -> list:
        return self.results


class Extractor:
    """Where batches of articles are parsed and read: here, in forked worker processes, or
    on a Dask cluster. `submit` hands over a batch and gives a future of its facts. The
    model, pool or client starts with the first batch: a rebuild that finds every article
    in the cache never loads spaCy."""

    def __init__(self, extraction: Extraction | None, processes: int = 1,
                 scheduler: str | None = None, gazetteer=None):
        self.extraction, self.processes, self.scheduler = extraction, processes, scheduler
        self.gazetteer = gazetteer      # already read by the build: not read twice
        self.pool = self.client = None
        self.started = False
        self.window = 2 * max(1, processes)     # batches in flight; Dask: twice its threads

    def _start(self) -> None:
        global _WORKER
        self.started = True
        if self.scheduler:
            from dask.distributed import Client

            try:
                self.client = Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError, TypeError) as error:
                raise UsageError(f"--scheduler {self.scheduler}: cannot reach a Dask scheduler "
                                 f"there ({one_line(str(error))[:160]})") from None
            self.window = 2 * max(1, sum(self.client.nthreads().values()))
            return
        self.extraction = self.extraction or Extraction(gazetteer=self.gazetteer)
        if self.processes > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            _WORKER = self.extraction      # inherited by the forked workers, not loaded again
            self.pool = ProcessPoolExecutor(max_workers=self.processes,
                                            mp_context=mp.get_context("fork"),
                                            initializer=_die_with_parent)

    def submit(self, batch: list):
        if not self.started:
            self._start()
        if self.client is not None:
            return self.client.submit(_extract_batch, batch, pure=False)
        if self.pool is not None:
            return self.pool.submit(_extract_batch, batch)
        return _Done(list(self.extraction.run(batch)))

    def __enter__(self):
        return self

    def __exit__(self, *_):
        global _WORKER
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            _WORKER = None
        if self.client is not None:
            self.client.close()


# -- the cache ----------------------------------------------------------------------------

def pipeline_version() -> str:
    """Changes whenever anything that shapes the facts changes: code version, model, data."""
    import newskg
    from newskg import ontology
    from newskg import extractors
    from newskg.extractors.lexicon import DATA
    from newskg.extractors.model import MODEL, MODEL_VERSION

    digest = hashlib.sha256(f"{newskg.__version__}|{MODEL}|{MODEL_VERSION}".encode())
    code = Path(extractors.__file__).resolve().parent
    for path in sorted([*DATA.glob("*"), *ontology.HERE.glob("*.tsv"), *code.rglob("*.py")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class FactCache:
    """Facts per article, keyed by the article's content and the pipeline's version: one
    JSON entry a file, checked before use (newskg/cache.py). A cache that cannot be used
    never stops a build: what is wrong is noted in `problems` and the article read again."""

    NOTED = 20          # problems listed one by one; the rest are counted

    def __init__(self, folder: Path):
        self.folder: Path | None = folder / pipeline_version()
        self.refused = 0
        self.notes: list[str] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._note(f"cache {folder}: cannot be made ({error.strerror}); building without it")
            self.folder = None

    @staticmethod
    def key(article) -> str:
        text = "\x1f".join([article.id, article.date, article.title, article.text])
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _note(self, problem: str) -> None:
        self.refused += 1
        if len(self.notes) < self.NOTED:
            self.notes.append(problem)

    @property
    def problems(self) -> list[str]:
        more = self.refused - len(self.notes)
        return self.notes + ([f"cache: {more} more problems like these"] if more > 0 else [])

    def get(self, article):
        from newskg.extractors.facts import ArticleFacts

        from . import cache

        if self.folder is None:
            return None
        key = self.key(article)
        path = self.folder / f"{key}.json"
        try:
            data = cache.read(path)
            # sources may differ between runs: the article is the one read now
            return None if data is None else cache.loads(data, key, ArticleFacts, article)
        except cache.Refused as why:
            self._note(f"cache entry {path}: {why}; ignored, the article is read again")
            return None

    def put(self, result) -> None:
        from newskg.graph.turtle import write_atomic

        from . import cache

        if self.folder is None:
            return
        key = self.key(result.article)
        try:
            write_atomic(self.folder / f"{key}.json", cache.dumps(_portable(result), key))
        except (OSError, TypeError) as error:
            self._note(f"cache entry {self.folder / key}.json: cannot be written "
                       f"({getattr(error, 'strerror', None) or error}); not cached")


def facts_for(articles, extractor: Extractor, cache: FactCache | None,
              report: BuildReport) -> Iterator:
    """Facts of every article: from the cache, or extracted now in batches, a few batches
    in flight at a time, so memory holds a bounded window of articles whatever their
    number. Results come in the order they are ready; the graph does not depend on it."""
    in_flight, batch = deque(), []

    def ready(future):
        for result in future.result():
            if result.problem:          # its parsing failed: reported, not cached, not built
                report.failed.append(result.problem)
                continue
            report.parsed += 1
            if cache:
                cache.put(result)
            yield result

    for article in articles:
        result = cache.get(article) if cache else None
        if result is not None:
            yield result
            continue
        batch.append(article)
        if len(batch) == BATCH:
            in_flight.append(extractor.submit(batch))
            batch = []
            while len(in_flight) > extractor.window:
                yield from ready(in_flight.popleft())
    if batch:
        in_flight.append(extractor.submit(batch))
    while in_flight:
        yield from ready(in_flight.popleft())


# -- the build ----------------------------------------------------------------------------

class StoreFeeder:
    """Batches of triples into the store from a thread of its own. Oxigraph writes a batch
    with the interpreter's lock released, so the writing overlaps the parsing and reading
    of the next articles instead of following it. At most two batches wait."""

    def __init__(self, store):
        self.store = store
        self.batches: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="newskg-store", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.batches.get()) is not None:
            if self.error is None:          # after a failure, batches are only drained
                try:
                    self.store.bulk_extend(batch)
                except BaseException as error:      # raised in the build's thread
                    self.error = error

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def put(self, batch: list) -> None:
        self._raise()
        self.batches.put(batch)

    def close(self) -> None:
        """Waits for the batches handed over; raises what writing them raised."""
        if self.thread.is_alive():
            self.batches.put(None)
            self.thread.join()
        self._raise()


class GraphWriter:
    """Facts into an on-disk Oxigraph store, article by article, in batches of triples.

    What the end of the build needs is kept small: the entities named (a vocabulary, not
    a corpus), the page's links (PageData), and the facts that report events, in an
    EventIndex on disk.
    """

    FLUSH = 50_000     # triples handed to the store at once

    def __init__(self, store, scratch: Path, report: BuildReport):
        from newskg.graph.events import EventIndex
        from newskg.graph.html import PageData
        from newskg.graph.namespaces import ENTITY

        self.store, self.report = store, report
        self.feeder = StoreFeeder(store)
        self.entity_prefix = str(ENTITY)
        self.page = PageData()
        self.pending: list = []
        self.named: dict[str, object] = {}          # id -> Entity, every entity facts name
        self.people: set[str] = set()               # subjects and objects
        self.events = EventIndex(scratch / "events.sqlite")
        self.nodes: dict[str, dict] = {}             # the page's entities, made by finish()

    def add(self, result) -> None:
        from newskg.graph.rdf import article_triples, fact_triples, statement_node

        self.pending.extend(article_triples(result.article))
        seen = set()
        for fact in result.facts:
            statement = statement_node(fact)
            if statement in seen:           # one statement IRI: the store keeps it once
                continue
            seen.add(statement)
            self.pending.extend(fact_triples(fact, statement))
            self.page.add({"subject": self.entity_prefix + fact.subject.id,
                           "object": self.entity_prefix + fact.object.id, "relation": fact.relation,
                           "status": fact.status, "date": fact.date, "article": fact.article,
                           "evidence": fact.sentence})
            for entity in (fact.subject, fact.object, fact.location, fact.organization):
                if entity is not None:
                    self.named.setdefault(entity.id, entity)
            self.people.update((fact.subject.id, fact.object.id))
            self.report.facts[(fact.relation, fact.status)] += 1
        self.events.add(result.facts)
        if len(self.pending) >= self.FLUSH:
            self.flush()

    def add_sources(self, more_sources: dict[str, list[str]]) -> None:
        """Files that held the text of an article already read under another name."""
        from newskg.graph.rdf import source_triples

        for article, sources in sorted(more_sources.items()):
            self.pending.extend(source_triples(article, sources))

    def statements_done(self) -> None:
        """Every article's triples are in the store (the build then dumps them)."""
        self.flush()
        self.feeder.close()
        self.store.flush()

    def finish(self, gazetteer, path: Path) -> int:
        """Events and entities, once every article is in, written as Turtle to `path`
        rather than into the store: the build has the store write its own Turtle of the
        statements meanwhile, in another thread, and puts the two one after the other.
        Returns the number of triples written."""
        import pyoxigraph as ox

        from newskg.graph.network import entity_nodes
        from newskg.graph.rdf import entity_triples, event_triples, with_countries
        from newskg.graph.store import PREFIX_IRIS

        used = with_countries(self.named, gazetteer.entities)
        labels = {i: e.label_fr for i, e in used.items()}
        written = 0

        def triples():
            nonlocal written
            for event in self.events.events():
                self.report.events[(event.relation, event.status)] += 1
                self.page.add_event(event)
                for triple in event_triples(event, labels):
                    written += 1
                    yield triple
            self.events.close()
            for entity in sorted(used.values(), key=lambda e: e.id):  # whatever came first
                for triple in entity_triples(entity, used):
                    written += 1
                    yield triple

        ox.serialize(triples(), str(path), format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
        self.report.entities = len(used)
        self.report.in_facts = len(self.people)
        self.report.linked = sum(1 for e in used.values() if e.qid)
        self.nodes = entity_nodes(used.values())
        return written

    def flush(self) -> None:
        if self.pending:
            self.feeder.put(self.pending)
            self.pending = []

    def close(self) -> None:
        """Ends the store's writing thread (a build that failed midway: nothing raised)."""
        try:
            self.feeder.close()
        except Exception:
            pass


def _concatenate(out, paths: list[Path]) -> None:
    """Turtle files one after the other: each declares its prefixes, which Turtle allows."""
    for path in paths:
        with open(path, "rb") as part:
            shutil.copyfileobj(part, out, 1 << 20)


def build(paths: list[Path], out_dir: Path, extraction: Extraction | None = None,
          fields=None, stdin=None, processes: int = 1, scheduler: str | None = None,
          cache_dir: Path | None = None, store_dir: Path | None = None,
          progress: bool = False, wait: float = 600.0) -> BuildReport:
    """Reads, extracts and writes the graph as a stream of articles: memory holds a few
    batches of articles and the entity vocabulary, whatever the size of the corpus.
    Another build writing into `out_dir` is waited for, `wait` seconds at most."""
    from contextlib import ExitStack

    import pyoxigraph as ox

    from newskg.graph.html import render_data
    from newskg.graph.store import PREFIX_IRIS, check_store_target, replace_store
    from newskg.graph.turtle import (JOURNAL, LOCK, FolderLock, finish_swap, recover_replaced,
                                     remove_leftovers, write_together)

    from .articles import Fields

    if store_dir is not None:
        check_store_target(store_dir)
    articles = Articles(paths, fields or Fields(), stdin)
    stream = iter(articles)
    first = next(stream, None)
    if first is None:
        raise NothingToBuild("no article could be read from " + ", ".join(map(str, paths)),
                             articles.problems)
    stream = itertools.chain([first], stream)

    def say(message: str) -> None:      # while waiting for another build: the summary is late
        print(f"newskg: {message}", file=sys.stderr, flush=True)

    report = BuildReport()
    out_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as held:
        # one build at a time into a folder (and a store): what killed builds left there is
        # cleared by the build that holds it, never from under one still writing
        held.enter_context(FolderLock(out_dir / LOCK, wait, notice=say))
        left = ["graph.ttl and graph.html put in place"] if finish_swap(out_dir) else []
        left += remove_leftovers(out_dir, [".newskg-store-*", ".graph.ttl.*.tmp",
                                           ".graph.html.*.tmp", f"{JOURNAL}.*.tmp"])
        if store_dir is not None:
            store_dir.parent.mkdir(parents=True, exist_ok=True)
            held.enter_context(FolderLock(store_dir.parent / f".{store_dir.name}.lock", wait,
                                          notice=say))
            left += recover_replaced(store_dir)
        notes = [f"{out_dir}: cleared what a killed build left: {', '.join(left)}"] if left else []
        if extraction is not None:
            gazetteer = extraction.gazetteer
        else:
            from newskg.extractors.gazetteer import Gazetteer
            gazetteer = Gazetteer.default()
        cache = FactCache(cache_dir) if cache_dir else None
        scratch = Path(tempfile.mkdtemp(prefix=".newskg-store-", dir=out_dir))
        if store_dir is not None:
            store_path = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.new-",
                                               dir=store_dir.parent))
        else:
            store_path = scratch / "store"
        writer = None
        try:
            store = ox.Store(str(store_path))
            writer = GraphWriter(store, scratch, report)
            if progress:
                from tqdm import tqdm
                stream = tqdm(stream, total=articles.estimate(), unit="article", file=sys.stderr,
                              desc="newskg build")
            with Extractor(extraction, processes, scheduler, gazetteer) as extractor:
                for result in facts_for(stream, extractor, cache, report):
                    writer.add(result)
            report.articles, report.skipped = articles.count, articles.skipped
            report.problems = list(articles.problems) + notes + (cache.problems if cache else [])
            writer.add_sources(articles.more_sources)
            writer.statements_done()
            # the store writes the statements' Turtle (with the interpreter's lock released)
            # while the events and entities are grouped and written beside it
            statements, more = scratch / "statements.ttl", scratch / "events.ttl"
            with ThreadPoolExecutor(1, thread_name_prefix="newskg-dump") as dumper:
                dumped = dumper.submit(store.dump, str(statements),
                                       format=ox.RdfFormat.TURTLE,
                                       from_graph=ox.DefaultGraph(), prefixes=PREFIX_IRIS)
                try:
                    written = writer.finish(gazetteer, more)
                finally:
                    dumped.result()             # its error, if any, is the build's
            if store_dir is not None:           # the store holds the whole graph too
                store.bulk_load(path=str(more), format=ox.RdfFormat.TURTLE)
                store.flush()
                report.triples = len(store)
            else:
                report.triples = len(store) + written
            ttl, html = out_dir / "graph.ttl", out_dir / "graph.html"
            page = render_data(writer.page.data(writer.nodes),
                               title=f"newskg — {articles.count} articles")
            # the pair is put in place together: never the Turtle of one build beside the
            # page of another, even if this build is killed between the two
            write_together(out_dir, {
                ttl.name: lambda out: _concatenate(out, [statements, more]),
                html.name: page.encode("utf-8")})
            store = writer = None                 # closes the store before it moves
            if store_dir is not None:
                replace_store(store_path, store_dir)
            report.outputs = [ttl, html] + ([store_dir] if store_dir else [])
            return report
        finally:
            if writer is not None:
                writer.close()
            shutil.rmtree(scratch, ignore_errors=True)
            if store_path.exists() and store_path != store_dir:
                shutil.rmtree(store_path, ignore_errors=True)

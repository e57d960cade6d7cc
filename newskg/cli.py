"""The `newskg` command: each subcommand calls one library function and reports errors."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import NewskgError, UsageError

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2


@click.group()
@click.version_option(package_name="newskg")
def main() -> None:
    """Knowledge graphs of diplomacy from French news articles."""


def field_options(command):
    """--id-field ... --url-field: the names of JSON Lines and CSV record fields."""
    for name in ("url", "text", "title", "date", "id"):
        command = click.option(f"--{name}-field", f"{name}_field", default=name, show_default=True,
                               help=f"Record field holding the article's {name}.")(command)
    return command


def _fields(kwargs):
    from .articles import Fields

    return Fields(**{name: kwargs[f"{name}_field"] for name in ("id", "date", "title", "text", "url")})


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder for graph.ttl and graph.html.")
@click.option("--processes", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Parse in this many processes.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Parse on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of locally.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of facts already read (default: OUT/.newskg-cache).")
@click.option("--no-cache", is_flag=True, help="Parse every article again.")
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
              help="Also keep the graph in an on-disk Oxigraph store there, which query and "
                   "serve read directly.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@field_options
def build(paths: tuple[Path, ...], out_dir: Path, processes: int, scheduler: str | None,
          cache_dir: Path | None, no_cache: bool, store_dir: Path | None, quiet: bool,
          **fields) -> None:
    """Read articles and write the graph.

    PATHS are files or folders of .txt, .html/.htm, .jsonl and .csv articles, or - for
    standard input; with none, builds seeds/. Exit status: 0 all built, 1 built with
    articles skipped, 2 nothing could be built or the command was misused.
    """
    from .pipeline import build as run_build

    _writable_folder(out_dir, "--out")
    if cache_dir is not None and not no_cache:
        _writable_folder(cache_dir, "--cache")
    if store_dir is not None:
        _writable_folder(store_dir, "--store")
    cache = None if no_cache else (cache_dir or out_dir / ".newskg-cache")
    try:
        report = run_build(list(paths) or [Path("seeds")], out_dir, fields=_fields(fields),
                           processes=processes, scheduler=scheduler, cache_dir=cache,
                           store_dir=store_dir, progress=not quiet and sys.stderr.isatty())
    except NewskgError as error:
        _fail(error)
    except OSError as error:        # the disk filled, a folder vanished under the build
        _fail(_write_error(error))
    for problem in report.problems + report.failed:
        click.echo(f"newskg: {problem}", err=True)
    click.echo(report.summary())
    sys.exit(EXIT_SKIPPED if report.skipped or report.failed else EXIT_OK)


@main.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
def explain(articles: tuple[Path, ...]) -> None:
    """Show each fact read from ARTICLES with its status, date, rule and sentence."""
    from .explain import explain as run_explain

    try:
        for line in run_explain(list(articles)):
            click.echo(line)
    except NewskgError as error:
        for problem in getattr(error, "problems", []):
            click.echo(f"newskg: {problem}", err=True)
        click.echo(f"newskg: {error}", err=True)
        sys.exit(EXIT_FAILED)


def _writable_folder(path: Path, option: str) -> None:
    """Refuse, before any work, a folder option that names a file or cannot be written."""
    import os

    if path.exists() and not path.is_dir():
        _fail(UsageError(f"{option} {path}: is a file, not a folder"))
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        _fail(UsageError(f"{option} {path}: {existing} is a file, not a folder"))
    if existing.exists() and not os.access(existing, os.W_OK | os.X_OK):
        _fail(UsageError(f"{option} {path}: cannot write there (permission denied)"))


def _writable_file(path: Path, option: str) -> None:
    """Refuse, before any work, a file option that names a folder or an unwritable place."""
    import os

    if path.is_dir():
        _fail(UsageError(f"{option} {path}: is a folder; give a file name"))
    if path.parent.exists() and not path.parent.is_dir():
        _fail(UsageError(f"{option} {path}: {path.parent} is a file, not a folder"))
    if path.parent.exists() and not os.access(path.parent, os.W_OK | os.X_OK):
        _fail(UsageError(f"{option} {path}: cannot write there (permission denied)"))


def _write_error(error: OSError, target: Path | None = None) -> NewskgError:
    where = target or error.filename or "output"
    return NewskgError(f"{where}: cannot write: {error.strerror or error}")


def _bad_binding(name: str, value: str) -> str:
    """Why a --bind cannot be used ('' if it can): checked here, so that a bad variable
    name or IRI is a message, not an error from the engine."""
    import pyoxigraph as ox

    from .query import term

    try:
        ox.Variable(name)
    except ValueError:
        return f"{name!r} is not a SPARQL variable name"
    try:
        term(value)
    except ValueError as error:
        return f"{value!r} is not a valid IRI ({error})"
    return ""


def _fail(error: NewskgError) -> None:
    from .articles import one_line

    for problem in getattr(error, "problems", []):
        click.echo(f"newskg: {one_line(problem)}", err=True)
    click.echo(f"newskg: {one_line(str(error))}", err=True)
    sys.exit(EXIT_FAILED)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
              default="table", show_default=True,
              help="table for reading; csv, tsv, json, xml are the W3C SPARQL results formats.")
@click.option("--bind", "bindings", multiple=True, metavar="VAR=VALUE",
              help="Give ?VAR a value: <iri>, prefix:name or a string. Repeatable.")
def query(graph: Path, query: str, fmt: str, bindings: tuple[str, ...]) -> None:
    """Run a SPARQL QUERY (a string or a .rq file) on GRAPH.

    The prefixes nkg, entity, article, stmt, event, wd, rdf, rdfs, owl, xsd, prov,
    dcterms and skos are bound. CONSTRUCT and DESCRIBE print Turtle; ASK prints
    true or false. A query that does not parse, or is over 64 KB or nested over 64
    deep, exits with status 2.
    """
    from .query import query_file

    values = {}
    for binding in bindings:
        name, sep, value = binding.partition("=")
        if not sep or not name.strip("?"):
            _fail(UsageError(f"--bind {binding!r}: expected VAR=VALUE"))
        problem = _bad_binding(name.strip("?"), value)
        if problem:
            _fail(UsageError(f"--bind {binding!r}: {problem}"))
        values[name.strip("?")] = value
    try:
        click.echo(query_file(graph, query, fmt, values,
                              warn=lambda m: click.echo(f"newskg: {m}", err=True)),
                   nl=fmt == "table")
    except NewskgError as error:
        _fail(error)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("name", required=False, default="")
def entities(graph: Path, name: str) -> None:
    """List the entities of GRAPH (those whose id or label contains NAME, ignoring case
    and accents): id for --bind, type, labels, Wikidata QID and statement counts."""
    from .entities import entities as run_entities

    try:
        click.echo(run_entities(graph, name))
    except NewskgError as error:
        _fail(error)


@main.command()
def prefixes() -> None:
    """Print the PREFIX lines of the prefixes `newskg query` binds, to paste at the top of a
    query sent to `newskg serve` (a SPARQL endpoint binds none by itself)."""
    from newskg.graph.store import PREFIX_IRIS

    for name, iri in sorted(PREFIX_IRIS.items()):
        click.echo(f"PREFIX {name}: <{iri}>")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers only this machine.")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds a query may take, from its arrival, before it is stopped.")
@click.option("--store", type=click.Path(path_type=Path), default=None,
              help="Folder for the on-disk Oxigraph store (default: a temporary one).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Queries run at once, each in its own process; others wait their turn.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) of one answer; past them it is cut and says so.")
def serve(graph: Path, port: int, host: str, timeout: int, store: Path | None, workers: int,
          max_rows: int) -> None:
    """Serve GRAPH as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/query.

    Each query is stopped at --timeout (counted from its arrival, waiting included) and
    its answer cut at --max-rows; SERVICE and over-nested queries are refused. SIGTERM or
    Ctrl-C stops the server with exit status 0.
    """
    from .serve import serve as run_serve

    try:
        sys.exit(run_serve(graph, host, port, timeout, store, workers=workers,
                           max_rows=max_rows, echo=click.echo))
    except NewskgError as error:
        _fail(error)


EXPORT_NAMES = "ttl/turtle, nt/ntriples, nq/nquads, trig, jsonld/json-ld, xml/rdfxml, graphml, gexf"


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help=f"One of {EXPORT_NAMES}: RDF for triple stores, GraphML or GEXF of the "
                   "entity network for Gephi (one edge per fact). Default: from --out's "
                   "extension.")
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
def export(graph: Path, fmt: str | None, out_file: Path | None) -> None:
    """Write GRAPH in another format."""
    from newskg.graph.export import export as run_export
    from newskg.graph.export import format_name
    from newskg.graph.store import open_graph
    from newskg.graph.turtle import write_atomic

    if fmt is None and out_file is None:
        _fail(UsageError(f"export: give --format ({EXPORT_NAMES}) or an --out file whose "
                         "extension names it"))
    if out_file is not None:
        _writable_file(out_file, "--out")
    chosen = format_name(fmt) if fmt is not None else format_name(out_file.suffix)
    if chosen is None:
        what = f"--format {fmt!r}" if fmt is not None else f"--out {out_file}: the extension"
        _fail(UsageError(f"export: {what} is not a format newskg writes; use one of "
                         f"{EXPORT_NAMES}"))
    try:
        data = run_export(open_graph(graph), chosen)
    except NewskgError as error:
        _fail(error)
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            write_atomic(out_file, data)
        except OSError as error:
            _fail(_write_error(error, out_file))
        click.echo(f"wrote {out_file}", err=True)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="Page to write (default: GRAPH with the extension .html, or "
                   "GRAPH.view.html if that page exists already).")
def view(graph: Path, out_file: Path | None) -> None:
    """Render the interactive page of an existing graph file (e.g. one edited by hand)."""
    from newskg.graph.html import render
    from newskg.graph.store import open_graph
    from newskg.graph.turtle import write_atomic

    note = ""
    if out_file is not None:
        _writable_file(out_file, "--out")
    if out_file is None:
        # beside the graph, and never silently over a page already there (the one a
        # build wrote next to graph.ttl, say): then beside it under another name
        out_file = graph.with_suffix(".html")
        if out_file.exists():
            note = f" ({out_file.name} exists and is left as it is; --out to replace it)"
            out_file = graph.with_name(graph.stem + ".view.html")
    try:
        page = render(open_graph(graph), title=f"newskg — {graph.name}")
    except NewskgError as error:
        _fail(error)
    try:
        write_atomic(out_file, page.encode("utf-8"))
    except OSError as error:
        _fail(_write_error(error, out_file))
    click.echo(f"wrote {out_file}{note}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--entities", "entity_tables", multiple=True, type=click.Path(path_type=Path),
              help="Entity table (name, type, qid, aliases) naming the gold's entities. "
                   "Repeatable; without one, gold names are matched to labels.")
@click.option("--explain", is_flag=True,
              help="List false positives, false negatives, wrong dates and statuses, "
                   "with the sentence each statement came from.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(graph: Path, gold: Path, entity_tables: tuple[Path, ...], explain: bool,
             as_json: bool) -> None:
    """Score GRAPH against the gold facts of GOLD (a TSV file; see the README):
    precision, recall and F1 per relation, date and status accuracy, negation traps,
    wrong Wikidata links. The last line is the overall F1."""
    from .evaluate import evaluate as run_evaluate
    from .evaluate import report_json, report_text

    try:
        result = run_evaluate(graph, gold, list(entity_tables))
    except NewskgError as error:
        _fail(error)
    click.echo(report_json(result) if as_json else report_text(result, explain))


__all__ = ["main", "UsageError"]

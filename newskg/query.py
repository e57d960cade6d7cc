"""`newskg query`: SPARQL over a graph file, printed as a table or a W3C results format."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from newskg.graph.store import PREFIX_IRIS, open_graph

from .errors import NewskgError
from .query_limits import check, on_big_stack

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
PREFIXED = re.compile(r"^([A-Za-z][\w-]*):([^\s<>\"]*)$")


class QueryError(NewskgError):
    """The query does not parse; the message gives the line and column."""


def read_query(text_or_file: str) -> str:
    """A SPARQL string, or the content of the .rq file it names. A text with braces or
    line breaks, or too long to be a file name, is a query: it is never tested as a path
    (a long inline query would make the system refuse the name)."""
    if any(c in text_or_file for c in "{}\n") or len(text_or_file.encode("utf-8")) > 255:
        return text_or_file
    path = Path(text_or_file)
    try:
        is_file = bool(path.suffix) and path.is_file()
    except OSError:
        is_file = False
    if text_or_file.endswith((".rq", ".sparql")) or is_file:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise NewskgError(f"{path}: cannot read the query: {error.strerror}") from None
    return text_or_file


def unmatched_bindings(store: ox.Store, bindings: dict) -> list[str]:
    """The --bind values that name nothing in the graph: an entity id misspelt, or a label
    where the query wants an IRI, would otherwise just give no rows."""
    missing = []
    for name, value in sorted((bindings or {}).items()):
        bound = term(value)
        if isinstance(bound, ox.NamedNode):
            found = next(iter(store.quads_for_pattern(bound, None, None)), None) or next(
                iter(store.quads_for_pattern(None, None, bound)), None) or next(
                iter(store.quads_for_pattern(None, bound, None)), None)
        else:
            found = next(iter(store.quads_for_pattern(None, None, bound)), None)
        if found is None:
            hint = " (entity ids: newskg entities GRAPH NAME)" if not isinstance(
                bound, ox.NamedNode) or value.startswith("entity:") else ""
            missing.append(f"--bind {name}={value}: matches nothing in the graph{hint}")
    return missing


def term(value: str):
    """A binding given on the command line: <iri>, prefix:name, or a plain string."""
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    match = PREFIXED.match(value)
    if match and match.group(1) in PREFIX_IRIS:
        return ox.NamedNode(PREFIX_IRIS[match.group(1)] + match.group(2))
    return ox.Literal(value)


def _short(node) -> str:
    if node is None:
        return ""
    if isinstance(node, ox.NamedNode):
        for prefix, iri in sorted(PREFIX_IRIS.items(), key=lambda p: -len(p[1])):
            if node.value.startswith(iri) and PREFIXED.match(f"{prefix}:{node.value[len(iri):]}"):
                return f"{prefix}:{node.value[len(iri):]}"
        return f"<{node.value}>"
    if isinstance(node, ox.Literal):
        return node.value
    return str(node)


def table(variables: list[str], rows: list[list[str]]) -> str:
    """An aligned text table, one row per solution."""
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def syntax_message(error: str, column=lambda line, column: column) -> str:
    """Oxigraph's parse error as one line with the line and column; `column` maps a column
    of the text parsed back to the text the user wrote."""
    message = (error.splitlines() or [""])[0]
    where = re.match(r"error at (\d+):(\d+): ?(.*)", message)
    if where:
        line = int(where.group(1))
        message = (f"line {line}, column {column(line, int(where.group(2)))}: "
                   f"{where.group(3)}")
    return f"query error at {message[:300]}"


def run(store: ox.Store, query: str, fmt: str = "table", bindings: dict | None = None) -> str:
    """Evaluate `query` with the common prefixes bound; values in `bindings` are substituted,
    never pasted into the query text. The query is measured before Oxigraph parses it and
    runs on a stack that holds any query within the limits (see query_limits)."""
    check(query)
    return on_big_stack(_evaluate, store, query, fmt, bindings)


def _evaluate(store: ox.Store, query: str, fmt: str, bindings: dict | None) -> str:
    substitutions = {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
    try:
        result = store.query(query, prefixes=PREFIX_IRIS, substitutions=substitutions or None)
    except SyntaxError as error:
        raise QueryError(syntax_message(str(error))) from None
    except RuntimeError as error:   # e.g. a --bind variable the query does not select
        raise QueryError(f"query cannot run: {str(error).splitlines()[0]}") from None
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return "true" if bool(result) else "false"
        return result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE,
                            prefixes=PREFIX_IRIS).decode("utf-8")
    if fmt != "table":
        return result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")
    variables = [v.value for v in result.variables]
    rows = [[_short(solution[v]) for v in variables] for solution in result]
    return table(variables, rows)


def query_file(graph: Path, query: str, fmt: str = "table", bindings: dict | None = None,
               warn=None) -> str:
    """Run a query (text or .rq file) on a graph file; `warn` hears of bindings that
    match nothing in the graph."""
    text = read_query(query)
    check(text)                  # before a large graph is loaded for nothing
    store = open_graph(graph)
    if warn is not None:
        for message in unmatched_bindings(store, bindings or {}):
            warn(message)
    return run(store, text, fmt, bindings)

"""`newskg query`: SPARQL over a graph file, printed as a table or a W3C results format."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from graph.store import PREFIX_IRIS, open_graph

from .errors import NewskgError

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
PREFIXED = re.compile(r"^([A-Za-z][\w-]*):([^\s<>\"]*)$")


class QueryError(NewskgError):
    """The query does not parse; the message gives the line and column."""


def read_query(text_or_file: str) -> str:
    """A SPARQL string, or the content of the .rq file it names."""
    path = Path(text_or_file)
    if text_or_file.endswith((".rq", ".sparql")) or (path.suffix and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise NewskgError(f"{path}: cannot read the query: {error.strerror}") from None
    return text_or_file


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


def run(store: ox.Store, query: str, fmt: str = "table", bindings: dict | None = None) -> str:
    """Evaluate `query` with the common prefixes bound; values in `bindings` are substituted,
    never pasted into the query text."""
    substitutions = {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
    try:
        result = store.query(query, prefixes=PREFIX_IRIS, substitutions=substitutions or None)
    except SyntaxError as error:
        message = str(error).splitlines()[0]
        where = re.match(r"error at (\d+):(\d+): ?(.*)", message)
        if where:
            message = f"line {where.group(1)}, column {where.group(2)}: {where.group(3)}"
        raise QueryError(f"query error at {message[:300]}") from None
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


def query_file(graph: Path, query: str, fmt: str = "table", bindings: dict | None = None) -> str:
    return run(open_graph(graph), read_query(query), fmt, bindings)

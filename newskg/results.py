"""What an endpoint query's answer is sent as: the format the client accepts (HTTP content
negotiation), and no more than so many rows or bytes, cut at a whole row and said so.

A cross join of a small graph has millions of rows: sent whole, it keeps a worker and the
network busy for minutes. The rows are read one by one up to the cap, written as TSV (each
term as Oxigraph prints it), and that TSV is read back by Oxigraph and written in the
format asked for, so every format is Oxigraph's own serializer's.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

TEXT = "text/plain; charset=utf-8"
# media types offered, the preferred first; the aliases come last
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV,
           "application/json": ox.QueryResultsFormat.JSON,
           "application/xml": ox.QueryResultsFormat.XML}
GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE,
          "application/n-triples": ox.RdfFormat.N_TRIPLES,
          "application/rdf+xml": ox.RdfFormat.RDF_XML}
# where a format has comments, the truncation is also said in the body
COMMENT = {ox.QueryResultsFormat.XML: "\n<!-- newskg: {} -->\n",
           ox.RdfFormat.RDF_XML: "\n<!-- newskg: {} -->\n",
           ox.RdfFormat.TURTLE: "# newskg: {}\n",
           ox.RdfFormat.N_TRIPLES: "# newskg: {}\n"}


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: `truncated` says why only the first rows are there; `syntax` marks
    a body that is Oxigraph's parse error, whose position the server maps back."""
    status: int
    content_type: str
    body: bytes
    truncated: str = ""
    syntax: bool = False


def refusal(status: int, message: str) -> Answer:
    return Answer(status, TEXT, (message + "\n").encode("utf-8"))


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header ranks highest (the more specific range
    decides; ties go to the order offered), or None if it accepts none of them."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = []
    for part in accept.split(","):
        media, *parameters = part.split(";")
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media.strip().lower(), quality))
    best, best_quality = None, 0.0
    for media in offered:
        kind = media.split("/")[0]
        matches = [(3 if r == media else 2 if r == f"{kind}/*" else 1, q)
                   for r, q in ranges if r in (media, f"{kind}/*", "*/*")]
        quality = max(matches)[1] if matches else 0.0
        if quality > best_quality:
            best, best_quality = media, quality
    return best


def not_acceptable(accept: str, offered) -> Answer:
    return refusal(406, f"Accept: {accept[:200]} names no type offered for this answer; "
                        f"offered: {', '.join(offered)}")


def answer(result, accept: str | None, max_rows: int, max_bytes: int,
           prefixes: dict | None = None) -> Answer:
    """The result of `Store.query` in the accepted format, at most `max_rows` rows (or
    triples) and about `max_bytes` bytes."""
    offered = list(GRAPHS if isinstance(result, ox.QueryTriples) else RESULTS)
    media = negotiate(accept, offered)
    if media is None:
        return not_acceptable(accept, offered)
    if isinstance(result, ox.QueryBoolean):
        return Answer(200, media, result.serialize(format=RESULTS[media]))
    if isinstance(result, ox.QueryTriples):
        return _triples(result, media, max_rows, max_bytes, prefixes)
    return _solutions(result, media, max_rows, max_bytes)


def _cut(count: int, max_rows: int, max_bytes: int, by_rows: bool, unit: str) -> str:
    if by_rows:
        return f"the first {count} {unit} only (at most {max_rows} per answer)"
    size = f"{max_bytes // 2**20} MiB" if max_bytes % 2**20 == 0 else f"{max_bytes} bytes"
    return f"the first {count} {unit} only (at most {size} per answer)"


def _finish(media: str, fmt, write, rows: list, max_rows: int, max_bytes: int,
            truncated: str, unit: str) -> Answer:
    """The rows written; if the text passes max_bytes, written again with fewer rows."""
    body = write(rows)
    while len(body) > max_bytes and rows:
        rows = rows[:int(len(rows) * max_bytes / len(body) * 0.9)]
        body = write(rows)
        truncated = _cut(len(rows), max_rows, max_bytes, False, unit)
    if truncated and fmt in COMMENT:
        body += COMMENT[fmt].format(truncated).encode("utf-8")
    return Answer(200, media, body, truncated)


def _solutions(result, media: str, max_rows: int, max_bytes: int) -> Answer:
    variables = result.variables
    header = "\t".join(str(v) for v in variables)
    rows, size, truncated = [], len(header), ""
    for solution in result:
        if len(rows) == max_rows:
            truncated = _cut(len(rows), max_rows, max_bytes, True, "rows")
            break
        row = "\t".join("" if solution[v] is None else str(solution[v]) for v in variables)
        size += len(row) + 1
        if size > max_bytes:
            truncated = _cut(len(rows), max_rows, max_bytes, False, "rows")
            break
        rows.append(row)
    fmt = RESULTS[media]

    def write(kept: list[str]) -> bytes:
        tsv = "\n".join([header, *kept]) + "\n"
        return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt)

    return _finish(media, fmt, write, rows, max_rows, max_bytes, truncated, "rows")


def _triples(result, media: str, max_rows: int, max_bytes: int, prefixes) -> Answer:
    triples, size, truncated = [], 0, ""
    for triple in result:
        if len(triples) == max_rows:
            truncated = _cut(len(triples), max_rows, max_bytes, True, "triples")
            break
        size += len(str(triple)) + 3
        if size > max_bytes:
            truncated = _cut(len(triples), max_rows, max_bytes, False, "triples")
            break
        triples.append(triple)
    fmt = GRAPHS[media]

    def write(kept: list) -> bytes:
        if fmt == ox.RdfFormat.N_TRIPLES:
            return ox.serialize(kept, format=fmt)
        return ox.serialize(kept, format=fmt, prefixes=prefixes or {})

    return _finish(media, fmt, write, triples, max_rows, max_bytes, truncated, "triples")

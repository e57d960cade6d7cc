"""The endpoint's WSGI application: the SPARQL 1.1 Protocol at /query, the query page at /.

GET /query?query=…, POST of a form (query=…) or of application/sparql-query, with the
Protocol's default-graph-uri and named-graph-uri; answers by content negotiation (see
results). Updates are refused: the store is read-only. Every query is measured before it is
parsed (query_limits) and runs in a worker process under a deadline (workers).
"""
from __future__ import annotations

import time
import urllib.parse
from http import HTTPStatus

import pyoxigraph as ox

from .query import syntax_message
from .query_limits import MAX_QUERY_BYTES, QueryRefused, check
from .results import TEXT, Answer, refusal
from .workers import Job, Stopping, TimedOut, WorkerLost

# a form-encoded query can take three bytes for each of its own, plus the other fields
MAX_BODY_BYTES = 3 * MAX_QUERY_BYTES + 16 * 1024
READ_ONLY = "this endpoint is read-only: updates are refused"


class HttpError(Exception):
    """A request the endpoint answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _fields(raw: bytes) -> dict[str, list[str]]:
    """The fields of a URL query string or form body, decoded as UTF-8."""
    try:
        return urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True,
                                     errors="strict", max_num_fields=100)
    except UnicodeDecodeError:
        raise HttpError(400, "the request's parameters are not UTF-8") from None
    except ValueError:
        raise HttpError(400, "the request has too many parameters") from None


def _body(environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HttpError(400, "bad Content-Length") from None
    if length > MAX_BODY_BYTES:
        raise HttpError(413, f"the request body is over {MAX_BODY_BYTES} bytes")
    return environ["wsgi.input"].read(length) if length > 0 else b""


def read_request(environ) -> tuple[str, tuple[str, ...], tuple[str, ...] | None]:
    """The query of a SPARQL Protocol request and its default and named graphs."""
    method = environ.get("REQUEST_METHOD", "GET")
    fields = _fields(environ.get("QUERY_STRING", "").encode("latin-1"))
    if method == "POST":
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            raise HttpError(403, READ_ONLY)
        if kind == "application/x-www-form-urlencoded":
            for name, values in _fields(_body(environ)).items():
                fields.setdefault(name, []).extend(values)
        elif kind == "application/sparql-query":
            try:
                fields["query"] = fields.get("query", []) + [_body(environ).decode("utf-8")]
            except UnicodeDecodeError:
                raise HttpError(400, "the query is not UTF-8") from None
        else:
            raise HttpError(415, "POST a query as application/sparql-query or as the query "
                                 "field of an application/x-www-form-urlencoded form")
    elif method not in ("GET", "HEAD"):
        raise HttpError(405, "use GET or POST")
    if "update" in fields:
        raise HttpError(403, READ_ONLY)
    queries = fields.get("query", [])
    if len(queries) != 1:
        raise HttpError(400, "give one query: GET /query?query=... or POST it")
    graphs = [fields.get("default-graph-uri", []), fields.get("named-graph-uri", [])]
    for iri in graphs[0] + graphs[1]:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise HttpError(400, f"not an IRI: {iri[:200]}") from None
    return (queries[0], tuple(graphs[0]),
            tuple(graphs[1]) if "named-graph-uri" in fields else None)


class Endpoint:
    """The WSGI application. `workers` run the queries; `timeout` is each query's time
    limit in seconds, counted from the request's arrival; `page` is the HTML of /."""

    def __init__(self, workers, timeout: float, page: bytes):
        self.workers = workers
        self.timeout = timeout
        self.page = page

    def __call__(self, environ, start_response):
        arrival = time.monotonic()
        try:
            answer = self.answer(environ, arrival)
        except HttpError as error:
            answer = refusal(error.status, str(error))
        headers = [("Content-Type", answer.content_type),
                   ("Content-Length", str(len(answer.body)))]
        if answer.truncated:
            headers.append(("Newskg-Truncated", answer.truncated))
        if answer.status == 405:
            headers.append(("Allow", "GET, POST"))
        start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}", headers)
        return [answer.body]

    def answer(self, environ, arrival: float) -> Answer:
        path = environ.get("PATH_INFO") or "/"
        if path == "/":
            if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
                raise HttpError(405, "the query page is read with GET; queries go to /query")
            return Answer(200, "text/html; charset=utf-8", self.page)
        if path == "/update":
            raise HttpError(403, READ_ONLY)
        if path != "/query":
            raise HttpError(404, f"no page {path[:100]}: queries go to /query, the query "
                                 "page is /")
        query, default_graphs, named_graphs = read_request(environ)
        try:
            scan = check(query, federation=False)
        except QueryRefused as error:
            raise HttpError(400, str(error)) from None
        job = Job(scan.text, environ.get("HTTP_ACCEPT", ""), default_graphs, named_graphs)
        try:
            result = self.workers.run(job, arrival + self.timeout)
        except TimedOut as stopped:
            if stopped.queued:
                raise HttpError(503, f"no worker was free within the {self.timeout:g} s time "
                                     "limit: the endpoint is busy") from None
            raise HttpError(503, f"the query ran past the {self.timeout:g} s time limit and "
                                 "was stopped") from None
        except WorkerLost:
            raise HttpError(500, "the query engine crashed on this query; it was restarted") \
                from None
        except Stopping:
            raise HttpError(503, "the endpoint is stopping") from None
        if result.syntax:
            message = syntax_message(result.body.decode("utf-8", "replace"),
                                     scan.original_column)
            return Answer(400, TEXT, (message + "\n").encode("utf-8"))
        return result

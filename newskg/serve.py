"""`newskg serve`: a read-only SPARQL 1.1 Protocol endpoint that stays up.

The graph is loaded into an on-disk Oxigraph store (a temporary one unless --store names a
folder; a store written by `newskg build --store` is served as it is). Worker processes
open it read-only and run the queries (workers), so that a query past its time limit can
be killed; waitress, a plain WSGI server, answers HTTP (endpoint). SIGTERM or Ctrl-C stops
the server, its workers and removes the temporary store, with exit status 0.
"""
from __future__ import annotations

import shutil
import signal
import socket
import tempfile
from pathlib import Path

import pyoxigraph as ox

from newskg.graph.store import FORMATS, PREFIX_IRIS, check_store_target, is_store

from .errors import InputError, UsageError
from .query_limits import MAX_NESTING, MAX_QUERY_BYTES

MAX_ROWS = 100_000                 # rows (or triples) of one answer, by default
MAX_RESULT_BYTES = 16 * 2**20      # bytes of one answer, whatever the rows
HTTP_THREADS = 32                  # requests taken in at once; they queue for a worker
READY_QUERIES = Path(__file__).resolve().parent.parent / "queries"


class _Stop(SystemExit):
    """SIGTERM or SIGINT: the server loop ends (waitress leaves its loop on SystemExit)."""


class _Stopper:
    """The handler of SIGTERM and SIGINT. It kills the workers first, so that the request
    threads waiting on them answer at once and the server's shutdown does not wait."""

    def __init__(self):
        self.workers = None

    def __call__(self, signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)     # a second signal must not cut
        signal.signal(signal.SIGINT, signal.SIG_IGN)      # the clean-up short
        if self.workers is not None:
            self.workers.close()
        raise _Stop(0)


def load_store(graph: Path, location: Path) -> int:
    """Load a graph file into an on-disk store; returns the number of triples."""
    store = ox.Store(str(location))
    try:
        store.clear()
        store.bulk_load(path=str(graph), format=FORMATS[graph.suffix.lower()])
        store.flush()
        return len(store)
    except (SyntaxError, ValueError, OSError) as error:
        raise InputError(f"{graph}: cannot read the graph: {str(error).splitlines()[0]}") from None
    finally:
        del store


def _check_graph(graph: Path, store: Path | None) -> None:
    """Refuse what cannot be served before anything is started."""
    if graph.is_dir():
        if not is_store(graph):
            raise InputError(f"{graph}: not an Oxigraph store (a folder written by "
                             "newskg build --store) nor a graph file")
    elif not graph.is_file():
        raise InputError(f"{graph}: no such graph file")
    elif graph.suffix.lower() not in FORMATS:
        raise InputError(f"{graph}: not a graph file (.ttl, .nt, .nq, .jsonld, .rdf, .trig)")
    elif store is not None:
        check_store_target(store)


def _count(location: Path) -> int:
    try:
        return len(ox.Store.read_only(str(location)))
    except OSError as error:
        raise InputError(f"{location}: not an Oxigraph store: "
                         f"{str(error).splitlines()[0]}") from None


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the graph is loaded: a port in use or a bad host
    is said at once."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as error:     # socket.gaierror included
        raise UsageError(f"cannot listen on {host}:{port}: "
                         f"{error.strerror or error}") from None


def ready_queries(folder: Path = READY_QUERIES) -> dict[str, str]:
    """The ready queries shipped beside the package (a source checkout), for the page."""
    if not folder.is_dir():
        return {}
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.rq"))}


def serve(graph: Path, host: str = "127.0.0.1", port: int = 7878, timeout: int = 30,
          store: Path | None = None, workers: int = 2, max_rows: int = MAX_ROWS,
          echo=print) -> int:
    """Run the endpoint until SIGTERM or Ctrl-C; returns the exit status (0)."""
    stopper = _Stopper()
    previous = {sig: signal.signal(sig, stopper) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return _serve(Path(graph), host, port, timeout, store, workers, max_rows, echo, stopper)
    except _Stop:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(graph, host, port, timeout, store, count, max_rows, echo, stopper) -> int:
    from waitress import create_server

    from .endpoint import MAX_BODY_BYTES, Endpoint
    from .endpoint_page import page
    from .workers import Workers

    _check_graph(graph, store)
    sock = listen(host, port)
    temporary = pool = server = None
    try:
        if graph.is_dir():         # an on-disk store from `newskg build --store`: served as is
            location, size = graph, _count(graph)
        else:
            if store is None:
                temporary = tempfile.mkdtemp(prefix="newskg-store-")
            location = Path(store or temporary)
            size = load_store(graph, location)
        pool = stopper.workers = Workers(location, count, max_rows, MAX_RESULT_BYTES,
                                         PREFIX_IRIS)
        try:
            pool.start()
        except RuntimeError as error:
            raise InputError(f"{location}: the query workers cannot open the store: {error}") \
                from None
        limits = (f"each query at most {timeout} s and {max_rows} rows, "
                  f"{count} at a time")
        about = (f"{size} triples from {graph}, read-only; {limits}; a query is at most "
                 f"{MAX_QUERY_BYTES // 1024} KB, nested at most {MAX_NESTING} deep, and "
                 "SERVICE is refused. GET or POST /query (SPARQL 1.1 Protocol).")
        app = Endpoint(pool, timeout, page(about, PREFIX_IRIS, ready_queries()))
        server = create_server(app, sockets=[sock], threads=HTTP_THREADS, ident="newskg",
                               max_request_body_size=MAX_BODY_BYTES, asyncore_use_poll=True)
        where = f"[{host}]" if ":" in host else host
        echo(f"SPARQL endpoint: http://{where}:{port}/query  ({size} triples from {graph}, "
             f"read-only; {limits}; Ctrl-C stops)")
        echo(f"Query page: http://{where}:{port}/  (in a browser)")
        server.run()
        return 0
    finally:
        if pool is not None:
            pool.close()
        if server is not None:
            server.close()
            server.task_dispatcher.shutdown(timeout=2)
        sock.close()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)

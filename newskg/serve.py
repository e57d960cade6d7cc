"""`newskg serve`: a read-only SPARQL 1.1 Protocol endpoint run by Oxigraph's own server.

The graph is loaded into an on-disk Oxigraph store (a temporary one unless --store
names a folder), then `oxigraph serve-read-only` answers GET and POST at /query with
JSON, XML, CSV or TSV results by content negotiation, refuses updates, and stops
long queries at the time limit.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from newskg.graph.store import FORMATS

from .errors import InputError, NewskgError


def server_binary() -> str:
    """The `oxigraph` command installed beside this Python (the oxigraph package ships it)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise NewskgError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def load_store(graph: Path, location: Path) -> int:
    """Load a graph file into an on-disk store; returns the number of triples."""
    fmt = FORMATS.get(graph.suffix.lower())
    if not graph.is_file() or fmt is None:
        raise InputError(f"{graph}: not a graph file (.ttl, .nt, .nq, .jsonld, .rdf, .trig)")
    store = ox.Store(str(location))
    try:
        store.clear()
        store.bulk_load(path=str(graph), format=fmt)
        store.flush()
        return len(store)
    except (SyntaxError, ValueError) as error:
        raise InputError(f"{graph}: cannot read the graph: {str(error).splitlines()[0]}") from None
    finally:
        del store


def command(location: Path, host: str, port: int, timeout: int) -> list[str]:
    return [server_binary(), "serve-read-only", "--location", str(location),
            "--bind", f"{host}:{port}", "--timeout-s", str(timeout)]


def serve(graph: Path, host: str = "127.0.0.1", port: int = 7878, timeout: int = 30,
          store: Path | None = None, echo=print) -> int:
    """Run the endpoint until interrupted; returns the server's exit status."""
    temporary = None
    if graph.is_dir():             # an on-disk store from `newskg build --store`: served as is
        store = graph
    elif store is None:
        temporary = tempfile.mkdtemp(prefix="newskg-store-")
        store = Path(temporary)
    try:
        if graph.is_dir():
            try:
                size = len(ox.Store.read_only(str(graph)))
            except OSError as error:
                raise InputError(f"{graph}: not an Oxigraph store (a folder written by "
                                 f"newskg build --store): {str(error).splitlines()[0]}") from None
        else:
            size = load_store(graph, store)
        process = subprocess.Popen(command(store, host, port, timeout))
        echo(f"SPARQL endpoint: http://{host}:{port}/query  ({size} triples from {graph}, "
             f"read-only, {timeout} s per query; Ctrl-C stops)")
        echo(f"Query page: http://{host}:{port}/  (in a browser; start each query with the "
             "prefixes it uses, as `newskg prefixes` prints them)")

        def stop(signum, frame):
            process.send_signal(signal.SIGTERM)

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.send_signal(signal.SIGTERM)
            return process.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.kill()
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)




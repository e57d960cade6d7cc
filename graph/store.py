"""Opens a graph file in Oxigraph, the SPARQL engine behind query, serve and export."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from newskg.errors import InputError

from .namespaces import PREFIXES

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD,
           ".rdf": ox.RdfFormat.RDF_XML, ".trig": ox.RdfFormat.TRIG}
PREFIX_IRIS = {name: str(namespace) for name, namespace in PREFIXES.items()}


def open_graph(path: Path) -> ox.Store:
    """A store holding the graph: a file (Turtle, N-Triples, JSON-LD ...) loaded in memory,
    or the folder of an on-disk store written by `newskg build --store`, opened read-only."""
    path = Path(path)
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path))
        except OSError as error:
            raise InputError(f"{path}: not an Oxigraph store: {str(error).splitlines()[0]}") from None
    if not path.is_file():
        raise InputError(f"{path}: no such graph file")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown graph format (use .ttl, .nt, .nq, .jsonld, .rdf, .trig)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as error:
        raise InputError(f"{path}: cannot read the graph: {str(error).splitlines()[0]}") from None
    return store


def is_store(path: Path) -> bool:
    """Whether a folder holds an on-disk Oxigraph (RocksDB) store."""
    return (path / "CURRENT").is_file() and any(path.glob("MANIFEST-*"))


def check_store_target(path: Path) -> None:
    """A build replaces the store at `path`: refuse anything that is not one, or empty."""
    path = Path(path)
    if path.exists() and not (path.is_dir() and (is_store(path) or not any(path.iterdir()))):
        raise InputError(f"{path}: exists and is not an Oxigraph store newskg wrote; "
                         "give a new or empty folder for --store")


def replace_store(new: Path, target: Path) -> None:
    """Put a finished store in place of the old one with renames: a build that fails
    leaves the previous store whole, and readers never see half of one."""
    import os
    import shutil

    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

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

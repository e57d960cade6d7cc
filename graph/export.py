"""Exports a graph for other tools: RDF for triple stores, GraphML and GEXF for Gephi."""
from __future__ import annotations

import io
import json

import networkx as nx
import pyoxigraph as ox

from newskg import ontology

from .network import fact_network
from .store import PREFIX_IRIS

FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "graphml", "gexf")
# the names users type, and the file extensions --out infers a format from
ALIASES = {"ttl": "turtle", "turtle": "turtle", "nt": "ntriples", "ntriples": "ntriples",
           "n-triples": "ntriples", "nq": "nquads", "nquads": "nquads", "n-quads": "nquads",
           "trig": "trig", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
           "xml": "rdfxml", "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf/xml": "rdfxml",
           "owl": "rdfxml", "graphml": "graphml", "gexf": "gexf"}
OXIGRAPH = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
            "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
            "rdfxml": ox.RdfFormat.RDF_XML}


def format_name(name: str) -> str | None:
    """The export format a name or a file extension stands for ("ttl", "json-ld", ".nq")."""
    return ALIASES.get(name.lower().lstrip("."))


def _triples(store: ox.Store) -> list:
    """Every triple in a stable order, so exports of one graph are byte-identical."""
    return sorted((q.triple for q in store), key=str)


def _quads(store: ox.Store) -> list:
    return sorted(store, key=str)


def context() -> dict:
    with open(ontology.JSONLD_CONTEXT, encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def export(store: ox.Store, fmt: str) -> bytes:
    fmt = format_name(fmt) or fmt
    if fmt in ("turtle", "trig", "rdfxml"):
        return ox.serialize(_triples(store) if fmt != "trig" else _quads(store),
                            format=OXIGRAPH[fmt], prefixes=PREFIX_IRIS)
    if fmt in ("ntriples", "nquads"):
        return ox.serialize(_triples(store) if fmt == "ntriples" else _quads(store),
                            format=OXIGRAPH[fmt])
    if fmt == "jsonld":
        return _jsonld(store)
    network = fact_network(store)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(network, buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(network, buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    return buffer.getvalue()


def _jsonld(store: ox.Store) -> bytes:
    """JSON-LD compacted with newskg's context: short keys such as "visits", "status"."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ox.serialize(_triples(store), format=ox.RdfFormat.N_TRIPLES),
                format="nt")
    # use_native_types: integers and booleans as JSON numbers, not {"@value": "12"}
    text = graph.serialize(format="json-ld", context=context(), auto_compact=True, sort_keys=True,
                           use_native_types=True)
    return text.encode("utf-8")

"""Exports a graph for other tools: RDF for triple stores, GraphML and GEXF for Gephi."""
from __future__ import annotations

import io
import json

import networkx as nx
import pyoxigraph as ox

import ontology

from .network import to_networkx
from .store import PREFIX_IRIS

FORMATS = ("turtle", "ntriples", "jsonld", "graphml", "gexf")


def _triples(store: ox.Store) -> list:
    """Every triple in a stable order, so exports of one graph are byte-identical."""
    return sorted((q.triple for q in store), key=str)


def context() -> dict:
    with open(ontology.JSONLD_CONTEXT, encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def export(store: ox.Store, fmt: str) -> bytes:
    if fmt == "turtle":
        return ox.serialize(_triples(store), format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    if fmt == "ntriples":
        return ox.serialize(_triples(store), format=ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        return _jsonld(store)
    network = to_networkx(store)
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
    text = graph.serialize(format="json-ld", context=context(), auto_compact=True, sort_keys=True)
    return text.encode("utf-8")

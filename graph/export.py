"""Exports a graph for other tools: RDF for triple stores, GraphML and GEXF for Gephi."""
from __future__ import annotations

import io
import json
import re

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


# what XML 1.0 cannot hold at all, not even as &#...;: control characters but tab, newline
# and carriage return, lone surrogates, U+FFFE and U+FFFF
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text XML can hold: the blank control characters (form feed, vertical tab, the
    separators PDFs leave) become spaces, the others are dropped, lone surrogates and
    U+FFFE/U+FFFF become U+FFFD."""
    return NOT_XML.sub(lambda m: " " if m.group().isspace() else
                       "\ufffd" if m.group() >= "\ud800" else "", value)


def _xml_literals(triples: list) -> list:
    """Triples whose literals XML can hold (RDF/XML has no escape for a form feed)."""
    def clean(term):
        if isinstance(term, ox.Literal) and NOT_XML.search(term.value):
            if term.language:
                return ox.Literal(xml_text(term.value), language=term.language)
            return ox.Literal(xml_text(term.value), datatype=term.datatype)
        return term
    return [ox.Triple(t.subject, t.predicate, clean(t.object)) for t in triples]


def _xml_network(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The network with every node id, key, label and attribute XML can hold: GraphML
    refuses a form feed, GEXF writes it raw into a file no XML parser reads."""
    def clean(value):
        return xml_text(value) if isinstance(value, str) else value

    def attributes(data: dict) -> dict:
        return {clean(k): clean(v) for k, v in data.items()}

    safe = nx.MultiDiGraph(**attributes(network.graph))
    safe.add_nodes_from((clean(n), attributes(d)) for n, d in network.nodes(data=True))
    safe.add_edges_from((clean(s), clean(o), clean(k), attributes(d))
                        for s, o, k, d in network.edges(keys=True, data=True))
    return safe


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
    if fmt == "rdfxml":
        # a carriage return written raw comes back as a newline (XML reads \r\n as \n)
        return ox.serialize(_xml_literals(_triples(store)), format=OXIGRAPH[fmt],
                            prefixes=PREFIX_IRIS).replace(b"\r", b"&#13;")
    if fmt in ("turtle", "trig"):
        return ox.serialize(_triples(store) if fmt != "trig" else _quads(store),
                            format=OXIGRAPH[fmt], prefixes=PREFIX_IRIS)
    if fmt in ("ntriples", "nquads"):
        return ox.serialize(_triples(store) if fmt == "ntriples" else _quads(store),
                            format=OXIGRAPH[fmt])
    if fmt == "jsonld":
        return _jsonld(store)
    network = _xml_network(fact_network(store))
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

"""Outputs that always load: a graph of hostile text, exported to every format, reads back
in rdflib, in Oxigraph and in XML parsers, with the same content (what XML cannot hold
at all aside)."""
from __future__ import annotations

import io
import json
import logging
import xml.etree.ElementTree as ElementTree

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, strategies as st
from lxml import etree

from newskg.extractors.facts import Article, Entity, Fact
from newskg.graph.export import FORMATS, NOT_XML, export, xml_text
from newskg.graph.rdf import _safe, article_iri, triples, url_node
from newskg.graph.store import PREFIX_IRIS

NASTY = ('page 1\x0cpage 2 \x01\x0b\x1c\x1f\x7f "quoted" \'single\' \\back\\slash\\ <b>&amp;</b> '
         '\u202eRTL\u200f \r\n\ttab \x85\u2028\u2029 \ufffe\uffff """ \\u0041 end.')
IDS = ["ends.", "dots...", ".", "with space", "50%", "%41", "[x]", "[", "]", "-dash", ".dot",
       'q"uote', "<tag>", "a\\b", "\u202eltr\u200f", "é", "a:b", "a#b", "x" * 300, "f\x0cg",
       "tab\there", "0", "_", "a-", "a.b"]
URLS = ["http://a%zz", "https://example.org/x?a=1&b=2", "http://a b", "http://a/\x0c",
        "https://example.org/é", "http://[::1", "javascript:alert(1)", ""]
RDF_READERS = {"turtle": (ox.RdfFormat.TURTLE, "turtle"),
               "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
               "nquads": (ox.RdfFormat.N_QUADS, "nquads"), "trig": (ox.RdfFormat.TRIG, "trig"),
               "jsonld": (ox.RdfFormat.JSON_LD, "json-ld"), "rdfxml": (ox.RdfFormat.RDF_XML, "xml")}
assert set(RDF_READERS) | {"graphml", "gexf"} == set(FORMATS)


def hostile_store() -> ox.Store:
    putin = Entity("vladimir-putin", "person", "Poutine " + NASTY, "Putin\x0c", "Q7747", "russia")
    russia = Entity("russia", "country", "Russie\x01" + NASTY, "Russia\x0c", "Q159")
    country = Entity("azerbaijan", "country", "Azerbaïdjan\x0c", "", "Q227")
    baku = Entity("baku", "city", "Bakou\x0b", "", "", "azerbaijan")
    articles, facts = [], []
    for n, identifier in enumerate(IDS):
        long = "long " * (20_000 if n == 0 else 1)
        text = f"Vladimir Poutine est arrivé à Bakou. {NASTY} {long}"
        articles.append(Article(identifier, text, "2024-03-12", f"{identifier}.txt",
                                "Titre " + NASTY, url=URLS[n % len(URLS)]))
        facts.append(Fact(identifier, "visits", putin, country, ("occurred", "planned")[n % 2],
                          "rule\x0c" + NASTY, text[:40] + NASTY + identifier, 0, 36,
                          "2024-03-12"[:(10, 7)[n % 2]], "article", location=baku))
        facts.append(Fact(identifier, "leaderOf", putin, russia, "occurred", "leader", text,
                          0, len(text)))
    store = ox.Store()
    store.extend(list(triples(articles, facts, {"russia": russia, "azerbaijan": country})))
    return store


@pytest.fixture(scope="module")
def store():
    return hostile_store()


def expected(store: ox.Store, fmt: str) -> set:
    """The triples an export should read back as: RDF/XML cannot hold a form feed."""
    def term(t):
        if isinstance(t, ox.Literal):
            value = xml_text(t.value) if fmt == "rdfxml" else t.value
            return ("literal", value, t.language or "", "" if t.language else t.datatype.value)
        return ("iri", t.value, "", "")
    return {(term(q.subject), term(q.predicate), term(q.object)) for q in store}


def from_oxigraph(data: bytes, fmt) -> set:
    loaded = ox.Store()
    loaded.load(data, format=fmt)
    def term(t):
        if isinstance(t, ox.Literal):
            return ("literal", t.value, t.language or "", "" if t.language else t.datatype.value)
        return ("iri", t.value, "", "")
    return {(term(q.subject), term(q.predicate), term(q.object)) for q in loaded}


def from_rdflib(data: bytes, fmt: str) -> set:
    graph = rdflib.Dataset() if fmt in ("nquads", "trig") else rdflib.Graph()
    graph.parse(data=data, format=fmt)
    def term(t):
        if isinstance(t, rdflib.Literal):
            datatype = str(t.datatype or "http://www.w3.org/2001/XMLSchema#string")
            return ("literal", str(t), t.language or "", "" if t.language else datatype)
        assert isinstance(t, rdflib.URIRef), t
        return ("iri", str(t), "", "")
    quads = graph.quads((None, None, None, None)) if isinstance(graph, rdflib.Dataset) else \
        ((s, p, o, None) for s, p, o in graph)
    return {(term(s), term(p), term(o)) for s, p, o, _ in quads}


@pytest.mark.parametrize("fmt", list(RDF_READERS))
def test_hostile_text_exports_to_rdf_that_loads_back_the_same(store, fmt):
    data = export(store, fmt)
    want = expected(store, fmt)
    assert len(want) > 200
    assert from_oxigraph(data, RDF_READERS[fmt][0]) == want
    logging.disable(logging.WARNING)          # rdflib warns about odd-looking literals
    try:
        assert from_rdflib(data, RDF_READERS[fmt][1]) == want
    finally:
        logging.disable(logging.NOTSET)
    if fmt in ("rdfxml",):
        ElementTree.fromstring(data)
        etree.fromstring(data)


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_hostile_text_exports_to_network_files_every_xml_parser_reads(store, fmt, reader):
    from newskg.graph.network import fact_network

    data = export(store, fmt)
    ElementTree.fromstring(data)
    etree.fromstring(data, etree.XMLParser(recover=False))
    loaded = reader(io.BytesIO(data))
    network = fact_network(store)
    assert loaded.number_of_nodes() == network.number_of_nodes() == 3
    assert loaded.number_of_edges() == network.number_of_edges()
    labels = {d["label"] for _, d in loaded.nodes(data=True)}
    assert labels == {xml_text(d["label"]) for _, d in network.nodes(data=True)}
    assert xml_text("Poutine " + NASTY) in labels
    evidence = {d["evidence"] for _, _, d in loaded.edges(data=True)}
    assert evidence == {xml_text(d["evidence"]) for _, _, d in network.edges(data=True)}
    for _, _, d in loaded.edges(data=True):
        for value in d.values():
            assert not isinstance(value, str) or not NOT_XML.search(value)


def test_hostile_text_round_trips_through_a_graph_file(store, tmp_path):
    """What `newskg build` writes (Oxigraph's Turtle with prefixes) is what every reader
    reads, and `newskg export` reads it back."""
    from newskg.graph.store import open_graph

    path = tmp_path / "graph.ttl"
    path.write_bytes(ox.serialize(store, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS))
    reloaded = open_graph(path)
    assert len(reloaded) == len(store)
    assert len(rdflib.Graph().parse(path, format="turtle")) == len(store)


def test_xml_text_keeps_what_xml_holds_and_nothing_else():
    assert xml_text("a\tb\nc\rd é \u202e 😀 \x7f \x85") == "a\tb\nc\rd é \u202e 😀 \x7f \x85"
    assert xml_text("page\x0cnext\x0bv\x1cf") == "page next v f"
    assert xml_text("a\x00\x01\x08b") == "ab"
    assert xml_text("lone \ud800 \udfff \ufffe \uffff") == "lone \ufffd \ufffd \ufffd \ufffd"


@given(st.text())
def test_xml_text_of_any_text_is_xml(value):
    element = ElementTree.Element("e", {"a": xml_text(value)})
    element.text = xml_text(value)
    data = ElementTree.tostring(element, encoding="utf-8")
    etree.fromstring(data)


# -- identifiers -----------------------------------------------------------------------

PLAIN_TURTLE = "@prefix article: <https://w3id.org/newskg/article/> .\n{} <http://x/p> 1 .\n"


@pytest.mark.parametrize("identifier", IDS + ["", "\ud800", "ok-id_1.2"])
def test_an_article_iri_is_a_prefixed_name_every_reader_reads(identifier):
    iri = article_iri(identifier)
    node = ox.NamedNode(str(iri))
    data = ox.serialize([ox.Triple(node, ox.NamedNode("http://x/p"), ox.Literal("1"))],
                        format=ox.RdfFormat.TURTLE, prefixes={"article": PREFIX_IRIS["article"]})
    assert data.decode().splitlines()[-1].startswith(f"article:{_safe(identifier)} ")
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert {str(s) for s in graph.subjects()} == {str(iri)}
    local = _safe(identifier)
    assert not local.endswith(".") and local[0] not in "-."
    rdflib.Graph().parse(data=PLAIN_TURTLE.format(f"article:{local}"), format="turtle")


@given(st.text())
def test_safe_segments_need_no_escape_in_turtle(identifier):
    local = _safe(identifier)
    assert local and local[0] not in "-." and local[-1] != "."
    assert all(c.isascii() and (c.isalnum() or c in "-_.") for c in local)


def test_plain_identifiers_keep_their_iris():
    for identifier in ("003_15424ab72dc02d06", "a.b", "AFP-2024", "x_1", "a-"):
        assert _safe(identifier) == identifier


def test_an_address_no_parser_reads_is_left_out():
    assert url_node("https://example.org/x?a=1&b=2") is not None
    for bad in ("http://a%zz", "http://a/\x0c", "http://a b", "http://[::1", "http://a/\ud800",
                "http://a#b#c", "javascript:alert(1)", "", None):
        assert url_node(bad) is None


# -- a real build on hostile articles ------------------------------------------------------

@pytest.mark.model
def test_a_build_of_hostile_articles_writes_files_every_reader_loads(extraction, tmp_path):
    from newskg.graph.store import open_graph
    from newskg.pipeline import build

    text = ("Le président russe Vladimir Poutine est arrivé mardi à Bakou.\x0c"
            "Page 2 \x01 « allié » \\ <b> \u202e Il a rencontré son homologue "
            "azerbaïdjanais Ilham Aliev.")
    records = [{"id": identifier, "text": text + f" ({identifier})", "date": "2024-03-12",
                "title": "Titre\x0c" + identifier, "url": URLS[n % len(URLS)]}
               for n, identifier in enumerate(IDS)]
    corpus = tmp_path / "hostile.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = build([corpus], tmp_path / "out", extraction)
    assert report.articles == len(IDS) and sum(report.facts.values()) > len(IDS)
    ttl = tmp_path / "out" / "graph.ttl"
    graph = rdflib.Graph().parse(ttl, format="turtle")
    store = open_graph(ttl)
    assert len(graph) == len(store) == report.triples
    assert rdflib.Literal("ends.") in set(graph.objects())          # the id, as written
    assert any("\x0c" in str(o) for o in graph.objects())          # form feeds reached it
    for fmt in FORMATS:
        data = export(store, fmt)
        if fmt in RDF_READERS:
            assert from_oxigraph(data, RDF_READERS[fmt][0]) == expected(store, fmt), fmt
        else:
            etree.fromstring(data)

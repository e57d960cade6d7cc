"""`newskg export`: each format loads back with the same content."""
from __future__ import annotations

import json

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.export import export
from graph.network import to_networkx
from graph.store import open_graph
from newskg import cli

pytestmark = pytest.mark.model   # exports the seeds' graph


@pytest.fixture(scope="module")
def store(seed_build):
    return open_graph(seed_build[0] / "graph.ttl")


@pytest.mark.parametrize("fmt,rdf_format", [
    ("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
    ("jsonld", ox.RdfFormat.JSON_LD),
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


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_exports_load_back_in_networkx(store, fmt, reader, tmp_path):
    network = to_networkx(store)
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

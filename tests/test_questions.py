"""Plain questions an analyst asks, answered by SPARQL on the seeds' graph (and, where the
seeds have no case, on two articles written for the test): each answer checked."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from newskg.graph.store import PREFIX_IRIS, open_graph
from newskg.query import read_query

pytestmark = pytest.mark.model
ENTITY = PREFIX_IRIS["entity"]


@pytest.fixture(scope="module")
def seeds(seed_build):
    return open_graph(seed_build[0] / "graph.ttl")


@pytest.fixture(scope="module")
def called_off(extraction, tmp_path_factory):
    """Two articles of our own: a trip announced, then called off."""
    from newskg.pipeline import build

    folder = tmp_path_factory.mktemp("called-off")
    (folder / "a1.txt").write_text(
        " date 2024-03-02 \nLe président russe Vladimir Poutine se rendra en Inde le 20 mars, "
        "a annoncé samedi le Kremlin. Il doit y rencontrer le Premier ministre indien "
        "Narendra Modi.\n", encoding="utf-8")
    (folder / "a2.txt").write_text(
        " date 2024-03-15 \nLa visite de Vladimir Poutine en Inde, prévue le 20 mars, a été "
        "annulée, a indiqué vendredi le Kremlin.\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("called-off-out")
    build([folder], out, extraction)
    return open_graph(out / "graph.ttl")


def select(store, query: str, **bind) -> list[dict]:
    result = store.query(read_query(query), prefixes=PREFIX_IRIS, substitutions={
        ox.Variable(k): ox.NamedNode(ENTITY + v) for k, v in bind.items()} or None)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def ask(store, query: str) -> bool:
    return bool(store.query(query, prefixes=PREFIX_IRIS))


def test_an_announced_trip_is_not_a_visit(seeds):
    assert not ask(seeds, "ASK { entity:antony-blinken nkg:visits entity:india }")
    assert ask(seeds, "ASK { ?s rdf:subject entity:antony-blinken ; rdf:predicate nkg:visits ;"
                      " rdf:object entity:india ; nkg:status nkg:planned }")


def test_symmetric_relations_answer_the_same_both_ways(seeds):
    one = {r["x"] for r in select(seeds, "SELECT ?x { entity:russia nkg:alliedWith ?x }")}
    other = {r["x"] for r in select(seeds, "SELECT ?x { ?x nkg:alliedWith entity:russia }")}
    assert one == other and len(one) == 5
    met = {r["x"] for r in select(seeds, "SELECT ?x { entity:vladimir-putin nkg:meets ?x }")}
    back = {r["x"] for r in select(seeds, "SELECT ?x { ?x nkg:meets entity:vladimir-putin }")}
    assert met == back


def test_who_attended_which_summit(seeds):
    found = select(seeds, "queries/summit-attendees.rq", country="kyrgyzstan")
    assert {r["attendeeName"] for r in found} == {
        "Vladimir Poutine", "Kassym-Jomart Tokaïev", "Alexandre Loukachenko",
        "Chavkat Mirzioïev"}
    assert {(r["date"], r["status"]) for r in found} == {("2023-10", "planned")}
    assert len({r["summit"] for r in found}) == 1          # one summit, four attendees
    eco = select(seeds, "queries/summit-attendees.rq",
                 organization="economic-cooperation-organization")
    assert {r["attendeeName"] for r in eco} == {"Recep Tayyip Erdogan", "Ebrahim Raïssi"}
    assert {(r["cityName"], r["countryName"], r["status"]) for r in eco} == {
        ("Tachkent", "Ouzbékistan", "occurred")}


def test_where_two_people_met(seeds):
    found = select(seeds, "queries/meeting-places.rq", person="ilham-aliyev",
                   other="vladimir-putin")
    places = {(r["countryName"], r["cityName"], r["date"], r["status"]) for r in found}
    assert ("Kirghizstan", "Bichkek", "2023-10", "planned") in places
    assert all(r["countryName"] for r in found)


def test_which_announced_trips_were_called_off(seeds, called_off):
    assert select(seeds, "queries/cancelled-trips.rq") == []   # none in the seeds
    found = select(called_off, "queries/cancelled-trips.rq")
    assert [(r["traveller"], r["countryName"], r["date"], r["article"]) for r in found] == [
        ("Vladimir Poutine", "Inde", "2024-03-20", "a2")]
    assert "annulée" in found[0]["denial"]
    status = select(called_off, "SELECT ?st { ?e nkg:eventType nkg:visits ; nkg:status ?st }")
    assert [r["st"] for r in status] == [PREFIX_IRIS["nkg"] + "negated"]
    # the meeting planned on that trip takes its place
    meeting = select(called_off, "queries/meeting-places.rq", person="vladimir-putin")
    assert {(r["otherName"], r["countryName"]) for r in meeting} == {("Narendra Modi", "Inde")}


def test_events_count_what_happened_not_reports(seeds):
    """Putin's visits that happened: events with status occurred, not sentences."""
    events = select(seeds, """SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e nkg:eventType nkg:visits ;
        nkg:status nkg:occurred ; nkg:participant entity:vladimir-putin }""")
    statements = select(seeds, """SELECT (COUNT(?s) AS ?n) { ?s rdf:subject entity:vladimir-putin ;
        rdf:predicate nkg:visits }""")
    assert 0 < int(events[0]["n"]) < int(statements[0]["n"])


def test_the_build_summary_counts_what_it_says_it_counts(seed_build, seeds):
    report = seed_build[1]
    summary = report.summary()

    def count(query):
        return int(select(seeds, query)[0]["n"])

    statements = count("SELECT (COUNT(?s) AS ?n) { ?s a rdf:Statement }")
    events = count("SELECT (COUNT(?e) AS ?n) { ?e a nkg:Event }")
    entities = count("SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a ?c . VALUES ?c { nkg:Person "
                     "nkg:Country nkg:City nkg:Organization nkg:Seat } }")
    assert f"statements (what the articles say), {statements}:" in summary
    assert f"however many statements report each), {events}:" in summary
    assert summary.splitlines()[-3].startswith(f"{entities} entities (")
    occurred_visits = count("SELECT (COUNT(?e) AS ?n) { ?e nkg:eventType nkg:visits ; "
                            "nkg:status nkg:occurred }")
    events_block = summary.split("events (")[1]
    assert f"visits      occurred {occurred_visits}," in events_block

"""Statements reporting the same event share one event node."""
from __future__ import annotations

from extractors.facts import Entity, Fact
from graph.events import group_events

PUTIN = Entity("vladimir-putin", "person", "Vladimir Poutine")
XI = Entity("xi-jinping", "person", "Xi Jinping")
KZ = Entity("kazakhstan", "country", "Kazakhstan")


def fact(article, relation="visits", subject=PUTIN, obj=KZ, date="", status="occurred", start=0):
    return Fact(article, relation, subject, obj, status, "test", "phrase", start, start + 6, date)


def test_reports_of_one_visit_in_two_articles_are_one_event():
    events = group_events([fact("a", date="2023-11"), fact("b", date="2023-11-09"),
                           fact("b", date="2023-11-09", status="planned", start=40)])
    assert len(events) == 1
    assert events[0].date == "2023-11-09" and events[0].articles == ["a", "b"]


def test_visits_a_year_apart_are_two_events():
    events = group_events([fact("a", date="2023-11"), fact("b", date="2024-11")])
    assert sorted(e.date for e in events) == ["2023-11", "2024-11"]


def test_denials_are_no_event():
    assert group_events([fact("a", status="negated", date="2023-08")]) == []


def test_undated_report_joins_its_articles_event_else_the_only_one():
    events = group_events([fact("a", date="2023-11"), fact("a", start=30), fact("c")])
    assert len(events) == 1 and len(events[0].facts) == 3
    events = group_events([fact("a", date="2023-11"), fact("b", date="2024-11"), fact("c")])
    assert len(events) == 3


def test_meetings_are_symmetric():
    events = group_events([fact("a", "meets", PUTIN, XI, "2022-02"),
                           fact("b", "meets", XI, PUTIN, "2022-02-04")])
    assert len(events) == 1


def test_event_ids_are_stable():
    facts = [fact("a", date="2023-11"), fact("b", date="2024-11")]
    assert [e.id for e in group_events(facts)] == [e.id for e in group_events(list(reversed(facts)))]

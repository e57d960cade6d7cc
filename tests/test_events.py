"""Statements reporting the same event share one event node."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from extractors.facts import Entity, Fact
from graph.events import EventIndex, group_events

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


# -- the on-disk index gives group_events' events, in its order ------------------------------

PEOPLE = [PUTIN, XI, Entity("ilham-aliyev", "person", "Ilham Aliev")]
PLACES = [KZ, Entity("china", "country", "Chine"), Entity("astana", "city", "Astana")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(["visits", "meets",
                                                                      "summitAt", "leaderOf"]),
                          st.sampled_from(PEOPLE), st.sampled_from(PEOPLE + PLACES),
                          st.sampled_from(["", "2023", "2023-11", "2023-11-09", "2024-02"]),
                          st.sampled_from(["occurred", "planned", "negated"]),
                          st.integers(0, 300), st.sampled_from([None, *PLACES])),
                max_size=40))
def test_event_index_groups_like_group_events(rows):
    facts = [Fact(article, relation, subject, obj, status, "rule", "phrase", start, start + 5,
                  date, location=location)
             for article, relation, subject, obj, date, status, start, location in rows]
    with tempfile.TemporaryDirectory() as folder:
        index = EventIndex(Path(folder) / "events.sqlite")
        for start in range(0, len(facts), 7):           # added in batches, like articles
            index.add(facts[start:start + 7])
        streamed = list(index.events())
        index.close()

    def shape(events):
        return [(e.id, e.relation, e.participants, e.date, e.articles,
                 sorted((f.article, f.start_char, f.status, f.date,
                         f.location.id if f.location else "") for f in e.facts))
                for e in events]

    assert shape(streamed) == shape(group_events(facts))

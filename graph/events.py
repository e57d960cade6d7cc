"""Groups statements that report the same event, so users count events, not press reports.

Two statements are one event when they have the same relation and participants and
compatible dates: one date is a prefix of the other ("2023-11" and "2023-11-09"). An
undated statement joins the event its own article already has, else the only one, else
stands alone. Planned and occurred reports of one trip are one event; denials are none.
"""
from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractors.facts import SYMMETRIC, Fact

EVENT_RELATIONS = ("visits", "meets", "summitAt")


@dataclass
class Event:
    id: str
    relation: str
    participants: tuple
    date: str
    facts: list[Fact] = field(default_factory=list)
    reported_in: set[str] = field(default_factory=set, repr=False)

    @property
    def articles(self) -> list[str]:
        return sorted(self.reported_in)

    def add(self, fact) -> None:
        self.facts.append(fact)
        self.reported_in.add(fact.article)


def _compatible(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _participants(fact: Fact) -> tuple:
    pair = (fact.subject.id, fact.object.id)
    return tuple(sorted(pair)) if fact.relation in SYMMETRIC else pair


def _reports_event(fact) -> bool:
    return fact.relation in EVENT_RELATIONS and fact.status != "negated"


def group_events(facts: Iterable[Fact]) -> list[Event]:
    """Events in a stable order, each with the facts that report it."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        if _reports_event(fact):
            groups[(fact.relation, _participants(fact))].append(fact)
    events = []
    for (relation, participants), members in sorted(groups.items()):
        events.extend(_clusters(relation, participants, members))
    return events


def _clusters(relation: str, participants: tuple, members: list) -> list[Event]:
    """The events of one relation between the same participants."""
    members.sort(key=lambda f: (-len(f.date), f.date, f.article, f.start_char, f.rule))
    clusters: list[Event] = []
    for fact in members:
        home = None
        if fact.date:
            home = next((c for c in clusters if _compatible(c.date, fact.date)), None)
        else:
            same_article = [c for c in clusters if fact.article in c.reported_in]
            home = same_article[0] if same_article else (
                clusters[0] if len(clusters) == 1 else None)
        if home is None:
            key = "|".join([relation, *participants, fact.date or fact.article])
            home = Event(hashlib.sha1(key.encode("utf-8")).hexdigest()[:20], relation,
                         participants, fact.date)
            clusters.append(home)
        home.add(fact)
    return clusters


@dataclass(frozen=True)
class _Ref:
    """An entity known by its identifier only: all that statement and event IRIs need."""
    id: str


@dataclass(frozen=True)
class Report:
    """A fact as event grouping and event triples need it, read back from an EventIndex."""
    article: str
    relation: str
    subject: _Ref
    object: _Ref
    status: str
    date: str
    start_char: int
    rule: str
    location: _Ref | None


COLUMNS = ("relation", "first", "second", "date", "article", "start_char", "rule", "status",
           "subject", "object", "location")


class EventIndex:
    """Facts that may report events, on disk (SQLite) until every article is read, then
    read back sorted, one group of participants at a time: a build's memory does not grow
    with the number of facts, and events come out in the same order as `group_events`."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS report ({', '.join(COLUMNS)})")

    def add(self, facts: Iterable[Fact]) -> None:
        self.db.executemany(
            f"INSERT INTO report VALUES ({', '.join('?' * len(COLUMNS))})",
            [(f.relation, *_participants(f), f.date, f.article, f.start_char, f.rule, f.status,
              f.subject.id, f.object.id, f.location.id if f.location is not None else None)
             for f in facts if _reports_event(f)])

    def events(self) -> Iterator[Event]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM report ORDER BY relation, "
                               "first, second, date, article, start_char, rule, status, "
                               "subject, object, location")
        for (relation, first, second), group in itertools.groupby(rows, key=lambda r: r[:3]):
            members = [Report(article, relation, _Ref(subject), _Ref(obj), status, date,
                              start, rule, _Ref(location) if location else None)
                       for _, _, _, date, article, start, rule, status, subject, obj, location
                       in group]
            yield from _clusters(relation, (first, second), members)

    def close(self) -> None:
        self.db.close()

"""Groups statements that report the same event, so users count events, not press reports.

Visits and meetings: two statements are one event when they have the same relation and
participants and compatible dates (one date is a prefix of the other, "2023-11" and
"2023-11-09"). A summit is one event for all who attend it: the summitAt statements of one
host country with compatible dates and no conflicting organisation. An undated statement
joins the event its own article already has, else the only one, else stands alone.

Planned and occurred reports of one event are one event. A denial is no event of its own:
it is linked to the event it denies (same grouping, found the same way), if there is one.
An event's status comes from its reports: occurred if any report says it happened, else
negated if a report denies it, else planned. A meeting takes the place of a visit one of
its two people makes in the same article at a compatible date (else, of the same status).
"""
from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newskg.extractors.facts import SYMMETRIC, Fact

EVENT_RELATIONS = ("visits", "meets", "summitAt")


@dataclass
class Event:
    id: str
    relation: str
    participants: tuple
    date: str
    facts: list = field(default_factory=list)       # the reports that it happened or is planned
    denials: list = field(default_factory=list)     # the reports that deny it
    reported_in: set[str] = field(default_factory=set, repr=False)
    organization: str = ""                          # a summit's body, when a report names it
    country: str = ""                               # where it takes place, when known
    city: str = ""

    @property
    def articles(self) -> list[str]:
        return sorted(self.reported_in)

    @property
    def status(self) -> str:
        if any(f.status == "occurred" for f in self.facts):
            return "occurred"
        return "negated" if self.denials else "planned"

    @property
    def attendees(self) -> list[str]:
        """A summit's attendees: who any report places there (denied ones included in
        neither: a denial alone does not make an attendee)."""
        return sorted({f.subject.id for f in self.facts}) if self.relation == "summitAt" else []

    def add(self, fact) -> None:
        self.facts.append(fact)
        self.reported_in.add(fact.article)
        organization = _id(getattr(fact, "organization", None))
        if organization and not self.organization:
            self.organization = organization
        location = _id(fact.location)
        if location and not self.city:
            self.city = location


def _id(entity) -> str:
    return entity.id if entity is not None else ""


def _compatible(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _participants(fact) -> tuple:
    """The grouping key: the two people of a meeting (in either order), the traveller and
    the country of a visit, the host country of a summit."""
    if fact.relation == "summitAt":
        return (fact.object.id, "")
    pair = (fact.subject.id, fact.object.id)
    return tuple(sorted(pair)) if fact.relation in SYMMETRIC else pair


def _in_index(fact) -> bool:
    return fact.relation in EVENT_RELATIONS


def group_events(facts: Iterable[Fact]) -> list[Event]:
    """Events in a stable order, each with the facts that report or deny it."""
    facts = list(facts)
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        if _in_index(fact):
            groups[(fact.relation, _participants(fact))].append(fact)
    visits = [f for f in facts if f.relation == "visits" and f.status != "negated"]
    events = []
    for (relation, participants), members in sorted(groups.items()):
        for event in _clusters(relation, participants, members):
            if relation == "meets":
                _place_meeting(event, [v for v in visits if v.article in event.reported_in
                                       and v.subject.id in event.participants])
            events.append(event)
    return events


def _home(clusters: list[Event], fact) -> Event | None:
    """The event a report belongs to among those of its group, or None."""
    organization = _id(getattr(fact, "organization", None))
    fits = [c for c in clusters if not organization or not c.organization
            or c.organization == organization]
    if fact.date:
        return next((c for c in fits if _compatible(c.date, fact.date)), None)
    same_article = [c for c in fits if fact.article in c.reported_in]
    return same_article[0] if same_article else (fits[0] if len(fits) == 1 else None)


def _clusters(relation: str, participants: tuple, members: list) -> list[Event]:
    """The events of one relation between the same participants (one host country for
    summits): reports first, then denials attached to the event they deny."""
    # a total order: reports alike but for their place or body give the same event
    # whichever way they come (from memory or from the on-disk index)
    order = lambda f: (-len(f.date), f.date, f.article, f.start_char, f.rule, f.subject.id,
                       f.object.id, f.status, _id(f.location),
                       _id(getattr(f, "organization", None)))
    reports = sorted((f for f in members if f.status != "negated"), key=order)
    clusters: list[Event] = []
    for fact in reports:
        home = _home(clusters, fact)
        if home is None:
            key = "|".join([relation, *[p for p in participants if p],
                            fact.date or fact.article])
            ident, n = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20], 1
            while any(event.id == ident for event in clusters):
                # another event of the same day (a summit of another body): its own node,
                # numbered in the order the sorted reports come
                n += 1
                ident = hashlib.sha1(f"{key}|{n}".encode("utf-8")).hexdigest()[:20]
            home = Event(ident, relation, participants, fact.date)
            if relation == "visits":
                home.country = participants[1]
            elif relation == "summitAt":
                home.country = participants[0]
            clusters.append(home)
        home.add(fact)
    for fact in sorted((f for f in members if f.status == "negated"), key=order):
        home = _home(clusters, fact)
        if home is not None:
            home.denials.append(fact)
    for event in clusters:
        if relation == "summitAt":
            event.participants = tuple(event.attendees) + (event.country,)
    return clusters


def _place_meeting(event: Event, visits: list) -> None:
    """A meeting's place: its own reports' city, else that of a visit one of the two makes
    in an article reporting the meeting, at a compatible date (or undated)."""
    if event.city and event.country:
        return
    fitting = [v for v in visits if not v.date or not event.date
               or _compatible(v.date, event.date)]
    if not fitting:     # "se rendra en Inde le 20 mars ... doit y rencontrer": the trip's
        # date is the text's, the meeting's may be only the article's: the same kind of report
        statuses = {f.status for f in event.facts}
        fitting = [v for v in visits if v.status in statuses]
    fitting.sort(key=lambda v: (-len(v.date), v.article, v.start_char, v.object.id,
                                _id(v.location)))
    if fitting:
        event.country = fitting[0].object.id
        if not event.city:
            event.city = next((v.location.id for v in fitting if v.location is not None
                               and v.object.id == event.country), "")


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
    organization: _Ref | None = None


COLUMNS = ("relation", "first", "second", "date", "article", "start_char", "rule", "status",
           "subject", "object", "location", "organization")


class EventIndex:
    """Facts that may report or deny events, on disk (SQLite) until every article is read,
    then read back sorted, one group of participants at a time: a build's memory does not
    grow with the number of facts, and events come out in the same order as `group_events`."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS report ({', '.join(COLUMNS)})")

    def add(self, facts: Iterable[Fact]) -> None:
        self.db.executemany(
            f"INSERT INTO report VALUES ({', '.join('?' * len(COLUMNS))})",
            [(f.relation, *_participants(f), f.date, f.article, f.start_char, f.rule, f.status,
              f.subject.id, f.object.id, _id(f.location) or None,
              _id(getattr(f, "organization", None)) or None)
             for f in facts if _in_index(f)])

    @staticmethod
    def _report(row) -> Report:
        (relation, _, _, date, article, start, rule, status, subject, obj, location,
         organization) = row
        return Report(article, relation, _Ref(subject), _Ref(obj), status, date, start, rule,
                      _Ref(location) if location else None,
                      _Ref(organization) if organization else None)

    def _visits_of(self, event: Event) -> list[Report]:
        marks = ", ".join("?" * len(event.reported_in))
        rows = self.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM report WHERE relation = 'visits' "
            f"AND status != 'negated' AND subject IN (?, ?) AND article IN ({marks})",
            [*event.participants, *sorted(event.reported_in)])
        return [self._report(row) for row in rows]

    def events(self) -> Iterator[Event]:
        self.db.execute("CREATE INDEX IF NOT EXISTS visit_by ON report (relation, subject, article)")
        cursor = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM report ORDER BY relation, "
                                 "first, second, date, article, start_char, rule, status, "
                                 "subject, object, location, organization")
        for (relation, first, second), group in itertools.groupby(cursor, key=lambda r: r[:3]):
            members = [self._report(row) for row in group]
            for event in _clusters(relation, (first, second), members):
                if relation == "meets":
                    _place_meeting(event, self._visits_of(event))
                yield event

    def close(self) -> None:
        self.db.close()

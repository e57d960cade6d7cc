"""Groups statements that report the same event, so users count events, not press reports.

Two statements are one event when they have the same relation and participants and
compatible dates: one date is a prefix of the other ("2023-11" and "2023-11-09"). An
undated statement joins the event its own article already has, else the only one, else
stands alone. Planned and occurred reports of one trip are one event; denials are none.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from extractors.facts import SYMMETRIC, Fact

EVENT_RELATIONS = ("visits", "meets", "summitAt")


@dataclass
class Event:
    id: str
    relation: str
    participants: tuple
    date: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({f.article for f in self.facts})


def _compatible(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _participants(fact: Fact) -> tuple:
    pair = (fact.subject.id, fact.object.id)
    return tuple(sorted(pair)) if fact.relation in SYMMETRIC else pair


def group_events(facts: list[Fact]) -> list[Event]:
    """Events in a stable order, each with the facts that report it."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.relation in EVENT_RELATIONS and fact.status != "negated":
            groups[(fact.relation, _participants(fact))].append(fact)
    events = []
    for (relation, participants), members in sorted(groups.items()):
        members.sort(key=lambda f: (-len(f.date), f.date, f.article, f.start_char, f.rule))
        clusters: list[Event] = []
        for fact in members:
            home = None
            if fact.date:
                home = next((c for c in clusters if _compatible(c.date, fact.date)), None)
            else:
                same_article = [c for c in clusters if fact.article in c.articles]
                home = same_article[0] if same_article else (
                    clusters[0] if len(clusters) == 1 else None)
            if home is None:
                key = "|".join([relation, *participants, fact.date or fact.article])
                home = Event(hashlib.sha1(key.encode("utf-8")).hexdigest()[:20], relation,
                             participants, fact.date)
                clusters.append(home)
            home.facts.append(fact)
        events.extend(clusters)
    return events

"""The records that flow from text to graph: entities, mentions and facts."""
from __future__ import annotations

from dataclasses import dataclass, field

RELATIONS = ("visits", "alliedWith", "summitAt", "meets", "leaderOf")
SYMMETRIC = frozenset({"alliedWith", "meets"})
STATUSES = ("occurred", "planned", "negated")


@dataclass(frozen=True)
class Entity:
    """A real-world thing the graph has a node for."""
    id: str                 # slug, stable across runs: the IRI's last segment
    type: str               # person | country | city | organization | seat
    label_fr: str
    label_en: str = ""
    qid: str = ""           # Wikidata QID, only when verified
    country: str = ""       # for cities, seats and people: the country's id


@dataclass(frozen=True)
class Mention:
    """A stretch of a sentence that refers to an entity."""
    start: int              # token index in the Doc (inclusive)
    end: int                # token index (exclusive)
    entity: Entity
    kind: str               # name | surname | description | pronoun | demonym | metonym
    head: int               # token index of the mention's syntactic head


@dataclass(frozen=True)
class Fact:
    """One relation read from one sentence of one article."""
    article: str
    relation: str
    subject: Entity
    object: Entity
    status: str
    rule: str
    sentence: str
    start_char: int         # of the evidence sentence, in the article text
    end_char: int
    date: str = ""          # YYYY, YYYY-MM or YYYY-MM-DD
    date_source: str = ""   # text | article
    location: Entity | None = None
    organization: Entity | None = None

    def key(self) -> tuple:
        pair = (self.subject.id, self.object.id)
        if self.relation in SYMMETRIC:
            pair = tuple(sorted(pair))
        return (self.article, self.relation) + pair


@dataclass
class Article:
    """An input article: identifier, optional publication date, body text."""
    id: str
    text: str
    date: str = ""          # YYYY-MM or YYYY-MM-DD from the header
    source: str = ""        # file name it came from (file:line for a record)
    title: str = ""
    url: str = ""           # the page's address, when known
    sources: list[str] = field(default_factory=list)   # every file it was found in


@dataclass
class ArticleFacts:
    article: Article
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)   # (sentence, why)
    problem: str = ""         # why the article could not be read (then it has no facts)

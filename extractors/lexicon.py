"""Loads the word lists, role tables and trigger patterns kept beside the extractors."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from .text import fold

DATA = Path(__file__).resolve().parent / "data"


class LexiconError(ValueError):
    """A data file is malformed; the message names the file and line."""


def words(name: str) -> frozenset[str]:
    """A plain word list, folded: one entry a line, '#' starts a comment."""
    path = DATA / name
    with open(path, encoding="utf-8") as handle:
        return frozenset(fold(line.split("#", 1)[0].strip()) for line in handle
                         if line.split("#", 1)[0].strip())


def table(name: str) -> list[dict]:
    path = DATA / name
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@dataclass(frozen=True)
class Trigger:
    id: str
    relation: str
    patterns: list
    example: str


def triggers(name: str = "triggers.jsonl") -> list[Trigger]:
    """Trigger patterns, validated together so every error is reported at once."""
    path = DATA / name
    found, errors = [], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                found.append(Trigger(record["id"], record["relation"], record["patterns"],
                                     record.get("example", "")))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                errors.append(f"{path.name}:{number}: {error}")
    ids = [t.id for t in found]
    errors += [f"{path.name}: duplicate id {i}" for i in sorted(set(ids)) if ids.count(i) > 1]
    if errors:
        raise LexiconError("; ".join(errors))
    return found


@dataclass(frozen=True)
class Lexicon:
    """Every data file the rules read, loaded once."""
    roles: tuple
    descriptions: tuple
    former: frozenset
    negation: frozenset
    negators: frozenset
    planned: frozenset
    reporting: frozenset
    future_time: frozenset
    transparent: frozenset
    destination_verbs: frozenset
    future_stems: frozenset
    triggers: tuple
    attendance: frozenset
    topic_nouns: frozenset
    recipient_verbs: frozenset
    news_agencies: frozenset
    dependants: frozenset
    small_formats: frozenset
    event_nouns: frozenset
    etre_verbs: frozenset = frozenset()
    departure_words: frozenset = frozenset()
    remote: frozenset = frozenset()
    land_nouns: frozenset = frozenset()
    return_words: frozenset = frozenset()
    settled_verbs: frozenset = frozenset()
    delegation_nouns: frozenset = frozenset()

    @classmethod
    def load(cls) -> "Lexicon":
        return cls(tuple(table("roles.tsv")), tuple(table("descriptions.tsv")),
                   words("former.txt"), words("negation.txt"), words("negators.txt"),
                   words("planned.txt"), words("reporting.txt"), words("future_time.txt"),
                   words("transparent.txt"), words("destination_verbs.txt"),
                   words("future_stems.txt"), tuple(triggers()), words("attendance.txt"),
                   words("topic_nouns.txt"), words("recipient_verbs.txt"),
                   words("news_agencies.txt"), words("dependants.txt"),
                   words("small_formats.txt"), words("event_nouns.txt"),
                   words("etre_verbs.txt"), words("departure_verbs.txt"),
                   words("remote.txt"), words("land_nouns.txt"),
                   words("return_words.txt"), words("settled_verbs.txt"),
                   words("delegation_nouns.txt"))

"""The gazetteer: known entities, their names, demonyms and offices over time."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newskg import ontology

from .facts import Entity
from .text import fold


@dataclass(frozen=True)
class Office:
    person: str
    role: str
    country: str
    start: str
    end: str

    def held_on(self, date: str) -> bool:
        """True if held at any point of the period that `date` names (YYYY[-MM[-DD]])."""
        if not date:
            return False
        lo = date + "-00-00"[len(date) - 4:] if len(date) < 10 else date
        hi = date + "-99-99"[len(date) - 4:] if len(date) < 10 else date
        return self.start <= hi and (not self.end or self.end >= lo)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


_SPELLINGS = (("sch", "ch"), ("tch", "ch"), ("sh", "ch"), ("dzh", "j"), ("dj", "j"),
              ("zh", "j"), ("kh", "h"), ("ou", "u"), ("w", "v"), ("y", "i"), ("ck", "k"),
              ("ph", "f"), ("ee", "i"), ("-", " "), ("'", " "))


def spelling_key(name: str) -> str:
    """A name with the differences of French, English and German transliteration folded
    away (Pachinian, Pashinian; Zelensky, Zelenskyy; Tchiani, Tiani stay apart)."""
    key = fold(name)
    for old, new in _SPELLINGS:
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)
    return " ".join(word.rstrip("e") or word for word in key.split())


def _plural(word: str) -> list[str]:
    return [word] if word.endswith(("s", "x")) else [word, word + "s"]


class Gazetteer:
    """Entities by id, names and demonyms by folded form, offices by role."""

    def __init__(self, entity_files: list[Path], roles_file: Path,
                 leading_office_file: Path | None = None, generated_files: tuple = ()):
        """`generated_files` (world.tsv) come after `entity_files` and give no new
        entity a name the hand-checked files already give: "Maison Blanche" is the
        White House, not a hamlet of the same name in GeoNames."""
        self.entities: dict[str, Entity] = {}
        self.names: dict[str, set[str]] = defaultdict(set)     # folded name -> ids
        self.demonyms: dict[str, str] = {}                     # folded demonym -> country id
        self.capitals: dict[str, str] = {}                     # country id -> city id
        checked: set[str] = set()      # names the hand-checked files give
        for path in list(entity_files) + list(generated_files):
            generated = path in generated_files
            if generated and not checked:
                checked = set(self.names)
            for row in _rows(path):
                # a row with labels defines its id (a later hand-made row refines the
                # reference's type, keeping its QID); a row without labels for an id
                # already defined (world.tsv on a reference country) only adds names
                entity = self.entities.get(row["id"])
                if entity is None or row["label_fr"]:
                    qid = row["qid"] or (entity.qid if entity else "")
                    entity = Entity(row["id"], row["type"], row["label_fr"], row["label_en"],
                                    qid, row.get("country", ""))
                    self.entities[entity.id] = entity
                forms = [row["label_fr"], row["label_en"]]
                forms += [a for a in row.get("aliases", "").split("|") if a]
                for form in filter(None, forms):
                    if generated and fold(form) in checked and entity.id not in \
                            self.names[fold(form)]:
                        continue
                    self.names[fold(form)].add(entity.id)
                for demonym in filter(None, row.get("demonyms", "").split("|")):
                    for form in _plural(fold(demonym)):
                        self.demonyms.setdefault(form, entity.id)
                if row.get("capital"):
                    self.capitals.setdefault(entity.id, row["capital"])
        # people's names under another transliteration ("Pashinian" for "Pachinian")
        self.spellings: dict[str, set[str]] = defaultdict(set)
        for name, ids in self.names.items():
            if len(name.split()) > 1:
                for entity_id in ids:
                    if self.entities[entity_id].type == "person":
                        self.spellings[spelling_key(name)].add(entity_id)
        self.offices = [Office(r["person"], r["role"], r["country"], r["start"], r["end"])
                        for r in _rows(roles_file)]
        self.leading_office = {r["country"]: r["office"] for r in _rows(leading_office_file)} \
            if leading_office_file else {}

    @classmethod
    def default(cls) -> "Gazetteer":
        return cls([ontology.GAZETTEER, ontology.GAZETTEER_EXTRA], ontology.ROLES,
                   ontology.LEADING_OFFICE, generated_files=(ontology.WORLD,))

    def person_spelt(self, name: str) -> Entity | None:
        """The one known person whose full name this is under another transliteration."""
        if len(name.split()) < 2:
            return None
        ids = self.spellings.get(spelling_key(name), ())
        return self.entities[next(iter(ids))] if len(ids) == 1 else None

    def lookup(self, name: str) -> list[Entity]:
        return [self.entities[i] for i in sorted(self.names.get(fold(name), ()))]

    def country_of(self, entity: Entity | None) -> Entity | None:
        """The country an entity is, lies in, or (for a person) belongs to."""
        if entity is None:
            return None
        if entity.type == "country":
            return entity
        return self.entities.get(entity.country)

    def holders(self, role: str, country: str, date: str) -> list[str]:
        """Who held `role` in `country` at `date`; role 'leader' means either head."""
        roles = {"head_of_state", "head_of_government"} if role == "leader" else {role}
        found = [o for o in self.offices
                 if o.role in roles and o.country == country and o.held_on(date)]
        if role == "leader":   # "the leader": the office that leads in that country
            leading = self.leading_office.get(country, "head_of_state")
            heads = [o for o in found if o.role == leading]
            found = heads or found
        return sorted({o.person for o in found})

    def offices_of(self, person: str) -> list[Office]:
        return [o for o in self.offices if o.person == person]

    def is_leader(self, person: str, country: str, date: str = "") -> bool:
        """Held a head-of-state or -government office there (at `date` if given)."""
        return any(o.country == country and o.role in ("head_of_state", "head_of_government")
                   and (not date or o.held_on(date)) for o in self.offices_of(person))

"""A synthetic French news corpus of any size, built from templates over the gazetteer.

The sentences carry what real articles carry: visit, meeting, summit and alliance
triggers, role descriptions, tenses, negations, dates and captions, between neutral
sentences, for about 400 words an article.

    python bench/corpus.py 1000 /tmp/corpus-1k.jsonl
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newskg.extractors.gazetteer import Gazetteer  # noqa: E402

EVENTS = [
    "Le président {d1} {p1} s'est rendu {day} {loc} pour une visite officielle de deux jours.",
    "{p1} va effectuer {day} une visite {loc}, a annoncé le porte-parole de la présidence.",
    "Le dirigeant {d1} est arrivé {day} à {city}, où il doit rencontrer son homologue {d2} {p2}.",
    "{p1} a rencontré {p2} à {city} le {n} {month} {year}.",
    "Le président {d1} participera {day} au sommet de l'{org} {loc}.",
    "{p1} n'a effectué aucun déplacement {loc} depuis le début de l'année.",
    "Séchant le sommet de l'{org} {loc}, {p1} a envoyé son ministre des Affaires étrangères.",
    "{country2} est un allié traditionnel de {country1_def}, a rappelé {p1}.",
    "Le président {d1} {p1} (g) et son homologue {d2} {p2}, le {n} {month} {year} à {city} ( AFP / Photographe )",
    "{p1} devrait se rendre {loc} la semaine prochaine, selon une source diplomatique.",
    "Les deux dirigeants se sont entretenus {day} au palais présidentiel de {city}.",
    "{p1} a annulé sa visite {loc} prévue en {month}.",
]
FILLER = [
    "Les échanges commerciaux entre les deux pays ont progressé de douze pour cent l'an dernier.",
    "La question de l'énergie a dominé les discussions, selon des diplomates présents.",
    "Les analystes estiment que la région reste au cœur des rivalités entre grandes puissances.",
    "Plusieurs accords de coopération dans les domaines du transport et de l'éducation ont été signés.",
    "La situation sécuritaire à la frontière a également été évoquée lors des entretiens.",
    "Des manifestations ont eu lieu dans la capitale pour dénoncer la hausse des prix.",
    "Le gouvernement a promis de nouvelles réformes économiques d'ici la fin de l'année.",
    "Les observateurs soulignent l'importance croissante des corridors logistiques vers l'Europe.",
]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "demain", "la semaine prochaine"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre",
          "octobre", "novembre", "décembre"]
ORGS = ["OCS", "OTSC", "CEI", "UEE", "OCE"]


def corpus(size: int, seed: int = 5):
    """(id, date, text) for `size` articles, always the same for the same size and seed."""
    rng = random.Random(seed)
    gazetteer = Gazetteer.default()
    leaders = {}
    for office in gazetteer.offices:
        if office.role == "head_of_state" and not office.end:
            leaders[office.country] = gazetteer.entities[office.person]
    countries = [gazetteer.entities[c] for c in sorted(leaders)]
    demonym = {}
    for form, country in sorted(gazetteer.demonyms.items()):
        if not form.endswith("s") and country not in demonym and form.isalpha():
            demonym[country] = form
    capitals = gazetteer.capitals
    for n in range(size):
        year, month = rng.randint(2019, 2025), rng.randint(1, 12)
        sentences = []
        for _ in range(rng.randint(6, 9)):
            c1, c2 = rng.sample(countries, 2)
            city = gazetteer.entities.get(capitals.get(c2.id, ""), c2)
            values = {"p1": leaders[c1.id].label_fr, "p2": leaders[c2.id].label_fr,
                      "d1": demonym.get(c1.id, "russe"), "d2": demonym.get(c2.id, "kazakh"),
                      "loc": f"en {c2.label_fr}", "city": city.label_fr,
                      "country1_def": f"la {c1.label_fr}", "country2": c2.label_fr,
                      "day": rng.choice(DAYS), "n": rng.randint(1, 28),
                      "month": rng.choice(MONTHS), "year": year, "org": rng.choice(ORGS)}
            sentences.append(rng.choice(EVENTS).format(**values))
            sentences += rng.sample(FILLER, 3)
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        yield f"synthetic-{n:06d}", f"{year}-{month:02d}", "\n\n".join(paragraphs)


def write(size: int, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for identifier, date, text in corpus(size):
            handle.write(json.dumps({"id": identifier, "date": date, "text": text},
                                    ensure_ascii=False) + "\n")


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    write(size, Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/corpus-{size}.jsonl"))

"""Generates a synthetic graph of newskg's shape, of any size, as N-Triples.

Statements with every qualifier (status, date, evidence, offsets, rule, article,
location, event), their direct triples, articles and entities drawn from the
gazetteer: the same shape as a real build, at the scale of a large archive.

    python bench/synthetic_graph.py 1000000 /tmp/synthetic.nt
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newskg.extractors.facts import Article, Entity, Fact  # noqa: E402
from newskg.extractors.gazetteer import Gazetteer  # noqa: E402
from newskg.graph.rdf import build_graph  # noqa: E402

RELATIONS = ["visits", "visits", "visits", "meets", "meets", "summitAt", "leaderOf", "alliedWith"]


def facts_for(count: int, seed: int = 7) -> tuple[list[Article], list[Fact], dict]:
    rng = random.Random(seed)
    gazetteer = Gazetteer.default()
    people = [e for e in gazetteer.entities.values() if e.type == "person"]
    countries = [e for e in gazetteer.entities.values() if e.type == "country"]
    cities = [e for e in gazetteer.entities.values() if e.type == "city"]
    # more people than the gazetteer knows, as in a real archive
    people += [Entity(f"person-{i}", "person", f"Personne {i}") for i in range(2000)]
    articles, facts = [], []
    per_article = 12
    for n in range(count // per_article + 1):
        year, month = rng.randint(2015, 2025), rng.randint(1, 12)
        article = Article(f"synthetic-{n:07d}", "", f"{year}-{month:02d}")
        articles.append(article)
        for k in range(per_article):
            relation = rng.choice(RELATIONS)
            subject = rng.choice(people) if relation != "alliedWith" else rng.choice(countries)
            obj = rng.choice(people) if relation == "meets" else rng.choice(countries)
            status = rng.choices(["occurred", "planned", "negated"], [70, 25, 5])[0]
            date = article.date + (f"-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else "")
            location = rng.choice(cities) if relation == "visits" and rng.random() < 0.5 else None
            facts.append(Fact(article.id, relation, subject, obj, status, f"synthetic.{relation}",
                              f"Phrase {k} de l'article {n} sur {subject.label_fr}.", k * 100,
                              k * 100 + 60, date if relation != "leaderOf" else "",
                              "text", location))
    return articles, facts, gazetteer.entities


def write(triples_wanted: int, path: Path) -> int:
    """Writes about `triples_wanted` triples; returns how many were written."""
    store = ox.Store()
    written, batch = 0, 0
    while written < triples_wanted:
        articles, facts, entities = facts_for(6000, seed=batch)
        for article in articles:
            article.id = f"{article.id}-{batch}"
        facts = [Fact(**{**vars(f), "article": f"{f.article}-{batch}"}) for f in facts]
        graph = build_graph(articles, facts, entities)
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
        written = len(store)
        batch += 1
    ox.serialize((q.triple for q in store), str(path), format=ox.RdfFormat.N_TRIPLES)
    return written


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/newskg-synthetic.nt")
    print(f"{write(size, out)} triples written to {out}")

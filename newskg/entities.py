"""`newskg entities`: an entity's id looked up by name, for --bind and for reading results.

Reads the graph only (no spaCy): each entity with its type, French and English labels,
Wikidata QID, and how many statements name it as subject, object, place or organisation
(all, and those that report something that happened).
A name matches any label or the id, ignoring case and accents, as a part of it.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from newskg.extractors.text import fold
from newskg.graph.store import PREFIX_IRIS, open_graph

from .query import table

ENTITIES = """
SELECT ?entity ?class ?fr ?en ?qid
       (COUNT(DISTINCT ?s) AS ?statements) (COUNT(DISTINCT ?done) AS ?occurred) WHERE {
  ?entity a ?class .
  VALUES ?class { nkg:Person nkg:Country nkg:City nkg:Organization nkg:Seat nkg:Entity }
  OPTIONAL { ?entity rdfs:label ?fr FILTER (lang(?fr) = "fr") }
  OPTIONAL { ?entity rdfs:label ?en FILTER (lang(?en) = "en") }
  OPTIONAL { ?entity owl:sameAs ?qid }
  OPTIONAL { ?s rdf:subject|rdf:object|nkg:location|nkg:organization ?entity ;
                a rdf:Statement .
             OPTIONAL { ?s nkg:status nkg:occurred BIND (?s AS ?done) } }
}
GROUP BY ?entity ?class ?fr ?en ?qid
ORDER BY ?entity
"""
COLUMNS = ["id", "type", "label_fr", "label_en", "wikidata", "statements", "occurred"]


def _value(node) -> str:
    return "" if node is None else node.value


def rows(store: ox.Store, name: str = "") -> list[list[str]]:
    """One row per entity whose id or a label contains `name` (folded), in id order."""
    wanted = fold(name.strip())
    entity_base = PREFIX_IRIS["entity"]
    found = []
    for solution in store.query(ENTITIES, prefixes=PREFIX_IRIS):
        iri = solution["entity"].value
        identifier = iri[len(entity_base):] if iri.startswith(entity_base) else iri
        labels = [_value(solution["fr"]), _value(solution["en"])]
        if wanted and not any(wanted in fold(text) for text in [identifier] + labels):
            continue
        qid = _value(solution["qid"]).rsplit("/", 1)[-1]
        found.append([f"entity:{identifier}", _value(solution["class"]).rsplit("#", 1)[-1],
                      *labels, qid, _value(solution["statements"]),
                      _value(solution["occurred"])])
    return found


def entities(graph: Path, name: str = "") -> str:
    return table(COLUMNS, rows(open_graph(graph), name))

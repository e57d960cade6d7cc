"""The entity network of an RDF graph as networkx: nodes are entities, edges are statements.

Read with one SPARQL query, so the same code serves an rdflib graph (during a build)
and an Oxigraph store (export, view) alike.
"""
from __future__ import annotations

import networkx as nx

from .namespaces import PREFIXES

RELATIONS = ("visits", "alliedWith", "summitAt", "meets", "leaderOf")
TYPES = {"Person": "person", "Country": "country", "City": "city",
         "Organization": "organization", "Seat": "seat"}

STATEMENTS = """
SELECT ?statement ?relation ?subject ?object ?status ?date ?article ?evidence ?event ?rule
       ?city WHERE {
  ?statement a rdf:Statement ; rdf:predicate ?predicate ; rdf:subject ?subject ;
             rdf:object ?object ; nkg:evidence ?evidence ; prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { ?statement nkg:status ?s }
  OPTIONAL { ?statement nkg:date ?date }
  OPTIONAL { ?statement nkg:event ?event }
  OPTIONAL { ?statement nkg:rule ?rule }
  OPTIONAL { ?statement nkg:location ?l . ?l rdfs:label ?city . FILTER (lang(?city) = "fr") }
  BIND (STRAFTER(STR(?predicate), "#") AS ?relation)
  BIND (STRAFTER(STR(?s), "#") AS ?status)
}"""

ENTITIES = """
SELECT ?entity ?class ?fr ?en ?wikidata WHERE {
  ?entity a ?c . VALUES ?c { nkg:Person nkg:Country nkg:City nkg:Organization nkg:Seat }
  BIND (STRAFTER(STR(?c), "#") AS ?class)
  OPTIONAL { ?entity rdfs:label ?fr . FILTER (lang(?fr) = "fr") }
  OPTIONAL { ?entity rdfs:label ?en . FILTER (lang(?en) = "en") }
  OPTIONAL { ?entity owl:sameAs ?wikidata }
}"""


def _rows(graph, query: str, names: list[str]) -> list[dict]:
    """Solutions as dicts of strings, from rdflib or pyoxigraph."""
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if hasattr(graph, "bulk_load"):   # a pyoxigraph Store
        result = graph.query(query, prefixes=prefixes)
        return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items())
    return [{n: (str(r[n]) if r[n] is not None else "") for n in names}
            for r in graph.query(head + query)]


def _solutions(graph, query: str, names: list[str]):
    """Solutions as dicts of strings, streamed from pyoxigraph (listed from rdflib)."""
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if hasattr(graph, "bulk_load"):
        for s in graph.query(query, prefixes=prefixes):
            yield {n: (s[n].value if s[n] is not None else "") for n in names}
    else:
        yield from _rows(graph, query, names)


def entities(graph) -> dict[str, dict]:
    """Entity IRI -> label, type and Wikidata link, for drawing."""
    found = {}
    for row in _solutions(graph, ENTITIES, ["entity", "class", "fr", "en", "wikidata"]):
        if row["entity"] not in found:
            found[row["entity"]] = {"label": row["fr"] or row["en"] or row["entity"],
                                    "type": TYPES.get(row["class"], "entity"),
                                    "wikidata": row["wikidata"]}
    return found


def entity_nodes(entities) -> dict[str, dict]:
    """What `entities` reads from a graph, from the Entity objects a build has in hand."""
    from .namespaces import CLASS_OF_TYPE, ENTITY, WD

    found = {}
    for entity in entities:
        if entity.type in CLASS_OF_TYPE:
            iri = str(ENTITY[entity.id])
            found[iri] = {"label": entity.label_fr or entity.label_en or iri,
                          "type": entity.type,
                          "wikidata": str(WD[entity.qid]) if entity.qid else ""}
    return found


def statements(graph):
    """Every statement of the five relations as a dict, streamed: the page groups them
    without holding a graph of a million edges."""
    names = ["statement", "relation", "subject", "object", "status", "date", "article", "evidence",
             "event"]
    for row in _solutions(graph, STATEMENTS, names):
        if row["relation"] in RELATIONS:
            yield row


def to_networkx(graph) -> nx.MultiDiGraph:
    """One edge per statement, with its relation, status, date, article and evidence."""
    network = nx.MultiDiGraph()
    entities = {}
    for row in _rows(graph, ENTITIES, ["entity", "class", "fr", "en", "wikidata"]):
        entities.setdefault(row["entity"], row)
    rows = _rows(graph, STATEMENTS, ["statement", "relation", "subject", "object", "status",
                                     "date", "article", "evidence", "event"])
    for row in sorted(rows, key=lambda r: r["statement"]):
        if row["relation"] not in RELATIONS:
            continue
        for node in (row["subject"], row["object"]):
            if node not in network:
                data = entities.get(node, {})
                network.add_node(node, label=data.get("fr") or data.get("en") or node,
                                 type=TYPES.get(data.get("class", ""), "entity"),
                                 wikidata=data.get("wikidata", ""))
        network.add_edge(row["subject"], row["object"], key=row["statement"],
                         relation=row["relation"], status=row["status"], date=row["date"],
                         article=row["article"], evidence=row["evidence"], event=row["event"])
    return network



def fact_network(graph) -> nx.MultiDiGraph:
    """One edge per fact for Gephi: the statements that report the same relation between
    the same two entities with the same status and date are one edge, whose `weight` is
    how many statements report it and `reports` how many articles; it carries the date,
    status, city, rules, event and one sentence of evidence."""
    network = nx.MultiDiGraph()
    entities = {}
    for row in _rows(graph, ENTITIES, ["entity", "class", "fr", "en", "wikidata"]):
        entities.setdefault(row["entity"], row)
    names = ["statement", "relation", "subject", "object", "status", "date", "article",
             "evidence", "rule", "city", "event"]
    facts: dict[tuple, list[dict]] = {}
    for row in _rows(graph, STATEMENTS, names):
        if row["relation"] in RELATIONS:
            key = (row["subject"], row["object"], row["relation"], row["status"], row["date"])
            facts.setdefault(key, []).append(row)
    for (subject, obj, relation, status, date), rows in sorted(facts.items()):
        for node in (subject, obj):
            if node not in network:
                data = entities.get(node, {})
                network.add_node(node, label=data.get("fr") or data.get("en") or node,
                                 type=TYPES.get(data.get("class", ""), "entity"),
                                 wikidata=data.get("wikidata", ""))
        joined = lambda field: " | ".join(sorted({r[field] for r in rows if r[field]}))
        network.add_edge(subject, obj, key=f"{relation}|{status}|{date}", relation=relation,
                         status=status, date=date, city=joined("city"), rule=joined("rule"),
                         event=joined("event"), article=joined("article"),
                         evidence=min(r["evidence"] for r in rows),
                         weight=len({r["statement"] for r in rows}),
                         reports=len({r["article"] for r in rows}))
    return network

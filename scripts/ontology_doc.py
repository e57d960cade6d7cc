"""Writes ontology/README.md from ontology/newskg.ttl: every class and property, its
definitions in English and French, and a SPARQL example. A test keeps the two in sync.

    python scripts/ontology_doc.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newskg import ontology  # noqa: E402

NKG = "https://w3id.org/newskg/ontology#"
OUT = ontology.HERE / "README.md"

EXAMPLES = {
    "Entity": "SELECT ?e ?label WHERE { ?e a ?c ; rdfs:label ?label . ?c rdfs:subClassOf nkg:Entity }",
    "Person": "SELECT ?p ?label WHERE { ?p a nkg:Person ; rdfs:label ?label . FILTER (lang(?label) = \"fr\") }",
    "Country": "SELECT ?c ?wd WHERE { ?c a nkg:Country ; owl:sameAs ?wd }",
    "City": "SELECT ?city ?country WHERE { ?city a nkg:City ; nkg:inCountry ?country }",
    "Organization": "SELECT ?o ?label WHERE { ?o a nkg:Organization ; rdfs:label ?label }",
    "Seat": "SELECT ?seat ?country WHERE { ?seat a nkg:Seat ; nkg:inCountry ?country }",
    "Article": "SELECT ?a ?id ?date WHERE { ?a a nkg:Article ; dcterms:identifier ?id . OPTIONAL { ?a dcterms:date ?date } }",
    "Event": "SELECT ?e ?label ?reports WHERE { ?e a nkg:Event ; rdfs:label ?label ; nkg:reportCount ?reports } ORDER BY DESC(?reports)",
    "Status": "SELECT ?status (COUNT(*) AS ?n) WHERE { ?s nkg:status ?status } GROUP BY ?status",
    "visits": "SELECT ?person ?country WHERE { ?person nkg:visits ?country }",
    "alliedWith": "SELECT ?a ?b WHERE { ?a nkg:alliedWith ?b }",
    "summitAt": "SELECT ?person ?country WHERE { ?person nkg:summitAt ?country }",
    "meets": "SELECT ?a ?b WHERE { ?a nkg:meets ?b }",
    "leaderOf": "SELECT ?leader ?country WHERE { ?leader nkg:leaderOf ?country }",
    "status": "SELECT ?s WHERE { ?s rdf:predicate nkg:visits ; nkg:status nkg:negated }",
    "date": "SELECT ?s ?date WHERE { ?s rdf:predicate nkg:visits ; nkg:date ?date . FILTER (STR(?date) >= \"2022\") }",
    "dateSource": "SELECT ?s WHERE { ?s nkg:dateSource \"text\" }",
    "evidence": "SELECT ?sentence WHERE { ?s rdf:subject entity:vladimir-putin ; nkg:evidence ?sentence }",
    "evidenceStart": "SELECT ?s ?start ?end WHERE { ?s nkg:evidenceStart ?start ; nkg:evidenceEnd ?end }",
    "evidenceEnd": "SELECT ?s ?start ?end WHERE { ?s nkg:evidenceStart ?start ; nkg:evidenceEnd ?end }",
    "rule": "SELECT ?rule (COUNT(*) AS ?n) WHERE { ?s nkg:rule ?rule } GROUP BY ?rule ORDER BY DESC(?n)",
    "location": "SELECT ?person ?city WHERE { ?s rdf:subject ?person ; rdf:predicate nkg:visits ; nkg:location ?city }",
    "organization": "SELECT ?person ?org WHERE { ?s rdf:subject ?person ; nkg:organization ?org }",
    "inCountry": "SELECT ?city ?country WHERE { ?city nkg:inCountry ?country }",
    "event": "SELECT ?e (COUNT(?s) AS ?statements) WHERE { ?s nkg:event ?e } GROUP BY ?e",
    "eventType": "SELECT ?e WHERE { ?e nkg:eventType nkg:meets }",
    "participant": "SELECT ?e WHERE { ?e nkg:participant entity:vladimir-putin }",
    "attendee": "SELECT ?summit ?person WHERE { ?summit nkg:eventType nkg:summitAt ; nkg:attendee ?person }",
    "country": "SELECT ?meeting ?country WHERE { ?meeting nkg:eventType nkg:meets ; nkg:country ?country }",
    "denies": "SELECT ?trip ?sentence WHERE { ?s nkg:denies ?trip ; nkg:evidence ?sentence }",
    "sourceFile": "SELECT ?id ?file ?url WHERE { ?a dcterms:identifier ?id ; nkg:sourceFile ?file . OPTIONAL { ?a dcterms:source ?url } }",
    "reportCount": "SELECT ?e ?n WHERE { ?e nkg:reportCount ?n . FILTER (?n > 1) }",
}


def _texts(graph: Graph, node, prop, lang: str) -> str:
    return " ".join(str(o) for o in graph.objects(node, prop)
                    if getattr(o, "language", None) == lang)


def render() -> str:
    graph = Graph().parse(ontology.ONTOLOGY)
    lines = ["# The newskg ontology", "",
             "Generated from `newskg.ttl` by `scripts/ontology_doc.py`; a test keeps it in sync.",
             f"Namespace: `{NKG}` (prefix `nkg:`). Entities live under",
             "`https://w3id.org/newskg/entity/`, articles under `.../article/`, statements under",
             "`.../statement/` and events under `.../event/`. Every example runs with",
             "`newskg query out/graph.ttl '...'`, where these prefixes are bound.", ""]
    sections = [("Classes", [OWL.Class]),
                ("Properties", [OWL.ObjectProperty, OWL.DatatypeProperty])]
    for title, kinds in sections:
        lines += [f"## {title}", ""]
        terms = sorted({s for k in kinds for s in graph.subjects(RDF.type, k)
                        if str(s).startswith(NKG)}, key=str)
        for term in terms:
            name = str(term)[len(NKG):]
            kinds_of = sorted(str(o).rsplit("#", 1)[-1] for o in graph.objects(term, RDF.type))
            lines.append(f"### `nkg:{name}` — {_texts(graph, term, RDFS.label, 'en')}"
                         f" / {_texts(graph, term, RDFS.label, 'fr')}")
            lines.append("")
            lines.append(f"*{', '.join(kinds_of)}*" + "".join(
                f"; {label} `{_short(o)}`" for label, p in (("domain", RDFS.domain),
                                                              ("range", RDFS.range),
                                                              ("subclass of", RDFS.subClassOf))
                for o in graph.objects(term, p)))
            lines.append("")
            lines.append(f"- en: {_texts(graph, term, RDFS.comment, 'en')}")
            lines.append(f"- fr: {_texts(graph, term, RDFS.comment, 'fr')}")
            lines.append("")
            lines += ["```sparql", EXAMPLES[name], "```", ""]
    return "\n".join(lines)


def _short(node: URIRef) -> str:
    text = str(node)
    for prefix, iri in (("nkg:", NKG), ("rdf:", str(RDF)), ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
                        ("prov:", "http://www.w3.org/ns/prov#")):
        if text.startswith(iri):
            return prefix + text[len(iri):]
    return text


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")

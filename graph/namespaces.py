"""The IRIs newskg mints, and the ontology's own names checked against ontology/newskg.ttl."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

NKG = Namespace("https://w3id.org/newskg/ontology#")
ENTITY = Namespace("https://w3id.org/newskg/entity/")
ARTICLE = Namespace("https://w3id.org/newskg/article/")
STATEMENT = Namespace("https://w3id.org/newskg/statement/")
EVENT = Namespace("https://w3id.org/newskg/event/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {"nkg": NKG, "entity": ENTITY, "article": ARTICLE, "stmt": STATEMENT, "event": EVENT, "wd": WD,
            "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "prov": PROV,
            "dcterms": DCTERMS, "skos": SKOS}

CLASS_OF_TYPE = {"person": NKG.Person, "country": NKG.Country, "city": NKG.City,
                 "organization": NKG.Organization, "seat": NKG.Seat}


def bind(graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)

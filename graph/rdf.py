"""Facts to an RDF graph that follows shared/eval/CONTRACT.md.

One reified rdf:Statement per fact, derived from its article (PROV-O), with
status, date, evidence and rule; the plain triple too unless the fact is negated.
IRIs are minted from stable identifiers only, so the same input gives the same graph.
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

from extractors.facts import Article, Entity, Fact

from .events import group_events
from .namespaces import ARTICLE, CLASS_OF_TYPE, ENTITY, EVENT, NKG, STATEMENT, WD, bind

DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def entity_iri(entity: Entity) -> URIRef:
    return ENTITY[entity.id]


def article_iri(article_id: str) -> URIRef:
    return ARTICLE[_safe(article_id)]


def _safe(identifier: str) -> str:
    """An IRI segment from any identifier: kept if plain, else a readable hash."""
    plain = all(c.isascii() and (c.isalnum() or c in "-_.") for c in identifier)
    if plain and identifier:
        return identifier
    digest = hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:12]
    kept = "".join(c for c in identifier if c.isascii() and (c.isalnum() or c in "-_"))[:40]
    return f"{kept}-{digest}" if kept else digest


def date_literal(value: str) -> Literal:
    return Literal(value, datatype=DATE_TYPES[len(value)])


def statement_iri(fact: Fact) -> URIRef:
    key = "|".join([fact.article, fact.relation, fact.subject.id, fact.object.id, fact.status,
                    str(fact.start_char), fact.rule, fact.date])
    return STATEMENT[hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]]


def add_entity(graph: Graph, entity: Entity, entities: dict[str, Entity]) -> None:
    node = entity_iri(entity)
    graph.add((node, RDF.type, CLASS_OF_TYPE.get(entity.type, NKG.Entity)))
    graph.add((node, RDFS.label, Literal(entity.label_fr, lang="fr")))
    if entity.label_en:
        graph.add((node, RDFS.label, Literal(entity.label_en, lang="en")))
    if entity.qid:
        graph.add((node, OWL.sameAs, WD[entity.qid]))
    if entity.country and entity.country in entities:
        graph.add((node, NKG.inCountry, entity_iri(entities[entity.country])))


def add_article(graph: Graph, article: Article) -> None:
    node = article_iri(article.id)
    graph.add((node, RDF.type, NKG.Article))
    graph.add((node, DCTERMS.identifier, Literal(article.id)))
    if article.date:
        graph.add((node, DCTERMS.date, date_literal(article.date)))
    if article.title:
        graph.add((node, DCTERMS.title, Literal(article.title)))
    for source in sorted(set(article.sources or ([article.source] if article.source else []))):
        graph.add((node, NKG.sourceFile, Literal(source)))
    if URL.match(article.url or ""):
        graph.add((node, DCTERMS.source, URIRef(article.url)))


def add_fact(graph: Graph, fact: Fact) -> None:
    node = statement_iri(fact)
    subject, predicate, obj = entity_iri(fact.subject), NKG[fact.relation], entity_iri(fact.object)
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    graph.add((node, PROV.wasDerivedFrom, article_iri(fact.article)))
    graph.add((node, NKG.status, NKG[fact.status]))
    graph.add((node, NKG.rule, Literal(fact.rule)))
    graph.add((node, NKG.evidence, Literal(fact.sentence)))
    graph.add((node, NKG.evidenceStart, Literal(fact.start_char)))
    graph.add((node, NKG.evidenceEnd, Literal(fact.end_char)))
    if fact.date:
        graph.add((node, NKG.date, date_literal(fact.date)))
        graph.add((node, NKG.dateSource, Literal(fact.date_source)))
    if fact.location is not None:
        graph.add((node, NKG.location, entity_iri(fact.location)))
    if fact.organization is not None:
        graph.add((node, NKG.organization, entity_iri(fact.organization)))
    if fact.status != "negated":
        graph.add((subject, predicate, obj))


def add_event(graph: Graph, event, entities: dict[str, Entity]) -> None:
    """One node per event; each statement reporting it points to it with nkg:event."""
    node = EVENT[event.id]
    graph.add((node, RDF.type, NKG.Event))
    graph.add((node, NKG.eventType, NKG[event.relation]))
    names = " – ".join(entities[p].label_fr if p in entities else p for p in event.participants)
    graph.add((node, RDFS.label, Literal(f"{event.relation}: {names}"
                                         + (f" ({event.date})" if event.date else ""), lang="fr")))
    for participant in event.participants:
        graph.add((node, NKG.participant, ENTITY[participant]))
    if event.date:
        graph.add((node, NKG.date, date_literal(event.date)))
    graph.add((node, NKG.reportCount, Literal(len(event.articles))))
    for fact in event.facts:
        graph.add((statement_iri(fact), NKG.event, node))
        if fact.location is not None:
            graph.add((node, NKG.location, entity_iri(fact.location)))


def build_graph(articles: list[Article], facts: list[Fact],
                entities: dict[str, Entity]) -> Graph:
    """The whole graph; `entities` also supplies the countries that cities lie in."""
    graph = Graph()
    bind(graph)
    for article in articles:
        add_article(graph, article)
    used: dict[str, Entity] = {}
    for fact in facts:
        add_fact(graph, fact)
        for entity in (fact.subject, fact.object, fact.location, fact.organization):
            if entity is not None:
                used[entity.id] = entity
    for event in group_events(facts):
        add_event(graph, event, used)
    for entity in list(used.values()):
        if entity.country and entity.country in entities:
            used.setdefault(entity.country, entities[entity.country])
    for entity in used.values():
        add_entity(graph, entity, used)
    return graph

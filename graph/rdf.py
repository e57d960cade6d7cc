"""Facts to RDF that follows shared/eval/CONTRACT.md.

One reified rdf:Statement per fact, derived from its article (PROV-O), with
status, date, evidence and rule; the plain triple too unless the fact is negated.
IRIs are minted from stable identifiers only, so the same input gives the same graph.

Triples are made as Oxigraph quads of the default graph, which a store takes as they
are (about 2 ms an article, against 18 ms through rdflib); `build_graph` gives an rdflib Graph of them for small graphs and scripts.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef

from newskg.extractors.facts import SYMMETRIC, Article, Entity, Fact

from .events import Event, group_events
from .namespaces import ARTICLE, CLASS_OF_TYPE, ENTITY, EVENT, NKG, STATEMENT, WD, bind

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DATE_TYPES = {10: "date", 7: "gYearMonth", 4: "gYear"}
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


TYPE, LABEL, SAME_AS = _n(RDF + "type"), _n(RDFS + "label"), _n(OWL + "sameAs")
STATEMENT_CLASS = _n(RDF + "Statement")
SUBJECT, PREDICATE, OBJECT = _n(RDF + "subject"), _n(RDF + "predicate"), _n(RDF + "object")
DERIVED = _n(PROV + "wasDerivedFrom")
N = {name: _n(NKG[name]) for name in (
    "status", "rule", "evidence", "evidenceStart", "evidenceEnd", "date", "dateSource",
    "location", "organization", "inCountry", "Article", "Entity", "Event", "eventType",
    "participant", "attendee", "country", "denies", "reportCount", "event", "sourceFile", "occurred", "planned", "negated",
    "visits", "alliedWith", "summitAt", "meets", "leaderOf")}
INTEGER, STRING = _n(XSD + "integer"), _n(XSD + "string")


def entity_iri(entity: Entity) -> URIRef:
    return ENTITY[entity.id]


def article_iri(article_id: str) -> URIRef:
    return ARTICLE[_safe(article_id)]


# the nodes the build makes by the hundred thousand: straight from strings, the entities'
# and articles' ones kept (an rdflib URIRef checked and then converted cost a third of the
# time of making a statement's triples)
_ENTITY, _ARTICLE, _STATEMENT, _EVENT = str(ENTITY), str(ARTICLE), str(STATEMENT), str(EVENT)


@lru_cache(maxsize=1 << 16)
def entity_node(entity_id: str) -> ox.NamedNode:
    return ox.NamedNode(_ENTITY + entity_id)


@lru_cache(maxsize=1 << 12)
def article_node(article_id: str) -> ox.NamedNode:
    return ox.NamedNode(_ARTICLE + _safe(article_id))


PLAIN = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _safe(identifier: str) -> str:
    """An IRI segment from any identifier: kept if plain, else a readable hash.

    Plain is what every Turtle reader takes as a prefixed name without escapes: ASCII
    letters, digits, "-", "_" and "." inside, never "." at the end nor "-" or "." at the
    start (Oxigraph writes `article:a\\.`, which rdflib cannot read)."""
    if PLAIN.fullmatch(identifier):
        return identifier
    digest = hashlib.sha1(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    kept = "".join(c for c in identifier if c.isascii() and (c.isalnum() or c in "-_"))
    kept = kept.lstrip("-")[:40]
    return f"{kept}-{digest}" if kept else digest


def url_node(url: str) -> ox.NamedNode | None:
    """The article's address as an IRI, or None when it is not one every parser reads
    (a stray "%", a second "#", a control character, a lone surrogate: Oxigraph refuses
    those, and a build stopped on the first)."""
    if not URL.match(url or ""):
        return None
    try:
        return ox.NamedNode(url)
    except ValueError:          # UnicodeEncodeError too
        return None


DATE_DATATYPES = {length: _n(XSD + name) for length, name in DATE_TYPES.items()}


def date_term(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=DATE_DATATYPES[len(value)])


def statement_id(fact: Fact) -> str:
    key = "|".join([fact.article, fact.relation, fact.subject.id, fact.object.id, fact.status,
                    str(fact.start_char), fact.rule, fact.date])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def statement_iri(fact: Fact) -> URIRef:
    return STATEMENT[statement_id(fact)]


def statement_node(fact: Fact) -> ox.NamedNode:
    return ox.NamedNode(_STATEMENT + statement_id(fact))


def entity_triples(entity: Entity, entities: dict[str, Entity]) -> Iterator[ox.Quad]:
    node = entity_node(entity.id)
    yield ox.Quad(node, TYPE, _n(CLASS_OF_TYPE.get(entity.type, NKG.Entity)))
    yield ox.Quad(node, LABEL, ox.Literal(entity.label_fr, language="fr"))
    if entity.label_en:
        yield ox.Quad(node, LABEL, ox.Literal(entity.label_en, language="en"))
    if entity.qid:
        yield ox.Quad(node, SAME_AS, _n(WD[entity.qid]))
    if entity.country and entity.country in entities:
        yield ox.Quad(node, N["inCountry"], entity_node(entity.country))


def article_triples(article: Article) -> Iterator[ox.Quad]:
    node = article_node(article.id)
    yield ox.Quad(node, TYPE, N["Article"])
    yield ox.Quad(node, _n(DCT + "identifier"), ox.Literal(article.id))
    if article.date:
        yield ox.Quad(node, _n(DCT + "date"), date_term(article.date))
    if article.title:
        yield ox.Quad(node, _n(DCT + "title"), ox.Literal(article.title))
    yield from source_triples(article.id, sorted(set(article.sources or (
        [article.source] if article.source else []))))
    if (source := url_node(article.url)) is not None:
        yield ox.Quad(node, _n(DCT + "source"), source)


def source_triples(article_id: str, sources: Iterable[str]) -> Iterator[ox.Quad]:
    """The files an article's text was read from (one text may come under several names)."""
    node = article_node(article_id)
    for source in sources:
        yield ox.Quad(node, N["sourceFile"], ox.Literal(source))


def fact_triples(fact: Fact, node: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
    """`node`: the statement's node, when the caller has made it already."""
    node = node or statement_node(fact)
    subject, predicate = entity_node(fact.subject.id), N[fact.relation]
    obj = entity_node(fact.object.id)
    yield ox.Quad(node, TYPE, STATEMENT_CLASS)
    yield ox.Quad(node, SUBJECT, subject)
    yield ox.Quad(node, PREDICATE, predicate)
    yield ox.Quad(node, OBJECT, obj)
    yield ox.Quad(node, DERIVED, article_node(fact.article))
    yield ox.Quad(node, N["status"], N[fact.status])
    yield ox.Quad(node, N["rule"], ox.Literal(fact.rule))
    yield ox.Quad(node, N["evidence"], ox.Literal(fact.sentence))
    yield ox.Quad(node, N["evidenceStart"], ox.Literal(str(fact.start_char), datatype=INTEGER))
    yield ox.Quad(node, N["evidenceEnd"], ox.Literal(str(fact.end_char), datatype=INTEGER))
    if fact.date:
        yield ox.Quad(node, N["date"], date_term(fact.date))
        yield ox.Quad(node, N["dateSource"], ox.Literal(fact.date_source))
    if fact.location is not None:
        yield ox.Quad(node, N["location"], entity_node(fact.location.id))
    if fact.organization is not None:
        yield ox.Quad(node, N["organization"], entity_node(fact.organization.id))
    # the plain triple says it happened: planned and denied facts are statements only,
    # and a symmetric relation holds both ways (shared/eval/CONTRACT.md, section 3)
    if fact.status == "occurred":
        yield ox.Quad(subject, predicate, obj)
        if fact.relation in SYMMETRIC:
            yield ox.Quad(obj, predicate, subject)


def event_triples(event: Event, labels: dict[str, str]) -> Iterator[ox.Quad]:
    """One node per event, with its status, place and (for a summit) its body and
    attendees; each statement reporting it points to it with nkg:event, each denying it
    with nkg:denies."""
    node = ox.NamedNode(_EVENT + event.id)
    yield ox.Quad(node, TYPE, N["Event"])
    yield ox.Quad(node, N["eventType"], N[event.relation])
    if event.relation == "summitAt":
        where = labels.get(event.country, event.country)
        body = labels.get(event.organization, "") if event.organization else ""
        label = f"sommet{' ' + body if body else ''} ({where})"
    else:
        names = " – ".join(labels.get(p, p) for p in event.participants)
        label = f"{event.relation}: {names}"
    label += f" ({event.date})" if event.date else ""
    yield ox.Quad(node, LABEL, ox.Literal(label, language="fr"))
    yield ox.Quad(node, N["status"], N[event.status])
    for participant in event.participants:
        yield ox.Quad(node, N["participant"], entity_node(participant))
    for attendee in event.attendees:
        yield ox.Quad(node, N["attendee"], entity_node(attendee))
    if event.organization:
        yield ox.Quad(node, N["organization"], entity_node(event.organization))
    if event.country:
        yield ox.Quad(node, N["country"], entity_node(event.country))
    if event.city:
        yield ox.Quad(node, N["location"], entity_node(event.city))
    if event.date:
        yield ox.Quad(node, N["date"], date_term(event.date))
    yield ox.Quad(node, N["reportCount"], ox.Literal(str(len(event.articles)), datatype=INTEGER))
    # a statement an article repeats word for word is one statement: linked once
    for statement in dict.fromkeys(statement_id(fact) for fact in event.facts):
        yield ox.Quad(ox.NamedNode(_STATEMENT + statement), N["event"], node)
    for statement in dict.fromkeys(statement_id(fact) for fact in event.denials):
        yield ox.Quad(ox.NamedNode(_STATEMENT + statement), N["denies"], node)


def used_entities(facts: Iterable[Fact], entities: dict[str, Entity]) -> dict[str, Entity]:
    """The entities facts name, with the countries their cities lie in."""
    used: dict[str, Entity] = {}
    for fact in facts:
        for entity in (fact.subject, fact.object, fact.location, fact.organization):
            if entity is not None:
                used[entity.id] = entity
    return with_countries(used, entities)


def with_countries(named: dict[str, Entity], entities: dict[str, Entity]) -> dict[str, Entity]:
    """Named entities, and the countries their cities lie in."""
    used = dict(named)
    for entity in list(used.values()):
        if entity.country and entity.country in entities:
            used.setdefault(entity.country, entities[entity.country])
    return used


def triples(articles: list[Article], facts: list[Fact],
            entities: dict[str, Entity]) -> Iterator[ox.Quad]:
    """Every triple of the graph of these articles and facts."""
    for article in articles:
        yield from article_triples(article)
    for fact in facts:
        yield from fact_triples(fact)
    used = used_entities(facts, entities)
    labels = {i: e.label_fr for i, e in used.items()}
    for event in group_events(facts):
        yield from event_triples(event, labels)
    for entity in used.values():
        yield from entity_triples(entity, used)


def build_graph(articles: list[Article], facts: list[Fact],
                entities: dict[str, Entity]) -> Graph:
    """The whole graph as rdflib; `entities` also supplies the countries cities lie in."""
    data = ox.serialize(triples(articles, facts, entities), format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    bind(graph)
    graph.parse(data=data, format="nt")
    return graph

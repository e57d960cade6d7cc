"""The entity network of an RDF graph as networkx: nodes are entities, edges are statements."""
from __future__ import annotations

import networkx as nx
from rdflib import Graph
from rdflib.namespace import OWL, PROV, RDF, RDFS, DCTERMS

from .namespaces import CLASS_OF_TYPE, NKG

TYPE_OF_CLASS = {v: k for k, v in CLASS_OF_TYPE.items()}
RELATIONS = ("visits", "alliedWith", "summitAt", "meets", "leaderOf")


def _label(graph: Graph, node) -> str:
    labels = {l.language: str(l) for l in graph.objects(node, RDFS.label)}
    return labels.get("fr") or labels.get("en") or next(iter(labels.values()), str(node))


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """One edge per statement, with its relation, status, date, article and evidence."""
    network = nx.MultiDiGraph()
    statements = sorted(graph.subjects(RDF.type, RDF.Statement), key=str)
    for statement in statements:
        predicate = graph.value(statement, RDF.predicate)
        relation = str(predicate).rsplit("#", 1)[-1]
        if relation not in RELATIONS:
            continue
        subject = graph.value(statement, RDF.subject)
        obj = graph.value(statement, RDF.object)
        for node in (subject, obj):
            if str(node) not in network:
                kind = next((TYPE_OF_CLASS[c] for c in graph.objects(node, RDF.type)
                             if c in TYPE_OF_CLASS), "entity")
                same = graph.value(node, OWL.sameAs)
                network.add_node(str(node), label=_label(graph, node), type=kind,
                                 wikidata=str(same) if same else "")
        article = graph.value(statement, PROV.wasDerivedFrom)
        status = graph.value(statement, NKG.status)
        date = graph.value(statement, NKG.date)
        network.add_edge(str(subject), str(obj), key=str(statement), relation=relation,
                         status=str(status).rsplit("#", 1)[-1] if status else "",
                         date=str(date) if date else "",
                         article=str(graph.value(article, DCTERMS.identifier) or ""),
                         evidence=str(graph.value(statement, NKG.evidence) or ""))
    return network

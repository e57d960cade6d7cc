"""The entity network as one self-contained HTML page that works offline.

pyvis assembles the nodes, edges and options and ships vis-network, which is
inlined into our own template (pyvis's template fetches Bootstrap from a CDN).
The data is embedded as JSON with <, > and & escaped, so article text can never
become markup; the page puts text into the document with textContent only.
Above LAYOUT_THRESHOLD nodes the positions are computed ahead with networkx and
live physics is off, so large graphs stay responsive.
"""
from __future__ import annotations

import bisect
import json
from collections import defaultdict
from pathlib import Path

import networkx as nx

NODE_STYLE = {"person": ("#e4572e", "dot", "personne"), "country": ("#17bebb", "diamond", "pays"),
              "city": ("#76b041", "triangle", "ville"),
              "organization": ("#ffc914", "square", "organisation"),
              "seat": ("#8d6a9f", "star", "siège du pouvoir"), "entity": ("#999999", "dot", "autre")}
EDGE_STYLE = {"visits": ("#2e86ab", "se rend en"), "alliedWith": ("#a23b72", "allié de"),
              "summitAt": ("#f18f01", "sommet en"), "meets": ("#c73e1d", "rencontre"),
              "leaderOf": ("#3b1f2b", "dirigeant de")}
STATUS_LABELS = {"occurred": "a eu lieu", "planned": "prévu", "negated": "démenti / annulé"}
# how a link's status shows: a planned fact dashed in its relation's colour; a denied one
# grey, dotted and marked ✗, so that it cannot be taken for one that happened
STATUS_STYLE = {"occurred": {"color": "", "dashes": False, "mark": ""},
                "planned": {"color": "", "dashes": [10, 6], "mark": ""},
                "negated": {"color": "#9a9a9a", "dashes": [2, 5], "mark": "✗ "}}
SHAPE_FR = {"dot": "rond", "diamond": "losange", "triangle": "triangle", "square": "carré",
            "star": "étoile"}
LAYOUT_THRESHOLD = 300
TEMPLATE = Path(__file__).resolve().parent / "templates" / "page.html"


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def _script_json(value) -> str:
    """JSON that is safe inside <script>: no <, > or & can end the element."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def layout(network: nx.Graph) -> dict:
    """Positions computed ahead for large graphs (stable: a fixed seed, rounded)."""
    simple = nx.Graph(network)
    iterations = 10 if len(simple) > 2000 else 30
    positions = nx.spring_layout(simple, seed=0, iterations=iterations,
                                 scale=40 * len(simple) ** 0.5)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in positions.items()}


LISTED = 25   # facts listed in an edge's hover card; the count says how many there are


def _edge_rows(network: nx.MultiDiGraph):
    for source, target, data in network.edges(data=True):
        yield {"subject": source, "object": target, **data}


class PageData:
    """Statements grouped into the page's links as they come: for each link a count, its
    dates and its first LISTED facts, so memory grows with links, never with statements."""

    def __init__(self):
        self.counts: dict[tuple, int] = defaultdict(int)
        self.listed: dict[tuple, list] = defaultdict(list)
        self.dates: dict[tuple, set] = defaultdict(set)
        self.articles: dict[tuple, set] = defaultdict(set)
        self.events: dict[tuple, set] = defaultdict(set)    # link -> events its statements report

    def add_event(self, event) -> None:
        """An event, once grouped: each link one of its reports is on counts it once."""
        from .namespaces import ENTITY

        for fact in event.facts:
            key = (str(ENTITY[fact.subject.id]), str(ENTITY[fact.object.id]), fact.relation,
                   fact.status)
            self.events[key].add(event.id)

    def add(self, row: dict) -> None:
        key = (row["subject"], row["object"], row["relation"], row.get("status", ""))
        self.counts[key] += 1
        self.dates[key].add(row["date"])
        self.articles[key].add(row["article"])
        if row.get("event"):        # read back from a graph: the event it points to
            self.events[key].add(row["event"].rsplit("/", 1)[-1])
        items, item = self.listed[key], (row["date"], row["article"], row["evidence"])
        if len(items) < LISTED:
            bisect.insort(items, item)
        elif item < items[-1]:          # the first LISTED in order, whatever comes later
            bisect.insort(items, item)
            items.pop()

    def data(self, nodes_data: dict[str, dict]) -> dict:
        """Nodes, links and options, as the page's script reads them."""
        return _assemble(nodes_data, self.counts, self.listed, self.dates, self.articles,
                         self.events)


def page_data(graph) -> dict:
    """Nodes, grouped edges and options, as the page's script reads them.

    `graph` is a networkx view (graph.network.to_networkx) or a store or rdflib graph,
    whose statements are then streamed and grouped without building a network first.
    """
    from .network import entities, statements

    if isinstance(graph, nx.Graph):
        nodes_data = {n: dict(d) for n, d in graph.nodes(data=True)}
        rows = _edge_rows(graph)
    else:
        nodes_data, rows = entities(graph), statements(graph)
    page = PageData()
    for row in rows:
        page.add(row)
    return page.data(nodes_data)


def _assemble(nodes_data: dict, counts: dict, listed: dict, dates: dict,
              articles: dict | None = None, events: dict | None = None) -> dict:
    from pyvis.network import Network

    assembled = Network(directed=True)
    shown = sorted({n for key in counts for n in key[:2]})
    facts = defaultdict(int)
    for (source, target, _, _), count in counts.items():
        facts[source] += count
        facts[target] += count
    positions = {}
    if len(shown) > LAYOUT_THRESHOLD:
        simple = nx.Graph()
        simple.add_nodes_from(shown)
        simple.add_edges_from(key[:2] for key in counts)
        positions = layout(simple)
    for node in shown:
        data = nodes_data.get(node, {"label": node, "type": "entity", "wikidata": ""})
        kind = data.get("type", "entity")
        color, shape, kind_fr = NODE_STYLE.get(kind, NODE_STYLE["entity"])
        wikidata = data.get("wikidata", "")
        hover = (f"{data['label']}\n{kind_fr}\n"
                 f"{wikidata or 'pas de lien Wikidata'}\n{facts[node]} énoncés")
        extra = {"x": positions[node][0], "y": positions[node][1]} if node in positions else {}
        assembled.add_node(node, label=data["label"], title=hover, color=color, shape=shape,
                           size=round(8 + 4 * facts[node] ** 0.5, 1), kind=kind_fr,
                           facts=facts[node], wikidata=wikidata, **extra)
    # links between the same two entities are drawn apart: curved, alternately to each side
    parallel: dict[frozenset, list] = defaultdict(list)
    for key in sorted(counts):
        parallel[frozenset(key[:2])].append(key)
    bend = {}
    for keys in parallel.values():
        for k, key in enumerate(keys):
            if len(keys) > 1:
                bend[key] = {"enabled": True, "type": "curvedCW" if k % 2 == 0 else "curvedCCW",
                             "roundness": round(0.15 + 0.15 * (k // 2), 2)}
    for n, key in enumerate(sorted(counts)):
        source, target, relation, status = key
        count, items = counts[key], listed[key]
        color, label = EDGE_STYLE.get(relation, ("#666666", relation))
        sources = len((articles or {}).get(key, ())) or len({a for _, a, _ in items})
        happened = len((events or {}).get(key, ()))
        said = f"{count} énoncé{'s' if count > 1 else ''} dans {sources} article" \
            + ("s" if sources > 1 else "")
        if relation in ("visits", "meets", "summitAt") and status != "negated":
            said = f"{happened} événement{'s' if happened > 1 else ''}, " + said
        lines = [f"{label} ({STATUS_LABELS.get(status, status)}) : {said}"] + [
            f"• {date or 'sans date'} · {article} · {evidence}" for date, article, evidence in items]
        if count > len(items):
            lines.append(f"… et {count - len(items)} autres énoncés")
        style = STATUS_STYLE[status] if status in STATUS_STYLE else STATUS_STYLE["occurred"]
        assembled.add_edge(source, target, id=f"e{n}", relation=relation, status=status,
                           dates=sorted(dates[key]), title="\n".join(lines),
                           label=(style["mark"] + label).strip(),
                           color=style["color"] or color, dashes=style["dashes"],
                           width=1 + min(count, 6),
                           smooth=bend.get(key, {"enabled": False}),
                           arrows="" if relation in ("alliedWith", "meets") else "to",
                           hidden=status == "negated")
    physics = not positions
    options = {"physics": {"enabled": physics, "stabilization": {"iterations": 250},
                           "barnesHut": {"gravitationalConstant": -12000, "avoidOverlap": 0.4,
                                         "springLength": 170}},
               # a fixed seed: the same graph is laid out the same way at every opening
               "layout": {"improvedLayout": len(shown) <= 100, "randomSeed": 7},
               "edges": {"font": {"size": 11, "align": "middle"}, "smooth": False},
               "nodes": {"font": {"size": 14}},
               "interaction": {"hover": True, "tooltipDelay": 150}}
    kinds_shown = {nodes_data.get(n, {}).get("type", "entity") for n in shown}
    relations_shown = {key[2] for key in counts}
    statuses_shown = {key[3] for key in counts}
    nodes, edges, *_ = assembled.get_network_data()
    for edge in edges:      # pyvis names the ends "from"/"to" already; keep our ids
        edge.setdefault("id", f"{edge['from']}->{edge['to']}")
    return {"nodes": nodes, "edges": edges, "options": options,
            "relations": list(EDGE_STYLE), "relationLabels": {k: v[1] for k, v in EDGE_STYLE.items()},
            "statuses": list(STATUS_LABELS), "statusLabels": STATUS_LABELS,
            # the legend lists only the kinds the page shows
            "legendNodes": [{"label": v[2], "color": v[0], "shape": SHAPE_FR[v[1]]}
                            for k, v in NODE_STYLE.items() if k in kinds_shown],
            "legendEdges": [{"label": v[1], "color": v[0]} for k, v in EDGE_STYLE.items()
                            if k in relations_shown],
            "legendStatuses": [{"status": k, "label": STATUS_LABELS[k], **STATUS_STYLE[k]}
                               for k in STATUS_LABELS if k in statuses_shown]}


def render(graph, title: str = "newskg") -> str:
    """The whole page as a string; it needs nothing but itself to open."""
    return render_data(page_data(graph), title)


def render_data(data: dict, title: str = "newskg") -> str:
    """The page of data already grouped (page_data, or PageData during a build)."""
    from jinja2 import Template

    vis_js, vis_css = _vis_assets()
    template = Template(TEMPLATE.read_text(encoding="utf-8"), autoescape=False)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return template.render(title=safe_title, vis_js=vis_js.replace("</script", "<\\/script"),
                           vis_css=vis_css, data=_script_json(data))

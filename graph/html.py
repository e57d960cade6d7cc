"""The entity network as one self-contained HTML page (pyvis), with nothing fetched online."""
from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx

NODE_STYLE = {"person": ("#e4572e", "dot"), "country": ("#17bebb", "diamond"),
              "city": ("#76b041", "triangle"), "organization": ("#ffc914", "square"),
              "seat": ("#8d6a9f", "star"), "entity": ("#999999", "dot")}
EDGE_COLOR = {"visits": "#2e86ab", "alliedWith": "#a23b72", "summitAt": "#f18f01",
              "meets": "#c73e1d", "leaderOf": "#3b1f2b"}
CDN = re.compile(r"<(?:link|script)\b[^>]*https?://[^>]*>(?:\s*</script>)?", re.S)


def render(network: nx.MultiDiGraph, title: str = "newskg") -> str:
    """HTML for the network: negated facts left out, repeated facts drawn once with a count."""
    from pyvis.network import Network

    page = Network(height="90vh", width="100%", directed=True, cdn_resources="in_line",
                   heading="")
    grouped = defaultdict(list)
    for source, target, data in network.edges(data=True):
        if data.get("status") == "negated":
            continue
        grouped[(source, target, data["relation"])].append(data)
    shown = sorted({n for key in grouped for n in key[:2]})
    degree = dict(network.degree())
    for node in shown:
        data = network.nodes[node]
        color, shape = NODE_STYLE.get(data.get("type", "entity"), NODE_STYLE["entity"])
        hover = f"{data['label']}\n{data.get('type', '')}\n{data.get('wikidata') or 'not linked'}" \
                f"\n{degree.get(node, 0)} facts"
        page.add_node(node, label=data["label"], title=hover, color=color, shape=shape,
                      size=10 + 3 * min(degree.get(node, 0), 20))
    for (source, target, relation), facts in sorted(grouped.items()):
        planned = all(f["status"] == "planned" for f in facts)
        lines = [f"{relation} ×{len(facts)}"] + [
            f"[{f['status']}] {f['date'] or 'no date'} {f['article']}: {f['evidence']}"
            for f in sorted(facts, key=lambda f: (f["article"], f["date"], f["evidence"]))]
        page.add_edge(source, target, label=relation if len(facts) == 1 else
                      f"{relation} ×{len(facts)}", title="\n".join(lines),
                      color=EDGE_COLOR.get(relation, "#666666"), dashes=planned,
                      arrows="" if relation in ("alliedWith", "meets") else "to")
    page.set_options('{"physics": {"stabilization": {"iterations": 300}}, '
                     '"edges": {"font": {"size": 10}, "smooth": false}}')
    html = page.generate_html()
    html = CDN.sub("", html)
    return html.replace("<head>", f"<head>\n<title>{_escape(title)}</title>", 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""Writes notebooks/explore.ipynb from the cells below, outputs stripped.

The notebook is data in git; this script is where its cells are edited, so that
diffs stay readable. `python scripts/make_notebook.py`; a test checks they agree.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"

CELLS = [
    ("markdown", """# Exploring a newskg graph

This notebook builds the knowledge graph of the five seed articles through newskg's Python
API, asks it the ready SPARQL questions of `queries/` into pandas tables, studies the
network with networkx (who travels most, which countries receive most visits, who is
central, which countries are allied), draws a timeline of visits coloured by status, and
shows the interactive page. Point `ARTICLES` at your own folder to start your analysis."""),
    ("code", """from pathlib import Path
import io

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from newskg.graph.network import to_networkx
from newskg.graph.store import open_graph
from newskg.pipeline import build
from newskg.query import run

ROOT = Path.cwd() if (Path.cwd() / "seeds").exists() else Path.cwd().parent
ARTICLES = ROOT / "seeds"
OUT = ROOT / "out" / "notebook"
QUERIES = ROOT / "queries\""""),
    ("markdown", "## Build the graph\n\nOne call reads the articles, extracts the facts and writes "
                 "`graph.ttl` and `graph.html`."),
    ("code", """report = build([ARTICLES], OUT)
print(report.summary())
store = open_graph(OUT / "graph.ttl")"""),
    ("markdown", "## The ready queries, as tables\n\n`sparql` runs a query (a `.rq` file of "
                 "`queries/` or a string) and returns a DataFrame; `bind` gives a variable a value."),
    ("code", """def sparql(query, **bind):
    text = (QUERIES / query).read_text(encoding="utf-8") if query.endswith(".rq") else query
    return pd.read_csv(io.StringIO(run(store, text, "csv", bind)), dtype=str).fillna("")

trips = sparql("person-trips.rq", person="entity:vladimir-putin")
trips[["date", "countryName", "cityName", "status", "article"]]"""),
    ("code", """sparql("visits-to-country.rq", country="entity:kazakhstan")[["visitor", "date", "status", "article"]]"""),
    ("code", """sparql("planned-not-done.rq")"""),
    ("code", """sparql("alliances.rq")[["countryName", "allyName", "articles"]]"""),
    ("code", """sparql("summits.rq")[["personName", "countryName", "organizationName", "date", "status"]]"""),
    ("code", """sparql("leaders.rq")"""),
    ("markdown", "## Who travels most\n\nCounted in events that happened (`nkg:Event` with "
                 "status occurred), not in sentences: five articles repeating one trip count "
                 "it once, and an announced or denied trip does not count."),
    ("code", """made = sparql(\"\"\"SELECT ?traveller (COUNT(DISTINCT ?e) AS ?visits) WHERE {
  ?e nkg:eventType nkg:visits ; nkg:status nkg:occurred ; nkg:participant ?p .
  ?p a nkg:Person ; rdfs:label ?traveller . FILTER (lang(?traveller) = "fr")
} GROUP BY ?traveller ORDER BY DESC(?visits) ?traveller\"\"\")
made.head(10)"""),
    ("code", """received = sparql(\"\"\"SELECT ?country (COUNT(DISTINCT ?e) AS ?visits) WHERE {
  ?e nkg:eventType nkg:visits ; nkg:status nkg:occurred ; nkg:country ?c .
  ?c rdfs:label ?country . FILTER (lang(?country) = "fr")
} GROUP BY ?country ORDER BY DESC(?visits) ?country\"\"\")
received.head(10)"""),
    ("markdown", "## The network\n\nOne edge per statement; denied facts are left out."),
    ("code", """network = to_networkx(store)
facts = nx.MultiDiGraph()
facts.add_nodes_from(network.nodes(data=True))
facts.add_edges_from((s, t, d) for s, t, d in network.edges(data=True) if d["status"] != "negated")
label = lambda node: network.nodes[node]["label"]"""),
    ("code", """simple = nx.Graph(facts)
centrality = pd.DataFrame({
    "degree": nx.degree_centrality(simple),
    "betweenness": nx.betweenness_centrality(simple),
}).rename(index=label).sort_values("betweenness", ascending=False)
centrality.head(10).round(3)"""),
    ("code", """alliances = nx.Graph((label(s), label(t)) for s, t, d in facts.edges(data=True)
                     if d["relation"] == "alliedWith")
print(sorted(alliances.degree, key=lambda item: -item[1]))
print([sorted(component) for component in nx.connected_components(alliances)])"""),
    ("markdown", "## A timeline of visits, coloured by status\n\nDates are as precise as the "
                 "articles allow; a month is drawn on its first day. Undated visits are left out."),
    ("code", """visits = sparql("visits-to-country.rq")
visits = visits[visits["date"] != ""].copy()
visits["when"] = pd.to_datetime(visits["date"].str.pad(10, side="right", fillchar="-")
                                 .str.replace("-{1,}$", "", regex=True), format="mixed")
colours = {"occurred": "tab:green", "planned": "tab:blue", "negated": "tab:red"}
people = sorted(visits["visitor"].unique())
fig, ax = plt.subplots(figsize=(10, 0.5 + 0.45 * len(people)))
for status, group in visits.groupby("status"):
    ax.scatter(group["when"], group["visitor"].map(people.index), c=colours[status],
               label=status, s=60, alpha=0.8)
ax.set_yticks(range(len(people)), people)
ax.set_xlabel("date")
ax.legend(title="status")
ax.set_title("Visits by date and traveller")
fig.tight_layout()
plt.show()"""),
    ("markdown", "## The interactive page\n\nThe same page as `graph.html`, inline."),
    ("code", """import os
from IPython.display import IFrame
IFrame(src=os.path.relpath(OUT / "graph.html"), width="100%", height=650)"""),
]


def notebook() -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown"
             else nbformat.v4.new_code_cell(text) for kind, text in CELLS]
    for n, cell in enumerate(cells):
        cell["id"] = f"cell-{n:02d}"
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"},
                     "language_info": {"name": "python"}}
    return book


if __name__ == "__main__":
    OUT.parent.mkdir(exist_ok=True)
    nbformat.write(notebook(), OUT)
    print(f"wrote {OUT}")

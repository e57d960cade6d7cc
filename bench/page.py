"""Builds the graph page of a synthetic network of N entities and times it in Chromium.

    python bench/page.py 5000

Prints the time to render the page in Python (layout included) and the time from
navigation until the page is ready and drawn in headless Chromium.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newskg.extractors.facts import Article, Entity, Fact  # noqa: E402
from newskg.graph.html import render  # noqa: E402
from newskg.graph.network import to_networkx  # noqa: E402
from newskg.graph.rdf import build_graph  # noqa: E402
from tests.browser import launch_options  # noqa: E402


def synthetic(entities: int, seed: int = 3):
    rng = random.Random(seed)
    countries = [Entity(f"country-{i}", "country", f"Pays {i}") for i in range(entities // 10)]
    people = [Entity(f"person-{i}", "person", f"Personne {i}") for i in range(entities - len(countries))]
    articles = [Article(f"a{i}", "", "2024-01") for i in range(entities // 5)]
    facts = []
    for i, person in enumerate(people):
        for _ in range(2):
            relation = rng.choice(["visits", "meets", "leaderOf", "summitAt"])
            obj = rng.choice(people) if relation == "meets" else rng.choice(countries)
            facts.append(Fact(rng.choice(articles).id, relation, person, obj,
                              rng.choice(["occurred", "planned", "negated"]), "bench",
                              f"Phrase {i}.", 0, 10, f"2024-{rng.randint(1, 12):02d}", "text"))
    return articles, facts


def main(size: int) -> None:
    from playwright.sync_api import sync_playwright

    articles, facts = synthetic(size)
    start = time.perf_counter()
    network = to_networkx(build_graph(articles, facts, {}))
    graph_time = time.perf_counter() - start
    start = time.perf_counter()
    page_html = render(network, title=f"{size} entities")
    render_time = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page_html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function("window.newskgReady === true && window.stabilized === true",
                                   timeout=600_000)
            ready = time.perf_counter() - start
            page.fill("#search", "Personne 7")
            start = time.perf_counter()
            page.dispatch_event("#search", "change")
            page.uncheck('input[data-group="relations"][value="visits"]')
            filtered = time.perf_counter() - start
            nodes = page.evaluate("network.body.data.nodes.length")
            edges = page.evaluate("network.body.data.edges.length")
            browser.close()
    print(f"entities on the page: {nodes}, edges: {edges}, page size: {len(page_html) / 1e6:.1f} MB")
    print(f"graph and networkx: {graph_time:.1f} s; render with layout: {render_time:.1f} s")
    print(f"headless Chromium, navigation to ready: {ready:.1f} s; search + filter: {filtered:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)

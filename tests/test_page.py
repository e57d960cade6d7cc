"""The graph page in a real browser: Debian's Chromium driven by Playwright.

Nothing is skipped: CI installs Chromium (.ci/run), and a missing browser fails.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from playwright.sync_api import sync_playwright

from extractors.facts import Article, Entity, Fact
from graph.html import LISTED, PageData, render
from graph.network import to_networkx
from graph.rdf import build_graph

CHROMIUM = os.environ.get("NEWSKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def open_page(browser, path: Path):
    """Load a page; record console errors and every request it makes."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.add_init_script("window.alert = function () { window.__alerted = true; };")
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.newskgReady === true && window.stabilized === true",
                           timeout=60_000)
    return page


@pytest.mark.model
def test_seed_page_loads_offline_without_errors(browser, seed_build):
    page = open_page(browser, seed_build[0] / "graph.html")
    assert page.errors == []
    assert page.requests and all(u.startswith(("file://", "data:")) for u in page.requests), \
        page.requests
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seeds-graph.png"))
    page.close()


@pytest.mark.model
def test_page_holds_exactly_the_graphs_nodes_and_edges(browser, seed_build):
    from graph.store import open_graph

    network = to_networkx(open_graph(seed_build[0] / "graph.ttl"))
    expected_edges = {(s, t, d["relation"], d["status"]) for s, t, d in network.edges(data=True)}
    expected_nodes = {n for s, t, _, _ in expected_edges for n in (s, t)}
    page = open_page(browser, seed_build[0] / "graph.html")
    nodes = set(page.evaluate("network.body.data.nodes.getIds()"))
    edges = page.evaluate("network.body.data.edges.get().map(e => [e.from, e.to, e.relation, e.status])")
    assert nodes == expected_nodes
    assert {tuple(e) for e in edges} == expected_edges
    assert len(edges) == len(expected_edges)     # repeated facts are drawn once
    page.close()


@pytest.mark.model
def test_filters_change_what_is_visible(browser, seed_build):
    page = open_page(browser, seed_build[0] / "graph.html")
    visible = lambda: page.evaluate(
        "network.body.data.edges.get().filter(e => !e.hidden).map(e => [e.relation, e.status])")
    before = visible()
    assert before and not any(status == "negated" for _, status in before)   # hidden by default
    assert any(relation == "visits" for relation, _ in before)
    page.uncheck('input[data-group="relations"][value="visits"]')
    after = visible()
    assert after and len(after) < len(before)
    assert not any(relation == "visits" for relation, _ in after)
    page.check('input[data-group="statuses"][value="negated"]')
    assert any(status == "negated" for _, status in visible())
    page.fill("#date-from", "2023-10")
    page.fill("#date-to", "2023-10")
    page.uncheck("#undated")
    dated = page.evaluate("network.body.data.edges.get().filter(e => !e.hidden)"
                          ".map(e => e.dates)")
    assert dated and all(any(d.startswith("2023-10") for d in dates) for dates in dated)
    page.fill("#search", "Vladimir Poutine")
    page.dispatch_event("#search", "change")
    selected = page.evaluate("network.getSelectedNodes()")
    assert "https://w3id.org/newskg/entity/vladimir-putin" in selected and len(selected) > 3
    page.close()


def test_article_text_shows_as_text_never_as_markup(browser, tmp_path):
    hostile = 'Le président est arrivé <script>alert(1)</script> à Minsk & "ailleurs" </script>.'
    person = Entity("x-person", "person", "<b>Personne</b>")
    country = Entity("belarus", "country", "Bélarus", "Belarus", "Q184")
    article = Article("a<1>", hostile, "2024-03")
    fact = Fact(article.id, "visits", person, country, "occurred", "test.rule", hostile,
                0, len(hostile), "2024-03", "text")
    graph = build_graph([article], [fact], {"belarus": country})
    path = tmp_path / "hostile.html"
    path.write_text(render(to_networkx(graph), title="<i>titre</i>"), encoding="utf-8")
    page = open_page(browser, path)
    assert page.errors == [] and page.evaluate("window.__alerted === true") is False
    assert page.evaluate("document.querySelectorAll('b, i').length") == 0
    assert page.evaluate("document.title") == "<i>titre</i>"
    edge = page.evaluate("network.body.data.edges.getIds()[0]")
    page.evaluate(f"network.selectEdges(['{edge}']); network.body.emitter.emit('click', "
                  f"{{nodes: [], edges: ['{edge}']}})")
    details = page.inner_text("#details")
    assert "<script>alert(1)</script>" in details and '& "ailleurs" </script>' in details
    node_label = page.evaluate("network.body.data.nodes.get('https://w3id.org/newskg/entity/x-person').label")
    assert node_label == "<b>Personne</b>"
    page.close()


# -- grouping statements into links --------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]),
                          st.sampled_from(["", "2023-11", "2024"]), st.integers(0, 60)),
                min_size=1, max_size=120), st.randoms())
def test_links_list_their_first_facts_whatever_the_order(rows, shuffle):
    """A link with more facts than LISTED shows the first LISTED in order, and counts all."""
    page_rows = [{"subject": s, "object": o, "relation": "meets", "status": "occurred",
                  "date": d, "article": f"art-{n:03d}", "evidence": f"phrase {n}"}
                 for s, o, d, n in rows]
    page = PageData()
    for row in page_rows:
        page.add(row)
    again = PageData()
    for row in shuffle.sample(page_rows, len(page_rows)):
        again.add(row)
    assert again.listed == page.listed and again.counts == page.counts
    for key, count in page.counts.items():
        mine = sorted((r["date"], r["article"], r["evidence"]) for r in page_rows
                      if (r["subject"], r["object"]) == key[:2])
        assert count == len(mine) and page.listed[key] == mine[:LISTED]


@pytest.mark.model
def test_the_build_draws_the_page_the_graph_gives(seed_build):
    """During a build the page is drawn from the facts as they stream; drawn again from
    the written graph, it is the same page, byte for byte."""
    from graph.store import open_graph

    out = seed_build[0]
    again = render(open_graph(out / "graph.ttl"), title="newskg — 5 articles")
    assert again == (out / "graph.html").read_text(encoding="utf-8")

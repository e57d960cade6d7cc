"""Incremental, parallel and distributed builds give the plain build's graph, byte for byte."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newskg.extractors.facts import Article, ArticleFacts
from newskg import pipeline
from newskg.pipeline import BATCH, BuildReport, build, facts_for
from tests.conftest import SEEDS


def test_articles_are_read_only_a_few_batches_ahead_of_the_graph():
    """However many articles come, the build holds a bounded window of them."""
    pulled = []

    def articles():
        for n in range(1000):
            pulled.append(n)
            yield Article(f"a{n}", "Texte.", "", f"a{n}.txt")

    class Recorder:
        window = 4

        def submit(self, batch):
            return pipeline._Done([ArticleFacts(article) for article in batch])

    ahead = []
    for done, article in enumerate(facts_for(articles(), Recorder(), None, BuildReport()), 1):
        ahead.append(len(pulled) - done)
    assert done == 1000 and max(ahead) <= (Recorder.window + 1) * BATCH


@pytest.mark.model
def test_a_rebuild_from_the_cache_loads_no_model(extraction, tmp_path, monkeypatch, seed_build):
    cache = tmp_path / "cache"
    build([SEEDS], tmp_path / "first", extraction, cache_dir=cache)

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(pipeline, "Extraction", no_model)
    report = build([SEEDS], tmp_path / "again", cache_dir=cache)
    assert report.parsed == 0 and report.articles == 5
    assert (tmp_path / "again" / "graph.ttl").read_bytes() == \
        (seed_build[0] / "graph.ttl").read_bytes()


@pytest.fixture(scope="module")
def plain(seed_build):
    return (seed_build[0] / "graph.ttl").read_bytes()


@pytest.mark.model
def test_rebuild_after_adding_one_article_parses_only_that_one(extraction, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    cache = tmp_path / "cache"
    first = build([folder], tmp_path / "out", extraction, cache_dir=cache)
    assert first.parsed == 5
    (folder / "new.txt").write_text(" date 2024-05 Le président russe Vladimir Poutine est "
                                    "arrivé mardi à Pékin.", encoding="utf-8")
    second = build([folder], tmp_path / "out", extraction, cache_dir=cache)
    assert second.parsed == 1 and second.articles == 6
    scratch = build([folder], tmp_path / "scratch", extraction)          # --no-cache
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == \
        (tmp_path / "scratch" / "graph.ttl").read_bytes()
    assert (tmp_path / "out" / "graph.html").read_bytes() == \
        (tmp_path / "scratch" / "graph.html").read_bytes()


@pytest.mark.model
def test_a_changed_article_is_read_again(extraction, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "a.txt"
    article.write_text(" date 2024-05 Le président russe est arrivé à Pékin.", encoding="utf-8")
    build([folder], tmp_path / "out", extraction, cache_dir=tmp_path / "cache")
    article.write_text(" date 2024-05 Le président russe est arrivé à Minsk.", encoding="utf-8")
    report = build([folder], tmp_path / "out", extraction, cache_dir=tmp_path / "cache")
    assert report.parsed == 1
    assert "entity:belarus" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.model
def test_two_processes_give_the_same_graph(plain, tmp_path):
    report = build([SEEDS], tmp_path, processes=2)
    assert report.parsed == 5
    assert (tmp_path / "graph.ttl").read_bytes() == plain


@pytest.mark.model
def test_dask_cluster_gives_the_same_graph(plain, tmp_path):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        build([SEEDS], tmp_path, scheduler=cluster.scheduler_address)
    assert (tmp_path / "graph.ttl").read_bytes() == plain


@pytest.mark.model
def test_persistent_store_is_queried_directly(extraction, tmp_path):
    from newskg.graph.store import open_graph
    from newskg.query import run

    report = build([SEEDS], tmp_path / "out", extraction, store_dir=tmp_path / "store")
    store = open_graph(tmp_path / "store")
    assert "true" == run(store, "ASK { entity:vladimir-putin nkg:visits entity:china }")
    # the Turtle is written in two parts (the store's statements, then the events and
    # entities made meanwhile): together they are the store's graph, counted right
    written = open_graph(tmp_path / "out" / "graph.ttl")
    assert set(written) == set(store) and len(store) == report.triples


@pytest.mark.model
def test_a_failed_build_leaves_the_previous_store_whole(extraction, tmp_path, monkeypatch):
    from newskg.graph.store import open_graph

    store = tmp_path / "store"
    build([SEEDS], tmp_path / "out", extraction, store_dir=store)
    before = len(open_graph(store))

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    from newskg.graph import html as page_module
    monkeypatch.setattr(page_module, "render_data", broken)
    with pytest.raises(RuntimeError):
        build([SEEDS / "001_727b566062777b15.txt"], tmp_path / "out", extraction, store_dir=store)
    assert len(open_graph(store)) == before > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store"]   # nothing left over


def test_a_folder_that_is_not_a_store_is_never_replaced(tmp_path):
    from newskg.errors import InputError

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(InputError, match="not an Oxigraph store"):
        build([SEEDS], tmp_path / "out", store_dir=folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "à garder"

"""The fact cache is data, never code: whatever stands in its folder, a build runs nothing,
notes what it ignored, reads those articles again and writes the graph of a cold build."""
from __future__ import annotations

import json
import os
import pickle
import random
import signal
from pathlib import Path

import pytest

from newskg import cache
from newskg.extractors.facts import Article, ArticleFacts, Entity, Fact
from newskg.pipeline import FactCache, build, pipeline_version
from tests.conftest import SEEDS

PUTIN = Entity("vladimir-putin", "person", "Vladimir Poutine", "Vladimir Putin", "Q7747", "russia")
BAKU = Entity("baku", "city", "Bakou", "Baku", "Q9248", "azerbaijan")
ARTICLE = Article("a1", "Vladimir Poutine est arrivé à Bakou.", "2024-03-12", "a1.txt")


def small_result() -> ArticleFacts:
    fact = Fact("a1", "visits", PUTIN, BAKU, "occurred", "visit.arrive",
                "Vladimir Poutine est arrivé à Bakou.", 0, 36, "2024-03-12", "article",
                location=BAKU)
    return ArticleFacts(ARTICLE, [fact], {}, [("Il pleut.", "no relation")])


# -- entries ---------------------------------------------------------------------------

def test_an_entry_reads_back_as_the_facts_it_holds():
    result = small_result()
    entry = cache.dumps(result, "k")
    again = cache.loads(entry, "k", ArticleFacts, ARTICLE)
    assert again == result
    assert again.rejected == [("Il pleut.", "no relation")]      # tuples, as extracted


def test_every_single_bit_flip_is_refused():
    entry = cache.dumps(small_result(), "k")
    for bit in range(len(entry) * 8):
        damaged = bytearray(entry)
        damaged[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(cache.Refused):
            cache.loads(bytes(damaged), "k", ArticleFacts, ARTICLE)


def entry_of(document) -> bytes:
    """An entry with a correct digest around any JSON: only its shape is wrong."""
    import hashlib

    payload = json.dumps(document).encode()
    return cache.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def good_document() -> dict:
    return json.loads(cache.dumps(small_result(), "k").partition(b"\n")[2])


def reshaped(change) -> dict:
    document = good_document()
    change(document)
    return document


@pytest.mark.parametrize("document", [
    [], "facts", None, 12, {"key": "k"},
    reshaped(lambda d: d.update(key="other")),                              # another article's
    reshaped(lambda d: d["result"].pop("facts")),
    reshaped(lambda d: d["result"].update(extra=1)),
    reshaped(lambda d: d["result"].update(facts={})),
    reshaped(lambda d: d["result"]["facts"][0].update(start_char="0")),
    reshaped(lambda d: d["result"]["facts"][0].update(start_char=True)),   # a bool is no offset
    reshaped(lambda d: d["result"]["facts"][0].update(end_char=36.0)),
    reshaped(lambda d: d["result"]["facts"][0].update(sentence=None)),
    reshaped(lambda d: d["result"]["facts"][0]["subject"].pop("qid")),
    reshaped(lambda d: d["result"]["facts"][0]["subject"].update(evil="x")),
    reshaped(lambda d: d["result"]["facts"][0].update(location=[])),
    reshaped(lambda d: d["result"].update(rejected=[["a", "b", "c"]])),
    reshaped(lambda d: d["result"].update(entities={"x": "not an entity"})),
])
def test_an_entry_of_the_wrong_shape_is_refused(document):
    with pytest.raises(cache.Refused):
        cache.loads(entry_of(document), "k", ArticleFacts, ARTICLE)


@pytest.mark.parametrize("data", [b"", b"\n", b"newskg-facts 1 ", b"\x80\x04K\x01.",
                                  cache.MAGIC + b"0" * 64 + b"\n{}", b"[" * 100_000])
def test_bytes_that_are_no_entry_are_refused(data):
    with pytest.raises(cache.Refused):
        cache.loads(data, "k", ArticleFacts, ARTICLE)


def test_a_pickle_in_the_cache_is_never_loaded(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    folder = FactCache(tmp_path / "cache").folder
    key = FactCache.key(ARTICLE)
    for name in (f"{key}.json", f"{key}.pickle"):
        (folder / name).write_bytes(pickle.dumps(Payload()))
    store = FactCache(tmp_path / "cache")
    assert store.get(ARTICLE) is None
    assert not marker.exists()
    assert store.problems == [f"cache entry {folder / key}.json: not a newskg cache entry; "
                              "ignored, the article is read again"]


def test_what_is_not_a_regular_file_is_never_opened(tmp_path):
    store = FactCache(tmp_path / "cache")
    path = store.folder / f"{FactCache.key(ARTICLE)}.json"
    os.mkfifo(path)
    signal.alarm(10)             # were the FIFO opened for reading, this would hang
    try:
        assert store.get(ARTICLE) is None
    finally:
        signal.alarm(0)
    path.unlink()
    path.symlink_to("/dev/zero")
    assert store.get(ARTICLE) is None
    assert [p.split(": ")[1].split(";")[0] for p in store.problems] == ["not a regular file"] * 2


def test_a_cache_folder_that_cannot_be_made_is_noted_and_skipped(tmp_path):
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    store = FactCache(tmp_path / "file")
    assert store.get(ARTICLE) is None
    store.put(small_result())
    assert len(store.problems) == 1 and "cannot be made" in store.problems[0]


def test_an_entry_that_cannot_be_written_is_noted(tmp_path):
    store = FactCache(tmp_path / "cache")
    (store.folder / f"{FactCache.key(ARTICLE)}.json").mkdir()
    store.put(small_result())
    assert "cannot be written" in store.problems[0]


def test_many_problems_are_counted_not_listed(tmp_path):
    store = FactCache(tmp_path / "cache")
    for n in range(30):
        article = Article(f"a{n}", "Texte.", "", f"a{n}.txt")
        (store.folder / f"{FactCache.key(article)}.json").write_bytes(b"junk")
        store.get(article)
    assert len(store.problems) == FactCache.NOTED + 1
    assert store.problems[-1] == "cache: 10 more problems like these"


# -- builds ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def warm(extraction, seed_build, tmp_path_factory):
    """A cache of the seeds, and the cold build's bytes."""
    folder = tmp_path_factory.mktemp("warm")
    report = build([SEEDS], folder / "out", extraction, cache_dir=folder / "cache")
    assert report.parsed == 5
    out = seed_build[0]
    return folder / "cache", (out / "graph.ttl").read_bytes(), (out / "graph.html").read_bytes()


def copy_of(warm, tmp_path) -> tuple[Path, list[Path]]:
    import shutil

    cache_dir = tmp_path / "cache"
    shutil.copytree(warm[0], cache_dir)
    entries = sorted((cache_dir / pipeline_version()).glob("*.json"))
    assert len(entries) == 5
    return cache_dir, entries


def rebuild(extraction, cache_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    report = build([SEEDS], out, extraction, cache_dir=cache_dir)
    return report, (out / "graph.ttl").read_bytes(), (out / "graph.html").read_bytes()


@pytest.mark.model
def test_a_warm_build_gives_the_bytes_of_a_cold_one(extraction, warm, tmp_path):
    cache_dir, _ = copy_of(warm, tmp_path)
    report, ttl, html = rebuild(extraction, cache_dir, tmp_path)
    assert report.parsed == 0 and not any("cache" in p for p in report.problems)
    assert (ttl, html) == warm[1:]


@pytest.mark.model
def test_a_planted_pickle_runs_nothing_at_the_next_build(extraction, warm, tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    cache_dir, entries = copy_of(warm, tmp_path)
    for entry in entries:
        entry.write_bytes(pickle.dumps(Payload()))
        entry.with_suffix(".pickle").write_bytes(pickle.dumps(Payload()))
    report, ttl, html = rebuild(extraction, cache_dir, tmp_path)
    assert not marker.exists()
    assert report.parsed == 5 and (ttl, html) == warm[1:]
    assert sum("not a newskg cache entry" in p for p in report.problems) == 5


@pytest.mark.model
def test_bit_flips_in_entries_are_noticed_and_the_articles_read_again(extraction, warm, tmp_path):
    cache_dir, entries = copy_of(warm, tmp_path)
    rng = random.Random(15)
    for entry in entries[:3]:
        data = bytearray(entry.read_bytes())
        at = rng.randrange(len(data) * 8)
        data[at // 8] ^= 1 << (at % 8)
        entry.write_bytes(bytes(data))
    report, ttl, html = rebuild(extraction, cache_dir, tmp_path)
    assert report.parsed == 3 and (ttl, html) == warm[1:]
    noted = [p for p in report.problems if p.startswith("cache entry ")]
    assert len(noted) == 3 and all(p.endswith("ignored, the article is read again") for p in noted)
    # and the entries are good again
    report, ttl, html = rebuild(extraction, cache_dir, tmp_path)
    assert report.parsed == 0 and (ttl, html) == warm[1:]


def _folder(path):
    path.mkdir()
    (path / "inside").write_text("x", encoding="utf-8")


def _wrong_shape(path):
    document = json.loads(path.read_bytes().partition(b"\n")[2])
    document["result"]["facts"] = [{"article": 1}]
    path.write_bytes(entry_of(document))


def _another_articles(path):
    others = sorted(p for p in path.parent.glob("*.json") if p != path)
    path.write_bytes(others[0].read_bytes())


STAND_INS = {
    "folder": _folder,
    "fifo": os.mkfifo,
    "symlink to /dev/zero": lambda path: path.symlink_to("/dev/zero"),
    "empty file": lambda path: path.write_bytes(b""),
    "cut short": None,                  # filled in by the test: half of the entry
    "wrong JSON shape": _wrong_shape,
    "JSON with no digest": lambda path: path.write_text('{"facts": []}', encoding="utf-8"),
    "another article's entry": _another_articles,
}


@pytest.mark.model
@pytest.mark.parametrize("kind", list(STAND_INS))
def test_whatever_stands_in_for_an_entry_is_ignored_with_a_note(extraction, warm, tmp_path, kind):
    cache_dir, entries = copy_of(warm, tmp_path)
    entry = entries[2]
    data = entry.read_bytes()
    if kind == "cut short":
        entry.write_bytes(data[:len(data) // 2])
    elif kind in ("wrong JSON shape", "another article's entry"):
        STAND_INS[kind](entry)
    else:
        entry.unlink()
        STAND_INS[kind](entry)
    signal.alarm(120)             # a FIFO opened for reading would hang the build
    try:
        report, ttl, html = rebuild(extraction, cache_dir, tmp_path)
    finally:
        signal.alarm(0)
    assert report.parsed == 1 and (ttl, html) == warm[1:]
    noted = [p for p in report.problems if p.startswith(f"cache entry {entry}: ")]
    assert noted and all("\n" not in p for p in noted), report.problems

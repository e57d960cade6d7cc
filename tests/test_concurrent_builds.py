"""Two builds into one folder, and builds killed mid-way: the folder always holds graph.ttl
and graph.html of one and the same build, and what a killed build left is cleared by the
next one, never from under a build still writing."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newskg.errors import UsageError
from newskg.graph.turtle import JOURNAL, LOCK, FolderLock, finish_swap, write_together
from newskg.pipeline import build
from tests.conftest import SEEDS

NEWSKG = str(Path(sys.executable).parent / "newskg")
HOLD = """
import sys
from pathlib import Path
from newskg.graph.turtle import FolderLock
with FolderLock(Path(sys.argv[1]), 0):
    print("locked", flush=True)
    sys.stdin.read()
"""


def pair(out: Path) -> tuple[bytes, bytes]:
    return (out / "graph.ttl").read_bytes(), (out / "graph.html").read_bytes()


@pytest.fixture(scope="module")
def corpora(extraction, tmp_path_factory):
    """Two corpora (seeds 0-1 and 2-4), their solo builds' pairs, and a warm cache."""
    root = tmp_path_factory.mktemp("corpora")
    seeds = sorted(SEEDS.glob("*.txt"))
    refs = {}
    for name, files in (("a", seeds[:2]), ("b", seeds[2:])):
        (root / name).mkdir()
        for seed in files:
            shutil.copy(seed, root / name)
        build([root / name], root / f"solo-{name}", extraction, cache_dir=root / "cache")
        refs[name] = pair(root / f"solo-{name}")
    assert refs["a"][0] != refs["b"][0] and refs["a"][1] != refs["b"][1]
    return root, refs


def run(corpus: Path, out: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen([NEWSKG, "build", str(corpus), "--out", str(out), "-q", *more],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def holder():
    """Another process holding a folder's lock until told to let go."""
    processes = []

    def hold(path: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert process.stdout.readline() == "locked\n"
        processes.append(process)
        return process

    yield hold
    for process in processes:
        process.stdin.close()
        process.wait(timeout=30)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- two builds at once ----------------------------------------------------------------------

@pytest.mark.model
def test_two_builds_into_one_folder_leave_the_pair_of_one(corpora, tmp_path):
    root, refs = corpora
    waited = 0
    for round in range(4):
        out = tmp_path / f"out{round}"
        first, second = (run(root / name, out, "--cache", str(root / "cache")) for name in "ab")
        for process in (first, second):
            _, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr
            assert all(line.startswith("newskg: ") for line in stderr.splitlines())
            waited += "waiting for it" in stderr
        assert pair(out) in (refs["a"], refs["b"])
        assert leftovers(out) == []                     # no lock file, scratch or temporary
    print(f"{waited} of 4 rounds had one build wait for the other")


@pytest.mark.model
def test_a_second_build_refuses_in_one_line_when_its_wait_is_over(corpora, tmp_path, holder):
    root, refs = corpora
    out = tmp_path / "out"
    build([root / "a"], out, cache_dir=root / "cache")
    (out / ".newskg-store-inflight").mkdir()           # the first build's: must stay
    process = holder(out / LOCK)
    with pytest.raises(UsageError) as refused:
        build([root / "b"], out, cache_dir=root / "cache", wait=0.3)
    message = str(refused.value)
    assert message == (f"{out}: another build (pid {process.pid}) is writing there; "
                       "gave up after 0.3 s")
    assert pair(out) == refs["a"] and (out / ".newskg-store-inflight").is_dir()


@pytest.mark.model
def test_a_waiting_build_goes_on_once_the_first_is_done(corpora, tmp_path, holder, capsys):
    root, refs = corpora
    out = tmp_path / "out"
    out.mkdir()
    process = holder(out / LOCK)
    threading.Timer(1.0, process.stdin.close).start()
    report = build([root / "b"], out, cache_dir=root / "cache", wait=60)
    assert report.parsed == 0 and pair(out) == refs["b"]
    assert "is writing there; waiting for it (at most 60 s)" in capsys.readouterr().err
    assert leftovers(out) == []


def test_a_lock_removed_by_its_holder_is_not_shared(tmp_path):
    """The file is removed on release: whoever opened it just before must not hold it too."""
    path = tmp_path / LOCK
    with FolderLock(path, 0):
        assert path.read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert not path.exists()
    with FolderLock(path, 0):
        assert path.exists()


# -- killed builds ----------------------------------------------------------------------------

@pytest.mark.model
def test_leftovers_of_killed_builds_are_cleared_by_the_next(corpora, tmp_path):
    root, refs = corpora
    out, store = tmp_path / "out", tmp_path / "stores" / "store"
    out.mkdir()
    (tmp_path / "stores").mkdir()
    (out / ".newskg-store-killed" / "store").mkdir(parents=True)
    (out / ".newskg-store-killed" / "events.sqlite").write_bytes(b"x")
    for name in (".graph.ttl.abc123.tmp", ".graph.html.abc123.tmp", f"{JOURNAL}.abc.tmp"):
        (out / name).write_bytes(b"half")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / ".graph.ttl.mine").write_text("mine too", encoding="utf-8")
    (tmp_path / "stores" / ".store.new-killed").mkdir()
    report = build([root / "a"], out, cache_dir=root / "cache", store_dir=store)
    assert pair(out) == refs["a"]
    assert leftovers(out) == [".graph.ttl.mine"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in store.parent.iterdir()) == ["store"]
    assert any(p.startswith(f"{out}: cleared what a killed build left: ") and
               ".newskg-store-killed" in p and ".store.new-killed" in p for p in report.problems)


def kill_when(process: subprocess.Popen, out: Path, ready) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not ready(out):
        time.sleep(0.001)
    assert process.poll() is None, "the build ended before the moment it was to be killed at"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


# A build paused at a given step of putting the pair in place, then killed there: the step
# is reached for certain, where watching the folder could miss a window of milliseconds.
PAUSED = """
import os, sys, time
from newskg.graph import turtle
from newskg.cli import main
step, renames = sys.argv.pop(1), []

def pause():
    print("paused", flush=True)
    time.sleep(600)

def write_atomic(path, data, real=turtle.write_atomic):
    if step == "before the journal" and path.name == turtle.JOURNAL:
        pause()
    return real(path, data)

def replace(source, target, real=os.replace):
    renames.extend([target] if os.path.basename(target) in ("graph.ttl", "graph.html") else [])
    if step == "between the renames" and len(renames) == 2:
        pause()
    return real(source, target)

turtle.write_atomic, turtle.os.replace = write_atomic, replace
main()
"""


def run_paused(step: str, corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PAUSED, step, "build", str(corpus),
                             "--out", str(out), "-q", "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.model
def test_a_build_killed_while_reading_leaves_the_previous_pair(corpora, tmp_path):
    root, refs = corpora
    out = tmp_path / "out"
    shutil.copytree(root / "solo-a", out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    kill_when(run(root / "b", out, "--no-cache"), out,
              lambda out: any(p.name.startswith(".newskg-store-") for p in out.iterdir()))
    assert pair(out) == refs["a"]
    assert [p for p in leftovers(out) if p.startswith(".newskg-store-")]
    build([root / "a"], out, cache_dir=root / "cache")
    assert pair(out) == refs["a"] and leftovers(out) == []
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.model
@pytest.mark.parametrize("step", ["before the journal", "between the renames"])
def test_a_build_killed_while_writing_leaves_one_builds_pair(corpora, tmp_path, step):
    """Killed with both temporaries written: the previous pair stays. Killed between the
    two renames: the next build to start puts the killed build's pair in place first."""
    root, refs = corpora
    out = tmp_path / "out"
    shutil.copytree(root / "solo-a", out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    process = run_paused(step, root / "b", out)
    assert process.stdout.readline() == "paused\n", process.communicate()[1]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    temporaries = [p for p in leftovers(out) if p.startswith(".graph.")]
    if step == "before the journal":
        assert pair(out) == refs["a"] and len(temporaries) == 2
        assert not (out / JOURNAL).exists()
    else:
        assert pair(out) == (refs["b"][0], refs["a"][1])    # half swapped: the journal says
        assert (out / JOURNAL).exists() and len(temporaries) == 1
    report = build([root / "a"], out, cache_dir=root / "cache")
    assert pair(out) == refs["a"] and leftovers(out) == []
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    finished = any("graph.ttl and graph.html put in place" in p for p in report.problems)
    assert finished == (step == "between the renames")


@pytest.mark.model
def test_a_pair_cut_short_between_its_renames_is_finished_by_the_next_build(
        corpora, tmp_path, monkeypatch):
    """Killed after graph.ttl was renamed into place but before graph.html: the next
    build to start puts the page in place too, before anything else."""
    root, refs = corpora
    out = tmp_path / "out"
    shutil.copytree(root / "solo-a", out)
    ttl, html = refs["b"]
    (out / "graph.ttl").write_bytes(ttl)                                   # renamed
    (out / ".graph.html.k1ll3d.tmp").write_bytes(html)                      # not yet
    (out / JOURNAL).write_text(json.dumps({"graph.ttl": ".graph.ttl.k1ll3d.tmp",
                                           "graph.html": ".graph.html.k1ll3d.tmp"}))

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    from newskg.graph import html as page_module
    monkeypatch.setattr(page_module, "render_data", broken)
    with pytest.raises(RuntimeError):
        build([root / "a"], out, cache_dir=root / "cache")
    assert pair(out) == refs["b"] and leftovers(out) == []


@pytest.mark.model
def test_a_store_killed_between_its_renames_is_put_back(corpora, tmp_path, monkeypatch):
    from newskg.graph.store import open_graph

    root, _ = corpora
    store = tmp_path / "store"
    build([root / "a"], tmp_path / "out", cache_dir=root / "cache", store_dir=store)
    size = len(open_graph(store))
    os.rename(store, tmp_path / ".store.old-4242")      # as replace_store leaves it, killed
    (tmp_path / ".store.new-4243").mkdir()

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    from newskg.graph import html as page_module
    monkeypatch.setattr(page_module, "render_data", broken)
    with pytest.raises(RuntimeError):
        build([root / "b"], tmp_path / "out", cache_dir=root / "cache", store_dir=store)
    assert len(open_graph(store)) == size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store"]


# -- the pair, on its own ---------------------------------------------------------------------

def test_files_written_together_leave_no_journal_nor_temporary(tmp_path):
    write_together(tmp_path, {"graph.ttl": b"ttl 1",
                              "graph.html": lambda out: out.write(b"page 1")})
    assert (tmp_path / "graph.ttl").read_bytes() == b"ttl 1"
    assert (tmp_path / "graph.html").read_bytes() == b"page 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html", "graph.ttl"]


def test_a_pair_that_fails_to_write_leaves_the_old_pair(tmp_path):
    write_together(tmp_path, {"graph.ttl": b"old", "graph.html": b"old page"})

    def fails(out):
        out.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_together(tmp_path, {"graph.ttl": b"new", "graph.html": fails})
    assert pair(tmp_path) == (b"old", b"old page")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html", "graph.ttl"]


@pytest.mark.parametrize("journal", [
    {"graph.ttl": "../outside.tmp"}, {"graph.ttl": "notes.txt"},
    {"../graph.ttl": "..graph.ttl.x.tmp"},
    {".bashrc": "..bashrc.x.tmp"}, {"graph.ttl": 12}, ["graph.ttl"], "not json"])
def test_a_planted_journal_renames_nothing_of_anyone(tmp_path, journal):
    (tmp_path / "graph.ttl").write_bytes(b"graph")
    (tmp_path / "notes.txt").write_bytes(b"notes")
    (tmp_path / "..graph.ttl.x.tmp").write_bytes(b"x")
    (tmp_path / JOURNAL).write_text(journal if isinstance(journal, str) else json.dumps(journal))
    assert finish_swap(tmp_path)
    assert (tmp_path / "graph.ttl").read_bytes() == b"graph"
    assert (tmp_path / "notes.txt").read_bytes() == b"notes"
    assert not (tmp_path / JOURNAL).exists()

"""The benchmark scripts run (a smoke test on small inputs; no timing is asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.model


def run(*args, timeout=600):
    out = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_build_benchmark_prints_its_table():
    lines = run("bench/build.py", "--sizes", "24", "--processes", "1").splitlines()
    assert lines[0].split()[:4] == ["articles", "proc", "bare", "art/s"]
    size, processes, bare, full = lines[1].split()[:4]
    assert (size, processes) == ("24", "1") and float(bare) > 0 and float(full) > 0


def test_query_benchmark_on_the_seeds(seed_build):
    text = run("bench/queries.py", str(seed_build[0] / "graph.ttl"), "--no-rdflib")
    assert "planned-not-done" in text and "oxigraph load" in text


def test_corpus_generator_is_deterministic():
    sys.path.insert(0, str(ROOT))
    from bench.corpus import corpus

    first, again = list(corpus(5)), list(corpus(5))
    assert first == again and all(len(text.split()) > 200 for _, _, text in first)

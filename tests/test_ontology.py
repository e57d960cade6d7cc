"""The ontology's human-readable page stays in sync, and its examples run."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from newskg import ontology

ROOT = Path(__file__).resolve().parent.parent


def doc_module():
    spec = importlib.util.spec_from_file_location("ontology_doc", ROOT / "scripts" / "ontology_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_is_generated_from_the_turtle():
    assert (ontology.HERE / "README.md").read_text(encoding="utf-8") == doc_module().render(), \
        "ontology/README.md is stale: run python scripts/ontology_doc.py"


@pytest.mark.model
def test_every_example_query_runs_on_the_seeds(seed_build):
    from newskg.graph.store import open_graph
    from newskg.query import run

    store = open_graph(seed_build[0] / "graph.ttl")
    text = (ontology.HERE / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```sparql\n(.*?)\n```", text, re.S)
    assert len(examples) >= 25
    for example in examples:
        run(store, example, "csv")

"""newskg installs under its own name only: the folders at the top of the repository
(extractors/, graph/, ontology/) ship as newskg.extractors, newskg.graph, newskg.ontology."""
import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERIC = {"extractors", "graph", "ontology"}
SOURCES = ["newskg", "extractors", "graph", "ontology", "scripts", "bench", "tests"]


def imported_top_levels(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("folder", SOURCES)
def test_no_code_imports_the_folders_by_their_bare_names(folder):
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / folder).rglob("*.py"))
                 if imported_top_levels(path) & GENERIC]
    assert offenders == []


def test_the_notebook_imports_newskg_only():
    notebook = (ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8")
    for name in GENERIC:
        assert f"from {name}." not in notebook and f"import {name}\\n" not in notebook


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(folder), str(ROOT)], check=True, cwd=folder)
    [built] = folder.glob("newskg-*.whl")
    return built


def test_the_wheel_claims_no_top_level_name_but_newskg(wheel):
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"newskg"}


def test_the_wheel_carries_the_data_the_build_reads(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for needed in ["newskg/ontology/newskg.ttl", "newskg/ontology/shapes.ttl",
                   "newskg/ontology/world.tsv", "newskg/ontology/context.jsonld",
                   "newskg/extractors/data/triggers.jsonl",
                   "newskg/graph/templates/page.html",
                   "newskg/extractors/relations/visits.py"]:
        assert needed in names

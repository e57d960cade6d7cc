"""Misuse is a message: each bad argument gives one line naming it, and exit status 2,
before any work is done."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newskg import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    folder = tmp_path_factory.mktemp("misuse")
    (folder / "a-file").write_text("x", encoding="utf-8")
    (folder / "a-folder").mkdir()
    (folder / "g.ttl").write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    return folder


CASES = {
    "build --out a file": (["build", str(SEEDS), "--out", "{f}/a-file"],
                           "--out {f}/a-file: is a file, not a folder"),
    "build --out under a file": (["build", str(SEEDS), "--out", "{f}/a-file/out"],
                                 "--out {f}/a-file/out: {f}/a-file is a file, not a folder"),
    "build --cache a file": (["build", str(SEEDS), "--out", "{f}/o", "--cache", "{f}/a-file"],
                             "--cache {f}/a-file: is a file, not a folder"),
    "build --store a file": (["build", str(SEEDS), "--out", "{f}/o", "--store", "{f}/a-file"],
                             "--store {f}/a-file: is a file, not a folder"),
    "build --scheduler nonsense": (["build", str(SEEDS), "--out", "{f}/o", "--scheduler", "nowhere"],
                                   "--scheduler nowhere: cannot reach a Dask scheduler there"),
    "build --scheduler unreachable": (["build", str(SEEDS), "--out", "{f}/o", "--scheduler",
                                       "tcp://127.0.0.1:9"],
                                      "--scheduler tcp://127.0.0.1:9: cannot reach a Dask scheduler"),
    "build nothing there": (["build", "{f}/nowhere", "--out", "{f}/o"],
                            "{f}/nowhere: no such file or folder"),
    "export --out a folder": (["export", "{f}/g.ttl", "--out", "{f}/a-folder"],
                              "--out {f}/a-folder: is a folder; give a file name"),
    "export --out under a file": (["export", "{f}/g.ttl", "--out", "{f}/a-file/x.nt"],
                                  "--out {f}/a-file/x.nt: {f}/a-file is a file, not a folder"),
    "export unwritable": (["export", "{f}/g.ttl", "--out", "/proc/newskg-test.nt"],
                          "/proc/newskg-test.nt: cannot write"),
    "view --out a folder": (["view", "{f}/g.ttl", "--out", "{f}/a-folder"],
                            "--out {f}/a-folder: is a folder; give a file name"),
    "query --bind a bad IRI": (["query", "{f}/g.ttl", "SELECT ?x { ?x ?p ?o }", "--bind",
                                "x=<not an iri>"],
                               "--bind 'x=<not an iri>': '<not an iri>' is not a valid IRI"),
    "query --bind a bad name": (["query", "{f}/g.ttl", "SELECT ?x { ?x ?p ?o }", "--bind", "x y=v"],
                                "--bind 'x y=v': 'x y' is not a SPARQL variable name"),
    "query --bind no value": (["query", "{f}/g.ttl", "SELECT ?x { ?x ?p ?o }", "--bind", "x"],
                              "--bind 'x': expected VAR=VALUE"),
    "serve an empty folder": (["serve", "{f}/a-folder", "--port", "1"], "{f}/a-folder"),
    "view unwritable": (["view", "{f}/g.ttl", "--out", "/proc/newskg-test.html"],
                        "/proc/newskg-test.html: cannot write"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_misuse_is_one_line_and_exit_2(places, case):
    args, message = CASES[case]
    args = [a.replace("{f}", str(places)) for a in args]
    result = CliRunner().invoke(cli.main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newskg: "), result.stderr
    assert message.replace("{f}", str(places)) in lines[0]
    assert not (places / "a-file" / "out").exists()


def test_a_good_out_folder_is_left_alone_by_a_refused_build(places, tmp_path):
    (tmp_path / "graph.ttl").write_text("# a good graph\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["build", str(SEEDS), "--out", str(tmp_path),
                                           "--cache", str(places / "a-file")])
    assert result.exit_code == 2
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8") == "# a good graph\n"

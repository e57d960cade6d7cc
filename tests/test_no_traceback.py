"""No `newskg` command answers a bad input with a traceback: one line naming the file and
the problem, and exit status 2 (or 1 for a build that skipped some articles)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newskg import cli


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-inputs")
    (folder / "empty.ttl").write_text("", encoding="utf-8")
    (folder / "garbage.ttl").write_text("this is not turtle <<<", encoding="utf-8")
    (folder / "broken.jsonld").write_text("{ not json", encoding="utf-8")
    (folder / "article.txt").write_text("Le président russe Vladimir Poutine est à Minsk.",
                                        encoding="utf-8")
    (folder / "binary.ttl").write_bytes(b"\x00\xff\xfe\x00" * 50)
    (folder / "empty-folder").mkdir()
    (folder / "gold.tsv").write_text("article\trelation\tsubject\tobject\twhen\tstatus\n"
                                     "001\tvisits\tA\tB\t\toccurred\n", encoding="utf-8")
    return {"missing": str(folder / "nowhere.ttl"), "empty": str(folder / "empty.ttl"),
            "garbage": str(folder / "garbage.ttl"), "jsonld": str(folder / "broken.jsonld"),
            "text": str(folder / "article.txt"), "binary": str(folder / "binary.ttl"),
            "folder": str(folder / "empty-folder"), "out": str(folder / "out"),
            "gold": str(folder / "gold.tsv")}


COMMANDS = {
    "evaluate": lambda g, out: ["evaluate", g, str(Path(out).parent / "gold.tsv")],
    "query": lambda g, out: ["query", g, "SELECT * { ?s ?p ?o } LIMIT 1"],
    "query-bad-sparql": lambda g, out: ["query", g, "SELECT WHERE {"],
    "entities": lambda g, out: ["entities", g, "poutine"],
    "export": lambda g, out: ["export", g, "--format", "ttl"],
    "export-out": lambda g, out: ["export", g, "--out", out + ".nt"],
    "view": lambda g, out: ["view", g, "--out", out + ".html"],
    "serve": lambda g, out: ["serve", g, "--port", "1"],
}


# an empty Turtle file is a graph, not a bad one: `serve` would start and run on it
CASES = [(command, given) for command in sorted(COMMANDS)
         for given in ("missing", "empty", "garbage", "jsonld", "text", "binary", "folder")
         if (command, given) != ("serve", "empty")]


@pytest.mark.parametrize("command,given", CASES)
def test_graph_commands_on_bad_graphs(inputs, command, given):
    args = COMMANDS[command](inputs[given], inputs["out"])
    result = CliRunner().invoke(cli.main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{args}: {result.exception!r}"
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code == 2
        assert result.stderr.strip().startswith("newskg: "), result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2, result.stderr


@pytest.mark.parametrize("given", ["missing", "empty", "garbage", "binary", "folder"])
def test_explain_on_bad_inputs(inputs, given):
    result = CliRunner().invoke(cli.main, ["explain", inputs[given]])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2)
    if result.exit_code:
        assert result.stderr.strip().startswith("newskg: ")

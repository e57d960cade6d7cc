"""The `newskg build` command: exit codes, one-line errors, and no half-written graph."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newskg.graph.turtle import write_atomic
from newskg import cli, pipeline

GOOD = " date 2024-03-12 Le président russe Vladimir Poutine est arrivé mardi à Bakou."

pytestmark = pytest.mark.model  # these build with fr_core_news_md


@pytest.fixture
def runner(extraction, monkeypatch):
    monkeypatch.setattr(pipeline, "Extraction", lambda **_: extraction)
    return CliRunner()


def test_build_with_a_bad_file_exits_1_and_names_it(runner, tmp_path: Path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "good.txt").write_text(GOOD, encoding="utf-8")
    (articles / "bad.txt").write_bytes(b"\x00\x01\x02 binary")
    result = runner.invoke(cli.main, ["build", str(articles), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "bad.txt: binary file" in result.stderr
    assert "1 articles read, 1 skipped" in result.stdout
    assert "visits" in result.stdout
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0
    assert (tmp_path / "out" / "graph.html").stat().st_size > 0


def test_nothing_to_build_exits_2_and_keeps_the_old_graph(runner, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# the good graph\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(cli.main, ["build", str(tmp_path / "empty.txt"), "--out", str(out)])
    assert result.exit_code == 2
    assert "empty.txt: empty file" in result.stderr
    assert "no article could be read" in result.stderr
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# the good graph\n"


def test_a_build_failing_midway_leaves_the_previous_outputs(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert runner.invoke(cli.main, ["build", str(tmp_path / "a.txt"), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    from newskg.graph import html as page_module
    monkeypatch.setattr(page_module, "render_data", broken)
    (tmp_path / "b.txt").write_text(GOOD.replace("Bakou", "Minsk"), encoding="utf-8")
    result = runner.invoke(cli.main, ["build", str(tmp_path), "--out", str(out)])
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomic(target, object())  # not bytes: the write fails after the temp file exists
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_missing_path_is_one_line_and_exit_2(runner, tmp_path: Path):
    result = runner.invoke(cli.main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr


def test_explain_shows_facts_rules_sentences_and_rejections(runner):
    from tests.conftest import SEEDS

    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = runner.invoke(cli.main, ["explain", str(seed)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"== {seed.stem}")
    assert "rule visit." in result.stdout and "« " in result.stdout
    assert "REJECTED (negated) visits(Vladimir Poutine (Q7747), Bélarus (Q184))" in result.stdout


def test_explain_runs_on_every_seed(runner):
    from tests.conftest import SEEDS

    result = runner.invoke(cli.main, ["explain", str(SEEDS)])
    assert result.exit_code == 0
    assert result.stdout.count("== ") == 5

"""One bad record never costs the others: a generated corpus of 1,000 hostile inputs in
every format, good articles mixed in, builds without a traceback and loses none of the
good ones; the readers, the chunker and the date resolver hold on arbitrary input."""
from __future__ import annotations

import csv
import io
import os
import re
import threading
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import DCTERMS

from newskg import cli
from newskg.articles import (LONG_RUN, Articles, Fields, Log, bounded_lines, decode, read,
                             read_csv, read_jsonl)
from newskg.errors import InputError
from newskg.extractors import dates
from newskg.pipeline import chunks
from tests.fuzz_corpus import write_corpus

SUFFIXES = [".txt", ".html", ".jsonl", ".csv"]


@pytest.mark.model
def test_a_thousand_hostile_inputs_cost_no_good_article(tmp_path):
    inputs, goods = write_corpus(tmp_path / "corpus", seed=15)
    assert inputs >= 1000 and len(goods) >= 60
    result = CliRunner().invoke(cli.main, ["build", str(tmp_path / "corpus"), "--out",
                                           str(tmp_path / "out"), "--no-cache", "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 1, result.output          # built, with inputs skipped
    assert "Traceback" not in result.output
    for line in result.stderr.splitlines():
        assert line.startswith("newskg: ") and line.isprintable(), line
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    identifiers = {str(o) for o in graph.objects(None, DCTERMS.identifier)}
    assert set(goods) <= identifiers
    assert (tmp_path / "out" / "graph.html").stat().st_size > 0


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_decoding_any_bytes_gives_text_or_one_input_error(raw):
    try:
        text, note = decode(raw, "x.txt")
    except InputError as error:
        assert str(error).startswith("x.txt: ")
        return
    text.encode("utf-8")         # no lone surrogate gets through


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=20))
def test_json_lines_of_any_text_are_records_or_problems(lines):
    log = Log()
    articles = list(read_jsonl(Path("x.jsonl"), iter(lines), Fields(), log))
    for article in articles:
        article.text.encode("utf-8") and article.id.encode("utf-8")
    assert all(p.startswith("x.jsonl:") for p in log.problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_a_file_of_any_bytes_in_any_format_never_stops_the_reading(tmp_path, raw, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(raw)
    articles = Articles([path])
    found = list(articles)          # raises nothing, whatever the bytes
    for article in found:           # what is read is text every later stage can encode
        assert article.text.strip()
        article.text.encode("utf-8")
        article.id.encode("utf-8")
    assert all("Traceback" not in p and "\n" not in p for p in articles.problems)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=["Cs"],
                                                blacklist_characters="\x00"), max_size=80),
                         min_size=3, max_size=3), min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t"]))
def test_csv_written_by_python_reads_back_exactly(rows, delimiter):
    rows = [[f"id{n}", f"2024-03-{n % 28 + 1:02d}", text + " s'entretiendra l'après-midi"]
            for n, (_, _, text) in enumerate(rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["id", "date", "text"])
    writer.writerows(rows)
    buffer.seek(0)
    log = Log()
    articles = list(read_csv(Path("x.csv"), buffer, Fields(), log))
    assert [(a.id, a.text) for a in articles] == \
        [(i, t) for i, _, t in rows if t.strip() and i.strip()]


def test_a_spreadsheet_export_reads_back(tmp_path):
    """As a French spreadsheet saves CSV: semicolons, quotes only where needed (doubled
    inside), CRLF, a BOM."""
    export = ('\ufeffid;date;texte\r\n'
              'a1;2024-03-12;"Il s\'entretiendra avec l\'émir ; puis ""à Doha""."\r\n'
              'a2;2024-03-13;"Une ligne\r\navec un saut et des ""guillemets"""\r\n')
    (tmp_path / "export.csv").write_bytes(export.encode("utf-8"))
    reading = read([tmp_path / "export.csv"], Fields(text="texte"))
    assert [(a.id, a.text) for a in reading.articles] == [
        ("a1", "Il s'entretiendra avec l'émir ; puis \"à Doha\"."),
        ("a2", 'Une ligne\r\navec un saut et des "guillemets"')]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab !é-.\n'")), max_size=3000))
def test_chunks_cover_the_text_and_cut_long_runs(text):
    pieces = chunks(text, limit=700)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o:o + len(p)] == p for o, p in pieces)
    assert all(max(map(len, re.findall(r"\S+", p)), default=0) <= LONG_RUN for _, p in pieces)


EXPRESSIONS = ["demain", "hier", "lundi", "lundi prochain", "la semaine prochaine",
               "le mois prochain", "l'an dernier", "le 31 décembre", "en février", "fin novembre"]


@settings(max_examples=300, deadline=None)
@given(st.dates(), st.sampled_from(["day", "month", "year"]), st.sampled_from(EXPRESSIONS),
       st.booleans())
def test_dates_at_the_ends_of_the_calendar_resolve_or_stay_unresolved(day, precision, words, future):
    article_date = {"day": day.isoformat(), "month": day.isoformat()[:7],
                    "year": day.isoformat()[:4]}[precision]
    for expression in dates.find(words):
        value = dates.resolve(expression, article_date, future)
        assert value == "" or dates.VALID_DATE.fullmatch(value)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text(" date 2024-03\nPoutine au Mali.", encoding="utf-8")
    done = {}
    reader = threading.Thread(target=lambda: done.setdefault("reading", read([fifo, tmp_path])),
                              daemon=True)
    reader.start()
    reader.join(20)
    assert "reading" in done, "reading a FIFO blocked"
    reading = done["reading"]
    assert [a.id for a in reading.articles] == ["good"]
    assert any("pipe.txt: not a regular file (a FIFO)" in p for p in reading.problems)


def test_a_huge_file_is_read_no_further_than_the_cap(tmp_path):
    big = tmp_path / "big.txt"
    line = "Le président russe Vladimir Poutine s'est rendu au Kazakhstan mardi.\n"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write(" date 2024-03\n")
        for _ in range(100):
            handle.write(line * 20_000)          # 100 x 1.4 MB
    tracemalloc.start()
    reading = read([big])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert big.stat().st_size > 130_000_000
    assert len(reading.articles[0].text) <= 1_000_000
    assert peak < 40_000_000, peak           # the cap's few MB, not the file's 140


def test_an_overlong_json_line_is_one_problem_and_the_next_record_is_read(tmp_path):
    stream = io.StringIO('{"text": "' + "a" * 5000 + '"}\n{"id": "b", "text": "Poutine."}\n')
    log = Log()
    articles = list(read_jsonl(Path("x.jsonl"), bounded_lines(stream, limit=1000), Fields(), log))
    assert [a.id for a in articles] == ["b"]
    assert log.problems == ["x.jsonl:1: record longer than 8,000,000 characters; skipped"]


@pytest.mark.model
def test_an_article_whose_reading_fails_is_skipped_alone(extraction, tmp_path, monkeypatch):
    from newskg.pipeline import build

    for name in ("a", "boom", "c"):
        (tmp_path / f"{name}.txt").write_text(
            f" date 2024-03-12\nLe président russe Vladimir Poutine s'est rendu au Mali ({name}).",
            encoding="utf-8")
    real = extraction.extractor.extract

    def failing(docs, article):
        if article.id == "boom":
            raise RuntimeError("a rule no test foresaw")
        return real(docs, article)

    monkeypatch.setattr(extraction.extractor, "extract", failing)
    report = build([tmp_path], tmp_path / "out", extraction)
    assert report.failed == ["boom.txt: could not be read (RuntimeError: a rule no test "
                             "foresaw); skipped"]
    identifiers = {str(o) for o in Graph().parse(tmp_path / "out" / "graph.ttl")
                   .objects(None, DCTERMS.identifier)}
    assert identifiers == {"a", "c"}
    assert report.summary().startswith("2 articles read, 1 skipped")


def test_which_duplicate_keeps_its_name_does_not_depend_on_argument_order(tmp_path):
    for folder in ("b", "a"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}-copy.txt").write_text(
            " date 2024-03\nLe même texte, mot pour mot.", encoding="utf-8")
    forward = read([tmp_path / "a", tmp_path / "b"])
    backward = read([tmp_path / "b", tmp_path / "a"])
    assert [a.id for a in forward.articles] == [a.id for a in backward.articles] == ["a-copy"]
    assert forward.articles[0].sources == backward.articles[0].sources == ["a-copy.txt", "b-copy.txt"]

"""Reading article files: the date header, identifiers, and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from newskg.articles import parse, read, read_file
from newskg.errors import InputError


def test_header_on_the_same_line_as_the_text():
    article, warning = parse(" date 2023-11 Poutine au Kazakhstan.\n\nSuite.", "a")
    assert article.date == "2023-11"
    assert article.text.startswith("Poutine au Kazakhstan.")
    assert warning == ""


def test_header_with_a_day():
    article, _ = parse("date 2024-02-29\nTexte.", "a")
    assert article.date == "2024-02-29"
    assert article.text.strip() == "Texte."


def test_missing_header_is_said_and_the_text_kept():
    article, warning = parse("Le ministre est arrivé à Minsk.", "a")
    assert article.date == "" and "no date header" in warning
    assert article.text == "Le ministre est arrivé à Minsk."


@pytest.mark.parametrize("header", [" date 2023-13 Texte.", " date 23-11 Texte.", " date hier Texte."])
def test_malformed_header_is_said(header):
    article, warning = parse(header, "a")
    assert article.date == ""
    assert "malformed date header" in warning
    assert article.text.strip() == "Texte."


@given(st.text())
def test_parse_never_raises_and_keeps_a_valid_date(text):
    article, _ = parse(text, "x")
    assert article.date == "" or len(article.date) in (7, 10)


@given(st.dates(), st.booleans(), st.text(min_size=1).filter(lambda t: t.strip()))
def test_parse_reads_any_valid_date(day, with_day, body):
    value = day.isoformat() if with_day else day.isoformat()[:7]
    article, warning = parse(f" date {value} {body}", "x")
    assert article.date == value and warning == ""


def test_bad_files_get_one_line_each(tmp_path: Path):
    (tmp_path / "good.txt").write_text(" date 2024-01 Le président est arrivé à Minsk.",
                                       encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes("Le ministre est arrivé à Bakou.".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    reading = read([tmp_path])
    assert [a.id for a in reading.articles] == ["good", "latin"]
    assert reading.articles[1].text == "Le ministre est arrivé à Bakou."
    assert reading.skipped == 2
    lines = "\n".join(reading.problems)
    assert "empty.txt: empty file" in lines
    assert "latin.txt: not UTF-8, decoded as" in lines
    assert "binary.txt: binary file" in lines
    assert all("\n" not in p for p in reading.problems)


def test_missing_path_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read([tmp_path / "nowhere"])


def test_identifier_is_the_file_name_without_extension(tmp_path: Path):
    path = tmp_path / "000_abc.txt"
    path.write_text(" date 2022-06 Texte.", encoding="utf-8")
    article, _ = read_file(path)
    assert article.id == "000_abc" and article.source == "000_abc.txt"


def test_impossible_day_in_header_is_malformed():
    article, warning = parse(" date 2023-02-31 Texte.", "a")
    assert article.date == "" and "malformed date header" in warning

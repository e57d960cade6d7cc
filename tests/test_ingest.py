"""Real-world input: HTML pages, JSON Lines, CSV, standard input, duplicates, big articles."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from newskg.graph.namespaces import ARTICLE, NKG
from newskg import cli, pipeline
from newskg.articles import Fields, read
from newskg.pipeline import chunks

PAGE = """<html><head><title>Poutine à Bakou</title>
<meta property="article:published_time" content="2024-04-22T09:30:00Z">
<link rel="canonical" href="https://example.org/monde/poutine-bakou"></head>
<body><nav>Accueil | Monde | Sport</nav><article><h1>Poutine à Bakou</h1>
<p>Le président russe Vladimir Poutine est arrivé lundi à Bakou pour une visite de deux jours.</p>
<p>Il doit s'entretenir avec son homologue azerbaïdjanais Ilham Aliev.</p></article>
<footer>Tous droits réservés</footer></body></html>"""


def test_html_page_gives_text_title_date_and_url(tmp_path: Path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    reading = read([tmp_path])
    [article] = reading.articles
    assert article.id == "page" and article.date == "2024-04-22"
    assert article.title == "Poutine à Bakou"
    assert article.url == "https://example.org/monde/poutine-bakou"
    assert "arrivé lundi à Bakou" in article.text and "Accueil" not in article.text


def test_jsonl_records_and_a_broken_line(tmp_path: Path):
    lines = [json.dumps({"id": "r1", "date": "2023-10-12", "title": "Sommet",
                         "text": "Le président kazakh est arrivé à Bichkek.",
                         "url": "https://example.org/r1"}, ensure_ascii=False),
             '{"id": "r2", "text": "cassé',
             json.dumps({"id": "r3", "text": ""}),
             json.dumps({"id": "r4", "date": "12/10/2023", "text": "Erdogan est arrivé à Bakou."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    reading = read([tmp_path])
    assert [a.id for a in reading.articles] == ["r1", "r4"]
    assert reading.articles[0].date == "2023-10-12" and reading.articles[0].source == "feed.jsonl:1"
    assert reading.articles[0].text.startswith("Sommet\n\n")
    problems = "\n".join(reading.problems)
    assert "feed.jsonl:2: not valid JSON" in problems
    assert "feed.jsonl:3: no 'text' field" in problems
    assert "feed.jsonl:4: unreadable date '12/10/2023'" in problems
    assert reading.skipped == 2


def test_csv_with_other_field_names_and_semicolons(tmp_path: Path):
    (tmp_path / "export.csv").write_text(
        "ident;publie;corps\nc1;2024-02;Le président turc s'est rendu en Hongrie.\n"
        "c2;;\"Texte; avec point-virgule, et \"\"guillemets\"\".\"\n", encoding="utf-8")
    fields = Fields(id="ident", date="publie", text="corps")
    reading = read([tmp_path], fields)
    assert [a.id for a in reading.articles] == ["c1", "c2"]
    assert reading.articles[0].date == "2024-02"
    assert 'guillemets"' in reading.articles[1].text


def test_csv_without_the_text_column_is_one_line(tmp_path: Path):
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    reading = read([tmp_path])
    assert reading.articles == [] and reading.skipped == 1
    assert reading.problems == [f"{tmp_path / 'bad.csv'}: no 'text' column (columns: a, b)"]


def test_standard_input(tmp_path: Path):
    reading = read([Path("-")], stdin=io.BytesIO(" date 2024-01 Texte lu sur l'entrée.".encode()))
    assert [(a.id, a.date) for a in reading.articles] == [("stdin", "2024-01")]


def test_same_article_under_two_names_is_one_article(tmp_path: Path):
    text = " date 2024-01 Le président russe est arrivé à Minsk."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "copie.txt").write_text(text + "\n", encoding="utf-8")
    reading = read([tmp_path])
    assert [a.id for a in reading.articles] == ["a"]
    assert reading.articles[0].sources == ["a.txt", "copie.txt"]
    assert reading.skipped == 0 and "same text as a.txt" in reading.problems[0]


@pytest.mark.model
def test_duplicate_and_url_land_on_the_article_node(extraction, tmp_path: Path):
    text = " date 2024-01 Le président russe est arrivé à Minsk."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    pipeline.build([tmp_path], tmp_path / "out", extraction)
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert set(graph.objects(ARTICLE["a"], NKG.sourceFile)) == {Literal("a.txt"), Literal("b.txt")}
    assert (ARTICLE["page"], URIRef("http://purl.org/dc/terms/source"),
            URIRef("https://example.org/monde/poutine-bakou")) in graph


def test_chunks_cover_the_text_at_line_ends():
    text = ("Une phrase sur le sommet.\n" * 20000)
    pieces = chunks(text, limit=50_000)
    assert len(pieces) > 1 and "".join(p for _, p in pieces) == text
    assert all(text[o:o + len(p)] == p and len(p) <= 50_000 for o, p in pieces)
    assert all(p.endswith("\n") for _, p in pieces[:-1])


def test_an_article_of_several_megabytes_is_cut_with_one_line(tmp_path: Path):
    text = " date 2024-03 " + ("Une phrase sur la coopération régionale.\n" * 100_000)
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    assert len(text.encode()) > 4_000_000
    reading = read([tmp_path])
    [article] = reading.articles
    assert len(article.text) <= 1_000_000 and article.text.endswith("\n")
    # read no further than the cap needs: the size said is the file's
    assert [p for p in reading.problems if "million characters" in p] == [
        f"big.txt: file of {len(text.encode()) / 1e6:.1f} MB; only its first {len(article.text) / 1e6:.2f}"
        " million characters are read"]


@pytest.mark.model
def test_long_articles_are_parsed_in_chunks_with_true_offsets(extraction, tmp_path, monkeypatch):
    filler = "La coopération économique a été évoquée longuement par les délégations. " * 8 + "\n\n"
    fact = "Le président russe Vladimir Poutine est arrivé lundi à Minsk.\n\n"
    (tmp_path / "long.txt").write_text(" date 2024-03 " + (filler * 6 + fact) * 3, encoding="utf-8")
    monkeypatch.setattr(pipeline, "CHUNK", 2_000)
    monkeypatch.setattr(pipeline.chunks, "__defaults__", (2_000,))
    articles = read([tmp_path]).articles
    assert len(chunks(articles[0].text, 2_000)) > 3
    [result] = list(extraction.run(articles))
    visits = [f for f in result.facts if f.relation == "visits"]
    assert len(visits) == 3
    for f in visits:
        assert articles[0].text[f.start_char:f.end_char] == f.sentence


@pytest.mark.model
def test_folder_with_no_article_exits_2(tmp_path: Path, extraction, monkeypatch):
    (tmp_path / "notes.md").write_text("rien", encoding="utf-8")
    monkeypatch.setattr(pipeline, "Extraction", lambda: extraction)
    result = CliRunner().invoke(cli.main, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no article could be read" in result.stderr


def test_jsonl_lines_end_at_newlines_only(tmp_path: Path):
    """JSON allows a raw U+2028 inside a string; it does not end the record."""
    record = {"id": "s1", "text": "Le président kazakh est arrivé à Bichkek.\u2028Fin."}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\r\n",
                                         encoding="utf-8")
    reading = read([tmp_path])
    assert [a.id for a in reading.articles] == ["s1"] and not reading.problems


def test_a_large_jsonl_file_is_streamed_not_loaded(tmp_path: Path):
    """Articles come one at a time: the first is out before the file's end is read."""
    from newskg.articles import Articles

    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(3):
            handle.write(json.dumps({"id": f"r{n}", "text": f"Texte numéro {n}."}) + "\n")
    articles = iter(Articles([path]))
    assert next(articles).id == "r0"
    with open(path, "a", encoding="utf-8") as handle:      # written after reading began
        handle.write(json.dumps({"id": "r3", "text": "Ajouté ensuite."}) + "\n")
    assert [a.id for a in articles] == ["r1", "r2", "r3"]


def test_progress_total_counts_records_without_reading_them(tmp_path: Path):
    from newskg.articles import Articles

    (tmp_path / "a.jsonl").write_text('{"text": "Un."}\n\n{"text": "Deux."}\n', encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,text\n1,Trois.\n2,Quatre.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(" date 2024-01 Cinq.", encoding="utf-8")
    assert Articles([tmp_path]).estimate() == 5

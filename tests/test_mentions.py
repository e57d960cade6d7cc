"""The finder's per-Doc word index gives the words that asking every word would give."""
from __future__ import annotations

from newskg.extractors.mentions import DocWords
from newskg.extractors.text import fold
from tests.conftest import SEEDS

OWN = ("Le président tunisien Kaïs Saïed a reçu à Tunis son homologue du Niger, puis la "
       "délégation de la COP28 ; le roi de Jordanie et l'émir du Qatar iront à La Paz. "
       "LA PAZ, la paz et la Paz ne sont pas la même chose pour un lecteur pressé.")


def _asked_word_by_word(finder, doc) -> DocWords:
    folded = [fold(t.text) for t in doc]
    return DocWords(
        folded,
        [t.i for t in doc if (t.text[:1].isupper() or t.text.isupper())
         and (folded[t.i] in finder.names.first or folded[t.i][-1:].isdigit())],
        [t.i for t in doc if folded[t.i] in finder.gazetteer.demonyms],
        [t.i for t in doc if folded[t.i] in finder.roles.first])


def test_the_doc_index_is_what_asking_each_word_gives(extraction):
    finder = extraction.extractor.finder
    texts = [OWN] + [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    for doc in extraction.nlp.pipe(texts):
        words = finder.words(doc)
        assert words == _asked_word_by_word(finder, doc)
        assert words.name_at and words.demonym_at and words.role_at
        for sent in doc.sents:
            assert DocWords.within(words.name_at, sent) == [
                i for i in words.name_at if sent.start <= i < sent.end]

"""RelationExtractor: runs every relation's rules over each sentence, in one order.

Holds no rule id. Composed from the per-relation rule classes as mixins, the way
spaCy composes a pipeline from components over a shared Doc: here the shared
context is `Sentence`. `_extract_doc` is the one place where the order of the
rules is set: roles and leaders first (role phrases become mentions), meetings
before visits (hosts and guests), then summits, alliances, and the article's
topic. The only module of the package that imports spaCy (its Matcher finds the
trigger words).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from spacy.attrs import LOWER
from spacy.matcher import Matcher

from .. import dates
from ..facts import Article, ArticleFacts, Fact
from ..gazetteer import Gazetteer
from ..lexicon import Lexicon
from ..mentions import ArticleMemory, MentionFinder
from ..text import fold
from .alliances import AllianceRules
from .context import QUOTES_CLOSE, QUOTES_OPEN, SUBJECTS, Sentence
from .leaders import LeaderRules
from .meetings import MeetingRules
from .summits import SummitRules
from .visits import CAPTION, VisitRules


def _gate(pattern: list) -> tuple[frozenset, ...]:
    """What a sentence must contain for the phrase pattern to match: for each required
    token, one of its words (or the start of its lemma). All of them, so that a short
    word found inside others ("main" in "demain") does not run the matcher alone."""
    needs = []
    for spec in pattern:
        if spec.get("OP") not in (None, "!", "+"):
            continue
        if "LOWER" in spec:
            value = spec["LOWER"]
            needs.append(frozenset(value["IN"]) if isinstance(value, dict) else frozenset({value}))
        elif "LEMMA" in spec:
            value = spec["LEMMA"]
            lemmas = value["IN"] if isinstance(value, dict) else [value]
            needs.append(frozenset(lemma[:3] for lemma in lemmas))
        elif "TEXT" in spec and isinstance(spec["TEXT"], dict) and "REGEX" in spec["TEXT"]:
            letters = re.match(r"\^?([A-Za-z]+)", spec["TEXT"]["REGEX"])
            needs.append(frozenset({letters.group(1).lower()} if letters else {""}))
    return tuple(needs) or (frozenset({""}),)      # no word to wait for: always try


PUNCTUATION = ".,;:!?«»\"“”()[]'’"


class RelationExtractor(LeaderRules, MeetingRules, VisitRules, SummitRules, AllianceRules):
    """Built once with the loaded pipeline; `extract` runs per article."""

    def __init__(self, nlp, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.finder = MentionFinder(nlp, gazetteer, lexicon)
        # what a sentence must contain for an attendance word to be in it
        self.attendance_stems = tuple(sorted({word[:5] for word in lexicon.attendance}))
        # one-word triggers ({"LOWER": {"IN": [...]}}) are looked up by word, the rest go
        # to spaCy's Matcher: the same matches, without testing every word of an
        # article against every pattern
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.trigger_relation = {}
        self.single_word: dict[int, list[str]] = {}
        phrase_gates = []
        for trigger in lexicon.triggers:
            self.trigger_relation[trigger.id] = trigger.relation
            phrases = []
            for pattern in trigger.patterns:
                if len(pattern) == 1 and set(pattern[0]) == {"LOWER"} \
                        and set(pattern[0]["LOWER"]) == {"IN"}:
                    for word in pattern[0]["LOWER"]["IN"]:
                        key = nlp.vocab.strings.add(word)     # looked up by hash
                        self.single_word.setdefault(key, [])
                        if trigger.id not in self.single_word[key]:
                            self.single_word[key].append(trigger.id)
                else:
                    phrases.append(pattern)
                    phrase_gates.append("".join(
                        "(?=.*(?:" + "|".join(map(re.escape, sorted(need))) + "))"
                        for need in _gate(pattern)))
            if phrases:
                self.matcher.add(trigger.id, phrases)
        # a phrase can match only where every required word of one of its patterns is:
        # one regular expression of lookaheads, tried once per sentence
        self.phrase_gate = re.compile("|".join(f"(?:{gate})" for gate in phrase_gates) or "(?!)",
                                      re.S)

    # -- per article ---------------------------------------------------------------------
    def extract(self, docs, article: Article) -> ArticleFacts:
        """Facts of one article, given as one Doc or as (character offset, Doc) chunks:
        a long article is parsed in pieces, read in order with one memory."""
        if not isinstance(docs, list):
            docs = [(0, docs)]
        memory = ArticleMemory(self.gazetteer, article.date,
                               dates.day_in_text(article.date, article.text))
        result = ArticleFacts(article)
        for offset, doc in docs:
            self._extract_doc(doc, offset, article, memory, result)
        result.facts = self._arrivals(self._called_off(result.facts), memory)
        return result

    @staticmethod
    def _called_off(facts: list[Fact]) -> list[Fact]:
        """A trip or summit the article announces and later says was called off
        ("devait effectuer une visite ... un déplacement annulé") is denied in every
        statement of it: the article's last word on that trip is that it did not happen."""
        denied, trips_off = {}, {}
        for n, fact in enumerate(facts):
            if fact.status == "negated" and fact.relation in ("visits", "summitAt"):
                denied.setdefault((fact.relation, fact.subject.id, fact.object.id), n)
        for n, fact in enumerate(facts):
            key = (fact.relation, fact.subject.id, fact.object.id)
            if fact.relation == "visits" and fact.status == "planned" \
                    and denied.get(key, -1) > n:
                trips_off.setdefault(fact.subject.id, denied[key])
        # a meeting the article plans for a traveller whose trip was called off is off too
        return [replace(fact, status="negated")
                if fact.status == "planned" and (
                    denied.get((fact.relation, fact.subject.id, fact.object.id), -1) > n
                    or fact.relation == "meets" and any(
                        who in trips_off for who in (fact.subject.id, fact.object.id)))
                else fact for n, fact in enumerate(facts)]

    def _extract_doc(self, doc, offset: int, article: Article, memory: ArticleMemory,
                     result: ArticleFacts) -> None:
        strings = doc.vocab.strings
        words = self.finder.words(doc)
        folded = words.folded
        # a weekday other than the article's looks ahead too ("le sommet s'ouvre jeudi"
        # in Monday's paper); a past tense keeps its own time (modality.status)
        other_days = dates.other_weekdays(article.date)
        future_at = [i for i, word in enumerate(folded)
                     if word.strip(PUNCTUATION) in self.lexicon.future_time
                     or word in other_days]
        # named entities and trigger matches found once per Doc, then read per sentence:
        # asked of each sentence, both cost a pass over the whole Doc
        ents = list(doc.ents)
        ent_starts = [e.start for e in ents]
        matches = [(rule, i, i + 1) for i, lower in enumerate(doc.to_array(LOWER).tolist())
                   if lower in self.single_word for rule in self.single_word[lower]]
        matches.sort(key=lambda m: (m[1], m[2], m[0]))
        match_starts = [m[1] for m in matches]
        whole = doc.text
        for span in doc.sents:
            text = whole[span.start_char:span.end_char]     # = span.text, without a token walk
            if not text.strip():
                continue
            sent_ents = ents[bisect_left(ent_starts, span.start):
                             bisect_left(ent_starts, span.end)]
            mentions = self.finder.find(span, memory, words, sent_ents)
            if not mentions.mentions and not mentions.roles and memory.announced is None \
                    and not (memory.pair is not None and "deux" in text):
                continue      # names no one and nothing ("les deux dirigeants": the pair)
            by_token = {}     # trigger words, read only where someone or something is named
            found = matches[bisect_left(match_starts, span.start):
                            bisect_left(match_starts, span.end)]
            lowered = text.lower()
            if self.phrase_gate.match(lowered):
                found += [(strings[key], span.start + start, span.start + end)
                          for key, start, end in self.matcher(span)]     # the phrases
            found.sort(key=lambda m: (m[1], m[2], m[0]))
            for rule, start, end in found:
                if end > span.end:
                    continue
                for i in range(start, end):
                    # every word of "mettre le cap": places attach anywhere in it
                    if doc[i].pos_ in ("VERB", "NOUN", "ADJ", "PROPN") or end - start == 1:
                        by_token.setdefault(i, (self.trigger_relation[rule], rule))
            future = bisect_left(future_at, span.end) > bisect_left(future_at, span.start)
            sentence = self._sentence(span, text, article, memory, by_token, mentions, future)
            sentence.offset = offset
            self._roles(sentence)
            self._leaders(sentence)
            self._meetings(sentence)
            self._joined_meetings(sentence)
            self._visits(sentence)
            self._counterpart_hosts(sentence)
            self._meeting_places(sentence)
            self._visit_nouns(sentence)
            self._chosen_destinations(sentence)
            self._host_meetings(sentence)
            self._cancelled_announcements(sentence)
            self._summits(sentence)
            self._attendance(sentence)
            self._alliances(sentence)
            self._update_topic(sentence)
            for fact in sentence.facts:
                for entity in (fact.subject, fact.object, fact.location, fact.organization):
                    if entity is not None:
                        result.entities[entity.id] = entity
            result.facts.extend(sentence.facts)
            result.rejected.extend((text.strip(), why)
                                   for why in dict.fromkeys(sentence.rejected))

    def _sentence(self, span, text, article, memory, by_token, mentions,
                  future: bool) -> Sentence:
        triggers = {i: t for i, t in by_token.items() if span.start <= i < span.end}
        quoted, inside = set(), False
        if any(q in text for q in QUOTES_OPEN) or any(q in text for q in QUOTES_CLOSE):
            doc = span.doc
            for token in span:
                # a straight quote glued to the word before it closes: 'amis", a-t-il dit'
                glued = token.text == '"' and token.i > span.start \
                    and not doc[token.i - 1].whitespace_ and doc[token.i - 1].text not in "(["
                if token.text in QUOTES_OPEN and not (token.text == '"' and (inside or glued)):
                    inside = True
                elif token.text in QUOTES_CLOSE and inside:
                    inside = False
                elif token.text in QUOTES_CLOSE:
                    # the end of a quotation begun in an earlier sentence: all before it
                    quoted.update(range(span.start, token.i))
                elif inside:
                    quoted.add(token.i)
        caption = any(marker in text for marker in ("(d)", "(g)", "(c)", "(au centre)")) or (
            text.rstrip().endswith(")") and "/" in text[text.rfind("("):])
        if caption:   # the photo credit "( AFP / Name )" names no one in the picture
            credit = text.rfind("(")
            if credit >= 0 and "/" in text[credit:]:
                cut = span.start_char + credit
                mentions.mentions = [m for m in mentions.mentions
                                     if span.doc[m.start].idx < cut]
        dateline = self._dateline_end(span) if "(" in text[:200] else None
        if dateline is not None:   # "par X RIYAD (Reuters) -": the byline names the reporter
            mentions.mentions = [m for m in mentions.mentions if m.start >= dateline]
        sentence = Sentence(span, article, mentions, memory, triggers, quoted, caption, future)
        sentence.__dict__["text"] = text      # the cached property, already known
        return sentence

    def _dateline_end(self, span) -> int | None:
        """Where a dateline "(Reuters) -" ends, when one opens the sentence."""
        tokens = list(span)[:20]
        for n, token in enumerate(tokens[:-2]):
            if token.text == "(":
                close = next((k for k in range(n + 1, min(n + 5, len(tokens)))
                              if tokens[k].text == ")"), None)
                if close is not None and fold(" ".join(t.text for t in tokens[n + 1:close])) \
                        in self.lexicon.news_agencies:
                    return tokens[close].i + 1
        return None

    # -- discourse -----------------------------------------------------------------------
    def _update_topic(self, s: Sentence) -> None:
        for fact in s.facts:
            if fact.relation in ("visits", "meets", "summitAt") and fact.rule != CAPTION:
                s.memory.topic = fact.subject
                break
        else:
            root = s.span.root
            if fold(root.lemma_) not in self.lexicon.reporting:
                for child in root.children:
                    if child.dep_ in SUBJECTS:
                        person = self._person(self._resolve(s, child))
                        if person is None and child.pos_ == "NOUN":
                            # "la présence du Premier ministre X fait figure d'exception":
                            # the person the subject is about
                            person = next((self._person(self._resolve(s, c))
                                           for c in child.children if c.dep_.startswith("nmod")
                                           and self._person(self._resolve(s, c)) is not None),
                                          None)
                        if person is not None:
                            s.memory.topic = person
        for fact in s.facts:
            if fact.relation == "visits" and fact.status != "negated":
                s.memory.scene = fact.object
            if fact.relation == "visits" and fact.status == "planned":
                s.memory.announced = (fact.subject, fact.object, fact.location)
        countries = [m for m in s.mentions.mentions if m.entity.type == "country"]
        subject_countries = [m for m in countries
                             if s.doc[m.head].dep_ in SUBJECTS]
        if subject_countries:
            s.memory.last_country = subject_countries[0].entity
        elif countries:
            s.memory.last_country = countries[0].entity

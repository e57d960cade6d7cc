"""alliedWith: the alliance trigger words of data/triggers.jsonl (ally.ally,
ally.alliance), ally.alliance-between, ally.alliance-subjects, ally.among ("parmi les
alliés de Moscou, X et Y") and ally.the-two ("les deux alliés": the countries of the pair of
leaders the article has brought together).

Separate because an alliance is between countries, not people, and has no date:
these rules look for whose ally ("son allié", "allié de la Russie") and which
country is meant, and whether the alliance is denied.
"""
from __future__ import annotations

from ..facts import Mention
from ..text import fold
from .context import GENITIVE, SUBJECTS, RuleBase, Sentence


class AllianceRules(RuleBase):
    """alliedWith between the ally and the country whose ally it is."""

    def _alliances(self, s: Sentence) -> None:
        doc = s.doc
        for i, (relation, rule) in sorted(s.triggers.items()):
            if relation != "alliedWith":
                continue
            token = doc[i]
            places = [m for m in s.mentions.mentions
                      if m.entity.type in ("country", "city", "seat", "person")]
            if rule == "ally.alliance":
                between = [m for m in places if m.start > i and m.entity.type != "person"
                           and any(fold(t.text) == "entre" for t in doc[i:m.start])]
                if len(between) >= 2:
                    a, b = self._country(s, between[0]), self._country(s, between[1])
                    if a and b and a != b:
                        self._fact(s, "alliedWith", a, b, "occurred", "ally.alliance-between",
                                   event=False)
                    continue
                # "Le Bélarus et la Russie ont renforcé leur alliance"
                countries = []
                for subject in self._subjects(token):
                    country = self._country(s, self._mention(s, subject))
                    if country is not None and country not in countries:
                        countries.append(country)
                # "le Niger, le Burkina Faso et le Mali ont créé une alliance": every pair
                for n, first in enumerate(countries):
                    for second in countries[n + 1:]:
                        self._fact(s, "alliedWith", first, second,
                                   "negated" if self._ally_denied(token) else "occurred",
                                   "ally.alliance-subjects", event=False)
                continue
            if self._the_two_allies(s, token):
                continue
            # of whom: "allié de/à la Russie", else the possessor "son allié"
            anchor = None
            possessor = None
            nxt = [m for m in places if m.start > i and m.start <= i + 3
                   and fold(doc[m.start - 1].text) in ("de", "d'", "a", "du", "la", "l'", "m.")
                   and (m.entity.type != "person" or self._country(s, m) is not None)]
            if nxt and any(fold(t.text) in ("de", "d'", "a", "du") for t in doc[i + 1:nxt[0].start]):
                anchor = self._country(s, nxt[0])
                named = None
                if anchor is not None and fold(token.text).endswith("s") and i > s.span.start \
                        and fold(doc[i - 2 if fold(doc[i - 1].text) in ("les", "des", "ses")
                                     else i - 1].text) == "parmi":
                    # "Parmi les alliés de Moscou, le Bélarusse X et le Kazakh Y": each one
                    for member in self._persons_after(s, nxt[0].end, s.span.end):
                        ally = self._country(s, member)
                        if ally is not None and ally != anchor:
                            self._fact(s, "alliedWith", ally, anchor, "occurred",
                                       "ally.among", event=False)
                    continue
            else:
                named = next((m for m in places if i < m.start <= i + 5
                              and not any(t.pos_ in ("VERB", "AUX") or fold(t.text) in GENITIVE
                                          for t in doc[i + 1:m.start])), None)
                speaker = self._speaker(s)
                possessor = self._agent(s, token)
                if possessor is None and any(fold(t.text) == "nous" for t in doc[s.span.start:i]):
                    possessor = speaker
                if possessor is None:
                    possessor = speaker or s.memory.topic
                anchor = self.gazetteer.country_of(possessor) if possessor else None
                if possessor is not None and possessor.type == "person":
                    anchor = self._country(s, Mention(0, 0, possessor, "name", 0))
            # who is the ally: named next to the word, the clause subject, or the place nearby
            ally = None
            if named is not None:
                ally = self._country(s, named)
            if (ally is None or ally == anchor) and token.dep_ in ("appos", "conj", "amod", "acl"):
                ally = self._country(s, self._mention(s, token.head))
            if ally is None or ally == anchor:
                subject = next((c for c in token.children if c.dep_ in SUBJECTS), None) or \
                    next((c for c in token.head.children if c.dep_ in SUBJECTS and
                          token.dep_ in ("obj", "xcomp", "conj", "amod", "ROOT", "root")), None)
                mention = self._mention(s, subject) if subject is not None else None
                if mention is not None and mention.entity.type != "person":
                    ally = self._country(s, mention)
            if (ally is None or ally == anchor) and possessor is not None:
                ally = s.memory.place.get(possessor.id)   # the ally he is visiting
            if ally is None or ally == anchor:
                candidates = [m for m in places if m.entity.type in ("country", "city")
                              and self._country(s, m) not in (None, anchor)
                              and fold(doc[m.start - 1].text) not in GENITIVE]
                if candidates:
                    ally = self._country(s, min(candidates, key=lambda m: abs(m.start - i)))
            if anchor is None or ally is None or anchor == ally:
                continue
            status = "negated" if self._ally_denied(token) else "occurred"
            self._fact(s, "alliedWith", ally, anchor, status, rule, event=False)

    def _the_two_allies(self, s: Sentence, token) -> bool:
        """"Les deux alliés ont signé un accord", "entre les deux alliés traditionnels":
        the two are the pair of leaders the article has brought together, and their
        countries are allied (when the sentence names no country of its own)."""
        doc = s.doc
        if s.memory.pair is None or not fold(token.text).endswith("s") \
                or token.i - 1 < s.span.start or fold(doc[token.i - 1].text) != "deux" \
                or any(m.entity.type in ("country", "city", "seat") for m in s.mentions.mentions):
            return False
        countries = [self._country(s, Mention(0, 0, person, "name", 0))
                     for person in s.memory.pair]
        if None in countries or countries[0] == countries[1]:
            return False
        status = "negated" if self._ally_denied(token) else "occurred"
        self._fact(s, "alliedWith", countries[0], countries[1], status, "ally.the-two",
                   event=False)
        return True

    def _ally_denied(self, token) -> bool:
        for node in (token, token.head):
            words = [fold(c.text) for c in node.children]
            if "pas" in words and not any(w in ("seulement", "uniquement") for w in words):
                return True
        return False

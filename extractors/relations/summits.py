"""summitAt: the summit trigger words of data/triggers.jsonl (summit.summit,
summit.session) and summit.pronoun ("celui du G20"); also visit.summit, the visit
an attendee makes to a summit held abroad.

Separate because a summit is read from its trigger word outward: the
organisation, the place, the attendees ("en présence de"). visit.summit is here
and not in visits.py because it is asserted from the same attendees and place as
the summitAt fact, in the same loop.
"""
from __future__ import annotations

from .. import modality
from ..facts import Entity
from ..text import fold
from .context import CO_ATTEND, RuleBase, Sentence


class SummitRules(RuleBase):
    """summitAt for each attendee of a summit word, and their visit to its country."""

    def _summits(self, s: Sentence) -> None:
        doc = s.doc
        summit_tokens = sorted(i for i, (rel, _) in s.triggers.items() if rel == "summitAt")
        # "celui du G20 en Inde": a pronoun standing for the summit just named
        if summit_tokens:
            summit_tokens += [t.i for t in s.span if fold(t.text) in ("celui", "celle")
                              and t.i > summit_tokens[0]]
            summit_tokens.sort()
        last_agent: Entity | None = None    # "puis de celui du G20": the same attendee
        for n, i in enumerate(summit_tokens):
            token = doc[i]
            rule = s.triggers.get(i, ("summitAt", "summit.pronoun"))[1]
            stop = summit_tokens[n + 1] if n + 1 < len(summit_tokens) else s.span.end
            organization = None
            for mention in s.mentions.mentions:
                if i < mention.start < min(stop, i + 8) and mention.entity.type == "organization":
                    organization = mention.entity
                    break
            if rule == "summit.session" and organization is None and not any(
                    fold(t.text) in ("ministres", "dirigeants", "chefs") for t in doc[i:i + 5]):
                continue
            place = None
            for mention in s.mentions.mentions:
                if i < mention.start < stop and mention.entity.type in ("country", "city") \
                        and self._locative(s, mention):
                    place = mention
                    break
            country = self.gazetteer.country_of(place.entity) if place else None
            if country is None:
                fronted = [m for m in s.mentions.mentions
                           if m.start < i and m.entity.type in ("country", "city")
                           and self._locative(s, m)]
                if fronted:
                    place = fronted[0]
                    country = self.gazetteer.country_of(place.entity)
            status = modality.status(token, self.lexicon, s.future)
            attendees = []
            agent = self._person(self._agent(s, token))
            if agent is None and n > 0:
                agent = last_agent
            if agent is None and any(t.pos_ in ("VERB", "AUX") for t in s.span) \
                    and fold(token.text) != "celui" and not self._has_subject(token):
                agent = self._person(s.memory.topic)
            if agent is not None:
                attendees.append(agent)
            for k in range(i, s.span.end):
                if fold(doc[k].text) in CO_ATTEND:
                    attendees += [m.entity for m in self._persons_after(s, k + 1, genitive_ok=True)
                                  if m.entity not in attendees]
                    break
            if country is None and agent is not None and not fold(token.text).endswith("s"):
                country = s.memory.place.get(agent.id)   # "un sommet" where the agent now is
            if country is None:
                continue
            last_agent = agent
            for person in attendees:
                self._fact(s, "summitAt", person, country, status, rule, anchor=i,
                           location=place.entity if place and place.entity.type == "city" else None,
                           organization=organization)
                if not self._at_home(s, person, country):
                    self._fact(s, "visits", person, country, status, "visit.summit", anchor=i,
                               location=place.entity if place and place.entity.type == "city"
                               else None)
                    if status != "negated":
                        s.memory.place[person.id] = country

"""summitAt: the summit trigger words of data/triggers.jsonl (summit.summit,
summit.session, summit.cop for a numbered COP), summit.pronoun ("celui du G20"),
summit.body (a body as its summit: "au G7 en Italie") and
summit.attendance (attendees of the article's summit), summit.arrival (a leader arriving
in the country of a summit the article placed before, just before it); meet.small-summit
(the participants of a bilateral or trilateral summit meet); meet.summit-between ("le
sommet entre X et Y" is a meeting of the two, not a summit others attend); also
visit.summit, the visit an attendee makes to a summit held abroad, and visit.attendance,
attending the event of the article's visit.

Separate because a summit is read from its trigger word outward: the
organisation, the place, the attendees ("en présence de"). visit.summit is here
and not in visits.py because it is asserted from the same attendees and place as
the summitAt fact, in the same loop.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..facts import Entity
from ..mentions import PlacedSummit
from ..text import fold
from .context import CO_ATTEND, GENITIVE, SUBJECTS, RuleBase, Sentence

HOSTING = frozenset({"accueillir", "abriter", "organiser", "recevoir"})
DEFINITE = frozenset({"le", "la", "l'", "au", "ce", "cette", "du", "ledit"})
LIST_WORDS = frozenset({",", "et", "le", "la", "l'", "les", "ainsi", "que", "qu'"})
REPRESENTED = frozenset({"represente", "representee", "representes", "representees"})
INSTEAD = (("en", "lieu", "et", "place"), ("a", "la", "place"))
# relative pronouns after which French puts the subject after the verb
INVERTING = frozenset({"auquel", "auxquels", "auxquelles", "laquelle", "lequel", "ou", "que",
                       "qu'", "dont"})


class SummitRules(RuleBase):
    """summitAt for each attendee of a summit word, and their visit to its country."""

    def _summits(self, s: Sentence) -> None:
        doc = s.doc
        summit_tokens = sorted(i for i, (rel, _) in s.triggers.items() if rel == "summitAt")
        bodies = self._bodies_as_summits(s, summit_tokens)
        summit_tokens = sorted(summit_tokens + bodies)
        # "celui du G20 en Inde": a pronoun standing for the summit just named
        if summit_tokens:
            summit_tokens += [t.i for t in s.span if fold(t.text) in ("celui", "celle")
                              and t.i > summit_tokens[0]]
            summit_tokens.sort()
        last_agent: Entity | None = None    # "puis de celui du G20": the same attendee
        for n, i in enumerate(summit_tokens):
            token = doc[i]
            rule = s.triggers[i][1] if i in s.triggers else (
                "summit.body" if i in bodies else "summit.pronoun")
            stop = summit_tokens[n + 1] if n + 1 < len(summit_tokens) else s.span.end
            organization = None
            for mention in s.mentions.mentions:    # at the word itself too: "la COP28"
                if i <= mention.start < min(stop, i + 8) and mention.entity.type == "organization":
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
                host = self._host(s)                          # "Dubaï accueille la COP28"
                if host is not None:
                    place, country = host, self.gazetteer.country_of(host.entity)
            if country is None:
                fronted = [m for m in s.mentions.mentions
                           if m.start < i and m.entity.type in ("country", "city")
                           and self._locative(s, m)]
                if fronted:
                    place = fronted[0]
                    country = self.gazetteer.country_of(place.entity)
            if country is None:
                named = self._summit_city_after(s, i, stop)   # "le sommet de Riyad"
                if named is not None:
                    place, country = named, self.gazetteer.country_of(named.entity)
            from_article = False
            if country is None and s.memory.summit is not None and i > s.span.start \
                    and fold(doc[i - 1].text) in DEFINITE:
                # "au sommet", "la COP28": the summit the article has placed already
                country, city, known_org = s.memory.summit
                organization = organization or known_org
                from_article = True
            if country is not None and rule != "summit.pronoun" and not from_article:
                s.memory.summit = (country, place.entity if place and
                                   place.entity.type == "city" else None, organization)
            city = s.memory.summit[1] if from_article else (
                place.entity if place and place.entity.type == "city" else None)
            said = self._status(s, token)
            between = self._between(s, token, stop)
            if not between and not fold(token.text).endswith("s"):
                # "pour un sommet avec Poutine": the agent and the one named are the two
                partner = self._partner(s, token, stop)
                agent = self._person(self._agent(s, token)) if partner else None
                if agent is not None and agent != partner:
                    between = [agent, partner]
            if country is not None and not from_article and rule != "summit.pronoun" \
                    and len(between) != 2:
                s.memory.summits.append(PlacedSummit(country, city, organization, said,
                                                     *self._date(s, i, said),
                                                     s.offset + s.span.start_char))
            if len(between) == 2:
                # "le sommet entre Poutine et Kim": two leaders meeting, not a summit others
                # attend; the one away from home visits its country
                self._fact(s, "meets", between[0], between[1], said, "meet.summit-between",
                           anchor=i)
                for person in between:
                    if country is not None and not self._at_home(s, person, country):
                        self._fact(s, "visits", person, country, said, "visit.summit",
                                   anchor=i, location=city)
                continue
            attendees = []
            agent = self._person(self._agent(s, token))
            if agent is None and n > 0:
                agent = last_agent
            if agent is None and s.memory.pair is not None and self._the_two(s, i):
                attendees.extend(p for p in s.memory.pair if p not in attendees)  # "les deux dirigeants"
            if agent is None and any(t.pos_ in ("VERB", "AUX") for t in s.span) \
                    and fold(token.text) != "celui" and not self._has_subject(token):
                agent = self._person(s.memory.topic)
            if agent is not None:
                attendees.append(agent)
            # "le sommet auquel participeront X, Y et Z": the subjects after the verb
            inverted = [p for p in self._inverted_attendees(s, token, stop)
                        if p not in attendees]
            attendees += inverted
            attendees += [p for p in between if p not in attendees]   # "entre X, Y et Z"
            for k in range(i, s.span.end):
                if fold(doc[k].text) in CO_ATTEND:
                    attendees += [m.entity for m in self._persons_after(s, k + 1, genitive_ok=True)
                                  if m.entity not in attendees]
                    break
            if country is None and agent is not None and not fold(token.text).endswith("s"):
                country = s.memory.place.get(agent.id)   # "un sommet" where the agent now is
            if country is None and inverted and agent is None and s.memory.scene is not None \
                    and i > s.span.start and fold(doc[i - 1].text) in DEFINITE:
                country = s.memory.scene      # "du sommet auquel participeront": the visit's
            if country is None:
                continue
            last_agent = agent
            if len(between) > 2 or any(fold(c.text) in self.lexicon.small_formats
                                       for c in token.children):
                self._small_summit(s, token, attendees, said)
            verb = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), None)
            remote = self._remote(s, token) or (verb is not None and self._remote(s, verb))
            for person in attendees:
                status = "negated" if self._declared_absent(s, person) else said
                self._fact(s, "summitAt", person, country, status, rule, anchor=i,
                           location=city, organization=organization)
                if remote:      # "participera par visioconférence au sommet": no trip
                    s.rejected.append(f"visits({person.label_fr}, {country.label_fr}): "
                                      "takes part from afar")
                elif not self._at_home(s, person, country):
                    self._fact(s, "visits", person, country, status, "visit.summit", anchor=i,
                               location=city)
                    if status != "negated":
                        s.memory.place[person.id] = country

    def _said_of_another(self, s: Sentence, word, mention) -> bool:
        """The attendance word has a subject of its own that names no one ("aucun
        dirigeant", "la délégation"), and the name is not part of it: said of that
        subject, not of a person named elsewhere in the sentence."""
        subjects = [c for c in word.children if c.dep_ in SUBJECTS]
        if mention.start > s.span.start and fold(s.doc[mention.start - 1].text) == "par":
            return False        # "L'Amérique latine sera représentée par X": X is there
        if not subjects or any(self._person(self._resolve(s, c)) is not None
                               for c in subjects):
            return False
        return not any(c.left_edge.i <= mention.start <= c.right_edge.i for c in subjects)

    def _bodies_as_summits(self, s: Sentence, summit_tokens: list[int]) -> list[int]:
        """"se rendra au G7 en Italie", "participera au G20 de Rio": a body named after
        "au" and followed by its place is its summit there (rule summit.body), where no
        summit word is near."""
        doc = s.doc
        found = []
        for mention in s.mentions.mentions:
            i = mention.start
            if mention.entity.type != "organization" or i <= s.span.start \
                    or fold(doc[i - 1].text) != "au" \
                    or any(abs(k - i) <= 4 for k in summit_tokens):
                continue
            place = next((m for m in s.mentions.mentions if mention.end <= m.start
                          <= mention.end + 2 and m.entity.type in ("country", "city")), None)
            if place is None:
                continue
            before = fold(doc[place.start - 1].text)
            if self._locative(s, place) or (before in ("de", "d'")
                                            and place.entity.type == "city"):
                found.append(i)
        return found

    def _inverted_attendees(self, s: Sentence, token, stop: int) -> list[Entity]:
        """People after the verb of a relative clause on the summit word whose relative
        pronoun is no subject of its own ("auquel participeront X et Y", "où se
        retrouveront X et Y"): French puts the subject after the verb there."""
        for clause in token.children:
            if clause.dep_ != "acl:relcl" or clause.i > stop:
                continue
            if not any(fold(t.text) in INVERTING for t in s.doc[token.i + 1:clause.i]):
                continue
            if any(c.dep_ in SUBJECTS and c.i < clause.i and fold(c.text) not in INVERTING
                   for c in clause.children):
                continue    # "le sommet que Poutine a accueilli": its subject is before it
            return [m.entity for m in self._persons_after(s, clause.i + 1, stop)]
        return []

    def _between(self, s: Sentence, token, stop: int) -> list[Entity]:
        """The people of "un sommet entre X et Y"."""
        return [m.entity for m in self._named_after_word(s, token, stop, "entre")[1]]

    def _partner(self, s: Sentence, token, stop: int) -> Entity | None:
        """The one person of "un sommet avec X", named right after "avec" (two or more
        after it make a summit of several, read as usual)."""
        avec, named = self._named_after_word(s, token, stop, "avec")
        return named[0].entity if len(named) == 1 and named[0].start <= avec + 4 else None

    def _named_after_word(self, s: Sentence, token, stop: int, word: str) -> tuple:
        """(where `word` is, the people named after it and before the clause's verb, once
        each): `word` just after the summit word ("entre", "avec"). Read by position, so
        that a name later in the sentence is not one of them: the parser often attaches
        such a list's first name to the verb."""
        doc = s.doc
        at = next((k for k in range(token.i + 1, min(token.i + 4, stop))
                   if fold(doc[k].text) == word), None)
        if at is None:
            return None, []
        verb = next((k for k in range(at + 1, stop) if doc[k].pos_ in ("VERB", "AUX")
                     and s.mentions.at(k) is None), stop)
        people = {}
        for mention in self._persons_after(s, at + 1, verb):
            people.setdefault(mention.entity.id, mention)
        return at, list(people.values())

    def _small_summit(self, s: Sentence, token, attendees: list, status: str) -> None:
        """A bilateral or trilateral summit: its few participants meet one another."""
        for n, one in enumerate(attendees):
            for other in attendees[n + 1:]:
                person_status = "negated" if any(self._declared_absent(s, p)
                                                 for p in (one, other)) else status
                self._fact(s, "meets", one, other, person_status, "meet.small-summit",
                           anchor=token.i)

    def _summit_city_after(self, s: Sentence, i: int, stop: int):
        """"le sommet de Riyad", "au sommet d'Alger": a summit named by its city."""
        for mention in s.mentions.mentions:
            if i < mention.start <= i + 3 and mention.start < stop \
                    and mention.entity.type == "city" \
                    and fold(s.doc[mention.start - 1].text) in ("de", "d'"):
                return mention
        return None

    def _attendance(self, s: Sentence) -> None:
        """Who attends the summit the article is about: "parmi les présents, X et Y",
        "X et Y ont marqué leur présence", "Z participera", "X sera représenté par Y".

        Rule summit.attendance: an attendance word (data/attendance.txt) in a
        sentence that names people and no other place, while the article's summit
        (its place said earlier, or in this sentence) is known. The represented
        leader is negated; the representative attends.
        """
        if not any(m.entity.type == "person" for m in s.mentions.mentions):
            return      # nobody named to attend
        summit = s.memory.summit
        event_only = summit is None     # no summit: the event where the article's visit is
        if event_only and s.memory.scene is not None:
            summit = (s.memory.scene, None, None)
        if summit is None:
            return
        read = {f.subject for f in s.facts if f.relation in ("summitAt", "visits")}
        doc = s.doc
        folded_text = fold(s.text)
        if " part " not in folded_text and not any(
                stem in folded_text for stem in self.attendance_stems):
            return      # no form of an attendance word here: no token to look at
        words = [t for t in s.span if fold(t.lemma_) in self.lexicon.attendance
                 or fold(t.text) in self.lexicon.attendance
                 or (fold(t.text) == "part" and t.i > s.span.start
                     and fold(doc[t.i - 1].lemma_) == "prendre")]      # "a pris part"
        if not words or any(m.entity.type in ("country", "city") and self._locative(s, m)
                            and self.gazetteer.country_of(m.entity) != summit[0]
                            for m in s.mentions.mentions):
            return
        country, city, organization = summit
        # an attendee with no date of their own is there on the summit's date, when the
        # article gave it
        summit_date = next(((placed.date, placed.date_source) for placed in s.memory.summits
                            if placed.country.id == country.id
                            and placed.date_source == "text"), None)
        nouns = {t.i for t in words if t.pos_ == "NOUN"}    # "la participation de X"
        tail = self._reported_tail(s)
        word = words[0]
        statuses = {t.i: self._status(s, t) for t in words}
        status = statuses[word.i]
        represented_at = next((t.i for t in s.span if fold(t.text) in REPRESENTED
                               and t.i + 1 < s.span.end and fold(doc[t.i + 1].text) == "par"),
                              None) if "represent" in folded_text else None
        instead_at = next((t.i for t in s.span for phrase in INSTEAD
                           if tuple(fold(x.text) for x in doc[t.i:t.i + len(phrase)]) == phrase),
                          None) if "place" in folded_text else None
        accepted = None     # the last attendee read, whose list a name may continue
        for mention in self._persons_after(s, s.span.start, tail, genitive_ok=True):
            before = fold(doc[mention.start - 1].text) if mention.start > s.span.start else ""
            person = mention.entity
            if person in read:
                continue        # read by the summit rule already
            # the attendance word said of the name ("X ne participera pas"), else the one
            # nearest before it ("la participation de X, mais l'absence de Y"), else the
            # first one after it ("X et Y sont présents")
            own = next((t.i for t in words if self._agent(s, t) == person), None)
            if own is None:     # "X, ..., le vice-président Y sera présent": Y's own clause
                own = next((t.i for t in words if t.i >= mention.end and not any(
                    x.text in (",", ";") for x in doc[mention.end:t.i])), None)
            nearest = own if own is not None else max(
                (i for i in statuses if i < mention.start), default=None)
            if own is None and nearest is not None and self._said_of_another(
                    s, doc[nearest], mention):
                continue    # "Aucun dirigeant occidental n'a assisté au sommet, où X ..."
            person_status = statuses[nearest] if nearest is not None else status
            if represented_at is not None and mention.start < represented_at:
                person_status = "negated"        # "X sera représenté par Y"
            elif instead_at is not None and mention.start > instead_at and before in GENITIVE:
                person_status = "negated"        # "en lieu et place de X"
            elif before in GENITIVE and before not in ("par",) and not any(
                    k in nouns for k in range(mention.start - 4, mention.start)):
                continue                         # "le fils de X", "la délégation de X"
            if mention.kind == "description" and person_status != "negated" \
                    and status == "occurred" and s.memory.place.get(person.id) not in (None, country):
                continue
            if event_only and not (self._attends(s, person, words) or self._listed_after(
                    s, accepted, mention)):
                continue    # the event of a visit: only who the attendance word is said of
            accepted = mention
            if person_status != "negated" and self._declared_absent(s, person):
                person_status = "negated"
            if not event_only:
                self._fact(s, "summitAt", person, country, person_status, "summit.attendance",
                           anchor=word.i, location=city, organization=organization,
                           undated=summit_date)
            if not self._at_home(s, person, country):
                self._fact(s, "visits", person, country, person_status,
                           "visit.attendance" if event_only else "visit.summit",
                           anchor=word.i, location=city,
                           undated=None if event_only else summit_date)

    def _attends(self, s: Sentence, person: Entity, words: list) -> bool:
        """The attendance word is said of this person: its subject, a subject
        coordinated with it ("X et Y seront présents"), or "représenté par X"."""
        for word in words:
            for subject in self._subjects(word):
                mention = self._mention(s, subject)
                if mention is not None and mention.entity == person:
                    return True
            after = [m.entity for m in self._persons_after(s, word.i + 1, s.span.end, True)
                     if fold(s.doc[m.start - 1].text) == "par"]
            if person in after[:1]:
                return True
        return False

    def _listed_after(self, s: Sentence, previous, mention) -> bool:
        """"le Bélarusse X et le Kazakh Y": a name that only list words and demonyms
        separate from the attendee before it belongs to the same list."""
        if previous is None:
            return False
        gap = s.doc[previous.end:mention.start]
        return len(gap) <= 4 and any(fold(t.text) in ("et", ",") for t in gap) and all(
            fold(t.text) in LIST_WORDS or fold(t.text) in self.gazetteer.demonyms for t in gap)

    def _host(self, s: Sentence):
        """"Dubaï accueille la COP28", "Riyad abrite le sommet": the place that hosts."""
        for mention in s.mentions.mentions:
            if mention.entity.type not in ("country", "city"):
                continue
            head = s.doc[mention.head]
            if head.dep_ in ("nsubj", "expl:subj") and fold(head.head.lemma_) in HOSTING:
                return mention
        return None

    # -- the article as a whole -----------------------------------------------------------
    ARRIVAL_DAYS = 3        # an arrival this many days before the summit is for it

    def _arrivals(self, facts: list, memory) -> list:
        """"Des images de X arrivant à Riyad", "Y est arrivé à Samarcande": a leader
        arriving in the country of a summit the article has placed before, at a date that
        fits it, comes for that summit (rule summit.arrival, with the status and date the
        article first gave the summit). Not when the article says anything of that
        person at that summit already, denial included."""
        if not memory.summits:
            return facts
        said = {(f.subject.id, f.object.id) for f in facts if f.relation == "summitAt"}
        added = []
        for fact in facts:
            if fact.relation != "visits" or fact.status == "negated" \
                    or fact.subject.type != "person" or (fact.subject.id, fact.object.id) in said:
                continue
            placed = [summit for summit in memory.summits
                      if summit.country.id == fact.object.id
                      and summit.start_char <= fact.start_char]
            if not placed:
                continue
            # its status as first said; its date as first read from the text, if it is
            dated = next((summit for summit in placed if summit.date_source == "text"),
                         placed[0])
            if not _fits(fact.date, dated.date, self.ARRIVAL_DAYS):
                continue
            said.add((fact.subject.id, fact.object.id))
            added.append(replace(fact, relation="summitAt", status=placed[0].status,
                                 rule="summit.arrival", date=dated.date,
                                 date_source=dated.date_source,
                                 organization=placed[0].organization))
        return facts + added


def _fits(arrival: str, summit: str, days: int) -> bool:
    """The arrival's date is the summit's (to the precision both have), or up to `days`
    days before it."""
    if not arrival or not summit:
        return False
    if len(arrival) == len(summit) == 10:
        gap = (dt.date.fromisoformat(summit) - dt.date.fromisoformat(arrival)).days
        return 0 <= gap <= days
    return arrival.startswith(summit) or summit.startswith(arrival)

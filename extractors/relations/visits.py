"""visits: rules visit.presence, visit.caption, visit.relative-where, visit.noun-scene,
visit.chosen-destination, visit.host-meeting, and the visit trigger words of data/triggers.jsonl
(visit.se-rendre, visit.visit, visit.trip, visit.arrive, visit.go, visit.expected,
visit.head-for, visit.present, visit.set-foot, visit.leave: having left a country is having
been there, so only the past participles are trigger words; visit.return: coming back from a
place, "de retour de Pékin", never going back to one; visit.take-to: "une tournée qui le
conduira au Vietnam", the one the clitic stands for).

Separate because a visit is read from a place outward: what the place name is
attached to (`_governor`) and who went there (`_visit_agents`). These rules run
after the meetings, whose hosts and guests (`Sentence.meetings`) can be the
visitors. A place attached to another relation's trigger word (a meeting, an
alliance) gives a visit here that keeps that trigger's id. The visit an attendee
makes to a summit is read with the summit, in summits.py.
"""
from __future__ import annotations

from .. import modality
from ..facts import Entity, Mention
from ..text import fold
from .context import DETERMINERS, GENITIVE, LOCATIVE, PLACE_NOUNS, RuleBase, Sentence, said_in

# words that make a trip the time of something else: "lors de ce voyage", "pendant sa visite"
DURING = frozenset({"lors", "pendant", "durant", "cours"})
# trigger words whose direct object is a place one is or was at: "visiter la Chine",
# "a quitté la Corée du Sud"
OBJECT_TRIGGERS = frozenset({"visit.visit", "visit.leave"})

CAPTION = "visit.caption"   # a photo caption; its visits do not make their visitor the topic
ITINERARY_GLUE = frozenset({",", "et", "puis", "ensuite", "enfin", "avant", "apres", "notamment",
                            "d'abord", "abord", "le", "la", "l'", "les", "a", "de", "d'", "du",
                            "ainsi", "que", "qu'", "ou", "-"})
RECEIVING = frozenset({"recevoir", "accueillir"})
CLITIC_OBJECTS = frozenset({"le", "la", "les", "l'"})
COMPANION = frozenset({"compagnie", "accompagne", "accompagnee", "accompagnes", "cotes"})


class VisitRules(RuleBase):
    """visits from places attached to trigger words or verbs, and from visit nouns."""

    def _visits(self, s: Sentence) -> None:
        carried: Entity | None = None
        done: set[tuple] = set()
        # "chez son allié bélarusse": the demonym names the country visited
        chez = [Mention(d.start, d.end, d.entity, "demonym", s.doc[d.start].head.i)
                for d in s.mentions.demonyms
                if s.doc[d.start].text[:1].islower() and any(
                    fold(c.text) == "chez" for c in s.doc[d.start].head.children)]
        # "sur le sol vietnamien", "dans la ville saoudienne de Neom": the demonym names
        # the country, where a trigger word governs the phrase (`_land`)
        land = [Mention(d.start, d.end, d.entity, "demonym", s.doc[d.start].head.i)
                for d in s.mentions.demonyms if self._land(s, d)]
        read: list[tuple] = []      # (place mention, agents, status, rule) read so far
        for mention in s.mentions.mentions + chez + land:
            if mention.entity.type not in ("country", "city", "seat"):
                continue
            if mention.kind != "demonym" and not self._locative(s, mention) \
                    and not self._visited_object(s, mention):
                continue
            country = self.gazetteer.country_of(mention.entity)
            if country is None:
                continue
            if self._placed_in_another(s, mention):
                s.rejected.append(f"{mention.entity.label_fr}: a place said to lie in another "
                                  "country, so a town of the same name there")
                continue
            trigger, governor = self._governor(s, mention)
            leg = self._itinerary_leg(s, mention, read)
            if leg is not None and (governor is None or trigger is None):
                # "à Djibouti, au Tchad et au Kenya", "d'abord en Chine, puis en Biélorussie"
                _, agents, status, _ = leg
                self._visit_facts(s, agents, country, mention, status, "visit.itinerary", done)
                read.append((mention, agents, status, "visit.itinerary"))
                continue
            if governor is None or (trigger is None and mention in land):
                continue
            relation, rule = s.triggers.get(trigger.i, (None, None)) if trigger is not None \
                else (None, None)
            if relation == "summitAt":
                continue    # the summit rule reads these
            if rule == "visit.return" and not self._returned_from(
                    s, mention, self._preposition_at(s, mention)):
                s.rejected.append(f"{mention.entity.label_fr}: where someone goes back to, "
                                  "not a visit")
                continue
            if trigger is None:
                tail = self._reported_tail(s)
                after_report = mention.start >= tail and not any(
                    fold(t.text) == "qui" for t in s.doc[tail:mention.start])
                if mention.start in s.quoted or after_report:
                    s.rejected.append(f"{mention.entity.label_fr}: a place inside a quotation "
                                      "or a reported speech, not where the speaker is")
                    continue
                person_head = s.mentions.at(governor.i)
                if not s.caption and not (modality.finite(governor)
                                          or "Inf" in governor.morph.get("VerbForm")) \
                        and not (person_head is not None and person_head.entity.type == "person"):
                    continue    # "inquiet de l'escalade en Ukraine": no event there
                if said_in(governor, self.lexicon.settled_verbs):
                    s.rejected.append(f"{mention.entity.label_fr}: a place of a life "
                                      f"({governor.text}), not of a trip")
                    continue
                if fold(governor.lemma_) in self.lexicon.recipient_verbs:
                    s.rejected.append(f"{mention.entity.label_fr}: receives something "
                                      f"({governor.text}), is not where anyone goes")
                    continue
                rule = "visit.presence"
            agents = self._visit_agents(s, trigger, governor, mention)
            if not agents and carried is not None and trigger is None and not s.caption:
                agents = [carried]
            if trigger is not None and trigger.i in s.meetings and not s.caption:
                host, guests = s.meetings[trigger.i]
                if host is not None and guests and self._receiving(trigger):
                    agents = guests     # "X a reçu à Djeddah Y": whoever receives is at home
                elif host is not None and not self._at_home(s, host, country):
                    # "X et Y ont eu des rencontres à Pékin avec Z": both travelled; and
                    # "X s'entretiendra avec Y en Arabie saoudite": a partner known to lead
                    # another country travelled too
                    agents = [host] + [a for a in s.co_agents.get(trigger.i, [])
                                       if not self._at_home(s, a, country)]
                    places = [m for m in s.mentions.mentions
                              if m.entity.type in ("country", "city", "seat")
                              and self._locative(s, m) and not self._placed_in_another(s, m)]
                    if len(guests) == 1 and len(places) == 1:   # (one partner, one place:
                        agents += [g for g in guests if g not in agents    # not a list of
                                   and self._abroad(s, g, country)]        # meetings)
                elif guests:
                    agents = guests[:1] if host is None else guests   # the received are visiting
            status = self._status(s, trigger if trigger is not None else governor)
            if agents and not s.caption:
                agents = agents + [p for p in self._companions(s) if p not in agents]
            self._visit_facts(s, agents, country, mention, status,
                              CAPTION if s.caption else rule, done)
            read.append((mention, agents, status, rule))
            if agents:
                carried = agents[-1] if len(agents) == 1 else agents[0]

    def _taken(self, s: Sentence, trigger) -> list[Entity]:
        """"une tournée qui le conduira au Vietnam": the one the clitic object stands for,
        the person the tour or trip is said of; a verb with no such object ("la route
        mène à Bakou") takes no one."""
        if not any(c.dep_ in ("obj", "iobj", "expl:comp") and fold(c.text) in CLITIC_OBJECTS
                   for c in trigger.children):
            return []
        person = self._person(self._agent(s, trigger.head)) if trigger.head.i != trigger.i \
            else None
        if person is None:
            person = next((m.entity for m in s.mentions.mentions if m.entity.type == "person"
                           and m.end <= trigger.i), None) or self._person(s.memory.topic)
        return [person] if person is not None else []

    def _placed_in_another(self, s: Sentence, mention: Mention) -> bool:
        """"à Grenade, en Espagne": a country's name followed by ", en <another
        country>" is a town of that other country (Granada), not the country (Grenada)."""
        doc, k = s.doc, mention.end
        if mention.entity.type != "country" or k + 2 >= s.span.end or doc[k].text != "," \
                or fold(doc[k + 1].text) not in LOCATIVE:
            return False
        after = s.mentions.at(k + 2)
        if after is None and k + 3 < s.span.end and fold(doc[k + 2].text) in DETERMINERS:
            after = s.mentions.at(k + 3)
        if after is None or after.entity.type != "country" or after.entity.id == mention.entity.id:
            return False
        # not a list of places ("à Djibouti, au Tchad et au Kenya"): the second place
        # closes the phrase, and the first is said with "à", as a town is
        following = fold(doc[after.end].text) if after.end < s.span.end else "."
        return fold(doc[mention.start - 1].text) == "a" and following not in ITINERARY_GLUE

    @staticmethod
    def _preposition_at(s: Sentence, mention: Mention) -> int:
        """The index of the word before a place and its articles."""
        i = mention.start - 1
        while i > s.span.start and fold(s.doc[i].text) in DETERMINERS:
            i -= 1
        return i

    def _land(self, s: Sentence, demonym: Mention) -> bool:
        """A lower-case demonym on a land noun after a locative preposition: "sur le sol
        russe", "sur le territoire nord-coréen", "dans la ville saoudienne de Neom"."""
        doc = s.doc
        noun = doc[demonym.start].head
        if not doc[demonym.start].text[:1].islower() \
                or fold(noun.text) not in self.lexicon.land_nouns or noun.i > demonym.start:
            return False
        if noun.i in s.triggers:
            return True         # "foulera le sol serbe": the land is the trigger's own word
        k = noun.i - 1
        while k >= s.span.start and fold(doc[k].text) in DETERMINERS:
            k -= 1
        return k >= s.span.start and fold(doc[k].text) in LOCATIVE | {"sur", "a"}

    @staticmethod
    def _receiving(token) -> bool:
        """An active verb of receiving ("a reçu", "accueillera"): its subject is the host,
        at home whether or not any table knows where home is; a passive or a bare
        participle ("accueilli par X") has the guest as its subject."""
        if fold(token.lemma_) not in RECEIVING:
            return False
        if any(c.dep_ in ("aux:pass", "nsubj:pass", "obl:agent") for c in token.children):
            return False
        return not ("Part" in token.morph.get("VerbForm")
                    and not any(c.dep_ == "aux:tense" for c in token.children))

    def _visit_facts(self, s: Sentence, agents: list, country: Entity, mention: Mention,
                     status: str, rule: str, done: set) -> None:
        for agent in agents:
            if (agent.id, country.id) in done:
                continue
            if self._at_home(s, agent, country):
                s.rejected.append(f"visits({agent.label_fr}, {country.label_fr}): "
                                  "a leader or national in their own country")
                continue
            done.add((agent.id, country.id))
            if status != "negated" and self._declared_absent(s, agent):
                status = "negated"        # "attendu à X, ... est l'un des grands absents"
            self._fact(s, "visits", agent, country, status, rule, anchor=mention.start,
                       location=mention.entity if mention.entity.type != "country" else None)
            if status != "negated":
                s.memory.place[agent.id] = country
                host = s.memory.holder("leader", country)
                if host is not None and host != agent and s.memory.pair is None:
                    s.memory.pair = (agent, host)    # "les deux chefs d'État" from here on

    def _itinerary_leg(self, s: Sentence, mention: Mention, read: list):
        """The place read just before, when only list words and prepositions separate
        them: the same travellers go on to this one."""
        if not read:
            return None
        last = read[-1]
        gap = [fold(t.text) for t in s.doc[last[0].end:mention.start]]
        if not last[1] or len(gap) > 6 or not gap:
            return None
        if all(w in ITINERARY_GLUE or w in LOCATIVE for w in gap) and any(
                w in (",", "et", "puis", "ensuite", "enfin", "avant") for w in gap):
            return last
        return None

    def _companions(self, s: Sentence) -> list[Entity]:
        """"en compagnie du Premier ministre X et de la présidente Y", "accompagné de X":
        people who travel with the visitor."""
        doc = s.doc
        for t in s.span:
            word = fold(t.text)
            if word in COMPANION and t.i + 1 < s.span.end \
                    and fold(doc[t.i + 1].text) in ("de", "du", "des", "d'", "par"):
                stop = next((k.i for k in doc[t.i + 1:s.span.end]
                             if k.pos_ in ("VERB", "AUX") or k.text in (";", ":")), s.span.end)
                return [m.entity for m in self._persons_after(s, t.i + 1, stop, True)]
        return []

    def _meeting_places(self, s: Sentence) -> None:
        """"à Samarcande, où X a rencontré Y": the place a relative "où" stands for."""
        doc = s.doc
        visited = {(f.subject.id, f.object.id) for f in s.facts if f.relation == "visits"}
        for i, (host, guests) in sorted(s.meetings.items()):
            where = next((t.i for t in doc[s.span.start:i] if fold(t.text) == "ou"
                          and t.text.lower() == "où"), None)
            if where is None:
                continue
            places = [m for m in s.mentions.mentions if m.end <= where and where - m.end <= 3
                      and m.entity.type in ("country", "city", "seat") and self._locative(s, m)]
            if not places:
                continue
            place = places[0]
            country = self.gazetteer.country_of(place.entity)
            status = self._status(s, doc[i])
            people = [host] + list(guests)
            if fold(doc[i].lemma_) in RECEIVING:    # whoever receives is at home
                people = list(guests) if self._receiving(doc[i]) else [host]
            for person in people:
                if person is None or (person.id, country.id) in visited \
                        or self._at_home(s, person, country):
                    continue
                self._fact(s, "visits", person, country, status, "visit.relative-where",
                           anchor=i, location=place.entity if place.entity.type != "country"
                           else None)

    def _visit_nouns(self, s: Sentence) -> None:
        """"La visite de X", "celle du président Y" with no place said: where the article is."""
        if s.memory.scene is None or any(
                m.entity.type in ("country", "city", "seat") and self._locative(s, m)
                for m in s.mentions.mentions):
            return
        nouns = [i for i, (rel, _) in s.triggers.items()
                 if rel == "visits" and s.doc[i].pos_ == "NOUN"]
        if not nouns:
            return
        nouns += [t.i for t in s.span if fold(t.text) in ("celle", "celui") and t.i > min(nouns)]
        visited = None      # "celle du président français": the same country as the visit before
        for i in sorted(nouns):
            token = s.doc[i]
            if any(fold(t.text) in LOCATIVE and t.i + 1 < s.span.end
                   and s.doc[t.i + 1].text[:1].isupper()
                   for t in s.doc[i + 1:min(i + 8, s.span.end)]):
                continue    # "sa visite en Asie centrale": a place we do not know, not the scene
            for child in token.children:
                if not child.dep_.startswith("nmod") or not any(
                        fold(c.text) in ("de", "du", "d'") for c in child.children):
                    continue
                person = self._person(self._resolve(s, child))
                if person is None:
                    continue
                # where the text last put this traveller, else where the article is
                country = visited if fold(token.text) in ("celle", "celui") and visited \
                    else s.memory.place.get(person.id) or s.memory.scene
                visited = country
                if self._at_home(s, person, country):
                    continue
                self._fact(s, "visits", person, country,
                           self._status(s, token), "visit.noun-scene",
                           anchor=i)

    def _host_meetings(self, s: Sentence) -> None:
        """"X a également rencontré Xi Jinping" in an article placed in China (its summit
        or its visit): meeting a country's leader there is visiting it. Only where the
        sentence names no place of its own (rule visit.host-meeting)."""
        where = s.memory.summit[0] if s.memory.summit is not None else s.memory.scene
        if where is None or any(m.entity.type in ("country", "city", "seat")
                                for m in s.mentions.mentions):
            return
        visiting = {(f.subject.id, f.object.id) for f in s.facts if f.relation == "visits"}
        for fact in list(s.facts):
            if fact.relation != "meets" or fact.status == "negated":
                continue
            pair = (fact.subject, fact.object)
            for host, guest in (pair, pair[::-1]):
                if self._at_home(s, host, where) and not self._at_home(s, guest, where) \
                        and (guest.id, where.id) not in visiting \
                        and s.memory.place.get(guest.id) != where:   # not a trip told already
                    visiting.add((guest.id, where.id))
                    self._fact(s, "visits", guest, where, fact.status, "visit.host-meeting",
                               anchor=s.span.start)

    def _chosen_destinations(self, s: Sentence) -> None:
        """"X a choisi le Kazakhstan et l'Ouzbékistan pour son premier voyage"."""
        doc = s.doc
        for i, (relation, _) in sorted(s.triggers.items()):
            if relation != "visits" or doc[i].pos_ != "NOUN":
                continue
            if not any(fold(t.text) == "pour" for t in doc[max(s.span.start, i - 4):i]):
                continue
            verb = next((t for t in doc[s.span.start:i]
                         if fold(t.text) in self.lexicon.destination_verbs), None)
            if verb is None:
                continue
            agent = self._person(self._agent(s, verb))
            if agent is None:
                continue
            status = self._status(s, verb)
            for mention in s.mentions.mentions:
                if verb.i < mention.start < i and mention.entity.type in ("country", "city") \
                        and fold(doc[mention.start - 1].text) not in GENITIVE:
                    country = self.gazetteer.country_of(mention.entity)
                    if country is not None and not self._at_home(s, agent, country):
                        self._fact(s, "visits", agent, country, status,
                                   "visit.chosen-destination", anchor=i)

    def _governor(self, s: Sentence, mention: Mention):
        """What a place is attached to: a trigger word, a verb, or nothing we read."""
        node = s.doc[mention.head]
        for step in range(8):
            parent = node.head
            if parent.i == node.i:
                return None, node
            if parent.i in s.triggers:
                return parent, parent
            named = s.mentions.at(parent.i)
            if parent.pos_ in ("VERB", "AUX") and parent.ent_type_ != "PER" and not (
                    named is not None and named.entity.type == "organization"):
                return None, parent     # (an acronym the tagger calls a verb is a name)
            if fold(parent.text) in LOCATIVE | {"a"} and parent.i < mention.start:
                node = parent    # a capital "A" tagged as a noun heading its own place
                continue
            # "chez son allié, le Bélarus": the noun the place is in apposition to is the place
            coreferent = step == 0 and node.dep_ in ("appos", "conj") and parent.pos_ == "NOUN"
            # "aux Jeux olympiques d'hiver de Pékin": one goes where the event is held
            event = fold(parent.text) in self.lexicon.event_nouns or (
                parent.dep_.startswith("nmod") and fold(parent.head.text) in self.lexicon.event_nouns)
            if parent.pos_ in ("NOUN",) and fold(parent.text) not in PLACE_NOUNS and not event \
                    and fold(parent.text) not in self.lexicon.transparent and not coreferent \
                    and s.mentions.at(parent.i) is None \
                    and not any(start <= parent.i < end for start, end, _ in s.times):
                if s.caption:
                    return None, parent
                return None, None
            node = parent
        return None, None

    def _visited_object(self, s: Sentence, mention: Mention) -> bool:
        """"a visité la Corée du Sud", "a quitté la Corée du Sud": the place is the direct
        object of a verb whose object is where one is (OBJECT_TRIGGERS)."""
        head = s.doc[mention.head]
        if head.dep_ != "obj" or head.head.i not in s.triggers:
            return False
        return s.triggers[head.head.i][1] in OBJECT_TRIGGERS and head.head.pos_ in ("VERB", "AUX")

    def _visit_agents(self, s: Sentence, trigger, governor, place: Mention) -> list[Entity]:
        if trigger is not None and s.triggers[trigger.i][1] == "visit.take-to":
            return self._taken(s, trigger)
        if s.caption:
            return [m.entity for m in s.mentions.mentions
                    if m.entity.type == "person" and m.start < place.start]
        if trigger is not None and trigger.pos_ == "NOUN":
            for child in trigger.children:
                if child.dep_.startswith("nmod") and any(fold(c.text) in ("de", "du", "d'")
                                                         for c in child.children):
                    person = self._person(self._resolve(s, child))
                    if person is not None:
                        return [person]
        if trigger is not None and trigger.pos_ == "NOUN" and trigger.i - 3 >= s.span.start \
                and fold(s.doc[trigger.i - 1].text) == "en" and s.doc[trigger.i - 2].text == ",":
            # "le président vietnamien To Lam, en visite d'État à Pékin": said of the name
            # before the comma, whatever the parser hung the phrase on
            before = s.mentions.at(trigger.i - 3)
            if before is not None and before.entity.type == "person" \
                    and before.end == trigger.i - 2:
                return [before.entity]
        agents = self._agents(s, trigger if trigger is not None else governor)
        if agents:
            return agents
        # the person the sentence opens with, when the parse gives no subject
        first = next((m for m in s.mentions.mentions if m.entity.type == "person"), None)
        if first is not None and first.end <= place.start and all(
                t.pos_ in ("DET", "PUNCT") for t in s.doc[s.span.start:first.start]) \
                and (trigger is not None or not any(t.pos_ == "VERB"
                                                   for t in s.doc[s.span.start:place.start])):
            return [first.entity]
        # a verbless headline: "Poutine au Kazakhstan"
        if not any(t.pos_ == "VERB" for t in s.doc[s.span.start:place.start]):
            before = [m for m in s.mentions.mentions
                      if m.entity.type == "person" and m.end <= place.start]
            if before:
                return [before[-1].entity]
        if trigger is not None:
            topic = self._person(s.memory.topic)
            if topic is not None and trigger.pos_ == "NOUN":
                return [topic]
        return []

    def _cancelled_announcements(self, s: Sentence) -> None:
        """"Un déplacement annulé", "la visite a été reportée": with no place and no
        other traveller named, a denied trip is the trip the article announced
        (rule visit.cancelled-announced)."""
        announced = s.memory.announced
        if announced is None or any(f.relation == "visits" for f in s.facts):
            return
        person, country, location = announced
        if any(m.entity.type in ("country", "city", "seat") and self._locative(s, m)
               for m in s.mentions.mentions):
            return
        if any(m.entity.type == "person" and m.entity != person for m in s.mentions.mentions):
            return
        for i, (relation, _) in sorted(s.triggers.items()):
            before = [fold(t.text) for t in s.doc[max(s.span.start, i - 4):i]]
            if any(word in DURING for word in before):
                continue    # "il ne risque pas d'être arrêté lors de ce voyage": the trip is
                #             when, not what, the sentence denies
            if relation == "visits" and s.doc[i].pos_ == "NOUN" \
                    and self._status(s, s.doc[i]) == "negated":
                self._fact(s, "visits", person, country, "negated",
                           "visit.cancelled-announced", anchor=i, location=location)
                return

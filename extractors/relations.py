"""Reads the five relations from parsed sentences: the rules that turn mentions into facts.

Each rule has an id that travels into the fact's provenance. The rules combine
the dependency parse (who is the subject of which verb, what a place is
attached to) with the order of words, because the statistical parser is often
wrong on long news sentences while word order is not.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import Matcher

from . import dates, modality
from .facts import Article, ArticleFacts, Entity, Fact, Mention
from .gazetteer import Gazetteer
from .lexicon import Lexicon
from .mentions import ArticleMemory, MentionFinder, Role, SentenceMentions
from .text import fold

LOCATIVE = frozenset({"en", "au", "aux", "dans", "chez", "vers"})
DETERMINERS = frozenset({"le", "la", "l'", "les"})
PLACE_NOUNS = frozenset({"aeroport", "palais", "ville", "capitale", "port", "banlieue",
                         "region", "residence"})
GENITIVE = frozenset({"de", "d'", "du", "des", "par", "contre", "selon", "sans"})
SUBJECTS = ("nsubj", "nsubj:pass", "expl:subj")   # the parser often calls "il" expl:subj
PRONOUNS = frozenset({"il", "elle", "lui"})
RELATIVE = frozenset({"qui"})
QUOTES_OPEN = frozenset({"«", "“", '"'})
QUOTES_CLOSE = frozenset({"»", "”", '"'})
ENUMERATION = frozenset({"comme", "dont", "notamment", "tels", "telles", "parmi"})
PRESENCE = frozenset({"presence", "compagnie"})
CO_ATTEND = frozenset({"presence", "compagnie", "duquel", "laquelle", "lequel"})
NEW_SEGMENT = frozenset({",", "puis", "et", ";"})


@dataclass
class Sentence:
    """One sentence with everything the rules look at."""
    span: object
    article: Article
    mentions: SentenceMentions
    memory: ArticleMemory
    triggers: dict            # token index -> (relation, rule id)
    times: list               # (token start, token end, value)
    quoted: set               # token indices inside quotation marks
    caption: bool
    future: bool
    facts: list = field(default_factory=list)
    anchor: Entity | None = None    # whose counterpart "son homologue" is
    meetings: dict = field(default_factory=dict)   # trigger index -> (host or agent, guests)
    rejected: list = field(default_factory=list)   # what a rule considered and did not assert
    offset: int = 0                                # of this Doc's text in the article

    @property
    def doc(self):
        return self.span.doc


class RelationExtractor:
    """Built once with the loaded pipeline; `extract` runs per article."""

    def __init__(self, nlp, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.finder = MentionFinder(nlp, gazetteer, lexicon)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.trigger_relation = {}
        for trigger in lexicon.triggers:
            self.matcher.add(trigger.id, trigger.patterns)
            self.trigger_relation[trigger.id] = trigger.relation

    # -- per article ---------------------------------------------------------------------
    def extract(self, docs, article: Article) -> ArticleFacts:
        """Facts of one article, given as one Doc or as (character offset, Doc) chunks:
        a long article is parsed in pieces, read in order with one memory."""
        if not isinstance(docs, list):
            docs = [(0, docs)]
        memory = ArticleMemory(self.gazetteer, article.date)
        result = ArticleFacts(article)
        for offset, doc in docs:
            self._extract_doc(doc, offset, article, memory, result)
        return result

    def _extract_doc(self, doc, offset: int, article: Article, memory: ArticleMemory,
                     result: ArticleFacts) -> None:
        folded = [fold(t.text) for t in doc]
        for span in doc.sents:
            if not span.text.strip():
                continue
            mentions = self.finder.find(span, memory, folded)
            if not mentions.mentions and not mentions.roles:
                continue      # names no one and nothing: no rule can read anything here
            by_token = {}     # trigger words, matched only where someone or something is named
            for match_id, start, end in self.matcher(span):
                rule = doc.vocab.strings[match_id]
                for i in range(span.start + start, span.start + end):
                    # every word of "mettre le cap": places attach anywhere in it
                    if doc[i].pos_ in ("VERB", "NOUN", "ADJ", "PROPN") or end - start == 1:
                        by_token.setdefault(i, (self.trigger_relation[rule], rule))
            sentence = self._sentence(span, article, memory, by_token, mentions)
            sentence.offset = offset
            self._roles(sentence)
            self._leaders(sentence)
            self._meetings(sentence)
            self._visits(sentence)
            self._meeting_places(sentence)
            self._visit_nouns(sentence)
            self._chosen_destinations(sentence)
            self._summits(sentence)
            self._alliances(sentence)
            self._update_topic(sentence)
            for fact in sentence.facts:
                for entity in (fact.subject, fact.object, fact.location, fact.organization):
                    if entity is not None:
                        result.entities[entity.id] = entity
            result.facts.extend(sentence.facts)
            result.rejected.extend((sentence.span.text.strip(), why)
                                   for why in dict.fromkeys(sentence.rejected))

    def _sentence(self, span, article, memory, by_token, mentions) -> Sentence:
        triggers = {i: t for i, t in by_token.items() if span.start <= i < span.end}
        times = []
        for expression in dates.find(span.text):
            tokens = span.char_span(expression.start, expression.end, alignment_mode="expand")
            if tokens is not None:
                times.append((tokens.start, tokens.end, expression))
        quoted, inside = set(), False
        for token in span:
            if token.text in QUOTES_OPEN and not (token.text == '"' and inside):
                inside = True
            elif token.text in QUOTES_CLOSE and inside:
                inside = False
            elif inside:
                quoted.add(token.i)
        text = span.text
        caption = any(marker in text for marker in ("(d)", "(g)", "(c)", "(au centre)")) or (
            text.rstrip().endswith(")") and "/" in text[text.rfind("("):])
        future = any(fold(t.text) in self.lexicon.future_time for t in span)
        if caption:   # the photo credit "( AFP / Name )" names no one in the picture
            credit = text.rfind("(")
            if credit >= 0 and "/" in text[credit:]:
                cut = span.start_char + credit
                mentions.mentions = [m for m in mentions.mentions
                                     if span.doc[m.start].idx < cut]
        return Sentence(span, article, mentions, memory, triggers, times, quoted, caption,
                        future)

    # -- helpers -------------------------------------------------------------------------
    def _fact(self, s: Sentence, relation: str, subject: Entity, obj: Entity, status: str,
              rule: str, anchor: int | None = None, location: Entity | None = None,
              organization: Entity | None = None, event: bool = True) -> None:
        if subject is None or obj is None or subject.id == obj.id:
            return
        date, source = "", ""
        if event:
            date, source = self._date(s, anchor, status)
        start = s.offset + s.span.start_char
        s.facts.append(Fact(s.article.id, relation, subject, obj, status, rule,
                            s.span.text.strip(), start + (len(s.span.text) - len(s.span.text.lstrip())),
                            start + len(s.span.text.rstrip()), date, source, location,
                            organization))

    def _date(self, s: Sentence, anchor: int | None, status: str) -> tuple[str, str]:
        future = status == "planned" or (status == "negated" and any(
            fold(t.text) in self.lexicon.planned and t.pos_ != "VERB" for t in s.span))
        times = [t for t in s.times if not self._dates_a_report(s, t[0])]
        if times:
            if anchor is None:
                chosen = times[0]
            else:
                after = [t for t in times if t[0] >= anchor]
                chosen = min(times, key=lambda t: abs(t[0] - anchor) if t[0] >= anchor
                             else abs(anchor - t[1]) + 3)
                if after and s.caption:
                    chosen = after[0]
            value = dates.resolve(chosen[2], s.article.date, future)
            if value:
                return value, "text"
        if s.article.date:
            return s.article.date, "article"
        return "", ""

    def _dates_a_report(self, s: Sentence, index: int) -> bool:
        """"a annoncé mardi": that date is when it was said, not when it happens."""
        node = s.doc[index]
        for _ in range(6):
            if node.pos_ in ("VERB", "AUX") and node.ent_type_ != "PER":
                return fold(node.lemma_) in self.lexicon.reporting
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def _mention(self, s: Sentence, token) -> Mention | None:
        """The mention a token belongs to, looking into names in apposition too."""
        found = s.mentions.at(token.i)
        if found is not None:
            return found
        for child in token.children:
            if child.dep_ in ("flat:name", "appos", "flat") and child.i > token.i:
                found = s.mentions.at(child.i)
                if found is not None:
                    return found
        return None

    def _resolve(self, s: Sentence, token) -> Entity | None:
        """The entity a subject or object token stands for, pronouns included."""
        mention = self._mention(s, token)
        if mention is not None:
            return mention.entity
        word = fold(token.text)
        if word in PRONOUNS:
            earlier = [m for m in s.mentions.mentions if m.end <= token.i
                       and m.entity.type == "person" and m.start not in s.quoted]
            return earlier[0].entity if earlier else s.memory.topic
        if word in RELATIVE and token.head.dep_.startswith("acl") and token.head.head.i != token.i:
            return self._resolve(s, token.head.head)
        return None

    def _has_subject(self, token) -> bool:
        """Whether the clause of `token` has a subject of its own (a person or not)."""
        node = token
        for _ in range(8):
            if any(c.dep_ in SUBJECTS and c.i != token.i for c in node.children):
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def _agent(self, s: Sentence, token) -> Entity | None:
        """The person who does what `token` names: the subject of its clause."""
        node = token
        for _ in range(8):
            for child in node.children:
                if child.dep_ in SUBJECTS and child.i != token.i:
                    entity = self._resolve(s, child)
                    if entity is not None:
                        return entity
                    return None
            if node.dep_.startswith("acl") and node.head.pos_ in ("NOUN", "PROPN"):
                entity = self._resolve(s, node.head)
                if entity is not None:
                    return entity
            if node.head.i == node.i:
                break
            node = node.head
        return None

    def _person(self, entity: Entity | None) -> Entity | None:
        return entity if entity is not None and entity.type == "person" else None

    def _at_home(self, s: Sentence, person: Entity, country: Entity) -> bool:
        """Leaders and nationals are not visiting their own country."""
        if person.country == country.id:
            return True
        if s.memory.offices.get(("head_of_state", country.id)) == person or \
                s.memory.offices.get(("head_of_government", country.id)) == person:
            return True
        return self.gazetteer.is_leader(person.id, country.id, s.article.date)

    def _locative(self, s: Sentence, mention: Mention) -> bool:
        """Is a place named as where something happens ("en Chine", "à Genève")?"""
        doc = s.doc
        i = mention.start - 1
        start = s.span.start
        det = False
        # "dans la capitale indienne New Delhi": over the describing words to the preposition
        k = i
        while k >= start and k > mention.start - 5 and (
                fold(doc[k].text) in DETERMINERS or fold(doc[k].text) in PLACE_NOUNS
                or fold(doc[k].text) in self.gazetteer.demonyms):
            k -= 1
        if k < i and k >= start and any(fold(doc[j].text) in PLACE_NOUNS for j in range(k + 1, i + 1)) \
                and fold(doc[k].text) in LOCATIVE | {"a"}:
            return True
        while i >= start and fold(doc[i].text) in DETERMINERS:
            det = True
            i -= 1
        if i < start:
            return False
        word = fold(doc[i].text)
        if word in LOCATIVE:
            return True
        if word in ("a",):
            return not det or mention.entity.type == "seat"
        if word in ("sur",) and i >= 2 and fold(doc[i - 1].text) == "cap":
            return True
        if word in ("de", "d'") and i - 1 >= start:
            noun = fold(doc[i - 1].text)
            return noun in PLACE_NOUNS
        head = doc[mention.head]
        if head.dep_ in ("appos", "conj") and any(
                fold(c.text) in LOCATIVE | {"a"} for c in head.head.children if c.dep_ == "case"):
            return True
        if word == "," and any(fold(doc[j].text) == "chez" for j in range(max(start, i - 5), i)):
            return True     # "chez son voisin, l'Azerbaïdjan"
        if word == "," and i - 1 >= start and s.mentions.at(i - 1) is not None:
            previous = s.mentions.at(i - 1)
            return previous.entity.type in ("city", "seat") and self._locative(s, previous)
        return False

    def _persons_after(self, s: Sentence, start: int, stop: int | None = None,
                       genitive_ok: bool = False) -> list[Mention]:
        """Person mentions from `start` on, leaving out "fils de X"-like complements."""
        stop = s.span.end if stop is None else stop
        found = []
        for mention in s.mentions.mentions:
            if not (start <= mention.start < stop) or mention.entity.type != "person":
                continue
            before = fold(s.doc[mention.start - 1].text) if mention.start > s.span.start else ""
            if before in GENITIVE and not genitive_ok:
                continue
            if mention.start in s.quoted:
                continue
            found.append(mention)
        return found

    def _reported_tail(self, s: Sentence) -> int:
        """Where an inverted report ("..., a indiqué M. X") begins, or the sentence end."""
        for token in s.span:
            if fold(token.lemma_) in self.lexicon.reporting and token.i > s.span.start + 3 \
                    and fold(s.doc[token.i - 1].text) in ("a", "ont", "avait", ",", "-t-il",
                                                          "-t-elle") \
                    and not any(c.dep_ in SUBJECTS and c.i < token.i for c in token.children):
                return token.i - 1
        return s.span.end

    # -- roles and leaders -------------------------------------------------------------
    def _roles(self, s: Sentence) -> None:
        """Turn role phrases into mentions: named ("le président russe X") or resolved.

        Counterparts come last: "son homologue kazakh" takes the office of the
        sentence's subject, who may be named by another role phrase.
        """
        mentions = s.mentions
        ordered = sorted(mentions.roles, key=lambda r: r.role == "counterpart")
        for role in ordered:
            if role.role == "counterpart" and s.anchor is None:
                s.anchor = self._sentence_subject(s)
            named = [m for m in mentions.mentions
                     if m.entity.type == "person" and role.end <= m.start <= role.end + 2
                     and all(s.doc[k].text in (",", "(", "M.") for k in range(role.end, m.start))]
            if named:
                person = named[0]
                mentions.mentions.remove(person)
                mentions.mentions.append(Mention(role.start, person.end, person.entity,
                                                 "name", person.head))
                if not role.former and role.countries and role.role != "counterpart":
                    for country in role.countries[:1]:
                        s.memory.offices[(role.role if role.role != "leader" else
                                          "head_of_state", country.id)] = person.entity
                continue
            if role.former or mentions.at(role.start) is not None:
                continue
            for entity, country in self._describe(s, role):
                mentions.mentions.append(Mention(role.start, role.end, entity, "description",
                                                 role.start))
                office = s.memory.office_of(s.anchor) if role.role == "counterpart" \
                    and s.anchor else role.role
                if office in ("head_of_state", "head_of_government", "leader"):
                    self._fact(s, "leaderOf", entity, country, "occurred",
                               "leader.description", event=False)
        mentions.mentions.sort(key=lambda m: (m.start, m.entity.id))

    def _sentence_subject(self, s: Sentence) -> Entity | None:
        """The person the sentence is about: its main subject, else the article's topic."""
        root = s.span.root
        for child in root.children:
            if child.dep_ in SUBJECTS:
                person = self._person(self._resolve(s, child))
                if person is not None:
                    return person
        return self._person(s.memory.topic)

    def _describe(self, s: Sentence, role: Role) -> list[tuple[Entity, Entity]]:
        """Who an unnamed role phrase means at the article's date."""
        if role.role == "counterpart":
            anchor = s.anchor
            office = s.memory.office_of(anchor) if anchor else ""
            if not office:
                return []
            wanted = office
        else:
            wanted = role.role
        countries = list(role.countries)
        if not countries and role.possessive and not role.plural and role.role != "counterpart" \
                and s.memory.last_country is not None:
            countries = [s.memory.last_country]   # "son président": the country just named
        found = []
        for country in countries:
            holder = None
            if role.role == "counterpart":   # a leader the article already named comes first
                named = [e for e in s.memory.seen.values() if e.type == "person"
                         and e != s.anchor and self.gazetteer.is_leader(e.id, country.id,
                                                                         s.article.date)]
                holder = named[0] if len(named) == 1 else None
            holder = holder or s.memory.holder(wanted, country)
            if holder is not None:
                found.append((holder, country))
        return found

    def _leaders(self, s: Sentence) -> None:
        """leaderOf as the text states it: an office, a country, and the person's name.

        "le président russe X", "le Premier ministre arménien X", "le président du
        Kazakhstan, X", "son homologue kazakh X" (when the subject leads), "les
        présidents azerbaïdjanais X et iranien Y", "des dirigeants ..., comme le
        Kazakh X et l'Ouzbek Y", "Son président X" (the country just named).
        Unnamed descriptions are handled where they are resolved (`_roles`).
        """
        for role in s.mentions.roles:
            if role.former:
                if role.leader:
                    s.rejected.append("leaderOf: a former office (ancien, ex-) is not leadership")
                continue
            leader = role.leader
            if role.role == "counterpart":
                office = s.memory.office_of(s.anchor) if s.anchor else ""
                leader = office in ("head_of_state", "head_of_government")
            if not leader:
                continue
            countries = list(role.countries)
            if not countries and role.possessive and not role.plural \
                    and role.role != "counterpart" and s.memory.last_country is not None:
                countries = [s.memory.last_country]
            rule = "leader.counterpart" if role.role == "counterpart" else "leader.role-demonym"
            if countries:
                self._leader_list(s, role.end, countries[0], rule, plural=role.plural)
            if role.plural:
                for k in range(role.end, s.span.end):
                    if fold(s.doc[k].text) in ENUMERATION:
                        self._leader_list(s, k + 1, None, "leader.enumeration", plural=True)
                        break
                    if fold(s.doc[k].text) in (";", ":", "«", "»", '"'):
                        break

    def _leader_list(self, s: Sentence, start: int, country: Entity | None, rule: str,
                     plural: bool) -> None:
        """Names after a role, each taking the demonym said just before it."""
        doc = s.doc
        demonyms = {d.start: d.entity for d in s.mentions.demonyms}
        i = start
        while i < s.span.end:
            mention = s.mentions.at(i)
            if mention is not None and mention.entity.type == "person":
                if mention.kind != "description" and country is not None:
                    self._fact(s, "leaderOf", mention.entity, country, "occurred", rule,
                               event=False)
                if not plural:
                    return
                i = mention.end
                continue
            word = fold(doc[i].text)
            if i in demonyms:
                country = demonyms[i]
            elif word in (".", ";", ":", "«", "»") or (
                    doc[i].pos_ in ("VERB", "AUX") and doc[i].ent_type_ != "PER"):
                return
            elif not plural and word not in (",", "(", ")", "m.", "le", "la", "l'", "actuel",
                                             "actuelle"):
                return
            elif plural and word not in (",", "et", "m.", "le", "la", "l'", "les", "ainsi",
                                         "que", "qu'"):
                return
            i += 1

    # -- visits --------------------------------------------------------------------------
    def _visits(self, s: Sentence) -> None:
        carried: Entity | None = None
        done: set[tuple] = set()
        tail = self._reported_tail(s)
        # "chez son allié bélarusse": the demonym names the country visited
        chez = [Mention(d.start, d.end, d.entity, "demonym", s.doc[d.start].head.i)
                for d in s.mentions.demonyms
                if s.doc[d.start].text[:1].islower() and any(
                    fold(c.text) == "chez" for c in s.doc[d.start].head.children)]
        for mention in s.mentions.mentions + chez:
            if mention.entity.type not in ("country", "city", "seat"):
                continue
            if mention.kind != "demonym" and not self._locative(s, mention):
                continue
            country = self.gazetteer.country_of(mention.entity)
            if country is None:
                continue
            trigger, governor = self._governor(s, mention)
            if governor is None:
                continue
            relation, rule = s.triggers.get(trigger.i, (None, None)) if trigger is not None \
                else (None, None)
            if relation == "summitAt":
                continue    # the summit rule reads these
            if trigger is None:
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
                rule = "visit.presence"
            agents = self._visit_agents(s, trigger, governor, mention)
            if not agents and carried is not None and trigger is None and not s.caption:
                agents = [carried]
            if trigger is not None and trigger.i in s.meetings and not s.caption:
                host, guests = s.meetings[trigger.i]
                if host is not None and not self._at_home(s, host, country):
                    agents = [host]
                elif guests:
                    agents = guests[:1] if host is None else guests   # the received are visiting
            status = modality.status(trigger if trigger is not None else governor,
                                     self.lexicon, s.future)
            for agent in agents:
                if (agent.id, country.id) in done:
                    continue
                if self._at_home(s, agent, country):
                    s.rejected.append(f"visits({agent.label_fr}, {country.label_fr}): "
                                      "a leader or national in their own country")
                    continue
                done.add((agent.id, country.id))
                self._fact(s, "visits", agent, country, status,
                           "visit.caption" if s.caption else rule, anchor=mention.start,
                           location=mention.entity if mention.entity.type != "country" else None)
                if status != "negated":
                    s.memory.place[agent.id] = country
                carried = agent

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
            status = modality.status(doc[i], self.lexicon, s.future)
            for person in [host] + list(guests):
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
                country = s.memory.scene
                if person is None or self._at_home(s, person, country):
                    continue
                self._fact(s, "visits", person, country,
                           modality.status(token, self.lexicon, s.future), "visit.noun-scene",
                           anchor=i)

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
            status = modality.status(verb, self.lexicon, s.future)
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
            if parent.pos_ in ("VERB", "AUX") and parent.ent_type_ != "PER":
                return None, parent
            if fold(parent.text) in LOCATIVE | {"a"} and parent.i < mention.start:
                node = parent    # a capital "A" tagged as a noun heading its own place
                continue
            # "chez son allié, le Bélarus": the noun the place is in apposition to is the place
            coreferent = step == 0 and node.dep_ in ("appos", "conj") and parent.pos_ == "NOUN"
            if parent.pos_ in ("NOUN",) and fold(parent.text) not in PLACE_NOUNS \
                    and fold(parent.text) not in self.lexicon.transparent and not coreferent \
                    and s.mentions.at(parent.i) is None \
                    and not any(start <= parent.i < end for start, end, _ in s.times):
                if s.caption:
                    return None, parent
                return None, None
            node = parent
        return None, None

    def _visit_agents(self, s: Sentence, trigger, governor, place: Mention) -> list[Entity]:
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
        agent = self._person(self._agent(s, trigger if trigger is not None else governor))
        if agent is not None:
            return [agent]
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

    # -- summits -------------------------------------------------------------------------
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

    # -- meetings ------------------------------------------------------------------------
    def _meetings(self, s: Sentence) -> None:
        doc = s.doc
        tail = self._reported_tail(s)
        meet_tokens = sorted(i for i, (rel, _) in s.triggers.items() if rel == "meets")
        done = set()
        for n, i in enumerate(meet_tokens):
            token = doc[i]
            rule = s.triggers[i][1]
            stop = min(tail, meet_tokens[n + 1] if n + 1 < len(meet_tokens) else s.span.end)
            if i in s.quoted:
                continue
            agent = self._person(self._agent(s, token))
            partners = []
            if fold(token.text).startswith(("accueilli", "recu")):
                partners = [m.entity for m in self._persons_after(s, i + 1, stop, True)
                            if fold(doc[m.start - 1].text) == "par"
                            or fold(doc[m.start - 1].text) not in GENITIVE][:1]
            if not partners:
                partners = [m.entity for m in self._persons_after(s, i + 1, stop)]
            if agent is None or agent in partners:
                before = [m.entity for m in s.mentions.mentions
                          if m.entity.type == "person" and m.end <= i
                          and m.entity not in partners and m.start not in s.quoted]
                if before and (s.caption or not any(t.pos_ == "VERB"
                                                   for t in doc[s.span.start:i])):
                    agent = before[0]
            paired = [m for m in self._persons_after(s, i + 1, stop) if m.entity in partners]
            if agent is None and len(paired) >= 2 and not self._has_subject(token) \
                    and doc[paired[0].start - 1].pos_ != "ADP" and any(
                        fold(t.text) == "et" for t in doc[paired[0].end:paired[1].start]):
                agent = partners.pop(0)      # "Lors d'une rencontre, X et Y ont signé"
            if agent is None and not self._has_subject(token):
                agent = self._person(s.memory.topic)
            # coordinated subjects: "X et son homologue Y passent en revue ..."
            if agent is not None:
                for m in s.mentions.mentions:
                    if m.entity.type == "person" and m.end <= i and m.entity != agent \
                            and m.start not in s.quoted and any(
                                fold(doc[k].text) == "et" for k in range(s.span.start, m.start)):
                        if m.entity not in partners:
                            partners.append(m.entity)
            status = modality.status(token, self.lexicon, s.future)
            s.meetings[i] = (agent, [p for p in partners if p != agent])
            for partner in partners:
                if agent is None or partner == agent:
                    continue
                key = tuple(sorted((agent.id, partner.id)))
                if key in done:
                    continue
                done.add(key)
                anchor = next((m.start for m in s.mentions.mentions if m.entity == partner
                               and m.start > i), i)
                self._fact(s, "meets", agent, partner, status, rule, anchor=anchor)
        if s.caption and not meet_tokens:
            people = []
            for m in s.mentions.mentions:
                if m.entity.type == "person" and m.entity not in people:
                    people.append(m.entity)
            if len(people) == 2 and any(fold(t.text) == "et" for t in s.span):
                self._fact(s, "meets", people[0], people[1], "occurred", "meet.caption",
                           anchor=s.span.start)

    # -- alliances -----------------------------------------------------------------------
    def _country(self, s: Sentence, mention: Mention | None) -> Entity | None:
        if mention is None:
            return None
        entity = mention.entity
        if entity.type == "person":
            for (role, country_id), person in s.memory.offices.items():
                if person == entity and role in ("head_of_state", "head_of_government"):
                    return self.gazetteer.entities.get(country_id)
        return self.gazetteer.country_of(entity)

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
                if len(countries) >= 2:
                    self._fact(s, "alliedWith", countries[0], countries[1],
                               "negated" if self._ally_denied(token) else "occurred",
                               "ally.alliance-subjects", event=False)
                continue
            # of whom: "allié de/à la Russie", else the possessor "son allié"
            anchor = None
            possessor = None
            nxt = [m for m in places if m.start > i and m.start <= i + 3
                   and fold(doc[m.start - 1].text) in ("de", "d'", "a", "du", "la", "l'")
                   and m.entity.type != "person"]
            if nxt and any(fold(t.text) in ("de", "d'", "a", "du") for t in doc[i + 1:nxt[0].start]):
                anchor = self._country(s, nxt[0])
                named = None
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

    @staticmethod
    def _subjects(token) -> list:
        """The subject of the clause a word is in, with the subjects coordinated to it."""
        node = token
        for _ in range(6):
            subjects = [c for c in node.children if c.dep_ in SUBJECTS]
            if subjects:
                found = []
                for subject in subjects:
                    found.append(subject)
                    found += [c for c in subject.children if c.dep_ == "conj"]
                return found
            if node.head.i == node.i:
                break
            node = node.head
        return []

    def _ally_denied(self, token) -> bool:
        for node in (token, token.head):
            words = [fold(c.text) for c in node.children]
            if "pas" in words and not any(w in ("seulement", "uniquement") for w in words):
                return True
        return False

    def _speaker(self, s: Sentence) -> Entity | None:
        """The person a quotation is attributed to ("..., a déclaré M. X")."""
        for token in s.span:
            if fold(token.lemma_) in self.lexicon.reporting:
                for child in token.children:
                    if child.dep_ in SUBJECTS:
                        return self._person(self._resolve(s, child))
                after = self._persons_after(s, token.i + 1, min(token.i + 8, s.span.end))
                if after:
                    return after[0].entity
        return None

    # -- discourse -----------------------------------------------------------------------
    def _update_topic(self, s: Sentence) -> None:
        root = s.span.root
        for fact in s.facts:
            if fact.relation in ("visits", "meets", "summitAt") and fact.rule != "visit.caption":
                s.memory.topic = fact.subject
                break
        else:
            if fold(root.lemma_) not in self.lexicon.reporting:
                for child in root.children:
                    if child.dep_ in SUBJECTS:
                        person = self._person(self._resolve(s, child))
                        if person is not None:
                            s.memory.topic = person
        for fact in s.facts:
            if fact.relation == "visits" and fact.status != "negated":
                s.memory.scene = fact.object
        countries = [m for m in s.mentions.mentions if m.entity.type == "country"]
        subject_countries = [m for m in countries
                             if s.doc[m.head].dep_ in SUBJECTS]
        if subject_countries:
            s.memory.last_country = subject_countries[0].entity
        elif countries:
            s.memory.last_country = countries[0].entity

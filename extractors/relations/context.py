"""The shared sentence context: what every relation's rules read, and the helpers they share.

Holds no rule id. `Sentence` is one sentence with its mentions, trigger words,
dates and quotations; `RuleBase` holds the helpers several relations use (who a
pronoun or a subject stands for, whether a place is where something happens,
which date a fact takes) and `_fact`, the one place a fact is made, under the
rule id each relation's module passes it. Kept apart so that each rule module
reads as its rules only, with one copy of what they have in common.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .. import dates, modality
from ..facts import Article, Entity, Fact, Mention
from ..gazetteer import Gazetteer
from ..lexicon import Lexicon
from ..mentions import ArticleMemory, SentenceMentions
from ..text import fold

LOCATIVE = frozenset({"en", "au", "aux", "dans", "chez", "vers"})
DETERMINERS = frozenset({"le", "la", "l'", "les"})
PLACE_NOUNS = frozenset({"aeroport", "palais", "ville", "capitale", "port", "banlieue",
                         "region", "residence"})
GENITIVE = frozenset({"de", "d'", "du", "des", "par", "contre", "selon", "sans"})
SUBJECTS = ("nsubj", "nsubj:pass", "expl:subj")   # the parser often calls "il" expl:subj
PRONOUNS = frozenset({"il", "elle", "lui", "-il", "-elle", "-t-il", "-t-elle"})  # "a-t-il dit"
RELATIVE = frozenset({"qui"})
QUOTES_OPEN = frozenset({"«", "“", '"'})
QUOTES_CLOSE = frozenset({"»", "”", '"'})
ENUMERATION = frozenset({"comme", "dont", "notamment", "tels", "telles", "parmi"})
PRESENCE = frozenset({"presence", "compagnie"})
CO_ATTEND = frozenset({"presence", "compagnie", "duquel", "laquelle", "lequel", "dont"})
THE_TWO = frozenset({"dirigeants", "chefs", "presidents", "hommes", "leaders", "responsables",
                     "homologues", "dirigeantes", "femmes", "ministres"})
ABSENT = frozenset({"absent", "absente", "absents", "absentes"})
COPULAS = frozenset({"est", "sont", "etait", "etaient", "sera", "seront", "reste", "restera",
                     "demeure", "fut"})
NEW_SEGMENT = frozenset({",", "puis", "et", ";"})


@dataclass
class Sentence:
    """One sentence with everything the rules look at."""
    span: object
    article: Article
    mentions: SentenceMentions
    memory: ArticleMemory
    triggers: dict            # token index -> (relation, rule id)
    quoted: set               # token indices inside quotation marks
    caption: bool
    future: bool
    facts: list = field(default_factory=list)
    anchor: Entity | None = None    # whose counterpart "son homologue" is
    meetings: dict = field(default_factory=dict)   # trigger index -> (host or agent, guests)
    co_agents: dict = field(default_factory=dict)  # trigger index -> agents beside the first
    rejected: list = field(default_factory=list)   # what a rule considered and did not assert
    detached: set = field(default_factory=set)     # role starts whose following name is not theirs
    tail: int | None = None                        # where a reported-speech tail starts, once found
    offset: int = 0                                # of this Doc's text in the article
    statuses: dict = field(default_factory=dict)   # token index -> its modality.status
    event_times: list | None = None                # times that can date an event, once found

    @property
    def doc(self):
        return self.span.doc

    @cached_property
    def times(self) -> list:
        """(token start, token end, expression) of the sentence's time expressions: found
        only when a rule asks, as most sentences make no fact."""
        found = []
        for expression in dates.find(self.text):
            tokens = self.span.char_span(expression.start, expression.end,
                                         alignment_mode="expand")
            if tokens is not None:
                found.append((tokens.start, tokens.end, expression))
        return found

    @cached_property
    def text(self) -> str:
        """The sentence's text, made once (Span.text walks every token each time)."""
        return self.span.text


def said_in(token, words: frozenset) -> bool:
    """Is the word, as written or as its lemma, one of a word list's (folded) words?"""
    return fold(token.lemma_) in words or fold(token.text) in words


class RuleBase:
    """Helpers shared by the relation rules; `RelationExtractor` sets the attributes."""

    gazetteer: Gazetteer
    lexicon: Lexicon

    def _fact(self, s: Sentence, relation: str, subject: Entity, obj: Entity, status: str,
              rule: str, anchor: int | None = None, location: Entity | None = None,
              organization: Entity | None = None, event: bool = True,
              undated: tuple | None = None) -> None:
        """`undated`: the (date, source) to give when the sentence dates nothing itself."""
        if subject is None or obj is None or subject.id == obj.id:
            return
        date, source = "", ""
        if event:
            date, source = self._date(s, anchor, status)
            if source != "text" and undated is not None:
                date, source = undated
        start = s.offset + s.span.start_char
        text = s.text
        s.facts.append(Fact(s.article.id, relation, subject, obj, status, rule,
                            text.strip(), start + (len(text) - len(text.lstrip())),
                            start + len(text.rstrip()), date, source, location,
                            organization))

    def _date(self, s: Sentence, anchor: int | None, status: str) -> tuple[str, str]:
        future = status == "planned" or (status == "negated" and any(
            fold(t.text) in self.lexicon.planned and t.pos_ != "VERB" for t in s.span))
        if s.event_times is None:       # the same for every fact of the sentence
            s.event_times = [t for t in s.times if not self._dates_a_report(s, t[0])
                             and not self._since(s, t[0])]
        times = s.event_times
        if anchor is not None and times:
            # "effectue depuis mardi une visite en France, où il doit être reçu jeudi": a
            # time inside a relative clause the anchor is not in, said with another status
            # (planned there, going on here), dates that clause only
            times = [t for t in times
                     if self._status_of_other_relative(s, t[0], anchor) in (None, status)]
        if times:
            if anchor is None:
                chosen = times[0]
            else:
                after = [t for t in times if t[0] >= anchor]
                chosen = min(times, key=lambda t: abs(t[0] - anchor) if t[0] >= anchor
                             else abs(anchor - t[1]) + 3)
                if after and s.caption:
                    chosen = after[0]
            # a weekday or "hier" counts from the day the text names, when the article's
            # own date has no day
            value = dates.resolve(chosen[2], s.memory.day or s.article.date, future)
            if value:
                return value, "text"
        if s.memory.day:
            return s.memory.day, "context"      # the article's month, the day its text names
        if s.article.date:
            return s.article.date, "article"
        return "", ""

    def _status_of_other_relative(self, s: Sentence, index: int, anchor: int) -> str | None:
        """The status of the relative clause a word is in, when the anchor is not in it."""
        node = s.doc[index]
        for _ in range(8):
            if node.dep_ == "acl:relcl":
                if node.left_edge.i <= anchor <= node.right_edge.i:
                    return None
                return self._status(s, node)
            if node.head.i == node.i:
                return None
            node = node.head
        return None

    @staticmethod
    def _since(s: Sentence, index: int) -> bool:
        """"la première visite depuis 2016", "pas rencontré depuis novembre": the start of
        a span of time, not when the event is."""
        doc = s.doc
        return any(fold(doc[k].text) == "depuis"
                   for k in range(max(s.span.start, index - 2), index + 1))

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
        if word == "qui":       # "Erdogan, qui se trouvait à Sotchi": the name just before
            k = token.i - 1
            if k >= s.span.start and s.doc[k].text == ",":
                k -= 1
            before = s.mentions.at(k) if k >= s.span.start else None
            if before is not None and before.end == k + 1:
                return before.entity
        if word in PRONOUNS:
            earlier = [m for m in s.mentions.mentions if m.end <= token.i
                       and m.entity.type == "person" and m.start not in s.quoted]
            if earlier:
                return earlier[0].entity
            # "Alors qu'il se rendait à Riyad, X a déclaré": a pronoun in a clause put
            # before the main one stands for the main clause's subject
            root = s.span.root
            if token.i < root.i and token.head.i != root.i:
                for child in root.children:
                    if child.dep_ in SUBJECTS and child.i > token.i:
                        mention = self._mention(s, child)
                        if mention is not None and mention.entity.type == "person":
                            return mention.entity
            return s.memory.topic
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
                if child.dep_ in SUBJECTS and child.i != token.i and child.text != "-t":
                    entity = self._resolve(s, child)       # ("a-t-il": "-t" is no subject)
                    if entity is None and fold(child.text) in self.lexicon.delegation_nouns:
                        entity = self._led_by(s, child)   # "une délégation conduite par X"
                    if entity is not None:
                        return entity
                    return None
            if node.dep_.startswith("acl") and node.head.pos_ in ("NOUN", "PROPN"):
                entity = self._resolve(s, node.head)
                if entity is not None:
                    return entity
            if node.head.i == node.i:
                # "Xi Jinping, arrivé la veille, a rencontré X": a root with no subject whose
                # fronted participle the parser gave the subject
                for clause in node.children:
                    if clause.dep_ == "advcl" and clause.i < node.i \
                            and "Part" in clause.morph.get("VerbForm"):
                        for child in clause.children:
                            if child.dep_ in SUBJECTS and child.i < clause.i:
                                return self._resolve(s, child)
                break
            node = node.head
        return None

    def _led_by(self, s: Sentence, noun) -> Entity | None:
        """The person after "par" in the participle on a delegation noun: "conduite par",
        "emmenée par", "menée par", "dirigée par"."""
        for participle in noun.children:
            if participle.dep_ != "acl":
                continue
            for agent in participle.children:
                if agent.dep_ == "obl:agent":
                    person = self._person(self._resolve(s, agent))
                    if person is None:      # "par le ministre russe ... Sergueï Lavrov"
                        named = next((m for m in s.mentions.mentions if m.entity.type == "person"
                                      and agent.i <= m.start <= agent.right_edge.i), None)
                        person = named.entity if named is not None else None
                    return person
        return None

    def _agents(self, s: Sentence, token) -> list[Entity]:
        """The agent of `token` and the people coordinated with it: "X et Y se rendront",
        "le président russe et son homologue chinois", "X et Y, qui rencontreront Z",
        "des images de X et de Y arrivant à". The clause a relative or a participle
        opens is shared by the coordination only when its verb is plural or a participle."""
        agent = self._person(self._agent(s, token))
        if agent is None:
            return []
        found = [agent]
        mention = min((m for m in s.mentions.mentions if m.entity == agent),
                      key=lambda m: abs(m.head - token.i), default=None)
        if mention is None:
            return found
        doc = s.doc
        head = next((t for t in doc[mention.start:mention.end] if t.head.i == t.i
                     or not mention.start <= t.head.i < mention.end), doc[mention.head])
        # "Les présidents X et Y": the conjunct may hang on any word of the mention
        words = [c for t in doc[mention.start:mention.end] for c in t.children
                 if c.dep_ == "conj" and (c.i >= mention.end or t.i == head.i)]
        verb = token if token.pos_ in ("VERB", "AUX") else token.head
        shared = "Plur" in verb.morph.get("Number") or (
            "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense"))
        if head.dep_ == "conj" and shared and verb.i > head.i:
            words += [head.head] + [c for c in head.head.children
                                    if c.dep_ == "conj" and c.i != head.i]
        if "Plur" in verb.morph.get("Number"):
            # "X et Y se rendront" parsed with X as the root: the name just before, joined by "et"
            before = [m for m in s.mentions.mentions if m.end <= mention.start
                      and m.entity.type == "person"]
            if before and [fold(t.text) for t in doc[before[-1].end:mention.start]] == ["et"]:
                words.append(doc[before[-1].head])
        for word in sorted(words, key=lambda w: w.i):
            person = self._person(self._resolve(s, word))
            if person is None and word.pos_ == "NOUN":
                # "et la présidente de la Commission Ursula von der Leyen": an office the
                # tables lack, then the name it introduces
                named = next((m for m in s.mentions.mentions if m.entity.type == "person"
                              and word.i < m.start <= word.i + 5 and not any(
                                  t.pos_ in ("VERB", "AUX") or t.text in (",", ";")
                                  for t in doc[word.i + 1:m.start])), None)
                person = named.entity if named is not None else None
            if person is not None and person not in found:
                found.append(person)
        return found

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

    def _abroad(self, s: Sentence, person: Entity, country: Entity) -> bool:
        """A person known to lead or belong to another country than `country`: in it,
        they are visiting."""
        if person.country:
            return person.country != country.id
        led = [c for (role, c), holder in s.memory.offices.items() if holder == person
               and role in ("head_of_state", "head_of_government")]
        led += [o.country for o in self.gazetteer.offices_of(person.id)
                if not s.article.date or o.held_on(s.article.date)]
        return bool(led) and country.id not in led

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
        if word in LOCATIVE | {"a"} and self._topic_place(s, i):
            return False    # "la guerre en Ukraine", "la situation humanitaire à Gaza"
        if word in LOCATIVE:
            return True
        if word in ("a",):
            return not det or mention.entity.type == "seat"
        if word in ("sur",) and i >= 2 and fold(doc[i - 1].text) == "cap":
            return True
        if word == "pour":      # "s'envolera vendredi pour Pékin", "en route pour Bakou"
            governor = doc[mention.head].head
            while governor.head.i != governor.i and any(
                    start <= governor.i < end for start, end, _ in s.times):
                governor = governor.head    # "partira vendredi pour Pékin" hung on the day
            return said_in(governor, self.lexicon.departure_words)
        if self._returned_from(s, mention, i):
            return True         # "de retour de Pékin", "est rentré du Kazakhstan"
        if word in ("de", "d'") and i - 1 >= start:
            noun = fold(doc[i - 1].text)
            if noun in PLACE_NOUNS:
                return True
            # "aux Jeux olympiques d'hiver de Pékin": the place of an event one goes to
            for j in range(i - 1, max(start, i - 6) - 1, -1):
                if fold(doc[j].text) in self.lexicon.event_nouns:
                    k = j - 1
                    while k >= start and (fold(doc[k].text) in DETERMINERS
                                          or fold(doc[k].text) in self.lexicon.event_nouns):
                        k -= 1
                    return k >= start and fold(doc[k].text) in LOCATIVE | {"a"}
            return False
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

    def _status(self, s: Sentence, token) -> str:
        """modality.status of a word, read once per sentence: several rules ask it of
        the same trigger word."""
        found = s.statuses.get(token.i)
        if found is None:
            found = s.statuses[token.i] = modality.status(token, self.lexicon, s.future)
        return found

    def _remote(self, s: Sentence, token) -> bool:
        """By telephone or video (data/remote.txt), said on the event word, on what hangs
        on it, or beside it: "un entretien téléphonique", "s'est entretenu par téléphone
        avec", "participera par visioconférence au sommet": no one travels, no one meets."""
        doc, remote = s.doc, self.lexicon.remote
        if any(fold(doc[k].text) in remote
               for k in range(max(s.span.start, token.i - 5), min(s.span.end, token.i + 6))):
            return True
        return any(fold(c.text) in remote or any(fold(g.text) in remote for g in c.children)
                   for c in token.children)

    def _returned_from(self, s: Sentence, mention: Mention, i: int) -> bool:
        """Coming back from a place is having been there: the place hangs on a word of
        return (data/return_words.txt), or follows "de retour"."""
        doc = s.doc
        if i < s.span.start or fold(doc[i].text) not in ("de", "d'", "du", "des"):
            return False
        if i - 1 >= s.span.start and fold(doc[i - 1].text) in self.lexicon.return_words:
            return True
        governor = doc[mention.head].head
        return governor.i != mention.head and governor.i < mention.start \
            and said_in(governor, self.lexicon.return_words)

    @staticmethod
    def _the_two(s: Sentence, i: int) -> bool:
        """"les deux dirigeants", "les deux chefs d'État", "les deux hommes" in the
        clause of the meeting word: the pair the article has brought together."""
        words = [fold(t.text) for t in s.span]
        for k in range(len(words) - 2):
            if words[k] == "les" and words[k + 1] == "deux" and words[k + 2] in THE_TWO:
                return True
        return False

    def _declared_absent(self, s: Sentence, person: Entity) -> bool:
        """"X est l'un des grands absents", "X, absent du sommet": the sentence says that
        this person is not there, whatever its verbs of travel say."""
        if "bsent" not in s.text:      # absent, Absente, absents ...
            return False
        for token in s.span:
            if fold(token.text) not in ABSENT:
                continue
            if self._agent(s, token) == person:
                return True
            # when the parse is lost, the order: "X, ..., est (l'un des grands) absent(s)"
            named = [m for m in s.mentions.mentions
                     if m.entity.type == "person" and m.end <= token.i]
            if named and named[-1].entity == person and any(
                    fold(t.text) in COPULAS for t in s.doc[named[-1].end:token.i]):
                return True
        return False

    def _topic_place(self, s: Sentence, preposition: int) -> bool:
        """A place that a topic noun governs is what is talked about, not where:
        the noun just before the preposition (over one adjective) is in data/topic_nouns.txt,
        in the singular or the plural ("les guerres israéliennes à Gaza")."""
        doc = s.doc
        topics = self.lexicon.topic_nouns
        if preposition - 1 >= s.span.start and fold(doc[preposition - 1].text) in ("et", ","):
            # "à Gaza et au Liban": a place listed after a topic place is a topic too
            for j in range(preposition - 2, max(s.span.start, preposition - 7) - 1, -1):
                if fold(doc[j].text) in LOCATIVE | {"a"}:
                    return self._topic_place(s, j)
            return False
        for k in range(preposition - 1, max(s.span.start, preposition - 3) - 1, -1):
            word = fold(doc[k].text)
            if word in topics or (word[-1:] in ("s", "x") and word[:-1] in topics):
                return True
            if doc[k].pos_ != "ADJ":
                return False
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
        if s.tail is None:
            s.tail = self._find_reported_tail(s)
        return s.tail

    def _find_reported_tail(self, s: Sentence) -> int:
        for token in s.span:
            if fold(token.lemma_) in self.lexicon.reporting and token.i > s.span.start + 3 \
                    and fold(s.doc[token.i - 1].text) in ("a", "ont", "avait", ",", "-t-il",
                                                          "-t-elle") \
                    and not any(c.dep_ in SUBJECTS and c.i < token.i for c in token.children):
                return token.i - 1
        return s.span.end

    def _sentence_subject(self, s: Sentence) -> Entity | None:
        """The person the sentence is about: its main subject, else the article's topic."""
        root = s.span.root
        for child in root.children:
            if child.dep_ in SUBJECTS:
                person = self._person(self._resolve(s, child))
                if person is not None:
                    return person
        return self._person(s.memory.topic)

    def _country(self, s: Sentence, mention: Mention | None) -> Entity | None:
        if mention is None:
            return None
        entity = mention.entity
        if entity.type == "person":
            for (role, country_id), person in s.memory.offices.items():
                if person == entity and role in ("head_of_state", "head_of_government"):
                    return self.gazetteer.entities.get(country_id)
        return self.gazetteer.country_of(entity)

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

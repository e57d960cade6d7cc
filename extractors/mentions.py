"""Finds who and what a sentence names: gazetteer names, unknown people, demonyms, roles."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.attrs import ORTH

from .facts import Entity, Mention
from .gazetteer import Gazetteer
from .lexicon import Lexicon
from .text import fold, slug

TITLES = frozenset({"m.", "mme", "mme.", "mr", "m", "dr", "president", "cheikh", "sheikh",
                    "general", "colonel", "commandant", "capitaine", "marechal", "s.e.", "se",
                    "pr", "mgr", "sir", "lieutenant-colonel", "cheffe", "chef"})
# lower-case words inside a person's name: "Tamim bin Hamad Al Thani", "Ursula von der Leyen"
NAME_PARTICLES = frozenset({"bin", "ben", "ibn", "al", "el", "ould", "de", "da", "dos", "do",
                            "van", "von", "der", "den", "du", "la", "al-", "el-", "-"})
ARTICLES = frozenset({"le", "la", "l'", "les", "un", "une", "son", "sa", "ses", "leur", "leurs",
                      "actuel", "actuelle", "nouveau", "nouvelle", "du", "des", "au", "aux"})
POSSESSIVES = frozenset({"son", "sa", "ses", "leur", "leurs"})
OF = frozenset({"de", "d'", "du", "des"})
# words before an office that make it no one in particular: "un président chinois", "le
# premier dirigeant occidental à", "le seul chef d'État présent"
GENERIC = frozenset({"un", "une", "premier", "premiere", "dernier", "derniere", "seul", "seule",
                     "deuxieme", "troisieme", "second", "seconde"})
ELECT = frozenset({"elu", "elue", "elus", "elues"})     # after an office: "président élu"
ELECTED = frozenset({"reelu", "reelue", "elu", "elue", "sortant", "sortante", "actuel", "actuelle",
                     "nouveau", "nouvelle", "interimaire", "fraichement"})
# parts of speech of words that are never a name unless written in capitals ("UN", "AU")
FUNCTION_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX"})
_NUMBERED = re.compile(r"(cop)\d{1,2}")     # a numbered session of a body: "COP28"
_PLAIN = re.compile(r"^[^\W\d_]+( [^\W\d_]+)*$")


class PhraseTable:
    """Longest-match lookup of folded token sequences."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.phrases: dict[tuple, object] = {}
        self.first: dict[str, int] = {}       # first word -> longest phrase it starts
        self.prefixes: set[tuple] = set()     # every beginning of a phrase, itself included

    def add(self, phrase: str, value) -> None:
        key = self.key(phrase)
        if key:
            self.phrases.setdefault(key, value)
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
            self.prefixes.update(key[:n] for n in range(1, len(key) + 1))

    def key(self, phrase: str) -> tuple:
        """The phrase's folded tokens. Words of letters only split on spaces as the
        tokenizer splits them (tested on every gazetteer name); the rest is tokenized,
        which keeps start-up short with tens of thousands of place names."""
        if _PLAIN.match(phrase):
            return tuple(fold(word) for word in phrase.split())
        return tuple(fold(t.text) for t in self.tokenizer(phrase) if not t.is_space)

    def match_at(self, folded: list[str], i: int, end: int | None = None):
        """The longest phrase starting at word i and ending before `end`, as (size, value)."""
        end = len(folded) if end is None else end
        key = (folded[i],)
        if key not in self.prefixes:
            return None
        found, size = None, 1
        while True:     # extend while the words still begin some phrase ("la" -> "la paz")
            value = self.phrases.get(key)
            if value is not None:
                found = size, value
            if i + size >= end:
                return found
            key += (folded[i + size],)
            if key not in self.prefixes:
                return found
            size += 1


@dataclass(frozen=True)
class Role:
    """A role noun phrase: "le président russe", "son homologue kazakh", "le Premier ministre"."""
    start: int
    end: int                    # exclusive, after its demonyms or "du Kazakhstan"
    role: str
    leader: bool
    countries: tuple            # Entities named with the role, in order
    former: bool
    possessive: bool
    plural: bool
    fixed: bool = False         # a fixed description such as "le maître du Kremlin"
    generic: bool = False       # "un président chinois", "le premier président américain à"


@dataclass
class SentenceMentions:
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    demonyms: list[Mention] = field(default_factory=list)

    def at(self, i: int) -> Mention | None:
        for mention in self.mentions:
            if mention.start <= i < mention.end:
                return mention
        return None


@dataclass
class DocWords:
    """A Doc's words as the finder reads them, made once per Doc (`MentionFinder.words`):
    their folded forms, and the few words where a name, a demonym or an office can begin.
    Most words begin none, and asking each word of each sentence was a quarter of the
    time spent reading an article."""
    folded: list[str]
    name_at: list[int]          # capitalised words that begin a name, or end in a digit
    demonym_at: list[int]
    role_at: list[int]

    @staticmethod
    def within(at: list[int], sent) -> list[int]:
        return at[bisect_left(at, sent.start):bisect_left(at, sent.end)]


NAME_START, DEMONYM, ROLE_START = 1, 2, 4


class MentionFinder:
    """Built once per pipeline; `find` runs per sentence with the article's memory."""

    def __init__(self, nlp, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.names = PhraseTable(nlp.tokenizer)
        for name, ids in gazetteer.names.items():
            self.names.add(name, tuple(sorted(ids)))
        self.roles = PhraseTable(nlp.tokenizer)
        for row in lexicon.roles:
            self.roles.add(row["phrase"], (row["role"], row["leader"] == "yes", ""))
        for row in lexicon.descriptions:
            self.roles.add(row["phrase"], (row["role"], row["role"] != "foreign_minister",
                                           row["country"]))
        # a word's folded form and what it can begin, by its hash: this grows with the
        # vocabulary, not the corpus
        self.known_words: dict[int, tuple[str, int]] = {}

    def words(self, doc) -> DocWords:
        strings, known = doc.vocab.strings, self.known_words
        folded, name_at, demonym_at, role_at = [], [], [], []
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            entry = known.get(orth)
            if entry is None:
                entry = known[orth] = self._word(strings[orth])
            word, kinds = entry
            folded.append(word)
            if kinds:
                if kinds & NAME_START:
                    name_at.append(i)
                if kinds & DEMONYM:
                    demonym_at.append(i)
                if kinds & ROLE_START:
                    role_at.append(i)
        return DocWords(folded, name_at, demonym_at, role_at)

    def _word(self, text: str) -> tuple[str, int]:
        word = fold(text)
        kinds = 0
        # a name is read only where it is written with a capital ("la paz" is no city)
        if (text[:1].isupper() or text.isupper()) and (
                word in self.names.first or word[-1:].isdigit()):
            kinds |= NAME_START
        if word in self.gazetteer.demonyms:
            kinds |= DEMONYM
        if word in self.roles.first:
            kinds |= ROLE_START
        return word, kinds

    # -- names -------------------------------------------------------------------------
    def find(self, sent, memory: "ArticleMemory", words: DocWords | None = None,
             ents: list | None = None) -> SentenceMentions:
        """Mentions of one sentence; `words` and `ents` (the sentence's named entities)
        are made once per Doc by the caller when it can."""
        doc = sent.doc
        if words is None:
            words = self.words(doc)
        folded = words.folded
        if ents is None:
            ents = list(sent.ents)
        found = SentenceMentions()
        taken: set[int] = set()
        # a person's name as the NER reads it: a place inside it ("Kaïs" in "Kaïs Saïed")
        # is part of the name, unless "de" introduces it ("Abdallah II de Jordanie")
        in_person = {}
        for ent in ents:
            if ent.label_ == "PER" and len(ent) > 1:
                for k in range(ent.start, ent.end):
                    in_person[k] = ent
        name_starts = self.names.first
        after = sent.start      # the word after the last name read
        for i in words.within(words.name_at, sent):
            if i < after:
                continue
            if folded[i] not in name_starts:
                numbered = _NUMBERED.fullmatch(folded[i])       # "COP28"
                body = self.names.match_at([numbered.group(1)], 0) if numbered else None
                if body is not None and doc[i].text[:1].isupper():
                    entity = self._choose(body[1], memory)
                    if entity is not None and entity.type == "organization":
                        found.mentions.append(Mention(i, i + 1, entity, "name", i))
                        taken.add(i)
                continue
            hit = self.names.match_at(folded, i, sent.end)
            token = doc[i] if hit else None
            if hit and hit[0] == 1 and not token.text.isupper() and token.pos_ in FUNCTION_POS:
                hit = None      # "Un sommet ...": a capitalised article, not the acronym UN
            if hit and (token.text[:1].isupper() or token.text.isupper()):
                size, ids = hit
                entity = self._choose(ids, memory)
                person = in_person.get(i)
                if entity is not None and entity.type != "person" and person is not None \
                        and person.end - person.start > size \
                        and not (i > sent.start and folded[i - 1] in OF | {"la", "l'"}):
                    entity = None
                if entity is not None and entity.type == "person" and person is not None \
                        and person.start < i and person.end == i + size and not any(
                            k in taken for k in range(person.start, i)):
                    # "Volodimir Zelensky": a known surname under another spelling of
                    # the first name is the known person, named in full
                    first = person.start
                    while first < i and (fold(doc[first].text) in TITLES
                                         or doc[first].text[:1].islower()):
                        first += 1
                    size, i = size + i - first, first
                if entity is not None:
                    found.mentions.append(Mention(i, i + size, entity,
                                                  "name" if size > 1 or entity.type != "person"
                                                  else "surname",
                                                  self._head(doc, i, i + size)))
                    taken.update(range(i, i + size))
                    after = i + size
        for ent in ents:
            if ent.label_ != "PER":
                continue
            start, end = ent.start, ent.end
            while start < end and (fold(doc[start].text) in TITLES or doc[start].text[:1].islower()
                                   or doc[start].text in ("M.", ".", ",")):
                start += 1
            # "Abdallah II de Jordanie": the name stops before the place it comes from
            cut = next((k for k in range(start, end) if k in taken), end)
            if cut < end:
                end = cut
                while end > start and folded[end - 1] in OF | {"la", "l'", "le"}:
                    end -= 1
            if end <= start or any(k in taken for k in range(start, end)):
                continue
            name_words = [t for t in doc[start:end]]
            if not name_words or not all(
                    w.text[:1].isupper() or w.text in "-'"
                    or (0 < n < len(name_words) - 1 and fold(w.text) in NAME_PARTICLES)
                    or (n > 0 and name_words[n - 1].text == "-")
                    for n, w in enumerate(name_words)):
                continue
            if any(fold(w.text) in self.gazetteer.demonyms for w in name_words):
                continue
            entity = memory.person(" ".join(w.text for w in name_words).replace(" - ", "-"))
            found.mentions.append(Mention(start, end, entity,
                                          "name" if len(name_words) > 1 else "surname",
                                          self._head(doc, start, end)))
            taken.update(range(start, end))
        demonyms = self.gazetteer.demonyms
        for i in words.within(words.demonym_at, sent):
            country = demonyms[folded[i]]
            if country and i not in taken:
                capital = self.gazetteer.capitals.get(country)
                if folded[i - 1] == "capitale" and i > sent.start and capital:
                    # "la capitale kazakhe" names Astana
                    found.mentions.append(Mention(i - 1, i + 1, self.gazetteer.entities[capital],
                                                  "description", i - 1))
                    taken.update((i - 1, i))
                    continue
                found.demonyms.append(Mention(i, i + 1, self.gazetteer.entities[country],
                                              "demonym", i))
        if memory.by_surname:
            self._known_surnames(sent, folded, found, taken, memory)
        found.mentions.sort(key=lambda m: m.start)
        for mention in found.mentions:
            memory.saw(mention.entity)
        found.roles = self._roles(sent, folded, found, words.within(words.role_at, sent))
        self._names_beside_roles(sent, folded, found, taken, memory)
        return found

    def _known_surnames(self, sent, folded, found: SentenceMentions, taken: set,
                        memory: "ArticleMemory") -> None:
        """The surname of someone this article named in full, where the NER saw no
        person: "MM Macron et Al-SISSI" after "Abdel Fattah Al-Sissi" was named."""
        doc = sent.doc
        for i in range(sent.start, sent.end):
            if folded[i] not in memory.by_surname or i in taken:
                continue
            text = doc[i].text
            if not text[:1].isupper() or (i == sent.start and len(text) < 4):
                continue
            if i + 1 < sent.end and doc[i + 1].text[:1].isupper() and i + 1 not in taken:
                continue        # a longer name the NER did not read: not this one
            start = i
            # "Al-SISSI": the particle and hyphen before the surname belong to it
            if i - 2 >= sent.start and doc[i - 1].text == "-" \
                    and folded[i - 2] in NAME_PARTICLES and i - 2 not in taken:
                start = i - 2
            found.mentions.append(Mention(start, i + 1, memory.by_surname[folded[i]], "surname",
                                          i))
            taken.update(range(start, i + 1))

    def _names_beside_roles(self, sent, folded, found: SentenceMentions, taken: set,
                            memory: "ArticleMemory") -> None:
        """Names the NER missed where an office introduces them: "le président
        nigérian Bola Tinubu", "les présidents X du Ghana, Y de la Gambie", and
        "Moon Jae-in, le président de la Corée du Sud"."""
        if not found.roles:
            return
        doc = sent.doc
        demonym_at = set()
        for demonym in found.demonyms:
            demonym_at.add(demonym.start)

        def run_at(j: int) -> int:
            """End of a run of capitalised words starting at j (j when there is none)."""
            k = j
            while k < sent.end and k not in taken and k not in demonym_at and (
                    (doc[k].text[:1].isupper() and doc[k].text.replace("-", "").isalpha()
                     or doc[k].text in ("-",) or (k > j and doc[k - 1].text == "-"
                                                  and doc[k].is_alpha))
                    or (k > j and folded[k] in NAME_PARTICLES and k + 1 < sent.end
                        and doc[k + 1].text[:1].isupper())):
                k += 1
            while k > j and (doc[k - 1].text == "-" or folded[k - 1] in NAME_PARTICLES):
                k -= 1
            words = k - j
            if words < 2 or any(folded[x] in self.gazetteer.demonyms for x in range(j, k)):
                return j
            return k

        def add(j: int, k: int) -> None:
            name = " ".join(t.text for t in doc[j:k]).replace(" - ", "-")
            entity = memory.person(name)
            found.mentions.append(Mention(j, k, entity, "name", self._head(doc, j, k)))
            taken.update(range(j, k))
            memory.saw(entity)

        for role in found.roles:
            if role.role in ("counterpart",) and not role.countries:
                continue
            j = role.end
            while True:
                while j < sent.end and (doc[j].text in (",", "(", "M.", ".")
                                        or folded[j] in TITLES or folded[j] in ("le", "la")):
                    j += 1
                named = next((m for m in found.mentions if m.start == j
                              and m.entity.type == "person"), None)
                k = named.end if named is not None else run_at(j)
                if k == j:
                    break
                if named is None:
                    add(j, k)
                if not role.plural:
                    break
                j = k       # the next name of the list, after its country: "du Ghana,"
                while j < sent.end and (folded[j] in OF | {"la", "l'", "le", ",", "et"}
                                        or j in taken or j in demonym_at):
                    j += 1
            # "Moon Jae-in, le président de la Corée du Sud"
            if role.countries and not role.plural and role.start - 1 > sent.start \
                    and doc[role.start - 1].text == ",":
                k = role.start - 1
                j = k
                while j > sent.start and (doc[j - 1].text[:1].isupper() or doc[j - 1].text == "-"
                                          or folded[j - 1] in NAME_PARTICLES) \
                        and j - 1 not in taken:
                    j -= 1
                if j < k and run_at(j) == k:
                    add(j, k)
        found.mentions.sort(key=lambda m: m.start)

    def _choose(self, ids: tuple, memory: "ArticleMemory") -> Entity | None:
        """One entity for a name; a shared surname goes to the bearer already named."""
        entities = [self.gazetteer.entities[i] for i in ids]
        if len(entities) == 1:
            return entities[0]
        seen = [e for e in entities if e.id in memory.seen]
        if len(seen) == 1:
            return seen[0]
        if memory.date:   # the one in office at the article's date, if only one is
            serving = [e for e in entities if any(
                o.held_on(memory.date) for o in self.gazetteer.offices_of(e.id))]
            if len(serving) == 1:
                return serving[0]
        return None

    @staticmethod
    def _head(doc, start: int, end: int) -> int:
        for token in doc[start:end]:
            if token.head.i < start or token.head.i >= end or token.head.i == token.i:
                return token.i
        return start

    # -- roles -------------------------------------------------------------------------
    def _roles(self, sent, folded: list[str], found: SentenceMentions,
               starts: list[int]) -> list[Role]:
        doc = sent.doc
        roles = []
        demonym_at = {m.start: m.entity for m in found.demonyms}
        place_at = {m.start: m for m in found.mentions if m.entity.type in ("country", "seat")}
        after = sent.start      # the word after the last role read
        for i in starts:
            if i < after:
                continue
            hit = self.roles.match_at(folded, i, sent.end)
            if not hit:
                continue
            size, (role, leader, fixed_country) = hit
            inside = next((k for k in range(i + 1, i + size) if k in place_at), None)
            if inside is not None and not fixed_country:
                # "président de la | République démocratique du Congo": the country's
                # name wins over the longer office phrase
                shorter = self.roles.match_at(folded, i, inside - 1)
                while shorter is None and inside - 1 > i + 1:
                    inside -= 1
                    shorter = self.roles.match_at(folded, i, inside - 1)
                if shorter is not None:
                    size, (role, leader, fixed_country) = shorter
            before = [folded[k] for k in range(max(sent.start, i - 3), i)]
            former = any(w in self.lexicon.former or w.startswith("ex-") for w in before)
            possessive = bool(before) and before[-1] in ("son", "sa")
            plural = "Plur" in doc[i].morph.get("Number") or folded[i].endswith("s") \
                or (bool(before) and before[-1] in ("les", "leurs", "ses", "des"))
            countries: list[Entity] = []
            end = i + size
            if fixed_country:
                countries.append(self.gazetteer.entities[fixed_country])
            j = end
            while j < sent.end:
                if j in demonym_at and (folded[j - 1] != "," or countries == []):
                    countries.append(demonym_at[j])
                    j += 1
                    end = j
                elif folded[j] in ELECTED and j + 1 < sent.end and folded[j + 1] in OF \
                        and not countries:
                    j += 1      # "le président réélu du Ghana"
                    continue
                elif folded[j] in OF and not countries and not fixed_country:
                    k = j + 1
                    while k < sent.end and folded[k] in ("la", "l'", "le", "les"):
                        k += 1
                    if k in place_at:
                        countries.append(self.gazetteer.country_of(place_at[k].entity))
                        j = place_at[k].end
                        end = j
                    else:
                        break
                elif folded[j] in ("et", ",") and plural and j + 1 in demonym_at:
                    j += 1
                else:
                    break
            start = i
            while start > sent.start and folded[start - 1] in ARTICLES | {"premier", "tout"} \
                    and folded[start - 1] not in OF:
                start -= 1
            generic = any(folded[k] in GENERIC for k in range(max(sent.start, start - 1), i))
            if end < sent.end and folded[end] in ELECT:
                former = True   # "le président américain élu X": not yet in office
            roles.append(Role(start, end, role, leader, tuple(countries), former, possessive,
                              plural, bool(fixed_country), generic))
            after = end
        return roles


@dataclass(frozen=True)
class PlacedSummit:
    """A summit the article has placed in a country, as that sentence said it."""
    country: Entity
    city: Entity | None
    organization: Entity | None
    status: str
    date: str
    date_source: str
    start_char: int             # of the sentence, in the article


class ArticleMemory:
    """What an article has said so far: who was named, who holds which office."""

    def __init__(self, gazetteer: Gazetteer, date: str, day: str = ""):
        self.gazetteer = gazetteer
        self.date = date
        self.day = day          # the day the text names in the article's month, if any
        self.seen: dict[str, Entity] = {}
        self.by_surname: dict[str, Entity] = {}
        self.offices: dict[tuple, Entity] = {}    # (role, country id) -> person, as stated
        self.topic: Entity | None = None          # the person the text is about now
        self.place: dict[str, Entity] = {}        # person id -> country where the text puts them
        self.scene: Entity | None = None          # the country the article's last visit is to
        self.last_country: Entity | None = None
        self.summit: tuple | None = None          # (country, city, organization) of the summit
        self.summits: list[PlacedSummit] = []     # every summit placed, in order
        self.announced: tuple | None = None       # (person, country, city) of the last planned trip
        self.pair: tuple | None = None            # the two people the article last brought together

    def saw(self, entity: Entity) -> None:
        self.seen.setdefault(entity.id, entity)
        if entity.type == "person":
            for part in entity.label_fr.split()[1:] + entity.label_en.split()[1:]:
                self.by_surname.setdefault(fold(part), entity)
                if "-" in part and fold(part.split("-")[0]) in ("al", "el", "ben", "bin"):
                    self.by_surname.setdefault(fold(part.split("-", 1)[1]), entity)  # Al-Sissi
            # the first word too, for family names said first ("M. Kim" for Kim Jong-un);
            # a surname already taken by someone named before keeps its bearer
            words = entity.label_fr.split()
            if len(words) > 1:
                self.by_surname.setdefault(fold(words[0]), entity)

    def person(self, name: str) -> Entity:
        """A person the gazetteer does not know: a surname joins the full name said before."""
        words = name.split()
        if len(words) == 1 and fold(name) in self.by_surname:
            return self.by_surname[fold(name)]
        for entity in self.seen.values():
            if entity.type == "person" and fold(entity.label_fr) == fold(name):
                return entity
        if len(words) > 1:    # "John Mahama" after "John Dramani Mahama": same first and last
            for entity in self.seen.values():
                known = entity.label_fr.split()
                if entity.type == "person" and len(known) > len(words) \
                        and fold(known[0]) == fold(words[0]) and fold(known[-1]) == fold(words[-1]):
                    return entity
        known = self.gazetteer.person_spelt(name)
        if known is not None:
            return known
        return Entity(slug(name), "person", name)

    def holder(self, role: str, country: Entity | None) -> Entity | None:
        """Who a description means: the office as the article stated it, else the gazetteer."""
        if country is None:
            return None
        roles = ("head_of_state", "head_of_government") if role == "leader" else (role,)
        for key in roles:
            if (key, country.id) in self.offices:
                return self.offices[(key, country.id)]
        if self.date:
            people = self.gazetteer.holders(role, country.id, self.date)
            if len(people) == 1:
                return self.gazetteer.entities[people[0]]
        # undated article: a person already named here who holds or held that office
        named = [e for e in self.seen.values() if e.type == "person" and any(
            o.country == country.id and o.role in roles for o in self.gazetteer.offices_of(e.id))]
        return named[0] if len(named) == 1 else None

    def office_of(self, person: Entity) -> str:
        """The kind of office a person holds, as stated here or in the gazetteer."""
        for (role, _), holder in self.offices.items():
            if holder.id == person.id:
                return role
        for office in self.gazetteer.offices_of(person.id):
            if not self.date or office.held_on(self.date):
                return office.role
        return ""

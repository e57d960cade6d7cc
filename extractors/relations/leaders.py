"""leaderOf: rules leader.role-demonym, leader.counterpart, leader.enumeration,
leader.description, leader.as-office ("en tant que souverain du Royaume-Uni") and
leader.counterpart-host ("son homologue X" met by a leader on a visit leads the country
visited; run after the visits, which put the leader there).

Separate because leadership is a state, not an event: these rules read role
phrases ("le président russe X", "son homologue kazakh") rather than trigger
words, and `_roles` also turns those phrases into mentions that every other
relation then reads, which is why they run first.
"""
from __future__ import annotations

from ..facts import Entity, Mention
from ..mentions import ELECTED, OF, TITLES, Role
from ..text import fold
from .context import ENUMERATION, SUBJECTS, RuleBase, Sentence


class LeaderRules(RuleBase):
    """leaderOf from role phrases, named or resolved at the article's date."""

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
            if role.role == "counterpart":
                self._read_role(s, role, self._coordinated_with(s, role) or s.anchor)
            else:
                self._read_role(s, role, s.anchor)
        mentions.mentions.sort(key=lambda m: (m.start, m.entity.id))

    def _coordinated_with(self, s: Sentence, role: Role) -> Entity | None:
        """"le président américain et son homologue chinois": a counterpart coordinated
        with a person is that person's, whatever the clause's subject."""
        doc = s.doc
        if role.start <= s.span.start or fold(doc[role.start - 1].text) != "et":
            return None
        for token in doc[role.start:role.end]:
            if token.dep_ == "conj" and token.head.i < role.start:
                mention = s.mentions.at(token.head.i)
                if mention is not None and mention.entity.type == "person":
                    return mention.entity
        return None

    def _read_role(self, s: Sentence, role: Role, anchor: Entity | None) -> None:
        """One role phrase: the name it introduces, or who it describes."""
        mentions = s.mentions
        named = [m for m in mentions.mentions
                 if m.entity.type == "person" and role.end <= m.start <= role.end + 4
                 and all(s.doc[k].text in (",", "(", "M.", ".") or fold(s.doc[k].text)
                         in TITLES | ELECTED | {"le", "la", "l'", "par", "interim"}
                         for k in range(role.end, m.start))]    # "le président élu X"
        if named and self._detached(s, role, named[0]):
            s.detached.add(role.start)
            return
        if named:
            person = named[0]
            mentions.mentions.remove(person)
            mentions.mentions.append(Mention(role.start, person.end, person.entity,
                                             "name", person.head))
            if not role.former and role.countries and role.role != "counterpart":
                for country in role.countries[:1]:
                    s.memory.offices[(role.role if role.role != "leader" else
                                      "head_of_state", country.id)] = person.entity
            return
        if role.former or role.generic or mentions.at(role.start) is not None:
            return        # (no one in particular: nobody to resolve it to)
        if role.countries and role.role != "counterpart" and self._as_office(s, role):
            # "sa première visite d'État en tant que souverain du Royaume-Uni": the
            # office is the sentence's subject's, named or not in the tables
            holder = self._sentence_subject(s)
            if holder is not None:
                country = role.countries[0]
                mentions.mentions.append(Mention(role.start, role.end, holder,
                                                 "description", role.start))
                s.memory.offices[(role.role if role.role != "leader" else "head_of_state",
                                  country.id)] = holder
                if role.leader:
                    self._fact(s, "leaderOf", holder, country, "occurred",
                               "leader.as-office", event=False)
                return
        for entity, country in self._describe(s, role, anchor):
            mentions.mentions.append(Mention(role.start, role.end, entity, "description",
                                             role.start))
            office = s.memory.office_of(anchor) if role.role == "counterpart" \
                and anchor else role.role
            if office in ("head_of_state", "head_of_government", "leader") and not role.plural:
                # ("les présidents arménien et azerbaïdjanais": read for who travels, but the
                # text states no one's office by name)
                self._fact(s, "leaderOf", entity, country, "occurred",
                           "leader.description", event=False)

    def _counterpart_hosts(self, s: Sentence) -> None:
        """"Arrivé à Bichkek, M. Poutine s'est entretenu avec son homologue Sadyr
        Japarov": a leader's counterpart named without a country, where the text puts
        that leader on a visit, leads the country visited (rule leader.counterpart-host).
        Not at a summit there, whose attendees come from anywhere; not someone the tables
        know as another country's leader."""
        for role in s.mentions.roles:
            if role.role != "counterpart" or role.countries or role.plural or role.former:
                continue
            named = next((m for m in s.mentions.mentions if m.start == role.start
                          and m.kind == "name" and m.entity.type == "person"), None)
            anchor = self._coordinated_with(s, role) or s.anchor
            if named is None or anchor is None or named.entity == anchor or \
                    s.memory.office_of(anchor) not in ("head_of_state", "head_of_government"):
                continue
            country = s.memory.place.get(anchor.id)
            if country is None or self._at_home(s, anchor, country) or any(
                    placed.country.id == country.id for placed in s.memory.summits):
                continue
            if any(o.country != country.id and (not s.article.date or o.held_on(s.article.date))
                   for o in self.gazetteer.offices_of(named.entity.id)):
                continue
            self._fact(s, "leaderOf", named.entity, country, "occurred",
                       "leader.counterpart-host", event=False)

    @staticmethod
    def _as_office(s: Sentence, role: Role) -> bool:
        """"en tant que souverain du Royaume-Uni", "en qualité de président": the office
        someone acts in."""
        before = [fold(t.text) for t in s.doc[max(s.span.start, role.start - 3):role.start]]
        return before[-3:] in (["en", "tant", "que"], ["en", "tant", "qu'"]) \
            or before[-3:] in (["en", "qualite", "de"], ["en", "qualite", "d'"])

    def _detached(self, s: Sentence, role: Role, named: Mention) -> bool:
        """A name after "<office>," that does not name the office holder."""
        doc = s.doc
        if "," not in [doc[k].text for k in range(role.end, named.start)]:
            return False
        if role.start > s.span.start + 1 and fold(doc[role.start - 1].text) in (
                "de", "d'", "des", "du") and fold(doc[role.start - 2].text) in self.lexicon.dependants:
            # "l'assistant du président russe, Iouri Ouchakov": the assistant's name
            s.rejected.append("a name after \"du <office>,\" belongs to the noun before it")
            return True
        fronted = fold(doc[role.start].text) in ("au", "aux", "du", "des", "a") \
            or role.start > s.span.start and doc[role.start - 1].pos_ == "ADP"
        verb_next = named.end < s.span.end and doc[named.end].pos_ in ("AUX", "VERB") \
            and not any(c.dep_ in SUBJECTS for c in doc[named.end].head.children)
        if fronted and (doc[named.head].dep_ in SUBJECTS or verb_next):
            # "au nouveau président ghanéen, X a adressé ...", "avec le président français,
            # X a défendu ...": X is the clause's subject, the office is in a fronted
            # phrase of its own
            s.rejected.append("a name after a fronted \"au <office>,\" is the clause's subject")
            return True
        return False

    def _describe(self, s: Sentence, role: Role,
                  anchor: Entity | None) -> list[tuple[Entity, Entity]]:
        """Who an unnamed role phrase means at the article's date (a counterpart: of
        `anchor`'s office)."""
        if role.role == "counterpart":
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
                         and e != anchor and self.gazetteer.is_leader(e.id, country.id,
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
            if role.start in s.detached:
                continue
            if role.former:
                if role.leader:
                    s.rejected.append("leaderOf: a former or future office (ancien, ex-, "
                                      "élu) is not leadership")
                continue
            leader = role.leader
            if role.role == "counterpart":
                anchor = self._coordinated_with(s, role) or s.anchor
                office = s.memory.office_of(anchor) if anchor else ""
                leader = office in ("head_of_state", "head_of_government")
            if not leader:
                continue
            countries = list(role.countries)
            if not countries and role.possessive and not role.plural \
                    and role.role != "counterpart" and s.memory.last_country is not None:
                countries = [s.memory.last_country]
            rule = "leader.counterpart" if role.role == "counterpart" else "leader.role-demonym"
            if role.plural and len(countries) >= 2 and self._respectively(s, role, countries):
                continue
            if countries or role.role != "counterpart":
                # with no country yet, each name may bring its own: "le roi Abdallah II de
                # Jordanie", "les présidents X de la Côte d'Ivoire, Y du Ghana"
                self._leader_list(s, role.end, countries[0] if countries else None, rule,
                                  plural=role.plural)
            if countries and not role.plural and role.start >= s.span.start + 2 \
                    and s.doc[role.start - 1].text == ",":
                # "Moon Jae-in, le président de la Corée du Sud": the name before the role
                before = s.mentions.at(role.start - 2)
                if before is not None and before.entity.type == "person" \
                        and before.kind != "description" and s.mentions.at(role.end) is None:
                    self._fact(s, "leaderOf", before.entity, countries[0], "occurred",
                               "leader.apposition", event=False)
            if role.plural:
                for k in range(role.end, s.span.end):
                    if fold(s.doc[k].text) in ENUMERATION:
                        self._leader_list(s, k + 1, None, "leader.enumeration", plural=True)
                        break
                    if fold(s.doc[k].text) in (";", ":", "«", "»", '"'):
                        break

    def _leader_list(self, s: Sentence, start: int, country: Entity | None, rule: str,
                     plural: bool) -> None:
        """Names after a role, each taking the demonym said just before it, or the
        country said just after it ("X de la Côte d'Ivoire", "et du Nigeria, Y")."""
        doc = s.doc
        demonyms = {d.start: d.entity for d in s.mentions.demonyms}
        i = start
        while i < s.span.end:
            mention = s.mentions.at(i)
            if mention is not None and mention.entity.type == "person" and i > start and any(
                    r.start == mention.start for r in s.mentions.roles):
                return      # "..., ainsi que le président turc X": a role of its own
            if mention is not None and mention.entity.type == "person":
                own = self._country_after_of(s, mention.end)
                whose = own[0] if own else country
                if mention.kind != "description" and whose is not None:
                    self._fact(s, "leaderOf", mention.entity, whose, "occurred", rule,
                               event=False)
                i = own[1] if own else mention.end
                if not plural:
                    # "le président du Kenya, X, et du Nigeria, Y": the role goes on
                    j = i
                    while j < s.span.end and doc[j].text in (",", "et"):
                        j += 1
                    following = self._country_after_of(s, j)
                    if following is None or own is not None:
                        return
                    country, i = following
                continue
            word = fold(doc[i].text)
            following = self._country_after_of(s, i) if word in OF else None
            if following is not None:
                country, i = following
                continue
            if i in demonyms:
                country = demonyms[i]
            elif word in (".", ";", ":", "«", "»") or (
                    doc[i].pos_ in ("VERB", "AUX") and doc[i].ent_type_ != "PER"):
                return
            elif not plural and word not in (",", "(", ")", "m.", "le", "la", "l'", "actuel",
                                             "actuelle") and word not in TITLES:
                return
            elif plural and word not in (",", "et", "m.", "le", "la", "l'", "les", "ainsi",
                                         "que", "qu'") and word not in TITLES:
                return
            i += 1

    def _respectively(self, s: Sentence, role, countries: list) -> bool:
        """"Les présidents chinois et brésilien, Xi Jinping et Lula": as many names as
        demonyms, paired in order."""
        names = []
        i = role.end
        while i < s.span.end and len(names) < len(countries):
            mention = s.mentions.at(i)
            if mention is not None and mention.entity.type == "person":
                names.append(mention)
                i = mention.end
                continue
            if fold(s.doc[i].text) not in (",", "et", "m.", "mm.", "mm"):
                break
            i += 1
        if len(names) != len(countries):
            return False
        for mention, country in zip(names, countries):
            self._fact(s, "leaderOf", mention.entity, country, "occurred",
                       "leader.respectively", event=False)
        return True

    @staticmethod
    def _country_after_of(s: Sentence, i: int) -> tuple[Entity, int] | None:
        """"de la Côte d'Ivoire", "du Nigeria" from token i: the country, and where it ends."""
        if i >= s.span.end or fold(s.doc[i].text) not in OF:
            return None
        k = i + 1
        while k < s.span.end and fold(s.doc[k].text) in ("la", "l'", "le", "les"):
            k += 1
        mention = s.mentions.at(k)
        if mention is not None and mention.start == k and mention.entity.type == "country":
            return mention.entity, mention.end
        return None

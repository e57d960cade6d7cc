"""meets: rule meet.caption and the meeting trigger words of data/triggers.jsonl
(meet.meet, meet.talks, meet.receive, meet.ceremony, meet.exchange, meet.press, meet.join,
meet.handshake); talks by telephone or video are no meeting (data/remote.txt).

Separate because a meeting is read from its trigger word: the agent, then the
partners after it. The rules run before the visits and record who received
whom at each trigger word (`Sentence.meetings`), which visits.py reads to tell
the visitor from the host.
"""
from __future__ import annotations

from ..text import fold
from .context import GENITIVE, RuleBase, Sentence


CLITICS = frozenset({"l'", "le", "la", "les"})
# words whose partner is only the one named after "avec": "a discuté (des défis) avec X",
# "un point de presse avec X"
WITH_ONLY = frozenset({"meet.exchange", "meet.press"})


class MeetingRules(RuleBase):
    """meets between the agent of a meeting word and the people after it."""

    def _meetings(self, s: Sentence) -> None:
        doc = s.doc
        # one meeting a phrase: its second word ("serré la main") is not another
        meet_tokens = sorted(i for i, (rel, rule) in s.triggers.items() if rel == "meets"
                             and not any(s.triggers.get(k, (None, None))[1] == rule
                                         for k in (i - 1, i - 2)))
        tail = self._reported_tail(s) if meet_tokens else s.span.end
        done = set()
        for n, i in enumerate(meet_tokens):
            token = doc[i]
            rule = s.triggers[i][1]
            stop = min(tail, meet_tokens[n + 1] if n + 1 < len(meet_tokens) else s.span.end)
            if i in s.quoted:
                continue
            if self._remote(s, token):
                s.rejected.append(f"{token.text}: talks at a distance (a call), not a meeting")
                continue
            agents = self._agents(s, token)
            agent = agents[0] if agents else None
            partners = []
            if fold(token.text).startswith(("accueilli", "recu")):
                partners = [m.entity for m in self._persons_after(s, i + 1, stop, True)
                            if fold(doc[m.start - 1].text) == "par"
                            or fold(doc[m.start - 1].text) not in GENITIVE][:1]
            if not partners and rule == "meet.handshake":    # "serrer la main du dirigeant"
                partners = [m.entity for m in self._persons_after(s, i + 1, stop, True)][:1]
            if not partners:
                partners = [m.entity for m in self._persons_after(s, i + 1, stop)]
            if rule in WITH_ONLY:     # "discuter des défis": only "avec X" is a partner
                partners = [m.entity for m in self._persons_after(s, i + 1, stop)
                            if any(fold(t.text) == "avec"
                                   for t in doc[max(i + 1, m.start - 4):m.start])]
            if agent is None or agent in partners:
                before = [m.entity for m in s.mentions.mentions
                          if m.entity.type == "person" and m.end <= i
                          and m.entity not in partners and m.start not in s.quoted]
                if before and (s.caption or not any(t.pos_ == "VERB"
                                                   for t in doc[s.span.start:i])):
                    agent = before[0]
            paired = [m for m in self._persons_after(s, i + 1, stop) if m.entity in partners]
            between = bool(paired) and fold(doc[paired[0].start - 1].text) == "entre"
            if agent is None and len(paired) >= 2 and (between or not self._has_subject(token)) \
                    and (doc[paired[0].start - 1].pos_ != "ADP"
                         or fold(doc[paired[0].start - 1].text) == "entre") and any(
                        fold(t.text) == "et" for t in doc[paired[0].end:paired[1].start]):
                agent = partners.pop(0)      # "Lors d'une rencontre, X et Y ont signé"
            if agent is None and not partners and s.memory.pair is not None \
                    and self._the_two(s, i):
                agent, partners = s.memory.pair[0], [s.memory.pair[1]]   # "les deux dirigeants"
            if agent is not None and not partners and any(
                    c.dep_ in ("obj", "iobj") and fold(c.text) in CLITICS for c in token.children):
                # "Kim Jong-un l'a accueilli": the one the article is following
                topic = self._person(s.memory.topic)
                if topic is not None and topic != agent:
                    partners = [topic]
            if agent is None and not self._has_subject(token):
                agent = self._person(s.memory.topic)
            # coordinated agents: with partners named, each meets them ("X et Y, qui
            # rencontreront Z"); without, they meet each other ("X et Y se sont entretenus")
            co_agents = [a for a in agents[1:] if a not in partners] \
                if agent is not None and agents and agents[0] == agent and partners else []
            # coordinated subjects: "X et son homologue Y passent en revue ..."
            if agent is not None:
                # (or the agent is the second: "X et Y ont tenu leur première rencontre")
                agent_at = next((m.start for m in s.mentions.mentions
                                 if m.entity == agent and m.end <= i), None)
                for m in s.mentions.mentions:
                    if m.entity.type == "person" and m.end <= i and m.entity not in co_agents \
                            and m.entity != agent \
                            and m.start not in s.quoted and (any(
                                fold(doc[k].text) == "et" for k in range(s.span.start, m.start))
                                or (agent_at is not None and [fold(t.text) for t in
                                                              doc[m.end:agent_at]] == ["et"])):
                        if m.entity not in partners:
                            partners.append(m.entity)
            status = self._status(s, token)
            s.meetings[i] = (agent, [p for p in partners if p != agent])
            s.co_agents[i] = co_agents
            for one in [agent] + co_agents:
                for partner in partners:
                    if one is None or partner == one:
                        continue
                    key = tuple(sorted((one.id, partner.id)))
                    if key in done:
                        continue
                    done.add(key)
                    anchor = next((m.start for m in s.mentions.mentions if m.entity == partner
                                   and m.start > i), i)
                    self._fact(s, "meets", one, partner, status, rule, anchor=anchor)
                    s.memory.pair = (one, partner)
        if s.caption and not meet_tokens:
            people = []
            for m in s.mentions.mentions:
                if m.entity.type == "person" and m.entity not in people:
                    people.append(m.entity)
            if len(people) == 2 and any(fold(t.text) == "et" for t in s.span):
                self._fact(s, "meets", people[0], people[1], "occurred", "meet.caption",
                           anchor=s.span.start)


    def _joined_meetings(self, s: Sentence) -> None:
        """"Von der Leyen se joindra aux discussions", "Les deux hommes ont été rejoints
        par Moon Jae-in": whoever joins the talks meets both of the article's pair
        (rule meet.join; a place joined, "a rejoint Tianjin", is an arrival, not this)."""
        pair = s.memory.pair
        if pair is None:
            return
        for i, (relation, rule) in sorted(s.triggers.items()):
            if rule != "meet.join" or i in s.quoted:
                continue
            token = s.doc[i]
            if any(m.entity.type in ("country", "city", "seat")
                   and s.doc[m.head].head.i == i for m in s.mentions.mentions):
                continue        # "a rejoint Tianjin": a place joined
            joiner = None
            by = [m for m in self._persons_after(s, i + 1, s.span.end, True)
                  if fold(s.doc[m.start - 1].text) == "par"]
            if by:
                joiner = by[0].entity                    # "rejoints par X"
            else:
                joiner = self._person(self._agent(s, token))
            if joiner is None or joiner in pair:
                continue
            status = self._status(s, token)
            for member in pair:
                self._fact(s, "meets", joiner, member, status, "meet.join", anchor=i)

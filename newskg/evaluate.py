"""Scores a graph against gold facts, as the contract of the graph defines it.

A user who annotates their own articles measures the extraction on them with
`newskg evaluate GRAPH GOLD.tsv`. The graph is read as any SPARQL user reads it
(reified statements with subject, predicate, object, source article, date and
status), so graphs from other tools that keep the same shape score the same way.
Facts are compared article by article on (relation, subject, object); gold names
are matched to graph nodes by Wikidata QID or by label, ignoring case, accents,
hyphens, apostrophes and a leading honorific.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

RELATIONS = ("visits", "alliedWith", "summitAt", "meets", "leaderOf")
SYMMETRIC = frozenset({"alliedWith", "meets"})
GOLD_STATUSES = ("occurred", "planned", "negated", "optional")
GOLD_COLUMNS = ("article", "relation", "subject", "object", "when", "status")
WHEN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
WIKIDATA_IRI = re.compile(r"wikidata\.org/(?:entity|wiki)/(Q\d+)$")
HONORIFIC = re.compile(r"^(?:m|mme|mr|mrs)\.?\s+")
SEPARATORS = re.compile(r"[\s\-‐‑‒–'’]+")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label",
          "http://www.w3.org/2004/02/skos/core#prefLabel",
          "http://www.w3.org/2004/02/skos/core#altLabel")
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
IDENTIFIER = "http://purl.org/dc/terms/identifier"


def fold(text: str) -> str:
    """The form two spellings of one name share: no case, accents, hyphens or 'M.'.
    Applied until nothing changes: lower() and NFKD can undo each other's work ("İ",
    "ℍ"), and taking off one 'M.' can bare another ("M'X" -> "m x")."""
    text = str(text)
    for _ in range(8):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def _fold_once(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).lower().strip()
    return HONORIFIC.sub("", SEPARATORS.sub(" ", HONORIFIC.sub("", text)).strip()).strip()


def local_name(value: str) -> str:
    return re.split(r"[#/]", value)[-1]


def article_name(identifier: str) -> str:
    """Gold files name an article by its file name's leading number ("000"), or by
    the whole name when it has none ("d01")."""
    stem = Path(identifier).stem
    number = re.match(r"\d+", stem)
    return number.group(0) if number else stem


# -- gold ---------------------------------------------------------------------------------

@dataclass
class Fact:
    """What facts are compared on: the article, the relation and its two entities."""
    article: str
    relation: str
    subject: str
    object: str

    @property
    def key(self) -> tuple:
        return fact_key(self.article, self.relation, self.subject, self.object)


@dataclass
class GoldFact(Fact):
    when: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class GoldEntity:
    name: str
    qid: str
    keys: frozenset


def fact_key(article: str, relation: str, subject: str, obj: str) -> tuple:
    pair = tuple(sorted((subject, obj))) if relation in SYMMETRIC else (subject, obj)
    return (article, relation, *pair)


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict]]:
    """Rows of a tab-separated file whose '#' lines are comments, with line numbers."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from None
    numbered = [(n, line) for n, line in enumerate(lines, 1)
                if line.strip() and not line.startswith("#")]
    if not numbered:
        raise InputError(f"{path}: no header row")
    reader = csv.DictReader([line for _, line in numbered], delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}:{numbered[0][0]}: missing column(s) {', '.join(missing)}")
    return [(numbered[i + 1][0], row) for i, row in enumerate(reader)]


def read_gold(path: Path) -> list[GoldFact]:
    facts = []
    for line, row in _rows(path, GOLD_COLUMNS):
        values = {k: (row.get(k) or "").strip() for k in (*GOLD_COLUMNS, "note")}
        where = f"{path}:{line}"
        if values["relation"] not in RELATIONS:
            raise InputError(f"{where}: relation {values['relation']!r} is not one of "
                             + ", ".join(RELATIONS))
        if values["status"] not in GOLD_STATUSES:
            raise InputError(f"{where}: status {values['status']!r} is not one of "
                             + ", ".join(GOLD_STATUSES))
        if values["when"] and not WHEN.fullmatch(values["when"]):
            raise InputError(f"{where}: when {values['when']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if not (values["article"] and values["subject"] and values["object"]):
            raise InputError(f"{where}: article, subject and object must not be empty")
        facts.append(GoldFact(**values))
    return facts


def read_entities(paths: list[Path], gold: list[GoldFact]) -> list[GoldEntity]:
    """The entity tables in the order given; a gold name none of them lists stands for
    itself (no QID), so a gold file whose names are the graph's labels needs no table."""
    entities = []
    for path in paths:
        for line, row in _rows(path, ("name",)):
            name = (row.get("name") or "").strip()
            if not name:
                raise InputError(f"{path}:{line}: empty name")
            aliases = [a for a in (row.get("aliases") or "").split("|") if a.strip()]
            entities.append(GoldEntity(name, (row.get("qid") or "").strip(),
                                       frozenset(fold(n) for n in [name, *aliases])))
    listed = {e.name for e in entities}
    for fact in gold:
        for name in (fact.subject, fact.object):
            if name not in listed:
                listed.add(name)
                entities.append(GoldEntity(name, "", frozenset({fold(name)})))
    return entities


# -- the graph ----------------------------------------------------------------------------

@dataclass
class Reported(Fact):
    """One statement of the graph, its nodes named as the gold names them."""
    when: str
    status: str
    evidence: str
    node: str
    wrong_links: list = field(default_factory=list)


class GraphReader:
    """Reads the statements of a graph and names their nodes after the gold entities."""

    def __init__(self, store, entities: list[GoldEntity]):
        self.store = store
        self.entities = entities
        self.by_qid = {}
        for entity in entities:
            if entity.qid:
                self.by_qid.setdefault(entity.qid, entity)

    def _values(self, predicates: tuple[str, ...]) -> dict:
        found = defaultdict(set)
        values = " ".join(f"<{p}>" for p in predicates)
        for node, value in self.store.query(
                f"SELECT ?n ?v WHERE {{ VALUES ?p {{ {values} }} ?n ?p ?v }}"):
            found[node].add(value)
        return found

    def name(self, node, labels: dict, links: dict) -> tuple[str, list]:
        """The gold name a node stands for (QID first, then labels), and the wrong links."""
        qids = sorted({m.group(1) for v in links.get(node, ()) if (m := WIKIDATA_IRI.search(v.value))}
                      | ({m.group(1)} if (m := WIKIDATA_IRI.search(getattr(node, "value", ""))) else set()))
        for qid in qids:
            if qid in self.by_qid:
                return self.by_qid[qid].name, []
        texts = {fold(v.value) for v in labels.get(node, ())}
        if isinstance(node, ox.Literal):
            texts.add(fold(node.value))
        for entity in self.entities:
            if entity.keys & texts:
                return entity.name, [(entity.name, q) for q in qids if entity.qid and q != entity.qid]
        return "?" + (min(texts) if texts else local_name(node.value)), []

    def read(self) -> tuple[list[Reported], list[str]]:
        rows = self.store.query(f"""
            SELECT ?st ?p ?s ?o ?id WHERE {{
              ?st <{RDF}predicate> ?p .
              OPTIONAL {{ ?st <{RDF}subject> ?s }}
              OPTIONAL {{ ?st <{RDF}object> ?o }}
              OPTIONAL {{ ?st <{DERIVED_FROM}> ?src . ?src <{IDENTIFIER}> ?id }}
            }}""")
        statements = {}
        for st, p, s, o, ident in ((r["st"], r["p"], r["s"], r["o"], r["id"]) for r in rows):
            relation = local_name(p.value)
            if relation not in RELATIONS:
                continue
            previous = statements.get(st)
            if previous is None or (ident is not None and (previous[4] is None
                                                           or ident.value < previous[4].value)):
                statements[st] = (p, relation, s, o, ident)
        details = defaultdict(dict)
        for st, prop, value in ((r["st"], r["prop"], r["v"]) for r in self.store.query(f"""
                SELECT ?st ?prop ?v WHERE {{ ?st <{RDF}predicate> ?p ; ?prop ?v }}""")):
            name = local_name(prop.value)
            if name in ("date", "status", "evidence") and st in statements:
                text = value.value
                kept = details[st].get(name)
                details[st][name] = text if kept is None else min(kept, text)
        labels = self._values(LABELS)
        links = self._values((SAME_AS,))

        reported, problems, occurred = [], [], set()
        for st in sorted(statements, key=lambda n: n.value):
            predicate, relation, subj, obj, ident = statements[st]
            if subj is None or obj is None or ident is None:
                problems.append(f"statement {st.value} lacks a subject, an object or a source "
                                "article with a dcterms:identifier")
                continue
            s_name, s_wrong = self.name(subj, labels, links)
            o_name, o_wrong = self.name(obj, labels, links)
            status = local_name(details[st].get("status", "")).lower()
            fact = Reported(article_name(ident.value), relation, s_name, o_name,
                            details[st].get("date", ""), status, details[st].get("evidence", ""),
                            st.value, s_wrong + o_wrong)
            if status == "occurred":
                occurred.add((subj, predicate, obj))
                if any(not self._has(t) for t in _directions(subj, predicate, obj, relation)):
                    problems.append(f"{relation}({s_name}, {o_name}) in {fact.article}: occurred "
                                    "statement without its direct triple"
                                    + (" in both directions" if relation in SYMMETRIC else ""))
            reported.append(fact)
        problems += self._unsupported(statements, occurred, labels, links)
        return reported, problems

    def _has(self, triple) -> bool:
        return any(True for _ in self.store.quads_for_pattern(*triple))

    def _unsupported(self, statements, occurred, labels, links) -> list[str]:
        """Direct triples no occurred statement reports (planned facts are statements only)."""
        problems = []
        for predicate in sorted({v[0] for v in statements.values()}, key=lambda n: n.value):
            relation = local_name(predicate.value)
            for quad in self.store.quads_for_pattern(None, predicate, None):
                triple = (quad.subject, predicate, quad.object)
                if not any(t in occurred for t in _directions(*triple, relation)):
                    problems.append(
                        f"direct triple {relation}({self.name(quad.subject, labels, links)[0]}, "
                        f"{self.name(quad.object, labels, links)[0]}) without an occurred statement")
        return sorted(problems)


def _directions(subj, predicate, obj, relation) -> list[tuple]:
    return [(subj, predicate, obj), (obj, predicate, subj)] if relation in SYMMETRIC \
        else [(subj, predicate, obj)]


# -- scoring ------------------------------------------------------------------------------

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Evaluation:
    per_relation: dict
    overall: Counts
    matched: list          # (gold fact, the statement judged for date and status)
    false_positives: list  # Reported
    false_negatives: list  # GoldFact
    traps: list            # GoldFact (negated) the graph asserts
    negated_gold: int
    wrong_links: list      # (gold name, QID)
    contract_problems: list

    @property
    def dated(self) -> list:
        return [(g, s) for g, s in self.matched if g.when]

    @property
    def wrong_dates(self) -> list:
        return [(g, s) for g, s in self.dated if not s.when.startswith(g.when)]

    @property
    def wrong_status(self) -> list:
        return [(g, s) for g, s in self.matched if s.status != g.status]

    @property
    def date_accuracy(self) -> float | None:
        return 1 - len(self.wrong_dates) / len(self.dated) if self.dated else None

    @property
    def status_accuracy(self) -> float | None:
        return 1 - len(self.wrong_status) / len(self.matched) if self.matched else None


def score(reported: list[Reported], gold: list[GoldFact], problems: list[str]) -> Evaluation:
    """Micro-averaged over the five relations. A fact the graph states several times in
    one article counts once; planned and occurred statements assert it, negated ones do
    not; optional gold facts neither count for nor against; negated gold facts are traps."""
    articles = {g.article for g in gold}
    asserted = defaultdict(list)
    for fact in reported:
        if fact.article in articles and fact.status != "negated":
            asserted[fact.key].append(fact)
    required = {g.key: g for g in gold if g.status in ("occurred", "planned")}
    optional = {g.key for g in gold if g.status == "optional"}
    traps = {g.key: g for g in gold if g.status == "negated"}

    per = {relation: Counts() for relation in RELATIONS}
    matched, false_positives = [], []
    for key in sorted(asserted):
        statements = asserted[key]
        if key in required:
            wanted = required[key]
            # judged by the statement that agrees best: on status first, then on date
            best = max(statements, key=lambda s: (s.status == wanted.status,
                                                  s.when.startswith(wanted.when)))
            per[wanted.relation].tp += 1
            matched.append((wanted, best))
        elif key not in optional:
            per[key[1]].fp += 1
            false_positives.append(min(statements, key=lambda s: s.node))
    false_negatives = [g for key, g in required.items() if key not in asserted]
    for fact in false_negatives:
        per[fact.relation].fn += 1
    overall = Counts(*(sum(getattr(c, k) for c in per.values()) for k in ("tp", "fp", "fn")))
    in_scope = [f for f in reported if f.article in articles]
    return Evaluation(
        per_relation=per, overall=overall, matched=matched,
        false_positives=false_positives, false_negatives=false_negatives,
        traps=[g for key, g in traps.items() if key in asserted], negated_gold=len(traps),
        wrong_links=sorted({link for f in in_scope for link in f.wrong_links}),
        contract_problems=problems)


def evaluate(graph: Path, gold_path: Path, entity_paths: list[Path]) -> Evaluation:
    from .graph.store import open_graph

    gold = read_gold(gold_path)
    entities = read_entities(entity_paths, gold)
    reported, problems = GraphReader(open_graph(graph), entities).read()
    return score(reported, gold, problems)


# -- reports ------------------------------------------------------------------------------

def _fact(f) -> str:
    return f"{f.article} {f.relation}({f.subject}, {f.object})"


def _quote(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return f'"{text[:width - 1]}…"' if len(text) > width else f'"{text}"'


def report_text(result: Evaluation, explain: bool = False) -> str:
    lines = [f"{'relation':<12} {'P':>5} {'R':>5} {'F1':>5}   tp  fp  fn"]
    for relation, c in result.per_relation.items():
        lines.append(f"{relation:<12} {c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f}"
                     f"  {c.tp:3d} {c.fp:3d} {c.fn:3d}")
    date, status = result.date_accuracy, result.status_accuracy
    lines += [
        f"date accuracy on matched dated facts: {'n/a' if date is None else f'{date:.2f}'}"
        f" ({len(result.dated)} dated)",
        f"status accuracy on matched facts: {'n/a' if status is None else f'{status:.2f}'}",
        f"negation traps fallen into: {len(result.traps)} of {result.negated_gold}",
        f"wrong Wikidata links: {len(result.wrong_links)}",
        f"contract problems: {len(result.contract_problems)}",
    ]
    if explain:
        sections = [
            ("false positives", [f"{_fact(s)} [{s.status or 'no status'}] {_quote(s.evidence)}"
                                 for s in result.false_positives]),
            ("false negatives", [f"{_fact(g)} [{g.status}]" + (f" -- {g.note}" if g.note else "")
                                 for g in result.false_negatives]),
            ("wrong dates", [f"{_fact(g)}: gold {g.when}, got {s.when or 'none'} {_quote(s.evidence)}"
                             for g, s in result.wrong_dates]),
            ("wrong status", [f"{_fact(g)}: gold {g.status}, got {s.status or 'none'} "
                              f"{_quote(s.evidence)}" for g, s in result.wrong_status]),
            ("negation traps", [_fact(g) + (f" -- {g.note}" if g.note else "")
                                for g in result.traps]),
            ("wrong Wikidata links", [f"{name} linked to {qid}" for name, qid in result.wrong_links]),
            ("contract problems", result.contract_problems),
        ]
        for title, items in sections:
            if items:
                lines += ["", f"{title}:", *(f"  {item}" for item in items)]
    o = result.overall
    lines.append(f"overall P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f}")
    return "\n".join(lines)


def report_json(result: Evaluation) -> str:
    def statement(s: Reported) -> dict:
        return {k: v for k, v in asdict(s).items() if k != "wrong_links"}

    return json.dumps({
        "overall": result.overall.figures(),
        "per_relation": {r: c.figures() for r, c in result.per_relation.items()},
        "date_accuracy": result.date_accuracy, "dated": len(result.dated),
        "status_accuracy": result.status_accuracy, "matched": len(result.matched),
        "negation_traps": [asdict(g) for g in result.traps],
        "negated_gold": result.negated_gold,
        "wrong_links": [{"entity": n, "qid": q} for n, q in result.wrong_links],
        "contract_problems": result.contract_problems,
        "false_positives": [statement(s) for s in result.false_positives],
        "false_negatives": [asdict(g) for g in result.false_negatives],
        "wrong_dates": [{"gold": asdict(g), "statement": statement(s)}
                        for g, s in result.wrong_dates],
        "wrong_status": [{"gold": asdict(g), "statement": statement(s)}
                         for g, s in result.wrong_status],
    }, indent=2, ensure_ascii=False)

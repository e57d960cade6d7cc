"""Every rule id is in exactly one module of extractors/relations/, named after its relation.

A fact's nkg:rule names the rule that made it; a newcomer should find that rule
in one step. The ids are the trigger words' ids (extractors/data/triggers.jsonl)
and the string literals the relations package passes as rules. __init__.py is
the index (it maps the prefixes to the modules) and is not searched.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

EXTRACTORS = Path(__file__).resolve().parent.parent / "extractors"
PACKAGE = EXTRACTORS / "relations"
TRIGGERS = EXTRACTORS / "data" / "triggers.jsonl"

HOME = {"leader": "leaders.py", "visit": "visits.py", "meet": "meetings.py",
        "summit": "summits.py", "ally": "alliances.py"}
EXCEPTIONS = {"visit.summit": "summits.py",     # asserted with the summit it goes to
              "visit.attendance": "summits.py",  # read with the summit's attendees
              "meet.small-summit": "summits.py",  # the attendees of a trilateral summit
              "meet.summit-between": "summits.py"}    # "le sommet entre X et Y"
RULE = re.compile(r"(%s)\.[a-z][a-z-]*" % "|".join(HOME))


def modules() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py"))
            if p.name != "__init__.py"}


def trigger_ids() -> set[str]:
    lines = TRIGGERS.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines if line.strip()}


def literal_ids() -> set[str]:
    """String constants in the package that are rule ids ("visit.presence")."""
    found = set()
    for text in modules().values():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and RULE.fullmatch(node.value):
                found.add(node.value)
    return found


def holders(rule: str) -> list[str]:
    """The modules that name `rule` as a whole id (not "visit.summit" in "visit.summit-x")."""
    pattern = re.compile(r"(?<![\w.-])%s(?![\w-]|\.\w)" % re.escape(rule))
    return [name for name, text in modules().items() if pattern.search(text)]


def expected(rule: str) -> str:
    return EXCEPTIONS.get(rule) or HOME[rule.split(".", 1)[0]]


def test_the_rule_ids_are_found():
    ids = trigger_ids() | literal_ids()
    assert {"visit.presence", "visit.caption", "leader.description", "meet.caption",
            "summit.pronoun", "visit.summit", "ally.alliance-between"} <= literal_ids()
    assert {"visit.se-rendre", "meet.meet", "summit.summit", "ally.ally"} <= trigger_ids()
    assert all(RULE.fullmatch(rule) for rule in ids), sorted(ids)


def test_every_rule_is_in_exactly_one_module_named_after_its_relation():
    misplaced = {}
    for rule in sorted(trigger_ids() | literal_ids()):
        found = holders(rule)
        if found != [expected(rule)]:
            misplaced[rule] = found
    assert not misplaced, f"rule id -> modules naming it (want one, per the table): {misplaced}"


def test_the_index_maps_every_relation():
    index = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    for prefix, module in {**{f"{p}.*": m for p, m in HOME.items()}, **EXCEPTIONS}.items():
        assert re.search(r"%s\s+\w+\s+%s" % (re.escape(prefix), re.escape(module)), index), prefix

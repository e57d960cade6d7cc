"""Time expressions in a sentence, resolved against the article's date.

Finding the expressions is a short list of French patterns over the twelve month names
and seven weekdays; resolving them is date arithmetic against the article's date
(datetime). No date parser is needed: every form read is one of the patterns, and a
general parser (dateparser was used before) cost a quarter of a second per process to
learn twelve month names.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# the French month names, in order, with the spellings news uses without accents
MONTH_NAMES = (("janvier",), ("février", "fevrier"), ("mars",), ("avril",), ("mai",),
               ("juin",), ("juillet",), ("août", "aout"), ("septembre",), ("octobre",),
               ("novembre",), ("décembre", "decembre"))
MONTH_NUMBER = {name: number for number, names in enumerate(MONTH_NAMES, 1) for name in names}
MONTHS = "|".join(name for names in MONTH_NAMES for name in names)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

PATTERNS = [     # most specific first: find() keeps the first of overlapping matches
    ("day", re.compile(rf"\b(?:le\s+)?(\d{{1,2}})(?:er)?(?:\s*(?:et|-|au)\s*\d{{1,2}}(?:er)?)?"
                       rf"\s+({MONTHS})(?:\s+(\d{{4}}))?\b", re.I)),
    ("part", re.compile(rf"\b(début|mi|fin)[\s-]+({MONTHS})(?:\s+(\d{{4}}))?\b", re.I)),
    ("month", re.compile(rf"\b(?:en\s+|d'|d’)?({MONTHS})(?:\s+(\d{{4}}))?\b", re.I)),
    ("year", re.compile(r"\b(?:en|depuis)\s+((?:19|20)\d{2})\b", re.I)),
    ("weekday", re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.I)),
    ("relday", re.compile(r"\b(aujourd'hui|aujourd’hui|après-demain|avant-hier|demain|hier)\b",
                          re.I)),
    ("relweek", re.compile(r"\b(?:la\s+)?semaine\s+(prochaine|dernière|passée)\b|"
                           r"\b(?:le\s+)?mois\s+(prochain|dernier)\b", re.I)),
]
RELDAY = {"aujourd'hui": 0, "aujourd’hui": 0, "demain": 1, "après-demain": 2,
          "hier": -1, "avant-hier": -2}


@dataclass(frozen=True)
class TimeExpression:
    start: int          # character offsets in the sentence text
    end: int
    text: str
    kind: str
    groups: tuple


def find(text: str) -> list[TimeExpression]:
    """Non-overlapping time expressions, most specific pattern first."""
    found: list[TimeExpression] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < f.end and f.start < match.end() for f in found):
                continue
            found.append(TimeExpression(match.start(), match.end(), match.group(0), kind,
                                        match.groups()))
    return sorted(found, key=lambda f: f.start)


def _reference(article_date: str) -> tuple[dt.date | None, int]:
    """The article's date as a day, and how many parts (1 year, 2 month, 3 day) it has."""
    if not article_date:
        return None, 0
    parts = article_date.split("-")
    day = dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                  int(parts[2]) if len(parts) > 2 else 1)
    return day, len(parts)


def other_weekdays(article_date: str) -> frozenset:
    """The weekdays other than the article's own (none when it has no day)."""
    try:
        ref, precision = _reference(article_date) if VALID_DATE.fullmatch(article_date or "") \
            else (None, 0)
    except ValueError:      # "2025-02-30"
        return frozenset()
    if precision < 3:
        return frozenset()
    return frozenset(WEEKDAYS) - {WEEKDAYS[ref.weekday()]}


def day_in_text(article_date: str, text: str) -> str:
    """When the article's date gives only its month, the first day of that month the
    text names in full ("le 23 août 2024", a photo caption's date): the day the article
    is most likely about; '' otherwise."""
    if not VALID_DATE.fullmatch(article_date or "") or article_date.count("-") != 1:
        return ""
    day_pattern = PATTERNS[0][1]        # only days, in order (the first pattern is theirs)
    for match in day_pattern.finditer(text):
        expression = TimeExpression(match.start(), match.end(), match.group(0), "day",
                                    match.groups())
        value = resolve(expression, article_date, False)
        if value.startswith(article_date + "-"):
            return value
    return ""


def _month_number(name: str) -> int | None:
    return MONTH_NUMBER.get(name.lower())


VALID_DATE = re.compile(r"(?!0000)\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def resolve(expression: TimeExpression, article_date: str, future: bool) -> str:
    """The most precise date the expression and the article's date support, or '': also
    when counting from the article's date leaves the calendar ("demain" of 9999-12-31)."""
    try:
        value = _resolve(expression, article_date, future)
    except (OverflowError, ValueError):
        return ""
    return value if VALID_DATE.fullmatch(value) else ""


def _resolve(expression: TimeExpression, article_date: str, future: bool) -> str:
    ref, precision = _reference(article_date)
    kind, groups = expression.kind, expression.groups
    if kind == "year":
        return groups[0]
    if kind in ("day", "part", "month"):
        if kind == "day":
            day, month_name, year = groups
        elif kind == "part":
            _, month_name, year = groups
            day = None
        else:
            month_name, year = groups
            day = None
        month = _month_number(month_name)
        if month is None:
            return ""
        if not year:
            if ref is None:
                return ""
            year = ref.year
            if future and month < ref.month:
                year += 1
            elif not future and month > ref.month:
                year -= 1
        if day:
            try:
                return dt.date(int(year), month, int(day)).isoformat()
            except ValueError:
                return f"{int(year):04d}-{month:02d}"
        return f"{int(year):04d}-{month:02d}"
    if ref is None:
        return ""
    if kind == "weekday":
        if precision < 3:
            return article_date
        target = WEEKDAYS.index(expression.groups[0].lower())
        delta = (target - ref.weekday()) % 7
        if not future:
            delta = delta - 7 if delta else 0
        return (ref + dt.timedelta(days=delta)).isoformat()
    if kind == "relday":
        if precision < 3:
            return article_date
        return (ref + dt.timedelta(days=RELDAY[groups[0].lower()])).isoformat()
    if kind == "relweek":
        if precision < 3:
            return article_date
        word = (groups[0] or groups[1] or "").lower()
        step = 1 if word.startswith("prochain") else -1
        if groups[1]:
            month = ref.month + step
            year = ref.year + (month - 1) // 12
            return f"{year:04d}-{(month - 1) % 12 + 1:02d}"
        return (ref + dt.timedelta(days=7 * step)).isoformat()[:7]
    return ""

"""Time expressions resolved against the article's date."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from newskg.extractors import dates


@pytest.mark.parametrize("text,article,future,expected", [
    ("le 14 juillet 2019 à Paris", "2024-03", False, "2019-07-14"),
    ("les 2 et 3 mars", "2024-05", False, "2024-03-02"),
    ("en octobre 2020", "", False, "2020-10"),
    ("en décembre", "2024-03", False, "2023-12"),       # past tense: the December before
    ("en décembre", "2024-03", True, "2024-12"),        # future: the next December
    ("en janvier", "2024-11", True, "2025-01"),
    ("fin août", "2023-10", False, "2023-08"),
    ("début mai 2021", "", False, "2021-05"),
    ("mi-avril", "2022-06", False, "2022-04"),
    ("en 2019", "", False, "2019"),
    ("vendredi", "2024-03-12", True, "2024-03-15"),     # a Tuesday: the coming Friday
    ("vendredi", "2024-03-12", False, "2024-03-08"),    # the Friday before
    ("jeudi", "2024-03", True, "2024-03"),              # month precision only
    ("demain", "2024-02-29", True, "2024-03-01"),
    ("hier", "2024-03-01", False, "2024-02-29"),
    ("la semaine prochaine", "2024-03-28", True, "2024-04"),
    ("le mois dernier", "2024-01-15", False, "2023-12"),
    ("mardi", "", True, ""),                            # no article date: unresolved
])
def test_resolve(text, article, future, expected):
    found = dates.find(text)
    assert found, text
    assert dates.resolve(found[0], article, future) == expected


def test_no_time_in_plain_text():
    assert dates.find("Le ministre a rencontré son homologue.") == []


@given(st.text(max_size=200), st.sampled_from(["", "2023", "2023-10", "2023-10-05"]),
       st.booleans())
def test_resolve_never_raises(text, article, future):
    for expression in dates.find(text):
        value = dates.resolve(expression, article, future)
        assert value == "" or len(value) in (4, 7, 10)


def test_other_weekdays_are_the_six_the_article_is_not_on():
    assert dates.other_weekdays("2025-02-03") == frozenset(
        {"mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"})   # a Monday
    assert dates.other_weekdays("2025-02") == frozenset()      # no day: no weekday is known
    assert dates.other_weekdays("") == frozenset()
    assert dates.other_weekdays("2025-13-45") == frozenset()   # not a date
    assert dates.other_weekdays("2025-02-30") == frozenset()   # nor is this


@pytest.mark.parametrize("article,text,expected", [
    ("2024-08", "Modi est à Kiev. Photo prise le 23 août 2024.", "2024-08-23"),
    ("2024-08", "Le 3 juin, il était à Paris. Le 23 août, à Kiev.", "2024-08-23"),   # its month
    ("2024-08", "Il s'est rendu à Kiev le 5 juillet 2024.", ""),      # another month
    ("2024-08", "Il s'est rendu à Kiev en août.", ""),                 # no day named
    ("2024-08-24", "Photo prise le 23 août 2024.", ""),                # the article has its day
    ("2024", "le 23 août 2024", ""),                                   # a year is no month
    ("", "le 23 août 2024", ""),
    ("2024-08", "le 31 août 2023", ""),                                # another year
])
def test_the_day_a_month_dated_article_names(article, text, expected):
    assert dates.day_in_text(article, text) == expected


@given(st.text(max_size=300), st.sampled_from(["", "2023", "2023-10", "2023-10-05", "0000-13"]))
def test_the_day_named_is_in_the_articles_month(text, article):
    day = dates.day_in_text(article, text)
    assert day == "" or (day.startswith(article + "-") and len(day) == 10)

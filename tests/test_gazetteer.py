"""The gazetteer: only verified links, homonyms kept apart, offices over time."""
from __future__ import annotations

import csv

import pytest

from newskg.extractors.gazetteer import Gazetteer
from tests.conftest import ROOT

REFERENCE = ROOT / "ontology" / "sources" / "wikidata-qids.tsv"   # the shared reference, copied


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.default()


def test_every_link_is_in_the_reference_with_its_label(gazetteer):
    """A row of the verified reference, or a capital its country's row names by QID."""
    import re

    with open(REFERENCE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    reference = {r["qid"]: r["label_fr"] for r in rows if r["qid"]}
    capitals = {}
    for row in rows:
        match = re.search(r"capital=(Q\d+) \(([^()]+)", row["extra"])
        if match and row["type"] == "country":
            capitals[match.group(1)] = (match.group(2).strip(), row["qid"])
    linked = [e for e in gazetteer.entities.values() if e.qid]
    assert len(linked) > 100
    for entity in linked:
        if entity.qid in reference:
            assert reference[entity.qid] == entity.label_fr, entity
        else:
            assert entity.qid in capitals, entity
            name, country_qid = capitals[entity.qid]
            assert name == entity.label_fr
            assert gazetteer.entities[entity.country].qid == country_qid


def test_unverified_entities_stay_unlinked(gazetteer):
    assert gazetteer.entities["dmitry-peskov"].qid == ""
    assert gazetteer.entities["kremlin"].qid == ""


@pytest.mark.parametrize("name,ids", [
    ("Berdymoukhamedov", {"serdar-berdimuhamedow", "gurbanguly-berdimuhamedow"}),
    ("Japarov", {"sadyr-japarov", "akylbek-japarov"}),
])
def test_shared_surnames_stay_ambiguous(gazetteer, name, ids):
    assert {e.id for e in gazetteer.lookup(name)} == ids


@pytest.mark.parametrize("form,country", [
    ("kazakh", "kazakhstan"), ("kazakhe", "kazakhstan"), ("ouzbèke", "uzbekistan"),
    ("ouzbek", "uzbekistan"), ("bélarusse", "belarus"), ("biélorusse", "belarus"),
    ("américaine", "united-states"), ("kirghiz", "kyrgyzstan"), ("turkmènes", "turkmenistan"),
])
def test_demonyms(gazetteer, form, country):
    from newskg.extractors.text import fold
    assert gazetteer.demonyms[fold(form)] == country


@pytest.mark.parametrize("role,country,date,who", [
    ("head_of_state", "russia", "2023-11", ["vladimir-putin"]),
    ("head_of_state", "russia", "2010-01", []),
    ("head_of_government", "russia", "2010-01", ["vladimir-putin"]),
    ("head_of_state", "turkmenistan", "2021-05", ["gurbanguly-berdimuhamedow"]),
    ("head_of_state", "turkmenistan", "2023", ["serdar-berdimuhamedow"]),
    ("head_of_state", "iran", "2024-06", []),
    ("head_of_state", "iran", "2023-11-09", ["ebrahim-raisi"]),
    ("leader", "armenia", "2023-10", ["nikol-pashinyan"]),
    ("foreign_minister", "united-states", "2023-02", ["antony-blinken"]),
    ("head_of_government", "pakistan", "2023-11", []),
])
def test_office_holders_at_a_date(gazetteer, role, country, date, who):
    assert gazetteer.holders(role, country, date) == who


def test_cities_and_seats_lie_in_their_country(gazetteer):
    assert gazetteer.country_of(gazetteer.entities["bishkek"]).id == "kyrgyzstan"
    assert gazetteer.country_of(gazetteer.entities["kremlin"]).id == "russia"
    assert gazetteer.capitals["kazakhstan"] == "astana"


def test_every_office_names_a_known_person_and_country(gazetteer):
    for office in gazetteer.offices:
        assert gazetteer.entities[office.person].type == "person", office
        assert gazetteer.entities[office.country].type == "country", office
        assert office.role in ("head_of_state", "head_of_government", "foreign_minister")
        assert not office.end or office.start < office.end, office


def test_father_and_son_stay_apart(gazetteer):
    heydar, ilham = gazetteer.entities["heydar-aliyev"], gazetteer.entities["ilham-aliyev"]
    assert heydar.qid == "" and ilham.qid == "Q57371"
    assert {e.id for e in gazetteer.lookup("Aliev")} == {"heydar-aliyev", "ilham-aliyev"}
    assert gazetteer.holders("head_of_state", "azerbaijan", "2000") == ["heydar-aliyev"]


def test_a_generated_place_takes_no_name_the_checked_files_give(gazetteer, tmp_path):
    """GeoNames has a hamlet "Maison Blanche" (and "White House" for Casablanca): the
    hand-checked seat keeps the name; a generated row still adds names to a checked
    entity, and names of its own to a new one."""
    assert [e.id for e in gazetteer.lookup("Maison Blanche")] == ["white-house"]
    assert [e.id for e in gazetteer.lookup("White House")] == ["white-house"]
    assert [e.id for e in gazetteer.lookup("Casablanca")] == ["casablanca"]
    header = "id\ttype\tqid\tlabel_en\tlabel_fr\taliases\tdemonyms\tcountry\tcapital\n"
    checked, generated = tmp_path / "checked.tsv", tmp_path / "world.tsv"
    checked.write_text(header + "seat-a\tseat\t\tSeat\tLe Palais\t\t\tland\t\n"
                       "land\tcountry\t\tLand\tPays\t\t\t\t\n", encoding="utf-8")
    generated.write_text(header + "hamlet\tcity\t\tLe Palais\tLe Palais\tPalaisville\t\tland\t\n"
                         "land\tcountry\t\t\t\tLe Pays\t\t\t\n", encoding="utf-8")
    roles = tmp_path / "roles.tsv"
    roles.write_text("person\trole\tcountry\tstart\tend\n", encoding="utf-8")
    small = Gazetteer([checked], roles, generated_files=(generated,))
    assert [e.id for e in small.lookup("Le Palais")] == ["seat-a"]
    assert [e.id for e in small.lookup("Palaisville")] == ["hamlet"]
    assert [e.id for e in small.lookup("Le Pays")] == ["land"]
    both = Gazetteer([checked, generated], roles)      # read as equals: the name is shared
    assert [e.id for e in both.lookup("Le Palais")] == ["hamlet", "seat-a"]

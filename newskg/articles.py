"""Reads articles from what scrapers and archives give: text files, HTML pages, JSON Lines,
CSV exports and standard input. Every problem becomes one line naming the file (and line);
whatever can be read is read.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from extractors.facts import Article

from .errors import InputError

HEADER = re.compile(r"^\s*date\b[ \t]*(\S*)[ \t]*", re.IGNORECASE)
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
RECORD_DATE = re.compile(r"^\s*(\d{4}-\d{2}(?:-\d{2})?)")
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
STDIN = "-"
WESTERN = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class Fields:
    """Names of the fields of JSON Lines and CSV records."""
    id: str = "id"
    date: str = "date"
    title: str = "title"
    text: str = "text"
    url: str = "url"


@dataclass
class Reading:
    """Articles read, and one line per problem met on the way."""
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


def _valid(date: str) -> bool:
    """YYYY-MM or YYYY-MM-DD naming a real month or day (no 31 February)."""
    match = DATE.match(date)
    if not match:
        return False
    try:
        datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError:
        return False
    return True


def parse(text: str, identifier: str, source: str = "") -> tuple[Article, str]:
    """An Article from plain text with its optional date header, and a warning ('' if none)."""
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


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text from bytes: UTF-8, else the encoding charset-normalizer finds (Latin-1, cp1252,
    UTF-16 ...), said in a note; binary data is refused."""
    if not raw.strip():
        raise InputError(f"{name}: empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), f"{name}: decoded as UTF-16"
    if b"\x00" in raw:
        raise InputError(f"{name}: binary file, not text")
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError as error:
        position = error.start
    from charset_normalizer import from_bytes

    # French text: the Western European encodings are the candidates
    best = from_bytes(raw, cp_isolation=WESTERN).best()
    if best is None or best.encoding.startswith("utf") or best.chaos > 0.2:
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {position}) and no other "
                         "text encoding fits")
    text = str(best)
    control = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t")
    if control > len(text) / 100:
        raise InputError(f"{name}: binary file, not text")
    return text, f"{name}: not UTF-8, decoded as {best.encoding}"


def _record_date(value, where: str, problems: list[str]) -> str:
    if value in (None, ""):
        return ""
    match = RECORD_DATE.match(str(value))
    if match and _valid(match.group(1)):
        return match.group(1)
    problems.append(f"{where}: unreadable date {str(value)[:40]!r}; article read without a date")
    return ""


def _record(record: dict, fields: Fields, where: str, fallback_id: str, source: str,
            problems: list[str]) -> Article | None:
    text = record.get(fields.text)
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: no {fields.text!r} field with text; skipped")
        return None
    identifier = str(record.get(fields.id) or fallback_id).strip() or fallback_id
    title = str(record.get(fields.title) or "").strip()
    url = str(record.get(fields.url) or "").strip()
    date = _record_date(record.get(fields.date), where, problems)
    body = f"{title}\n\n{text}" if title and not text.lstrip().startswith(title) else text
    return Article(identifier, body, date, source, (title or text.strip().splitlines()[0])[:200],
                   url=url)


def read_jsonl(path: Path, raw: bytes, fields: Fields, reading: Reading) -> None:
    text, note = decode(raw, str(path))
    if note:
        reading.problems.append(note)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            reading.problems.append(f"{where}: not valid JSON ({error.msg}); skipped")
            reading.skipped += 1
            continue
        if not isinstance(record, dict):
            reading.problems.append(f"{where}: a JSON record must be an object; skipped")
            reading.skipped += 1
            continue
        _add_record(record, fields, path, number, reading)


def _add_record(record: dict, fields: Fields, path: Path, number: int, reading: Reading) -> None:
    """One JSON Lines or CSV record as an article, or one line saying why not."""
    article = _record(record, fields, f"{path}:{number}", f"{path.stem}-{number}",
                      f"{path.name}:{number}", reading.problems)
    if article is None:
        reading.skipped += 1
    else:
        reading.articles.append(article)


def read_csv(path: Path, raw: bytes, fields: Fields, reading: Reading) -> None:
    text, note = decode(raw, str(path))
    if note:
        reading.problems.append(note)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        names = rows.fieldnames
    except csv.Error as error:
        raise InputError(f"{path}: malformed CSV header: {error}") from None
    if not names or fields.text not in names:
        raise InputError(f"{path}: no {fields.text!r} column (columns: "
                         f"{', '.join(rows.fieldnames or [])[:200]})")
    try:
        for number, row in enumerate(rows, 2):
            _add_record(row, fields, path, number, reading)
    except csv.Error as error:
        reading.problems.append(f"{path}: malformed CSV after line {rows.line_num}: {error}")
        reading.skipped += 1


def read_html(path: Path, raw: bytes) -> tuple[Article, str]:
    """The main text of a page, with the page's own title, date and address (trafilatura)."""
    import trafilatura

    text, note = decode(raw, str(path))
    document = trafilatura.bare_extraction(text, with_metadata=True, output_format="python")
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise InputError(f"{path}: no article text found in the page")
    title = (getattr(document, "title", None) or "").strip()
    date = getattr(document, "date", None) or ""
    date = date if _valid(date[:10]) else ""
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"
    article = Article(path.stem, body, date[:10], path.name, title[:200] or body.splitlines()[0][:200],
                      url=(getattr(document, "url", None) or "").strip())
    return article, note


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None


def read_file(path: Path) -> tuple[Article, str]:
    """A plain-text article file."""
    text, note = decode(_bytes(path), str(path))
    article, warning = parse(text, path.stem, path.name)
    if not article.text.strip():
        raise InputError(f"{path}: no text after the date header")
    warning = f"{path}: {warning}" if warning else ""
    return article, "\n".join(w for w in (note, warning) if w)


def collect(paths: list[Path]) -> list[Path]:
    """Article files under the given files and folders, in a stable order."""
    files = []
    for path in paths:
        if str(path) == STDIN:
            files.append(path)
        elif path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file()
                            and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def _one(path: Path, fields: Fields, reading: Reading, stdin) -> None:
    suffix = path.suffix.lower()
    if str(path) == STDIN:
        raw = (stdin or sys.stdin.buffer).read()
        text, note = decode(raw, "standard input")
        article, warning = parse(text, "stdin", "stdin")
        reading.problems += [p for p in (note, f"standard input: {warning}" if warning else "") if p]
        reading.articles.append(article)
        return
    if suffix in (".jsonl", ".csv"):
        (read_jsonl if suffix == ".jsonl" else read_csv)(path, _bytes(path), fields, reading)
        return
    if suffix in (".html", ".htm"):
        article, note = read_html(path, _bytes(path))
    else:
        article, note = read_file(path)
    reading.problems += [line for line in note.splitlines() if line]
    reading.articles.append(article)


MAX_ARTICLE = 1_000_000   # characters; a news article is rarely over 50,000


def _cap(article: Article, limit: int, reading: Reading) -> None:
    """Keep the first `limit` characters of an oversized article, cut at a paragraph end:
    several megabytes are a scraping accident (a whole site, a book), not an article."""
    if len(article.text) <= limit:
        return
    cut = article.text.rfind("\n", 0, limit)
    cut = cut + 1 if cut > limit // 2 else limit
    reading.problems.append(f"{article.source or article.id}: article of "
                            f"{len(article.text) / 1e6:.1f} million characters; only its first "
                            f"{cut / 1e6:.2f} million are read")
    article.text = article.text[:cut]


def read(paths: list[Path], fields: Fields = Fields(), stdin=None,
         max_article: int = MAX_ARTICLE) -> Reading:
    """Every article under `paths`; the same text under two names is one article."""
    reading = Reading()
    for path in collect(paths):
        try:
            _one(path, fields, reading, stdin)
        except InputError as error:
            reading.problems.append(str(error))
            reading.skipped += 1
    for article in reading.articles:
        _cap(article, max_article, reading)
    unique: dict[str, Article] = {}
    by_text: dict[str, Article] = {}
    for article in reading.articles:
        digest = hashlib.sha1(" ".join(article.text.split()).encode("utf-8")).hexdigest()
        if digest in by_text:
            kept = by_text[digest]
            kept.sources.append(article.source)
            reading.problems.append(f"{article.source}: same text as {kept.sources[0]}; "
                                    f"read once as article {kept.id} with both sources")
            continue
        if article.id in unique:
            reading.problems.append(f"{article.source}: identifier {article.id!r} already used by "
                                    f"{unique[article.id].source}; skipped")
            reading.skipped += 1
            continue
        article.sources = [article.source]
        by_text[digest] = article
        unique[article.id] = article
    reading.articles = sorted(unique.values(), key=lambda a: a.id)
    reading.problems = [one_line(p) for p in reading.problems]
    return reading


def one_line(message: str) -> str:
    """A message on one line, whatever a file name or a field brought into it."""
    return " ".join("".join(c if c.isprintable() else " " for c in message).split())

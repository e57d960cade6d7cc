"""Reads articles from what scrapers and archives give: text files, HTML pages, JSON Lines,
CSV exports and standard input. Every problem becomes one line naming the file (and line);
whatever can be read is read.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from newskg.extractors.facts import Article

from .errors import InputError

HEADER = re.compile(r"^\s*date\b[ \t]*(\S*)[ \t]*", re.IGNORECASE)
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
RECORD_DATE = re.compile(r"^\s*(\d{4}-\d{2}(?:-\d{2})?)")
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
STDIN = "-"
WESTERN = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]
MAX_ARTICLE = 1_000_000   # characters; a news article is rarely over 50,000
# what is read of one input, whatever its size: memory stays flat on a 1 GB file
MAX_FILE_BYTES = 4 * MAX_ARTICLE + 4096     # a text file (UTF-8: up to 4 bytes a character)
MAX_PAGE_BYTES = 8 * 1024 * 1024            # an HTML page, markup included (trafilatura: ~2 s a MB)
MAX_RECORD = 8 * MAX_ARTICLE                # a JSON Lines line or CSV field, escapes included
LONG_RUN = 200     # characters without a space: spaCy's tokenizer takes quadratic time beyond
LONG_RUN_TEXT = re.compile(r"\S{%d,}" % LONG_RUN)
SURROGATE = re.compile("[\ud800-\udfff]")
csv.field_size_limit(MAX_RECORD)


@dataclass(frozen=True)
class Fields:
    """Names of the fields of JSON Lines and CSV records."""
    id: str = "id"
    date: str = "date"
    title: str = "title"
    text: str = "text"
    url: str = "url"


@dataclass
class Log:
    """One line per problem met while reading, and how many records were skipped."""
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Reading(Log):
    """Articles read, and the problems met on the way."""
    articles: list[Article] = field(default_factory=list)


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


def binary(raw: bytes) -> bool:
    """Binary data, not text with a stray NUL: one record with a NUL byte is that record's
    problem, not the end of the file."""
    nul = raw.count(b"\x00")
    return nul > 0 and nul * 1000 > len(raw)


def mostly_utf8(raw: bytes) -> bool:
    """UTF-8 with a few broken sequences (a record with a lone surrogate, a cut character):
    read as UTF-8, the bad bytes replaced. A legacy encoding breaks every accented letter,
    one byte in fifty of French text."""
    broken = raw.decode("utf-8", errors="replace").count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    return broken * 1000 <= len(raw)


def clean(value: str) -> str:
    """A string any encoder takes: a lone surrogate (JSON may hold "\\ud800") becomes U+FFFD."""
    return SURROGATE.sub("\ufffd", value) if SURROGATE.search(value) else value


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text from bytes: UTF-8, else the encoding charset-normalizer finds (Latin-1, cp1252,
    UTF-16 ...), said in a note; binary data is refused."""
    if not raw.strip():
        raise InputError(f"{name}: empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return clean(raw.decode("utf-16")), f"{name}: decoded as UTF-16"
        except UnicodeDecodeError:      # an odd number of bytes, a broken pair
            return clean(raw.decode("utf-16", errors="replace")), \
                f"{name}: decoded as UTF-16, with unreadable bytes replaced"
    if binary(raw):
        raise InputError(f"{name}: binary file, not text")
    raw = raw.replace(b"\x00", b"")
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError as error:
        position = error.start
    if mostly_utf8(raw):
        return raw.decode("utf-8-sig", errors="replace"), \
            f"{name}: a few bytes are not UTF-8 (the first at offset {position}); replaced"
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
    text = clean(text)
    identifier = one_line(clean(str(record.get(fields.id) or fallback_id)))[:200] or fallback_id
    title = one_line(clean(str(record.get(fields.title) or "")))
    url = one_line(clean(str(record.get(fields.url) or "")))
    date = _record_date(record.get(fields.date), where, problems)
    body = f"{title}\n\n{text}" if title and not text.lstrip().startswith(title) else text
    return Article(identifier, body, date, source, (title or text.strip().splitlines()[0])[:200],
                   url=url)


def read_jsonl(path: Path, lines: Iterable[str], fields: Fields, log: Log) -> Iterator[Article]:
    """One article per JSON object line (lines end at newlines only: a JSON string may hold
    a U+2028); a broken line is one problem, not the end."""
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}"
        if line is None:
            log.problems.append(f"{where}: record longer than {MAX_RECORD:,} characters; skipped")
            log.skipped += 1
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            log.problems.append(f"{where}: not valid JSON ({error.msg}); skipped")
            log.skipped += 1
            continue
        except RecursionError:
            log.problems.append(f"{where}: JSON nested too deep; skipped")
            log.skipped += 1
            continue
        if not isinstance(record, dict):
            log.problems.append(f"{where}: a JSON record must be an object; skipped")
            log.skipped += 1
            continue
        yield from _from_record(record, fields, path, number, log)


def bounded_lines(stream: TextIO, limit: int = MAX_RECORD) -> Iterator[str | None]:
    """The lines of a stream, never holding more than `limit` characters of one: a longer
    line is read through and given as None (one problem, not a full memory)."""
    while True:
        line = stream.readline(limit)
        if not line:
            return
        if len(line) < limit or line.endswith("\n"):
            yield line
            continue
        while line and not line.endswith("\n"):
            line = stream.readline(limit)
        yield None


def _from_record(record: dict, fields: Fields, path: Path, number: int,
                 log: Log) -> Iterator[Article]:
    """One JSON Lines or CSV record as an article, or one line saying why not."""
    where = f"{path}:{number}"
    try:
        article = _record(record, fields, where, f"{path.stem}-{number}",
                          f"{path.name}:{number}", log.problems)
    except Exception as error:          # a record of a shape no rule foresaw: it alone is lost
        log.problems.append(f"{where}: unreadable record ({type(error).__name__}: {error}); "
                            "skipped")
        article = None
    if article is None:
        log.skipped += 1
    else:
        yield article


def csv_dialect(head: str, text_column: str):
    """The standard dialect (RFC 4180: commas, double quotes) when its header names the
    text column; else the delimiter sniffed among ; tab and comma, quotes always `"`:
    sniffing alone takes the apostrophe of "s'entretiendra" for a quote character."""
    first = head.splitlines()[0] if head else ""
    for delimiter in (",", ";", "\t"):
        names = next(csv.reader([first], delimiter=delimiter), [])
        if text_column in (n.strip() for n in names):
            return _dialect(delimiter)
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters=",;\t")
    except csv.Error:
        return csv.excel
    return _dialect(sniffed.delimiter)


def _dialect(delimiter: str):
    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def read_csv(path: Path, text: TextIO, fields: Fields, log: Log) -> Iterator[Article]:
    """One article per row, in the standard dialect or with the delimiter the header uses."""
    head = text.read(4096)
    dialect = csv_dialect(head, fields.text)
    text.seek(0)
    # a NUL byte would stop the csv module for the rest of the file
    rows = csv.DictReader((line.replace("\x00", "") for line in text), dialect=dialect)
    try:
        names = rows.fieldnames
    except csv.Error as error:
        raise InputError(f"{path}: malformed CSV header: {error}") from None
    if not names or fields.text not in names:
        raise InputError(f"{path}: no {fields.text!r} column (columns: "
                         f"{', '.join(rows.fieldnames or [])[:200]})")
    try:
        for number, row in enumerate(rows, 2):
            yield from _from_record(row, fields, path, number, log)
    except csv.Error as error:
        log.problems.append(f"{path}: malformed CSV after line {rows.line_num}: {error}")
        log.skipped += 1


def open_text(path: Path) -> tuple[TextIO, str]:
    """A record file as a text stream, and a note if it is not UTF-8.

    UTF-8 is checked block by block first, so a file of any size is never held whole;
    a file in another encoding (a legacy export) is decoded whole by `decode`."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                return _decoded(path)
            handle.seek(0)
            check, blank = codecs.getincrementaldecoder("utf-8")(errors="replace"), True
            broken = size = 0
            for block in iter(lambda: handle.read(1 << 20), b""):
                if binary(block):
                    raise InputError(f"{path}: binary file, not text")
                blank = blank and not block.strip()
                size += len(block)
                broken += check.decode(block).count("\ufffd") - block.count(b"\xef\xbf\xbd")
            broken += check.decode(b"", final=True).count("\ufffd")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if blank:
        raise InputError(f"{path}: empty file")
    if broken * 1000 > size:        # a legacy export: decoded whole, its encoding found
        return _decoded(path)
    note = f"{path}: a few bytes are not UTF-8; replaced" if broken > 0 else ""
    return open(path, encoding="utf-8-sig", errors="replace", newline=""), note


def _decoded(path: Path) -> tuple[TextIO, str]:
    raw, note = _bytes(path, MAX_RECORD * 4)
    text, decoded = decode(raw, str(path))
    return io.StringIO(text, newline=""), "\n".join(n for n in (decoded, note) if n)


def read_html(path: Path, raw: bytes) -> tuple[Article, str]:
    """The main text of a page, with the page's own title, date and address (trafilatura)."""
    import trafilatura

    text, note = decode(raw, str(path))
    text = clean(text)
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


def regular(path: Path) -> None:
    """Refuse, without opening it, what is not a regular file: opening a FIFO blocks,
    a device never ends."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else \
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" \
            if stat.S_ISSOCK(mode) else "not a regular file"
        raise InputError(f"{path}: not a regular file ({kind}); skipped")


def _bytes(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """At most `limit` bytes of a file, cut at a character boundary, and a note if cut."""
    regular(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if len(raw) <= limit:
        return raw, ""
    note = f"{path}: file of {size / 1e6:.1f} MB; only its first {limit / 1e6:.1f} MB are read"
    raw = raw[:limit]
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        end = len(raw)      # UTF-8: not through a character
        while end > len(raw) - 4 and end > 0 and raw[end - 1] & 0xC0 == 0x80:
            end -= 1
        if end > 0 and raw[end - 1] >= 0xC0:
            end -= 1
        raw = raw[:end]
    else:
        raw = raw[:len(raw) // 2 * 2]
    return raw, note


def read_file(path: Path) -> tuple[Article, str]:
    """A plain-text article file; of a huge one, only what the article cap keeps is read."""
    raw, cut = _bytes(path)
    text, note = decode(raw, str(path))
    article, warning = parse(text, path.stem, path.name)
    if not article.text.strip():
        raise InputError(f"{path}: no text after the date header")
    if cut:
        article.text = article.text[:cut_point(article.text, MAX_ARTICLE)]
        cut = (f"{path.name}: file of {path.stat().st_size / 1e6:.1f} MB; only its first "
               f"{len(article.text) / 1e6:.2f} million characters are read")
    warning = f"{path}: {warning}" if warning else ""
    return article, "\n".join(w for w in (cut, note, warning) if w)


def collect(paths: list[Path]) -> list[Path]:
    """Article files under the given files and folders, each once, in the order of their
    paths whatever the order they were given in: which of two files holding the same text
    keeps its name does not depend on how the command was typed. Standard input comes last."""
    files, stdin = {}, []
    for path in paths:
        if str(path) == STDIN:
            stdin = [path]
        elif path.is_dir():
            for found in path.rglob("*"):
                if found.suffix.lower() in SUFFIXES and not found.name.startswith(".") \
                        and found.is_file():
                    files.setdefault(os.path.abspath(found), found)
        elif path.exists() or path.is_symlink():
            files.setdefault(os.path.abspath(path), path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return [files[key] for key in sorted(files)] + stdin


def _from_path(path: Path, fields: Fields, log: Log, stdin) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if str(path) == STDIN:
        raw = (stdin or sys.stdin.buffer).read(MAX_FILE_BYTES)
        text, note = decode(raw, "standard input")
        article, warning = parse(text, "stdin", "stdin")
        log.problems += [p for p in (note, f"standard input: {warning}" if warning else "") if p]
        yield article
        return
    if suffix in (".jsonl", ".csv"):
        regular(path)
        stream, note = open_text(path)
        if note:
            log.problems.append(note)
        with stream:
            if suffix == ".jsonl":
                yield from read_jsonl(path, bounded_lines(stream), fields, log)
            else:
                yield from read_csv(path, stream, fields, log)
        return
    if suffix in (".html", ".htm"):
        raw, cut = _bytes(path, MAX_PAGE_BYTES)
        article, note = read_html(path, raw)
        note = "\n".join(n for n in (cut, note) if n)
    else:
        article, note = read_file(path)
    log.problems += [line for line in note.splitlines() if line]
    yield article



def cut_point(text: str, limit: int) -> int:
    """Where to cut a text to at most `limit` characters: a line end, if one is near."""
    if len(text) <= limit:
        return len(text)
    cut = text.rfind("\n", 0, limit)
    return cut + 1 if cut > limit // 2 else limit


def _cap(article: Article, limit: int, log: Log) -> None:
    """Keep the first `limit` characters of an oversized article, cut at a paragraph end:
    several megabytes are a scraping accident (a whole site, a book), not an article."""
    if len(article.text) <= limit:
        return
    cut = cut_point(article.text, limit)
    log.problems.append(f"{article.source or article.id}: article of "
                            f"{len(article.text) / 1e6:.1f} million characters; only its first "
                            f"{cut / 1e6:.2f} million are read")
    article.text = article.text[:cut]


class Articles(Log):
    """Articles read one at a time, in file order, with the problems met on the way.

    Only the current file's current record is in memory, with a short digest and the
    identifier of each article already read: the same text under a second name is read
    once (its other sources are listed in `more_sources`), a reused identifier is skipped.
    Iterate once; `problems` and `skipped` are complete when the iteration ends.
    """

    def __init__(self, paths: list[Path], fields: Fields = Fields(), stdin=None,
                 max_article: int = MAX_ARTICLE):
        super().__init__()
        self.files = collect(paths)
        self.fields, self.stdin, self.max_article = fields, stdin, max_article
        self.count = 0
        self.more_sources: dict[str, list[str]] = {}

    def __iter__(self) -> Iterator[Article]:
        first_source: dict[str, str] = {}          # identifier -> the source it came from
        by_text: dict[bytes, str] = {}             # digest of the text -> identifier
        for path in self.files:
            try:
                for article in _from_path(path, self.fields, self, self.stdin):
                    _cap(article, self.max_article, self)
                    digest = hashlib.blake2b(" ".join(article.text.split()).encode("utf-8"),
                                             digest_size=16).digest()
                    kept = by_text.get(digest)
                    if kept is not None:
                        self.more_sources.setdefault(kept, []).append(article.source)
                        self.problems.append(f"{article.source}: same text as "
                                             f"{first_source[kept]}; read once as article "
                                             f"{kept} with both sources")
                        continue
                    if article.id in first_source:
                        self.problems.append(f"{article.source}: identifier {article.id!r} "
                                             f"already used by {first_source[article.id]}; "
                                             "skipped")
                        self.skipped += 1
                        continue
                    article.sources = [article.source]
                    by_text[digest] = article.id
                    first_source[article.id] = article.source
                    self.count += 1
                    yield article
            except InputError as error:
                self.problems.append(str(error))
                self.skipped += 1
            except (Exception, RecursionError) as error:     # a file no rule foresaw
                self.problems.append(f"{path}: unreadable ({type(error).__name__}: {error}); "
                                     "skipped")
                self.skipped += 1
        self.problems[:] = [one_line(p) for p in self.problems]

    def estimate(self) -> int:
        """How many records the files hold (for a progress bar's total): cheap, not exact."""
        total = 0
        for path in self.files:
            suffix = path.suffix.lower()
            if suffix not in (".jsonl", ".csv"):
                total += 1
                continue
            try:
                with open(path, "rb") as handle:
                    lines = sum(1 for line in handle if line.strip())
            except OSError:
                continue
            total += max(0, lines - 1) if suffix == ".csv" else lines      # CSV: a header
        return total


def read(paths: list[Path], fields: Fields = Fields(), stdin=None,
         max_article: int = MAX_ARTICLE) -> Reading:
    """Every article under `paths` in memory, in identifier order (for small inputs and
    the audit view; a build streams `Articles` instead)."""
    articles = Articles(paths, fields, stdin, max_article)
    found = list(articles)
    for article in found:
        article.sources += articles.more_sources.get(article.id, [])
    return Reading(articles.problems, articles.skipped, sorted(found, key=lambda a: a.id))


def one_line(message: str) -> str:
    """A message on one line, whatever a file name or a field brought into it."""
    return " ".join("".join(c if c.isprintable() else " " for c in message).split())

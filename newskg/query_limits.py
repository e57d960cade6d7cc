"""What a SPARQL text may be before Oxigraph parses it, and the stack it is parsed on.

Oxigraph's parser and evaluator recurse: a 10 KB query of nested groups `{{{…}}}`,
parentheses or FILTER NOT EXISTS overflows the stack and kills the process (a segfault,
not an error). So a query is measured first, outside its strings, IRIs and comments: at
most MAX_QUERY_BYTES long and MAX_NESTING deep. Chains that no bracket shows (`1+1+1…`,
`!!!…`, thousands of BINDs) recurse too, so a query also runs on a thread whose stack
holds the worst case of a text of that size (QUERY_STACK_BYTES; measured: 64 KB of `{`
needs about 128 MB). The scan also finds SERVICE, which a read-only endpoint refuses: a
federated query would make the server fetch an address its caller chose.
"""
from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field

from .errors import UsageError

MAX_QUERY_BYTES = 64 * 1024
MAX_NESTING = 64
QUERY_STACK_BYTES = 256 * 1024 * 1024

# an IRI as Oxigraph reads one: anything but these characters, or \u and \U escapes
IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
# inside an IRI, characters that would start a string or a comment if Oxigraph read the
# `<` as "less than" (`FILTER(?a<'…'>…)`): written as escapes, the IRI is the same and
# no reading of the text can hide code from the scan behind them
NEUTRAL = {"'": "\\u0027", "#": "\\u0023"}
OPENING, CLOSING = "{([", "})]"


class QueryRefused(UsageError):
    """The query is too long, too deeply nested, or federated; the message says which."""


@dataclass(frozen=True)
class Scan:
    """A query as the scan read it: its deepest nesting, whether it calls SERVICE, and the
    text to parse (IRIs holding ' or # escaped; `escapes` are where, to give error
    positions in the text the caller sent)."""
    text: str
    depth: int
    federated: bool
    escapes: tuple[int, ...] = field(default=())

    def original_column(self, line: int, column: int) -> int:
        """A 1-based column of `text` as a column of the query before escaping (the
        lines are the same: an escape adds characters, never a line)."""
        start = 0
        for _ in range(line - 1):
            start = self.text.find("\n", start) + 1
        added = len(NEUTRAL["#"]) - 1
        return column - added * sum(start <= at < start + column - 1 for at in self.escapes)


class _Literals:
    """Where a string literal opening at a quote ends, as Oxigraph's grammar ends it: a
    long string (three quotes) first, and if it fails, a short one, as a PEG parser tries
    them; an escape it does not know (`\\.`) or, in a short string, a line end makes it
    fail. A walk through a string lands on the same characters wherever it started (an
    escape never begins inside another), so one pass finds, for each kind of string, the
    places where a walk stops; a string's end is the first of them after its quote. The
    scan stays linear whatever the text (a walk per quote would not: `'''\\'''\\'''…`)."""

    def __init__(self, text: str):
        self.text = text
        self.stops = {kind: [] for kind in ("'''", '"""', "'", '"')}
        at = 0
        while at < len(text):
            char = text[at]
            if char == "\\":
                length = _escape_length(text, at)
                if not length:                  # every kind of string fails here
                    for stops in self.stops.values():
                        stops.append(at)
                at += length or 1
                continue
            if char in "'\"":
                self.stops[char].append(at)
                if text.startswith(char * 3, at):
                    self.stops[char * 3].append(at)
            elif char in "\n\r":
                self.stops["'"].append(at)
                self.stops['"'].append(at)
            at += 1

    def _first_stop(self, kind: str, at: int) -> int | None:
        stops = self.stops[kind]
        index = bisect.bisect_left(stops, at)
        return stops[index] if index < len(stops) else None

    def end(self, start: int) -> int | None:
        """Where the string opening at `start` ends, or None if Oxigraph reads none there
        (then the quote is scanned as code, which hides nothing)."""
        quote = self.text[start]
        if self.text.startswith(quote * 3, start):
            stop = self._first_stop(quote * 3, start + 3)
            if stop is not None and self.text.startswith(quote * 3, stop):
                return stop + 3
        stop = self._first_stop(quote, start + 1)
        if stop is not None and self.text[stop] == quote:
            return stop + 1
        return None


def _escape_length(text: str, at: int) -> int:
    """The length of the escape at a backslash in a string, or 0 if Oxigraph knows none:
    \\t \\b \\n \\r \\f \\" \\' \\\\, \\u and four hex digits, \\U and eight."""
    follower = text[at + 1:at + 2]
    if follower and follower in "tbnrf\"'\\":
        return 2
    digits = {"u": 4, "U": 8}.get(follower, 0)
    code = text[at + 2:at + 2 + digits]
    if digits and len(code) == digits and all(c in "0123456789abcdefABCDEF" for c in code):
        return 2 + digits
    return 0


def _is_name_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "_-:%") or not char.isascii()


def _is_variable_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_") or not char.isascii()


def _name_end(text: str, at: int) -> int:
    """The end of a word, prefixed name or number: the longest run SPARQL reads as one
    (a dot inside, as in `ex:a.b`, but not at the end; `\\` escapes a character)."""
    while at < len(text):
        char = text[at]
        if char == "\\" and at + 1 < len(text):
            at += 2
        elif _is_name_char(char):
            at += 1
        elif char == "." and at + 1 < len(text) and (_is_name_char(text[at + 1])
                                                      or text[at + 1] == "\\"):
            at += 1
        else:
            break
    return at


def _names_service(word: str) -> bool:
    """A keyword or prefix that is or holds SERVICE, or a name with SERVICE after a dot:
    Oxigraph reads `ex:b.c.SERVICE` as `ex:b.c` `.` `SERVICE` (measured). The local part of
    a prefixed name is otherwise a name (`schema:Service`), never the keyword."""
    prefix, _, local = word.lower().partition(":")
    return "service" in prefix or any("service" in piece for piece in local.split(".")[1:])


def scan(query: str) -> Scan:
    """Read the query once, outside strings, IRIs and comments."""
    literals = _Literals(query)
    out, escapes = [], []
    length = depth = deepest = 0
    federated = False
    at, size = 0, len(query)
    while at < size:
        char = query[at]
        end = at + 1
        if char == "#":
            while end < size and query[end] not in "\n\r":
                end += 1
        elif char in "'\"":
            end = literals.end(at) or end
        elif char == "<" and (iri := IRIREF.match(query, at)):
            end = iri.end()
            for inner in query[at:end]:
                if inner in NEUTRAL:
                    escapes.append(length)
                    inner = NEUTRAL[inner]
                out.append(inner)
                length += len(inner)
            at = end
            continue
        elif char in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif char in "?$":
            while end < size and _is_variable_char(query[end]):
                end += 1
        elif char == "\\" or _is_name_char(char):
            end = max(_name_end(query, at), end)     # a lone final backslash too
            federated = federated or _names_service(query[at:end])
        out.append(query[at:end])
        length += end - at
        at = end
    return Scan("".join(out), deepest, federated, tuple(escapes))


def check(query: str, federation: bool = True) -> Scan:
    """The scan of a query within the limits; QueryRefused says which limit it passes.
    `federation=False` refuses SERVICE too."""
    size = len(query.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise QueryRefused(f"the query is {size} bytes long; at most {MAX_QUERY_BYTES} "
                           "bytes are accepted")
    found = scan(query)
    if found.depth > MAX_NESTING:
        raise QueryRefused(f"the query nests {{ }}, ( ) or [ ] {found.depth} levels deep; at "
                           f"most {MAX_NESTING} levels are accepted")
    if found.federated and not federation:
        raise QueryRefused("SERVICE (a federated query) is refused: this endpoint answers "
                           "from its own graph and makes no request of its own")
    return found


def on_big_stack(function, *args):
    """`function(*args)` on a thread with a QUERY_STACK_BYTES stack, its result returned and
    its exception raised here. The stack is reserved, not used: only what the recursion
    touches is memory, and it is given back when the thread ends."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:    # handed to the caller, whatever it is
            outcome["error"] = error

    previous = threading.stack_size()
    try:
        threading.stack_size(QUERY_STACK_BYTES)
    except (ValueError, RuntimeError):    # a system that refuses such a stack: the default
        pass
    try:
        thread = threading.Thread(target=target, name="sparql", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")

"""The scan that measures a query before Oxigraph parses it (newskg.query_limits): what it
counts, what it skips, and that no text it lets through makes the engine call a SERVICE."""
from __future__ import annotations

import re
import time

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newskg.query_limits import (MAX_NESTING, MAX_QUERY_BYTES, QueryRefused, check,
                                 on_big_stack, scan)
from tests.loopback import recording_listener


@pytest.mark.parametrize("query,depth", [
    ("SELECT * { ?s ?p ?o }", 1),
    ("SELECT * { FILTER((1 + (2))) }", 4),
    ("SELECT * { ?s ?p [ ?q [ ?r 1 ] ] }", 3),
    ("SELECT * { ?s ?p '{{{(((' }", 1),                  # in a string
    ("SELECT * { ?s ?p \"\"\"\n{{{\n\"\"\" }", 1),         # in a long string
    ("SELECT * { ?s ?p ?o } # {{{{{{", 1),               # in a comment
    ("SELECT * { ?s ?p 'not closed\n{{{ }", 4),          # no string: counted
    ("SELECT * { ?s <http://x/a(b)> ?o }", 1),           # in an IRI
])
def test_nesting_is_counted_outside_strings_iris_and_comments(query, depth):
    assert scan(query).depth == depth


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * { service silent<http://x/>{} }",
    "SELECT * { ?s ?p ?o.SERVICE <http://x/> {} }",
    "SELECT * { ?s ?p 1.SERVICE <http://x/> {} }",
    "SELECT * { ?s ?p trueSERVICE <http://x/> {} }",
    "PREFIX x: <http://x/> SELECT * { SERVICE x:a {} }",
    "SELECT * { SERVICE:a {} }",
    "SELECT * { BIND(<http://x/> AS ?e) SERVICE ?e {} }",
])
def test_service_is_found_however_written(query):
    assert scan(query).federated
    with pytest.raises(QueryRefused, match="SERVICE"):
        check(query, federation=False)


@pytest.mark.parametrize("query", [
    "SELECT ?service { ?service <http://schema.org/service> ?o }",
    "PREFIX schema: <http://schema.org/> SELECT * { ?s schema:Service ?o }",
    "SELECT * { ?s ?p 'SERVICE <http://x/> {}' } # SERVICE <http://x/> {}",
])
def test_names_strings_and_comments_are_no_service(query):
    assert not scan(query).federated


def error_at(query: str) -> tuple[int, int]:
    with pytest.raises(SyntaxError) as error:
        ox.Store().query(query)
    line, column = re.match(r"error at (\d+):(\d+)", str(error.value)).groups()
    return int(line), int(column)


def test_iris_holding_quotes_or_hashes_are_escaped_and_positions_given_back():
    query = "PREFIX r: <http://x/r#>\nSELECT * { ?s <http://x/it's#a> ?o ?? }"
    found = scan(query)
    assert "<http://x/r\\u0023>" in found.text and "<http://x/it\\u0027s\\u0023a>" in found.text
    line, column = error_at(found.text)
    assert error_at(query) == (line, found.original_column(line, column))


def test_the_limits():
    check("SELECT * WHERE " + "{" * MAX_NESTING + "}" * MAX_NESTING)
    with pytest.raises(QueryRefused, match=f"{MAX_NESTING + 1} levels deep"):
        check("SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1))
    with pytest.raises(QueryRefused, match="bytes long"):
        check("#" * (MAX_QUERY_BYTES + 1))


def test_the_big_stack_holds_a_chain_the_main_stack_would_not():
    """`1+1+…` of the largest size accepted recurses deeper than 8 MB of stack."""
    query = "ASK { FILTER(" + "!" * (MAX_QUERY_BYTES - 40) + "true) }"
    assert on_big_stack(lambda: bool(ox.Store().query(query))) is True
    with pytest.raises(ZeroDivisionError):
        on_big_stack(lambda: 1 / 0)


@pytest.fixture(scope="module")
def listener():
    """A loopback socket that records every connection made to it, and a store in which
    every term tried before the keyword matches: Oxigraph calls a SERVICE only when the
    patterns joined with it have solutions."""
    with recording_listener() as (port, calls):
        yield from _service_store(port, calls)


def _service_store(port, calls):
    address, xsd = f"http://127.0.0.1:{port}/", "http://www.w3.org/2001/XMLSchema#"
    store = ox.Store()
    objects = [ox.NamedNode(address + local) for local in ("a", "b", "b.c", "b-c", "b:c", "b%20",
                                                           "b.")]
    objects += [ox.NamedNode("x:a"), ox.Literal("x"), ox.Literal("x", language="en"),
                ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))]
    objects += [ox.Literal(n, datatype=ox.NamedNode(xsd + kind))
                for n, kind in (("1", "integer"), ("1.5", "decimal"), ("1e5", "double"))]
    subject, kind = ox.NamedNode("urn:s"), ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for term in objects:
        store.add(ox.Quad(subject, ox.NamedNode("urn:p"), term))
        store.add(ox.Quad(subject, kind, term))
    yield port, calls, store


PIECES = [" ", "\n", "{", "}", "(", ")", "[", "]", "'", '"', "'''", '"""', "#", "<", ">",
          "'>", "<'>", "<x:#>", "<x:a>", "\\", "?a", "?e", "1", ".", ";", "true", "x:a",
          "FILTER(", "BIND(", " AS ?e)", "&&", "EXISTS", "OPTIONAL", "UNION", "@en", "^^",
          "VALUES ?v {", "x:a\\.b", "\\x", "\\u0027", "'''a'", "''''", "'x'"]
# terms a keyword may follow with no space between: Oxigraph splits some names at a dot
# (`x:b.c.SERVICE` is `x:b.c` `.` `SERVICE`), so each is tried right before the keyword
TERMS = ["x:a", "x:b.c", ":b.c", "a:b.c", "_:b.c", "1", "1.5", "1e5", "true", "?o", "<x:a>",
         "'x'", "'x'@en", "x:b-c", "x:b:c", "x:b%20", "x:b\\.", "x:b\\.c"]


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(head=st.lists(st.sampled_from(PIECES), max_size=12),
       glue=st.sampled_from(["", " ", "."] + [f" ?s ?p {t}{end}" for t in TERMS
                                              for end in ("", ".", ";", ",")]),
       tail=st.lists(st.sampled_from(PIECES), max_size=12),
       keyword=st.sampled_from(["SERVICE", "service", "SERVICE SILENT"]),
       target=st.sampled_from(["<{}>", "x:", "?e"]))
# the engine reads `<` as "less than", a plain reading as an IRI holding a quote: the rest
# of the line would be a string to the scan and code to the engine, were ' not escaped
@example(head=["FILTER(", "?a", "<'>", " ", '"', "'", ")"], tail=["FILTER(", '"', "1", '"', ")"],
         keyword="SERVICE", target="<{}>", glue="")
# the same with # in the IRI: a comment to the engine, then code the scan took for a string
@example(head=["FILTER(", "?a", "<x:#>", " ", '"""', "\n", ")"],
         tail=["FILTER(", '"""', " ", "1", " ", '"""', ")"], keyword="SERVICE", target="<{}>",
         glue="")
# Oxigraph ends a name with dots before its last dot: `:b.c.SERVICE` is `:b.c` `.` SERVICE
@example(head=[], tail=[], keyword="SERVICE", target="<{}>", glue=" ?s ?p :b.c.")
# a long string holding an escape Oxigraph does not know fails, and Oxigraph reads short
# strings there instead (three quotes are `''` and `'`): what a plain reading took for the
# rest of the long string is code
@example(head=["VALUES ?v {", "'''a'", "}", " "], tail=["VALUES ?v {", "x:a\\.b", " ", "''''", "}"],
         keyword="SERVICE", target="<{}>", glue="")
def test_no_text_the_scan_lets_through_calls_a_service(listener, head, glue, tail, keyword,
                                                       target):
    """The engine itself is the judge: whatever the quotes, IRIs and comments around a
    SERVICE, either the scan finds it or Oxigraph makes no request."""
    port, calls, store = listener
    address = f"http://127.0.0.1:{port}/"
    query = (f"PREFIX x: <{address}> PREFIX : <{address}> SELECT * {{ BIND(<{address}> AS ?e) "
             + "".join(head) + glue + f"{keyword} {target.format(address)} {{}} "
             + "".join(tail) + " }")
    found = scan(query)
    if found.federated:
        return
    before = len(calls)

    def run():
        try:
            result = store.query(found.text)
            if isinstance(result, ox.QuerySolutions):
                list(result)
        except (SyntaxError, OSError, RuntimeError, ValueError):
            pass

    on_big_stack(run)
    assert len(calls) == before, query


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'\"\\<>#{}()[]?:.ab \nu0"), max_size=60)
       | st.text(max_size=60))
def test_the_scan_reads_any_text_to_its_end(text):
    """Whatever the text, the scan ends, and its text is the query with escapes only."""
    found = scan(text)
    assert len(found.text) == len(text) + 5 * len(found.escapes)
    assert found.text.replace("\\u0027", "'").replace("\\u0023", "#") == \
        text.replace("\\u0027", "'").replace("\\u0023", "#")


@pytest.mark.parametrize("unit", ["'''\\", "'a\n", "<a", "\\", "a.", "'''a''", '"""\\"', "{"])
def test_the_scan_is_linear(unit):
    """A query of the largest size accepted, however it repeats, is read in well under a
    second (a walk from each quote would take minutes on some)."""
    text = (unit * MAX_QUERY_BYTES)[:MAX_QUERY_BYTES]
    started = time.monotonic()
    scan(text)
    assert time.monotonic() - started < 1

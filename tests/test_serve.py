"""`newskg serve`: a real Oxigraph SPARQL endpoint, queried over HTTP on loopback."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.model   # serves the seeds' graph

SELECT = ("PREFIX nkg: <https://w3id.org/newskg/ontology#> "
          "SELECT ?c WHERE { <https://w3id.org/newskg/entity/vladimir-putin> nkg:visits ?c } "
          "ORDER BY ?c")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(seed_build, tmp_path_factory):
    port = free_port()
    store = tmp_path_factory.mktemp("store")
    newskg = Path(sys.executable).parent / "newskg"
    process = subprocess.Popen([str(newskg), "serve", str(seed_build[0] / "graph.ttl"),
                                "--port", str(port), "--store", str(store), "--timeout", "5"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the endpoint did not answer within 30 s")
    yield url, process
    if process.poll() is None:
        process.kill()


def get(url, query, accept):
    request = urllib.request.Request(url + "?query=" + urllib.parse.quote(query),
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Content-Type"], response.read().decode("utf-8")


def test_select_over_get_returns_the_expected_rows(endpoint):
    url, _ = endpoint
    kind, body = get(url, SELECT, "application/sparql-results+json")
    assert kind.startswith("application/sparql-results+json")
    countries = [b["c"]["value"].rsplit("/", 1)[-1] for b in json.loads(body)["results"]["bindings"]]
    assert {"china", "kazakhstan", "kyrgyzstan"} <= set(countries)
    assert "tajikistan" not in countries     # announced in the seeds, never reported done
    assert "belarus" not in countries          # a negated visit has no direct triple


@pytest.mark.parametrize("accept,marker", [
    ("text/csv", "c\r\n"), ("text/tab-separated-values", "?c\n"),
    ("application/sparql-results+xml", "<sparql"),
])
def test_content_negotiation(endpoint, accept, marker):
    kind, body = get(endpoint[0], SELECT, accept)
    assert kind.startswith(accept) and marker in body


def test_select_over_post(endpoint):
    data = urllib.parse.urlencode({"query": SELECT}).encode()
    request = urllib.request.Request(endpoint[0], data=data, headers={
        "Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "kazakhstan" in response.read().decode()


def test_updates_are_refused(endpoint):
    url = endpoint[0].rsplit("/", 1)[0] + "/update"
    request = urllib.request.Request(url, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                     headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (403, 405)
    _, body = get(endpoint[0], "ASK { <urn:a> <urn:b> <urn:c> }", "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False


def test_the_query_page_and_the_printed_prefixes_work_with_the_endpoint(endpoint):
    """`newskg prefixes` prints what a query sent to the endpoint needs; / is the page."""
    from click.testing import CliRunner

    from newskg import cli

    url = endpoint[0]
    with urllib.request.urlopen(url[:-len("query")], timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "yasgui" in response.read().decode("utf-8").lower()
    printed = CliRunner().invoke(cli.main, ["prefixes"]).stdout
    assert "PREFIX nkg: <https://w3id.org/newskg/ontology#>" in printed
    _, body = get(url, printed + "ASK { entity:vladimir-putin nkg:visits entity:kazakhstan }",
                  "application/sparql-results+json")
    assert json.loads(body)["boolean"] is True


def test_server_prints_its_url_and_stops_cleanly(endpoint):
    url, process = endpoint
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) is not None
    output = process.stdout.read()
    assert f"SPARQL endpoint: {url}" in output
    assert f"Query page: {url[:-len('query')]}" in output and "newskg prefixes" in output


"""``kg serve``: a real SPARQL endpoint answered to SPARQLWrapper and plain HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

HEADS = "SELECT ?org WHERE { id:carla-hayden kg:heads ?org }"
LOC = "https://w3id.org/nlpi-kg/id/library-of-congress"


class Server:
    def __init__(self, process: subprocess.Popen, endpoint: str, lines: list[str]):
        self.process, self.endpoint, self.lines = process, endpoint, lines
        self.base = endpoint.rsplit("/sparql", 1)[0]


def start(out: Path, *extra: str) -> Server:
    """Start `kg serve --port 0` and read the URLs it prints."""
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(out),
                                "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("query UI:"):
            break
    endpoint = next((re.search(r"http://\S+/sparql", l).group() for l in lines
                     if l.startswith("SPARQL endpoint:")), None)
    if endpoint is None:
        process.kill()
        pytest.fail(f"kg serve printed no endpoint: {lines} {process.stderr.read()}")
    return Server(process, endpoint, lines)


def stop(server: Server, signum=signal.SIGTERM) -> subprocess.CompletedProcess:
    os.kill(server.process.pid, signum)
    stdout, stderr = server.process.communicate(timeout=15)
    return subprocess.CompletedProcess(server.process.args, server.process.returncode,
                                       stdout, stderr)


@pytest.fixture(scope="module")
def served_out(built_out, tmp_path_factory) -> Path:
    """A build folder with kg.trig and an html/ view beside it."""
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(built_out / "kg.trig", folder / "kg.trig")
    (folder / "html").mkdir()
    (folder / "html" / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>圖譜</title><p>美國國會圖書館</p>",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(served_out):
    running = start(served_out)
    yield running
    if running.process.poll() is None:
        stop(running)


def http(url: str, data: bytes | None = None, headers: dict | None = None,
         method: str | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def get(server: Server, query: str, accept: str) -> tuple[int, str, str]:
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": query})
    return http(url, headers={"Accept": accept})


# --- SPARQLWrapper, as a data librarian's script would ---------------------------------

def test_sparqlwrapper_select_json_and_xml(server):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery("PREFIX kg: <https://w3id.org/nlpi-kg/ontology#> "
                    "SELECT ?person WHERE { ?person kg:heads "
                    "<https://w3id.org/nlpi-kg/id/library-of-congress> }")
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["person"]["value"] for b in bindings] == \
        ["https://w3id.org/nlpi-kg/id/carla-hayden"]
    client.setReturnFormat(XML)
    document = client.query().convert()  # an xml.dom document
    assert "https://w3id.org/nlpi-kg/id/carla-hayden" in document.toxml()


def test_sparqlwrapper_post_construct_as_turtle(server):
    from SPARQLWrapper import POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setMethod(POST)
    client.setQuery("CONSTRUCT WHERE { id:carla-hayden kg:nominatedBy ?who }")
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
    assert [t.object.value for t in triples] == ["https://w3id.org/nlpi-kg/id/barack-obama"]


def test_sparqlwrapper_update_is_refused(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server.endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)) as caught:
        client.query()
    assert "403" in str(caught.value) or getattr(caught.value, "code", None) == 403


# --- plain HTTP: GET, POST, content negotiation ----------------------------------------

def test_get_content_negotiation_for_select(server):
    status, media, body = get(server, HEADS, "application/sparql-results+json")
    assert status == 200 and media.startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["org"]["value"] == LOC

    status, media, body = get(server, HEADS, "application/sparql-results+xml")
    assert media.startswith("application/sparql-results+xml")
    assert [s["org"].value for s in pyoxigraph.parse_query_results(
        body.encode(), format=pyoxigraph.QueryResultsFormat.XML)] == [LOC]

    status, media, body = get(server, HEADS, "text/csv")
    assert media.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["org"], [LOC]]

    status, media, body = get(server, HEADS, "text/tab-separated-values")
    assert media.startswith("text/tab-separated-values")
    assert body.splitlines() == ["?org", f"<{LOC}>"]


def test_accept_quality_values_pick_the_preferred_format(server):
    status, media, _ = get(server, HEADS, "text/csv;q=0.4, application/sparql-results+xml")
    assert media.startswith("application/sparql-results+xml")
    status, _, body = get(server, HEADS, "image/png")
    assert status == 406 and "text/csv" in body


def test_post_form_and_sparql_query_bodies(server):
    form = urllib.parse.urlencode({"query": HEADS}).encode()
    status, media, body = http(server.endpoint, form,
                               {"Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "text/csv"})
    assert status == 200 and LOC in body
    status, media, body = http(server.endpoint, HEADS.encode(),
                               {"Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["org"]["value"] == LOC


def test_construct_negotiates_turtle_ntriples_jsonld(server):
    query = "CONSTRUCT WHERE { id:carla-hayden kg:heads ?org }"
    for accept, rdf_format in (("text/turtle", pyoxigraph.RdfFormat.TURTLE),
                               ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
                               ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD)):
        status, media, body = get(server, query, accept)
        assert status == 200 and media.startswith(accept)
        triples = list(pyoxigraph.parse(body.encode(), format=rdf_format))
        assert [t.object.value for t in triples] == [LOC]


def test_updates_are_refused_with_403(server):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    for data, media in ((urllib.parse.urlencode({"update": update}).encode(),
                         "application/x-www-form-urlencoded"),
                        (update.encode(), "application/sparql-update"),
                        (update.encode(), "application/sparql-query")):
        status, _, body = http(server.endpoint, data, {"Content-Type": media})
        assert status == 403 and "read-only" in body
    status, _, _ = http(server.endpoint + "?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .",
                        {"Content-Type": "text/turtle"}, method="PUT")
    assert status == 403
    # nothing was written
    status, _, body = get(server, "ASK { <urn:a> ?p ?o }", "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False


def test_syntax_error_is_a_400_with_line_and_column(server):
    status, _, body = get(server, "SELECT ?x WHERE {\n  ?x ?y\n}", "text/csv")
    assert status == 400
    assert "line 3, column" in body and "    3 | }" in body


# --- the page and the HTML views -------------------------------------------------------

def test_query_ui_is_self_contained_with_the_library(server):
    status, media, page = http(server.base + "/")
    assert status == 200 and media.startswith("text/html")
    assert "who-leads-library-of-congress" in page and "<textarea" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no CDN, works offline"


def test_html_views_served_beside_the_endpoint(server):
    assert any(line.startswith("HTML views:") for line in server.lines)
    status, media, body = http(server.base + "/html/")
    assert status == 200 and "美國國會圖書館" in body
    status, _, _ = http(server.base + "/html/../kg.trig")
    assert status == 404


# --- lifecycle -------------------------------------------------------------------------

def test_binds_loopback_by_default(server):
    assert server.endpoint.startswith("http://127.0.0.1:")


def test_port_in_use_is_refused_clearly(served_out, server):
    port = server.endpoint.split(":")[2].split("/")[0]
    result = subprocess.run([sys.executable, "-m", "kg", "serve", "--out", str(served_out),
                             "--port", port], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_sigterm_and_sigint(served_out, signum):
    running = start(served_out)
    status, _, _ = get(running, HEADS, "text/csv")
    assert status == 200
    result = stop(running, signum)
    assert result.returncode == 0, result.stderr
    assert "stopped" in result.stderr and "Traceback" not in result.stderr


def test_missing_build_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg", "serve", "--out", str(tmp_path),
                             "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "kg build" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_ui_runs_a_library_query_offline_in_chromium(server):
    """The page works with the network blocked: pick a library query, run it, see the table."""
    from conftest import require_browser

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if require_browser():
            pytest.fail("chromium is missing (KG_REQUIRE_BROWSER=1): apt-get install chromium")
        pytest.skip("chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page()
            outside = []

            def only_loopback(route):
                if route.request.url.startswith(server.base):
                    return route.continue_()
                outside.append(route.request.url)
                return route.abort()
            page.route("**/*", only_loopback)
            page.goto(server.base + "/")
            page.select_option("#library", "who-leads-library-of-congress")
            assert "誰領導美國國會圖書館" in page.inner_text("#question")
            page.click("#run")
            page.wait_for_selector("#results table")
            table = page.inner_text("#results table")
            assert "carla-hayden" in table and "Librarian of Congress" in table
            assert "國會圖書館館長" in table
            assert outside == []
        finally:
            browser.close()

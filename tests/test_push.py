"""``kg push`` into a real Oxigraph server (the `oxigraph` PyPI package's binary)."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from kg.sparql.engine import load_store

BASE = "https://w3id.org/nlpi-kg/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def oxigraph(tmp_path):
    """A fresh Oxigraph server on a free loopback port; yields its base URL."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the `oxigraph` server binary is missing; pip install 'oxigraph>=0.4' "
                    "(it is in the test extras: pip install -e '.[test]')")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "db"),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"oxigraph did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=15)


def count(base: str, query: str) -> int:
    url = base + "/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return int(data["results"]["bindings"][0]["n"]["value"])


ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def kg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_push_twice_leaves_one_copy(oxigraph, built_out):
    expected = len(load_store(built_out))  # quads of the build, every named graph
    endpoint = oxigraph + "/store"
    first = kg("push", "--endpoint", endpoint, "--out", str(built_out))
    assert first.returncode == 0, first.stderr
    assert count(oxigraph, ALL) == expected
    second = kg("push", "--endpoint", endpoint, "--out", str(built_out), "--json")
    assert second.returncode == 0, second.stderr
    assert count(oxigraph, ALL) == expected
    graphs = {row["graph"] for row in json.loads(second.stdout)}
    assert graphs == {BASE + "graph/ala-2022-report", BASE + "graph/shared",
                      BASE + "graph/ontology", BASE + "graph/dataset"}
    # the pushed data answers the same question as the build
    assert count(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { "
                           f"<{BASE}id/carla-hayden> <{BASE}ontology#heads> "
                           f"<{BASE}id/library-of-congress> }} }}") == 1


def test_push_one_graph_by_short_name(oxigraph, built_out):
    result = kg("push", "--endpoint", oxigraph + "/store", "--graph", "shared",
                "--out", str(built_out), "--json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["graph"] == BASE + "graph/shared"
    assert count(oxigraph, ALL) == row["triples"] > 0


def test_unreachable_store_is_a_clear_error(built_out):
    result = kg("push", "--endpoint", f"http://127.0.0.1:{free_port()}/store",
                "--out", str(built_out))
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and "connection refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_host_is_a_clear_error(built_out):
    result = kg("push", "--endpoint", "http://no-such-host.invalid/store",
                "--out", str(built_out), "--graph", "shared")
    assert result.returncode == 2 and "DNS" in result.stderr
    assert "Traceback" not in result.stderr


def test_refused_request_shows_status_and_body_never_the_secret(oxigraph, built_out):
    result = kg("push", "--endpoint", oxigraph + "/not-a-store", "--out", str(built_out),
                env={"KG_PUSH_TOKEN": "s3cret-token-value"})
    assert result.returncode == 2
    assert "HTTP 404" in result.stderr
    assert "s3cret-token-value" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


class Recorder(http.server.BaseHTTPRequestHandler):
    """A stand-in store that refuses every request with 401 and records the headers it got."""

    seen: list = []

    def do_GET(self):
        Recorder.seen.append((self.path, self.headers.get("Authorization"), None))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Recorder.seen.append((self.path, self.headers.get("Authorization"),
                              self.headers.get("Content-Type")))
        body = b"authentication required\nsecond line"
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_credentials_come_from_the_environment(built_out):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/gsp"
        result = kg("push", "--endpoint", endpoint, "--graph", "shared",
                    "--out", str(built_out), "--auth", "basic",
                    env={"KG_PUSH_USER": "librarian", "KG_PUSH_PASSWORD": "pa55word"})
    finally:
        server.shutdown()
    assert result.returncode == 2
    assert "HTTP 401" in result.stderr and "authentication required" in result.stderr
    assert "second line" not in result.stderr and "KG_PUSH_USER" in result.stderr
    assert "pa55word" not in result.stderr + result.stdout
    path, auth, media = Recorder.seen[-1]
    assert path == "/gsp?graph=" + urllib.parse.quote(BASE + "graph/shared", safe="")
    assert auth == "Basic bGlicmFyaWFuOnBhNTV3b3Jk"  # librarian:pa55word
    assert media.startswith("text/turtle")


# --- credentials that cannot go into a header are refused without being shown ------------------

@pytest.mark.parametrize("variable, value", [
    ("KG_PUSH_TOKEN", "tok-SECRET-123\n"),
    ("KG_PUSH_TOKEN", "tok-SECRET-123\r"),
    ("KG_PUSH_TOKEN", "tok\r\nX-Injected: SECRET"),
    ("KG_PUSH_TOKEN", "tok-SECRET-\u4e2d\u6587"),
    ("KG_PUSH_PASSWORD", "pw-SECRET-\n"),
    ("KG_PUSH_PASSWORD", "pw-SECRET-\U0001F600"),
    ("KG_PUSH_USER", "user-SECRET\x07"),
])
def test_bad_credentials_are_refused_without_showing_them(built_out, variable, value):
    Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {"KG_PUSH_USER": "librarian", "KG_PUSH_PASSWORD": "ok", variable: value}
    try:
        result = kg("push", "--endpoint", f"http://127.0.0.1:{server.server_address[1]}/gsp",
                    "--out", str(built_out), env=env)
    finally:
        server.shutdown()
    assert result.returncode == 2
    assert variable in result.stderr and "not shown" in result.stderr
    assert "SECRET" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert Recorder.seen == []            # refused before any request


# --- all or nothing ------------------------------------------------------------------------------

class FlakyStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store in memory that fails the PUT of chosen graphs (and, if asked, restores)."""

    graphs: dict = {}
    fail_put: set = set()
    fail_restore: bool = False
    puts: list = []

    def _graph(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        return query["graph"][0]

    def _send(self, status, body=b"", media="application/n-triples"):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        graph = self._graph()
        if graph not in FlakyStore.graphs:
            return self._send(404)
        self._send(200, FlakyStore.graphs[graph])

    def do_PUT(self):
        graph = self._graph()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        FlakyStore.puts.append(graph)
        restoring = self.headers.get("Content-Type", "").startswith("application/n-triples")
        if (graph in FlakyStore.fail_put and not restoring) or \
                (restoring and FlakyStore.fail_restore):
            return self._send(500, b"disk full\n", "text/plain")
        FlakyStore.graphs[graph] = body
        self._send(204)

    def do_DELETE(self):
        graph = self._graph()
        if FlakyStore.fail_restore:
            return self._send(500, b"disk full\n", "text/plain")
        FlakyStore.graphs.pop(graph, None)
        self._send(204)

    def log_message(self, *args):
        pass


@pytest.fixture()
def flaky():
    FlakyStore.graphs = {BASE + "graph/ala-2022-report": b"<urn:old> <urn:p> <urn:o> .\n"}
    FlakyStore.fail_put, FlakyStore.fail_restore, FlakyStore.puts = set(), False, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/gsp"
    server.shutdown()
    server.server_close()


def test_a_failed_push_puts_the_store_back_as_it_was(flaky, built_out):
    before = dict(FlakyStore.graphs)
    FlakyStore.fail_put = {BASE + "graph/shared"}     # the last graph pushed (sorted order)
    result = kg("push", "--endpoint", flaky, "--out", str(built_out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "HTTP 500" in result.stderr and "disk full" in result.stderr
    assert f"stopped at <{BASE}graph/shared>" in result.stderr
    assert "store is unchanged" in result.stderr
    # the graphs replaced before the failure were put back: the report graph as it was,
    # the dataset description and ontology graphs (absent before) deleted again
    assert FlakyStore.graphs == before
    assert FlakyStore.puts[:4] == [BASE + "graph/ala-2022-report", BASE + "graph/dataset",
                                   BASE + "graph/ontology", BASE + "graph/shared"]


def test_a_failed_restore_reports_the_partial_state_precisely(flaky, built_out):
    FlakyStore.fail_put = {BASE + "graph/ontology"}
    FlakyStore.fail_restore = True
    result = kg("push", "--endpoint", flaky, "--out", str(built_out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "PARTIAL" in result.stderr
    assert f"NOT restored (holds new or partial data): <{BASE}graph/ala-2022-report>" \
        in result.stderr
    assert "run the same kg push again" in result.stderr
    assert FlakyStore.graphs[BASE + "graph/ala-2022-report"] != b"<urn:old> <urn:p> <urn:o> .\n"


def test_prune_removes_graphs_no_longer_built_and_nothing_else(oxigraph, built_out):
    stale, foreign = BASE + "graph/ala-2019-report", "urn:someone-else"
    for graph in (stale, foreign):
        request = urllib.request.Request(
            oxigraph + "/store?graph=" + urllib.parse.quote(graph, safe=""),
            data=b"<urn:s> <urn:p> <urn:o> .", method="PUT",
            headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=30).close()
    result = kg("push", "--endpoint", oxigraph + "/store", "--out", str(built_out), "--prune",
                "--query-endpoint", oxigraph + "/query", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["graph"] for r in rows if r["action"] == "pruned"] == [stale]
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(oxigraph, graphs) == 5          # four built graphs + the foreign one
    assert count(oxigraph, ALL) == len(load_store(built_out)) + 1


def test_prune_needs_a_query_endpoint(built_out):
    result = kg("push", "--endpoint", "http://127.0.0.1:9/store", "--out", str(built_out),
                "--prune")
    assert result.returncode == 2 and "--query-endpoint" in result.stderr

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
                      BASE + "graph/ontology"}
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
    """A stand-in store that refuses every PUT with 401 and records the headers it got."""

    seen: list = []

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
                    "--out", str(built_out),
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

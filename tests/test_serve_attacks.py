"""``kg serve`` against hostile input: every case on the real server process over real sockets.

Each test asserts what a user (or an attacker) sees: the status, the message, and that the
server goes on answering; its stderr never shows a traceback.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph
import pytest

from test_serve import HEADS, LOC, Server, get, served_out, start, stop  # noqa: F401
from test_serve import http as fetch

BASE = "https://w3id.org/nlpi-kg/"
SHARED, ONTOLOGY = BASE + "graph/shared", BASE + "graph/ontology"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def hostile(served_out):
    """One server for the cases that do not need special options."""
    running = start(served_out, "--timeout", "3", "--socket-timeout", "2")
    yield running
    result = stop(running)
    assert "Traceback" not in result.stderr, result.stderr


def host_port(server: Server) -> tuple[str, int]:
    netloc = urllib.parse.urlsplit(server.endpoint).netloc
    host, port = netloc.rsplit(":", 1)
    return host, int(port)


def still_serving(server: Server) -> None:
    """The server answers a normal query (after at most a few 429s while a worker restarts)."""
    for _ in range(50):
        status, _, body = get(server, HEADS, "text/csv")
        if status != 429:
            break
        time.sleep(0.2)
    assert status == 200 and LOC in body


def raw(server: Server, data: bytes, wait: float = 10.0) -> bytes:
    """Send raw bytes on a new connection; everything the server answers until it closes."""
    with socket.create_connection(host_port(server), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
    return b"".join(chunks)


def post(server: Server, query: str, accept: str = "text/csv", params: dict | None = None):
    url = server.endpoint + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    return fetch(url, query.encode(), {"Content-Type": "application/sparql-query",
                                      "Accept": accept})


def count(body: str) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (any of its threads may have started them)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


# --- deep and huge queries ---------------------------------------------------------------

def test_5000_nested_parentheses_are_a_400_and_the_server_goes_on(hostile):
    deep = "ASK{FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ")}"
    status, _, body = get(hostile, deep, "application/sparql-results+json")
    assert status == 400
    assert "nests brackets 5002 deep" in body and "at most 100" in body
    still_serving(hostile)


def test_160_kb_or_chain_is_a_400_and_the_server_goes_on(hostile):
    chain = "ASK{FILTER(" + " || ".join(["true"] * 20000) + ")}"
    assert len(chain) > 160_000
    status, _, body = post(hostile, chain)
    assert status == 413 or status == 400
    assert "bytes" in body and "at most" in body
    still_serving(hostile)


def test_long_chain_under_the_size_limit_is_refused_by_token_count(hostile):
    chain = "ASK{FILTER(" + "||".join(["1"] * 30000) + ")}"   # 90 KB, 60,000 tokens
    status, _, body = post(hostile, chain)
    assert status == 400 and "tokens" in body
    still_serving(hostile)


def test_brackets_inside_strings_iris_and_comments_do_not_count(hostile):
    text = ('SELECT ?org WHERE { id:carla-hayden kg:heads ?org '
            'FILTER(?org != <urn:x((((((> && "' + "(" * 300 + '" != "{") } # ' + "{" * 300)
    status, _, body = post(hostile, text)
    assert status == 200 and LOC in body


def test_kg_query_refuses_deep_and_huge_queries_with_exit_2(built_out):
    for query, words in (("ASK{FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ")}",
                          "nests brackets"),
                         ("ASK{FILTER(" + " || ".join(["true"] * 20000) + ")}", "bytes"),
                         ("ASK" + "{" * 3000 + "}" * 3000, "nests brackets")):
        result = subprocess.run([sys.executable, "-m", "kg", "query", "--file", "-",
                                 "--out", str(built_out)], input=query, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 2, (result.returncode, result.stderr[-300:])
        assert words in result.stderr and "Traceback" not in result.stderr


# --- SERVICE ------------------------------------------------------------------------------

class FakeSparql(http.server.BaseHTTPRequestHandler):
    """A remote SPARQL service that records each request and answers one binding."""

    seen: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        FakeSparql.seen.append((self.command, self.path, self.rfile.read(length)))
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "from-the-remote-service"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture()
def remote():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSparql)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeSparql.seen = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_sends_nothing(hostile, remote):
    target = f"http://127.0.0.1:{remote}/sparql"
    for text in (f"SELECT ?x WHERE {{ SERVICE <{target}> {{ ?x ?p ?o }} }}",
                 f"SELECT ?x WHERE {{ service silent <{target}> {{ ?x ?p ?o }} }}",
                 f"PREFIX r: <http://127.0.0.1:{remote}/> SELECT ?x WHERE {{ SERVICE r:sparql "
                 "{ ?x ?p ?o } }",
                 "SELECT ?x WHERE { SERVICE <http://127.0.0.1\\u003A" + str(remote) +
                 "/sparql> { ?x ?p ?o } }",
                 "SELECT ?x WHERE { VALUES ?s { <" + target + "> } SERVICE ?s { ?x ?p ?o } }"):
        status, _, body = post(hostile, text)
        assert status == 400, (text, body)
        assert "SERVICE" in body and "--allow-service" in body
    assert FakeSparql.seen == []


def test_allow_service_names_the_hosts_that_may_be_called(served_out, remote):
    running = start(served_out, "--allow-service", f"127.0.0.1:{remote}")
    try:
        target = f"http://127.0.0.1:{remote}/sparql"
        status, _, body = post(running, f"SELECT ?x WHERE {{ SERVICE <{target}> {{ ?x ?p ?o }} }}")
        assert status == 200 and "from-the-remote-service" in body
        assert len(FakeSparql.seen) == 1
        status, _, body = post(running, "SELECT ?x WHERE { SERVICE <http://127.0.0.2:"
                                        f"{remote}/sparql> {{ ?x ?p ?o }} }}")
        assert status == 400 and f"127.0.0.1:{remote}" in body
        assert len(FakeSparql.seen) == 1
    finally:
        stop(running)


# --- CORS and --host ---------------------------------------------------------------------

def headers_of(url: str, method: str = "GET", headers: dict | None = None):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(method, parts.path + ("?" + parts.query if parts.query else ""),
                       headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def test_cors_is_off_by_default(hostile):
    url = hostile.endpoint + "?" + urllib.parse.urlencode({"query": HEADS})
    status, headers = headers_of(url, headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    status, headers = headers_of(hostile.endpoint, "OPTIONS",
                                 {"Origin": "https://evil.example",
                                  "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in headers


def test_cors_flag_opens_sparql_but_never_the_files(served_out):
    running = start(served_out, "--cors")
    try:
        url = running.endpoint + "?" + urllib.parse.urlencode({"query": HEADS})
        status, headers = headers_of(url, headers={"Origin": "https://x.example"})
        assert status == 200 and headers["access-control-allow-origin"] == "*"
        status, headers = headers_of(running.endpoint, "OPTIONS",
                                     {"Origin": "https://x.example",
                                      "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in headers["access-control-allow-methods"]
        for path in ("/html/", "/html/index.html", "/"):
            status, headers = headers_of(running.base + path, headers={"Origin": "https://x"})
            assert status == 200 and "access-control-allow-origin" not in headers, path
    finally:
        stop(running)


def test_non_loopback_host_prints_a_warning(served_out):
    running = start(served_out, "--host", "0.0.0.0")
    result = stop(running)
    assert "warning: listening on 0.0.0.0" in result.stderr
    quiet = stop(start(served_out))
    assert "warning" not in quiet.stderr


# --- runaway queries, caps -----------------------------------------------------------------

def test_a_runaway_query_is_stopped_and_its_worker_released(served_out):
    running = start(served_out, "--timeout", "2", "--workers", "1")
    try:
        before = children(running.process.pid)
        assert len(before) == 1
        started = time.monotonic()
        status, _, body = post(running, RUNAWAY)
        answered = time.monotonic()
        assert status == 503 and "longer than 2 s" in body and "stopped" in body
        assert answered - started < 20
        # the worker that ran it is gone (killed and reaped: its CPU and memory are free)
        (old,) = before
        assert not Path(f"/proc/{old}").exists()
        still_serving(running)   # a fresh worker answers
        assert children(running.process.pid) - before
    finally:
        result = stop(running)
    assert "Traceback" not in result.stderr


def test_all_workers_busy_and_no_queue_is_a_429(served_out):
    running = start(served_out, "--timeout", "4", "--workers", "1", "--queue", "0")
    try:
        slow = threading.Thread(target=post, args=(running, RUNAWAY))
        slow.start()
        time.sleep(1.0)
        status, headers = headers_of(running.endpoint + "?" + urllib.parse.urlencode(
            {"query": HEADS}))
        assert status == 429 and headers["retry-after"] == "1"
        slow.join()
        still_serving(running)
    finally:
        stop(running)


def test_result_size_cap_is_a_413(served_out):
    running = start(served_out, "--max-result-mb", "0.01")
    try:
        status, _, body = post(running, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 413 and "larger than 10,000 bytes" in body and "LIMIT" in body
        still_serving(running)
    finally:
        stop(running)


def test_a_worker_killed_from_outside_is_replaced(served_out):
    running = start(served_out, "--workers", "1")
    try:
        (worker,) = children(running.process.pid)
        os.kill(worker, signal.SIGKILL)
        time.sleep(0.3)
        still_serving(running)
    finally:
        stop(running)


# --- the dataset: FROM, FROM NAMED, default-graph-uri, named-graph-uri --------------------

@pytest.fixture(scope="module")
def graph_sizes(built_out) -> dict:
    from kg.sparql.engine import load_store

    store = load_store(built_out)
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))
            for g in store.named_graphs()}


ALL_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = "application/sparql-results+json"


def test_from_and_protocol_dataset_are_honoured(hostile, graph_sizes):
    shared, ontology = graph_sizes[SHARED], graph_sizes[ONTOLOGY]
    assert shared != ontology
    everything = count(post(hostile, ALL_TRIPLES, JSON)[2])
    assert everything > shared + ontology      # no dataset: every graph is the default
    query = f"SELECT (COUNT(*) AS ?n) FROM <{SHARED}> WHERE {{ ?s ?p ?o }}"
    assert count(post(hostile, query, JSON)[2]) == shared
    # the protocol's default-graph-uri wins over the query's FROM
    assert count(post(hostile, query, JSON, {"default-graph-uri": ONTOLOGY})[2]) == ontology
    both = {"default-graph-uri": [ONTOLOGY, SHARED]}
    assert count(post(hostile, ALL_TRIPLES, JSON, both)[2]) == shared + ontology
    # GET with the parameter as well
    url = hostile.endpoint + "?" + urllib.parse.urlencode(
        {"query": ALL_TRIPLES, "default-graph-uri": SHARED})
    assert count(fetch(url, headers={"Accept": JSON})[2]) == shared


def test_from_named_and_named_graph_uri_choose_the_graphs(hostile):
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"

    def names(body):
        return [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert len(names(post(hostile, graphs, JSON)[2])) >= 3
    named = graphs.replace("WHERE", f"FROM NAMED <{SHARED}> WHERE")
    assert names(post(hostile, named, JSON)[2]) == [SHARED]
    assert names(post(hostile, named, JSON, {"named-graph-uri": ONTOLOGY})[2]) == [ONTOLOGY]
    form = urllib.parse.urlencode({"query": graphs, "named-graph-uri": SHARED}).encode()
    status, _, body = fetch(hostile.endpoint, form,
                           {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    assert status == 200 and names(body) == [SHARED]


def test_bad_dataset_iri_is_a_400(hostile):
    status, _, body = post(hostile, ALL_TRIPLES, JSON, {"default-graph-uri": "not an iri"})
    assert status == 400 and "default-graph-uri" in body and "absolute IRI" in body


def test_kg_query_honours_from(built_out, graph_sizes):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{SHARED}> WHERE {{ ?s ?p ?o }}"
    result = subprocess.run([sys.executable, "-m", "kg", "query", query, "--format", "json",
                             "--out", str(built_out)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert count(result.stdout) == graph_sizes[SHARED]


# --- static files ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def files_server(served_out, tmp_path_factory):
    """html/ with a sub-folder without index.html, a symlink out of html/, a folder beside it."""
    html = served_out / "html"
    (html / "views").mkdir(exist_ok=True)
    (html / "views" / "a.html").write_text("<p>a</p>", encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("SECRET-CONTENT-17", encoding="utf-8")
    link = html / "escape"
    if not link.exists():
        link.symlink_to(outside, target_is_directory=True)
    (served_out / "private").mkdir(exist_ok=True)
    (served_out / "private" / "notes.txt").write_text("PRIVATE-CONTENT-42", encoding="utf-8")
    running = start(served_out)
    yield running
    result = stop(running)
    assert "Traceback" not in result.stderr, result.stderr


def raw_get(server: Server, path: str) -> tuple[int, bytes]:
    answer = raw(server, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_static_files_only_from_out_html(files_server):
    status, body = raw_get(files_server, "/html/views/")
    assert status == 200 and b'href="/html/views/a.html"' in body   # a listing inside html/
    assert raw_get(files_server, "/html/views")[0] == 301
    missing = raw_get(files_server, "/html/no-such-folder/")
    assert missing == (404, b"not found: /html/no-such-folder/\n")
    for path in ("/html/..%2fprivate%2f", "/html/..%2f..%2f..%2f..%2f..%2f..%2fetc%2f",
                 "/html/..%2fprivate%2fnotes.txt", "/html/../kg.trig",
                 "/html/%2e%2e/kg.trig", "/html/escape/secret.txt", "/html/escape/"):
        status, body = raw_get(files_server, path)
        assert status == 404, path
        assert b"CONTENT" not in body
        assert body.startswith(b"not found: /html/")   # as for a missing file: no oracle


def test_nul_and_odd_bytes_in_a_path_are_refused_cleanly(files_server):
    assert raw_get(files_server, "/html/a%00b")[0] == 400
    assert raw_get(files_server, "/html/%ff%fe")[0] == 404
    assert raw_get(files_server, "/%00")[0] == 404
    assert raw_get(files_server, "/html/" + "a" * 5000)[0] == 404
    still_serving(files_server)


# --- HTTP framing and sockets ----------------------------------------------------------------

def test_chunked_body_is_read_as_a_body(hostile):
    body = HEADS.encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 10]), body[i:i + 10])
                      for i in range(0, len(body), 10)) + b"0\r\n\r\n"
    answer = raw(hostile, b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n"
                          b"Content-Type: application/sparql-query\r\n"
                          b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
    assert answer.startswith(b"HTTP/1.1 200") and LOC.encode() in answer
    assert answer.count(b"HTTP/1.1") == 1     # not parsed as a second request


@pytest.mark.parametrize("length", [b"abc", b"-5", b"5, 7", b"99999999999999999999999"])
def test_bad_content_length_is_a_400(hostile, length):
    answer = raw(hostile, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: " + length +
                 b"\r\nContent-Type: application/sparql-query\r\n\r\nASK {}")
    assert answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.1 413"), answer
    still_serving(hostile)


def test_short_body_times_out_with_408_and_blocks_nobody(hostile):
    with socket.create_connection(host_port(hostile), timeout=15) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                     b"Content-Type: application/sparql-query\r\n\r\nASK {")
        still_serving(hostile)            # others are answered meanwhile
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection after the 408
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408") and b"did not arrive within 2 s" in answer


def test_silent_and_slow_connections_are_closed(hostile):
    for data in (b"", b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost"):
        with socket.create_connection(host_port(hostile), timeout=15) as sock:
            if data:
                sock.sendall(data)
            started = time.monotonic()
            assert sock.recv(100) == b""       # closed by the server, not by our timeout
            assert time.monotonic() - started < 14


def test_listen_backlog_is_at_least_128(hostile):
    _, port = host_port(hostile)
    lines = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                           text=True).stdout.split("\n")
    listening = [line.split() for line in lines if line.strip()]
    assert listening and int(listening[0][2]) >= 128, lines


def test_keep_alive_connection_answers_many_requests(hostile):
    host, port = host_port(hostile)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    for _ in range(20):
        connection.request("POST", "/sparql", body=HEADS.encode(),
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": "text/csv"})
        response = connection.getresponse()
        assert response.status == 200 and LOC.encode() in response.read()
    connection.close()


def test_unknown_route_and_method_are_messages(hostile):
    status, _, body = fetch(hostile.base + "/nothing-here")
    assert status == 404 and "/sparql" in body
    status, _, body = fetch(hostile.base + "/", b"x", {"Content-Type": "text/plain"})
    assert status == 405 and "/sparql" in body
    status, _, body = fetch(hostile.endpoint, b"\xff\xfe", {"Content-Type":
                                                           "application/sparql-query"})
    assert status == 400 and "UTF-8" in body


def test_pyoxigraph_reads_every_graph_answer(hostile):
    status, media, body = get(hostile, f"CONSTRUCT {{ ?s ?p ?o }} FROM <{ONTOLOGY}> WHERE "
                                       "{ ?s ?p ?o } LIMIT 50", "application/n-triples")
    assert status == 200 and media.startswith("application/n-triples")
    assert len(list(pyoxigraph.parse(body.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES))) \
        == 50

"""The review page in real headless Chromium against a real `kg review` server process.

A curator reviews the draft of a test-written report with the keyboard (and the edit and
merge panels); the YAML, the built graph and a reload show exactly those decisions. A page on
another origin (a second local server) and a client with a foreign Host header try to read
and write: the YAML stays byte-identical. The network is blocked by route interception.
"""

from __future__ import annotations

import http.server
import functools
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ARGS, CHROMIUM, browser, require_browser  # noqa: F401 (fixture)
from review_fixture import COMMENT, DOC, TEXT, make_review_data

KG = [sys.executable, "-m", "kg"]


class Server:
    """`kg review` in its own process; the URL read from its first line of output."""

    def __init__(self, data: Path, source: Path):
        self.process = subprocess.Popen(
            KG + ["review", DOC, "--data", str(data), "--source", str(source),
                  "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "review page:" not in line:
            self.process.kill()
            pytest.fail(f"kg review did not start: {line}{self.process.stderr.read()}")
        self.url = line.split()[2]
        self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture()
def review(tmp_path):
    data, source = make_review_data(tmp_path)
    server = Server(data, source)
    yield server, data, source
    server.stop()


def open_page(browser, url: str, allowed: tuple[str, ...]):
    """A page where only ``allowed`` origins load; every request is recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests, errors = [], []

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return context, page, requests, errors


def snapshot(data: Path) -> dict:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*"))
            if p.is_file()}


def progress(page) -> str:
    return page.text_content("#progress")


def focused(page) -> str:
    return page.get_attribute("#list li.focus", "data-id")


def press(page, key: str, expect_progress: str | None = None):
    page.keyboard.press(key)
    if expect_progress:
        from playwright.sync_api import expect

        expect(page.locator("#progress")).to_have_text(expect_progress, timeout=20000)


def test_a_curator_reviews_the_draft_with_the_keyboard(browser, review, tmp_path):
    server, data, source = review
    origin = server.url.rstrip("/")
    context, page, requests, errors = open_page(browser, server.url, (origin + "/",))
    try:
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        assert progress(page) == "0 of 10 reviewed"
        # every proposal is highlighted in the text; the list is grouped and ordered by score
        marked = set(page.eval_on_selector_all("#text mark", "ms => ms.map(m => m.dataset.id)"))
        listed = page.eval_on_selector_all("#list li", "ls => ls.map(l => l.dataset.id)")
        assert marked == set(listed) and len(listed) == 10
        assert listed[:3] == ["e-c000000001", "e-b000000002", "e-a000000003"]
        assert listed[-3:] == ["r-b000000008", "r-d000000009", "f-a000000010"]
        # the focused proposal's evidence sentence is highlighted around its span
        assert focused(page) == "e-c000000001"
        shown = "".join(page.eval_on_selector_all("#text .evidence",
                                                  "es => es.map(e => e.textContent)"))
        assert shown == "本文記述二〇二四年湖濱圖書館年會的參訪經過與心得。"
        assert page.text_content("#text mark.focus") == "湖濱圖書館年會"

        press(page, "a", "1 of 10 reviewed")           # conference
        press(page, "a", "2 of 10 reviewed")           # the library
        assert focused(page) == "e-a000000003"
        press(page, "a", "3 of 10 reviewed")           # 王大明
        assert focused(page) == "e-a000000007"
        press(page, "j")                               # skip 李小華
        assert focused(page) == "e-d000000004"
        press(page, "e")
        page.select_option("#edit-form select[name=type]", "University")
        page.fill("#edit-form input[name='label.en']", "North Shore University")
        press(page, "Enter", "4 of 10 reviewed")
        assert focused(page) == "e-e000000005"
        press(page, "m")
        page.wait_for_selector("#merge-form .results li.focus[data-id='library-of-congress']")
        page.fill("#merge-form input[name=q]", "国会图书馆")   # Simplified finds it too
        page.wait_for_selector("#merge-form .results li.focus[data-id='library-of-congress']")
        press(page, "Enter", "5 of 10 reviewed")
        assert focused(page) == "e-f000000006"
        press(page, "r", "6 of 10 reviewed")
        press(page, "u", "5 of 10 reviewed")           # undo the rejection
        assert focused(page) == "e-f000000006"
        assert "pending" in page.text_content("#p-e-f000000006 .status")
        press(page, "r", "6 of 10 reviewed")
        assert focused(page) == "r-b000000008"
        press(page, "a", "7 of 10 reviewed")
        press(page, "ArrowDown")                       # skip the other relation
        assert focused(page) == "f-a000000010"
        press(page, "k")
        assert focused(page) == "r-d000000009"
        press(page, "j")
        before_invalid = snapshot(data)
        press(page, "e")
        page.fill("#edit-form input[name=value]", "3,600")
        press(page, "Enter")
        page.wait_for_selector("#message.error")
        message = page.text_content("#message")
        assert "is not an xsd:integer (write digits only, no thousands separators)" in message
        assert "facts.yaml" in message
        assert snapshot(data) == before_invalid        # refused: nothing changed on disk
        press(page, "Escape")
        press(page, "a", "8 of 10 reviewed")

        # the YAML holds exactly those decisions, comments intact
        folder = data / "reports" / DOC
        entities = (folder / "entities.yaml").read_text(encoding="utf-8")
        assert entities.startswith(COMMENT) and "# none yet" in entities
        from kg.build.loader import load_catalog

        catalog, problems = load_catalog(data)
        assert not [p for p in problems if p.is_error]
        mine = sorted(e.id for e in catalog.entities.values() if e.doc == DOC)
        assert mine == ["lakeside-conference-2024", "lakeside-public-library",
                        "north-shore-university", "wang-daming"]
        assert catalog.entities["north-shore-university"].type == "University"
        assert catalog.entities["north-shore-university"].labels["en"] == \
            "North Shore University"
        assert catalog.entities["library-of-congress"].alt["en"] == ["LC"]
        relations = [(r.subject, r.predicate, r.object, r.section, r.role)
                     for r in catalog.relations if r.doc == DOC]
        assert relations == [("wang-daming", "kg:heads", "lakeside-public-library", "壹",
                              {"zh-Hant": "館長"})]
        facts = [(f.about, f.property, f.value, f.unit) for f in catalog.facts if f.doc == DOC]
        assert facts == [("lakeside-conference-2024", "kg:inPersonAttendees", "3600",
                          "person")]

        # a reload shows the decisions
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        assert progress(page) == "8 of 10 reviewed"
        status = dict(page.eval_on_selector_all(
            "#list li", "ls => ls.map(l => [l.dataset.id, l.className.split(' ')[0]])"))
        assert status == {"e-c000000001": "accept", "e-b000000002": "accept",
                          "e-a000000003": "accept", "e-a000000007": "pending",
                          "e-d000000004": "edit", "e-e000000005": "merge",
                          "e-f000000006": "reject", "r-b000000008": "accept",
                          "r-d000000009": "pending", "f-a000000010": "accept"}
        assert "merged into library-of-congress" in page.text_content("#p-e-e000000005")
        assert focused(page) == "e-a000000007"        # the first one still pending
        assert errors == []
        assert all(u.startswith(origin + "/") for u in requests), requests
    finally:
        context.close()

    # kg build puts them in the report's graph, with their evidence sentences
    out = tmp_path / "out"
    built = subprocess.run(KG + ["build", "--data", str(data), "--out", str(out), "--source",
                                 str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(out / "kg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    rows = list(store.query(f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start WHERE {{ GRAPH <https://w3id.org/nlpi-kg/graph/{DOC}> {{
          ?st rdf:subject <https://w3id.org/nlpi-kg/id/wang-daming> ;
              rdf:object <https://w3id.org/nlpi-kg/id/lakeside-public-library> ;
              ?ev_p ?ev . ?ev oa:hasSelector ?q, ?pos . ?q oa:exact ?exact .
          ?pos oa:start ?start }} }}"""))
    assert rows, "the accepted relation has no evidence sentence in the built graph"
    exact = rows[0]["exact"].value
    assert "館長王大明" in exact and exact in TEXT
    assert TEXT.index(exact) == int(rows[0]["start"].value)


ATTACK = """<!DOCTYPE html><html><body><iframe name="sink"></iframe><script>
window.results = {};
const target = "%(target)s", secret = "%(secret)s";
const body = JSON.stringify({proposal: "e-c000000001", decision: "accept"});
async function attempt(name, run) {
  try { const r = await run(); results[name] = "status " + r.status + " " +
        (r.type === "opaque" ? "opaque" : await r.text()); }
  catch (e) { results[name] = "blocked: " + e.name; }
}
(async () => {
  await attempt("read", () => fetch(target + "api/state"));
  await attempt("read-secret", () => fetch(target + "api/state", {headers: {"X-KG-Secret": secret}}));
  await attempt("json", () => fetch(target + "api/decide", {method: "POST", body,
                headers: {"Content-Type": "application/json"}}));
  await attempt("json-secret", () => fetch(target + "api/decide", {method: "POST", body,
                headers: {"Content-Type": "application/json", "X-KG-Secret": secret}}));
  await attempt("simple", () => fetch(target + "api/decide", {method: "POST", body,
                mode: "no-cors", headers: {"Content-Type": "text/plain"}}));
  const form = document.createElement("form");
  form.method = "POST"; form.action = target + "api/decide"; form.target = "sink";
  form.enctype = "text/plain";
  const input = document.createElement("input");
  input.name = body.slice(0, -1) + ',"x":"'; input.value = '"}';
  form.append(input); document.body.append(form);
  document.querySelector("iframe").addEventListener("load", () => { results.form = "sent"; });
  form.submit();
})();
</script></body></html>"""


def test_another_origin_and_a_foreign_host_can_neither_read_nor_write(browser, review,
                                                                     tmp_path):
    server, data, _ = review
    before = snapshot(data)
    secret = urllib.request.urlopen(server.url).read().decode().split(
        'name="kg-secret" content="')[1].split('"')[0]
    site = tmp_path / "attacker"
    site.mkdir()
    (site / "index.html").write_text(ATTACK % {"target": server.url, "secret": secret},
                                     encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    other_url = f"http://127.0.0.1:{other.server_address[1]}/"
    context, page, requests, errors = open_page(browser, other_url,
                                                (other_url, server.url))
    try:
        page.wait_for_function("() => window.results && Object.keys(results).length === 6",
                               timeout=20000)
        results = page.evaluate("results")
    finally:
        context.close()
        other.shutdown()
        other.server_close()
    assert results["read"].startswith("blocked") and results["read-secret"].startswith("blocked")
    assert results["json"].startswith("blocked") and \
        results["json-secret"].startswith("blocked")
    # sent without a preflight: the server refuses it (foreign Origin, no secret), and the
    # browser does not even hand the opaque answer over (Cross-Origin-Resource-Policy)
    assert results["simple"] in ("status 0 opaque", "blocked: TypeError")
    assert results["form"] == "sent"                 # the form POST went out, and was refused

    def call(path, host, *, data=None, origin=None, with_secret=True):
        request = urllib.request.Request(server.url + path, data=data, method="POST" if data
                                         else "GET")
        request.add_header("Host", host)
        if with_secret:
            request.add_header("X-KG-Secret", secret)
        if origin:
            request.add_header("Origin", origin)
        if data:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers)

    body = json.dumps({"proposal": "e-c000000001", "decision": "accept"}).encode()
    own = f"http://127.0.0.1:{server.port}"
    rebinding = f"attacker.example:{server.port}"
    assert call("api/state", rebinding)[0] == 421
    assert call("api/decide", rebinding, data=body, origin=f"http://{rebinding}")[0] == 421
    assert call("api/decide", f"127.0.0.1:{server.port}", data=body,
                origin="http://attacker.example")[0] == 403
    assert call("api/decide", f"127.0.0.1:{server.port}", data=body, origin=own,
                with_secret=False)[0] == 403
    assert call("api/state", f"127.0.0.1:{server.port}", with_secret=False)[0] == 403
    status, headers = call("api/state", f"127.0.0.1:{server.port}")
    assert status == 200       # the page's own read works, and no response allows CORS
    assert not any(h.lower().startswith("access-control-") for h in headers)
    assert snapshot(data) == before                    # byte-identical, no decisions.yaml

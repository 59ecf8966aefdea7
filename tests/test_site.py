"""``kg site``: the static site opened offline in headless Chromium. A crawler follows every
internal link from the index and finds none broken; no request leaves the machine; pages
carry schema.org JSON-LD; labels are escaped; the same build gives the same bytes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest

from test_viz_browser import ARGS, CHROMIUM, PAYLOADS, browser  # noqa: F401 (fixture)

BASE = "https://w3id.org/nlpi-kg/"


@pytest.fixture(scope="module")
def site(built_out, tmp_path_factory) -> Path:
    from kg.site.static import write_site

    folder = tmp_path_factory.mktemp("site") / "site"
    write_site(built_out, folder)
    return folder


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_layout_and_formats_parse(site):
    assert (site / "index.html").is_file() and (site / ".well-known" / "void").is_file()
    assert (site / "id" / "carla-hayden.html").is_file()
    for suffix, fmt in ((".ttl", ox.RdfFormat.TURTLE), (".nt", ox.RdfFormat.N_TRIPLES),
                        (".jsonld", ox.RdfFormat.JSON_LD)):
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in
                   ox.parse(path=str(site / "id" / f"carla-hayden{suffix}"), format=fmt)}
        assert ox.Triple(ox.NamedNode(BASE + "id/carla-hayden"),
                         ox.NamedNode(BASE + "ontology#heads"),
                         ox.NamedNode(BASE + "id/library-of-congress")) in triples
    for name in ("kg.nt", "kg.ttl", "kg.trig", "kg.jsonld"):
        assert (site / "dumps" / name).is_file()
    void = list(ox.parse(path=str(site / "void.ttl"), format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://rdfs.org/ns/void#triples" for t in void)
    examples = list(ox.parse(path=str(site / "sparql-examples.ttl"), format=ox.RdfFormat.TURTLE))
    assert ox.NamedNode(BASE + "query/mentions-of-entity") in {t.subject for t in examples}
    statements = sorted((site / "doc").glob("*/statement/*.html"))
    assert len(statements) >= 300
    assert list(site.rglob("*.html")) and not list(site.parent.glob(".site.*"))


def test_crawler_finds_no_broken_link_and_no_request_leaves(site, browser):
    left: list[str] = []
    context = browser.new_context()

    def route(r):
        url = r.request.url
        if url.startswith(("file://", "data:", "about:")):
            r.continue_()
        else:
            left.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = (site / "index.html").as_uri()
    queue, seen, broken, checked_files = deque([start]), {start}, [], set()
    pages = without_jsonld = 0
    root = str(site.resolve())
    while queue:
        url = queue.popleft()
        page.goto(url)
        pages += 1
        path = unquote(urlsplit(url).path)
        if "/views/" not in path:
            found = page.eval_on_selector_all(
                'script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
            for text in found:
                json.loads(text)
            without_jsonld += not found and "/queries/" not in path
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => new URL("
                                          "e.getAttribute('href'), document.baseURI).href)")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme != "file":
                assert parts.scheme in ("", "http", "https"), href
                if parts.scheme:
                    broken.append(f"{url} links outside the site: {href}")
                continue
            target = Path(unquote(parts.path))
            if not str(target.resolve()).startswith(root):
                broken.append(f"{url} leaves the site folder: {href}")
                continue
            if not target.is_file():
                broken.append(f"{url} -> {href}")
                continue
            clean = target.as_uri()
            if target.suffix == ".html" and clean not in seen:
                seen.add(clean)
                queue.append(clean)
            checked_files.add(target)
    context.close()
    assert broken == []
    assert left == [], "requests left the machine"
    assert errors == []
    assert pages >= 700 and without_jsonld == 0
    assert site / "id" / "carla-hayden.ttl" in checked_files


def test_entity_page_in_chromium_shows_relations_with_section_and_evidence(site, browser, built_out):
    from kg.sparql.engine import load_store

    store = load_store(built_out)
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    (row,) = list(store.query(f"""SELECT ?exact WHERE {{ ?st <{rdf}subject> <{BASE}id/carla-hayden> ;
        <{rdf}predicate> <{BASE}ontology#heads> ; <{BASE}ontology#evidence>/
        <http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact }}""",
                              use_default_graph_as_union=True))
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                  else r.abort())
    page = context.new_page()
    page.goto((site / "id" / "carla-hayden.html").as_uri())
    text = page.inner_text("main")
    assert "Carla Hayden" in text and "卡拉·海登" in text
    assert " ".join(row["exact"].value.split()) in " ".join(text.split())
    assert "貳.一.(二)" in text
    page.click("text=Library of Congress / 美國國會圖書館 >> nth=0")
    assert page.url.endswith("/id/library-of-congress.html")
    context.close()


def test_hostile_labels_are_shown_as_text_and_run_nothing(browser, tmp_path):
    from kg.site.publish import Publisher

    store = ox.Store()
    node = ox.NamedNode(BASE + "id/x")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for payload in PAYLOADS:
        store.add(ox.Quad(node, label, ox.Literal(payload, language="en")))
        store.add(ox.Quad(node, ox.NamedNode("https://schema.org/description"),
                          ox.Literal(payload, language="en")))
    publisher = Publisher(store)
    page_file = tmp_path / "x.html"
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(node, None, None, None)]
    page_file.write_text(publisher.page(node.value, triples), encoding="utf-8")
    context = browser.new_context()
    dialogs = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page_file.as_uri())
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    text = page.inner_text("main")
    assert any(payload in text for payload in PAYLOADS if "<" in payload)  # shown as text
    context.close()


def test_same_build_same_bytes_and_failed_run_keeps_the_old_site(site, built_out, tmp_path):
    again = tmp_path / "again"
    result = subprocess.run([sys.executable, "-m", "kg", "site", str(again), "--out",
                             str(built_out), "-q"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert digest(again) == digest(site)
    marker = again / "index.html"
    before = marker.read_bytes()
    bad = subprocess.run([sys.executable, "-m", "kg", "site", str(again), "--out",
                          str(tmp_path / "nothing-built")], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "run `kg build` first" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert marker.read_bytes() == before

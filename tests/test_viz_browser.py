"""The generated graph pages in real headless Chromium, with the network blocked.

Every request is recorded; only the page itself may load. Chromium is Debian's
(/usr/bin/chromium) driven by Playwright; with KG_REQUIRE_BROWSER=1 a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import networkx as nx
import pytest

from conftest import ARGS, CHROMIUM, browser, require_browser  # noqa: F401 (fixture)


PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "<svg onload=\"window.__pwned=3\"></svg>",
    "\"><script>window.__pwned=4</script>",
    "</script><script>window.__pwned=5</script>",
    "<!--<script>window.__pwned=6</script>-->",
    "javascript:window.__pwned=7",
    "<iframe src=\"javascript:parent.__pwned=8\"></iframe>",
    "<a href=\"#\" onclick=\"window.__pwned=9\">x</a><details open ontoggle=\"window.__pwned=9\">",
    "\u2028\u2029<style>body{display:none}</style>",
    "{{constructor.constructor('window.__pwned=11')()}}",
    "<body onload=alert(12)>",
    "${alert(13)}`<b>`",
]


class Opened:
    """A page opened with every request recorded and all but the page itself aborted."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 720,
                 also: tuple[str, ...] = (), wait: bool = True):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        allowed = url.split("?")[0].split("#")[0]
        self.allowed = {allowed, *also}

        def route(r):
            self.requests.append(r.request.url)
            if r.request.url.split("?")[0].split("#")[0] in self.allowed:
                r.continue_()
            else:
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.requests.append(r.url))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        self.page.goto(url)
        if wait:
            self.page.wait_for_function("window.kgView && window.kgView.firstDrawMs !== null",
                                        timeout=30000)

    def left_the_page(self) -> list[str]:
        return [u for u in self.requests if u.split("?")[0].split("#")[0] not in self.allowed]

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def views_dir(build_result, tmp_path_factory):
    """The default views, written the way `kg build` will call it (texts from the build)."""
    from kg.viz import write_default_views

    html = tmp_path_factory.mktemp("html")
    texts = {doc_id: found.text for doc_id, found in build_result.located.items()}
    written = write_default_views(build_result.dataset, html, texts)
    assert {"index", "graph", "topics", "people-topics"} <= set(written)
    return html


@pytest.fixture(scope="module")
def entity_graph(build_result):
    from kg.explore.graphview import to_networkx

    return to_networkx(build_result.dataset)


@pytest.fixture()
def opened(browser):
    pages = []

    def open_(url, **size):
        page = Opened(browser, url, **size)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def counts(page) -> tuple[int, int]:
    return tuple(page.evaluate("[kgView.nodes.length, kgView.edges.length]"))


def oxigraph_counts(built_out: Path) -> tuple[int, int]:
    """Entities and entity-to-entity links (object properties, skos:broader) by SPARQL."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(built_out / "kg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    prefix = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX owl: "
              "<http://www.w3.org/2002/07/owl#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
    entity = "FILTER(STRSTARTS(STR(?{v}), 'https://w3id.org/nlpi-kg/id/'))"
    nodes = next(iter(store.query(prefix + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e "
                                  "dcterms:identifier ?i . " + entity.format(v="e") + " }")))
    edges = next(iter(store.query(
        prefix + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . "
        "?s dcterms:identifier ?a . ?o dcterms:identifier ?b . "
        "{ ?p a owl:ObjectProperty } UNION { VALUES ?p { skos:broader } } "
        + entity.format(v="s") + entity.format(v="o") + " } }")))
    return int(nodes["n"].value), int(edges["n"].value)


def test_whole_graph_offline_from_file_with_the_datasets_counts(opened, views_dir, entity_graph,
                                                                built_out):
    page = opened((views_dir / "graph.html").as_uri())
    assert page.left_the_page() == []
    assert page.errors == []
    expected = (entity_graph.number_of_nodes(), entity_graph.number_of_edges())
    assert counts(page.page) == expected
    assert counts(page.page) == oxigraph_counts(built_out)
    assert expected[0] >= 150  # the real report's graph, not an empty page
    assert page.page.evaluate("kgView.data.nodes.length") == expected[0]


@pytest.fixture(scope="module")
def http_root(views_dir):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(views_dir))

    class Quiet(handler.func):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(views_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("name", ["graph", "topics", "people-topics", "conference"])
def test_every_default_view_over_http_makes_no_other_request(opened, http_root, name):
    page = opened(f"{http_root}/{name}.html")
    assert page.requests == [f"{http_root}/{name}.html"]
    assert page.errors == []
    assert counts(page.page)[0] > 0


@pytest.mark.parametrize("query", ["國會圖書館", "国会图书馆", "library of congress"])
def test_search_selects_the_library_of_congress(opened, views_dir, query):
    page = opened((views_dir / "graph.html").as_uri()).page
    page.fill("#kg-search", query)
    page.press("#kg-search", "Enter")
    assert page.evaluate("kgView.network.getSelectedNodes()") == ["library-of-congress"]
    assert "美國國會圖書館" in page.inner_text("#kg-panel")


def click_node(page, node_id: str) -> None:
    page.evaluate("id => kgView.network.focus(id, {scale: 1.5, animation: false})", node_id)
    box = page.locator("#kg-graph canvas").bounding_box()
    point = page.evaluate("id => kgView.network.canvasToDOM(kgView.network.getPositions([id])[id])",
                          node_id)
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_clicking_carla_hayden_shows_the_section_and_its_passage(opened, views_dir, build_result,
                                                                report_text):
    page = opened((views_dir / "graph.html").as_uri()).page
    click_node(page, "carla-hayden")
    assert page.evaluate("kgView.selected") == "carla-hayden"
    panel = page.locator("#kg-panel")
    assert panel.is_visible()
    assert "貳.一.(二)" in panel.inner_text()
    heads = panel.locator("h3[data-predicate='kg:heads'] + ul li").first
    assert "貳.一.(二)" in heads.inner_text()
    # The passage is the section's text in the report, exactly: report[start:end].
    start, end = build_result.located["ala-2022-report"].spans["s2-1-2"]
    heads.locator("summary").click()
    passage = heads.locator(".kg-passage").inner_text()
    assert passage.split() == report_text[start:end].split()
    assert "Hayden" in passage


def test_focus_view_counts_equal_the_focused_subgraph(opened, build_result, entity_graph,
                                                      tmp_path):
    from kg.viz.defaults import build_view

    view, page_html = build_view(build_result.dataset, focus="卡拉·海登", depth=1, lang="en")
    path = tmp_path / "focus.html"
    path.write_text(page_html, encoding="utf-8")
    near = nx.ego_graph(entity_graph.to_undirected(as_view=True), "carla-hayden", radius=1)
    expected = entity_graph.subgraph(near)
    page = opened(path.as_uri())
    assert counts(page.page) == (expected.number_of_nodes(), expected.number_of_edges())
    assert {"carla-hayden", "library-of-congress", "barack-obama"} <= set(
        page.page.evaluate("kgView.nodes.map(n => n.id)"))
    assert page.errors == [] and page.left_the_page() == []


def injected_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i, payload in enumerate(PAYLOADS):
        G.add_node(f"n{i}", label_en=payload, label_zh="標籤" + payload, alt=[payload],
                   description_en=payload, description_zh=payload,
                   **{"class": "Person" if i % 2 else payload})
    for i in range(len(PAYLOADS) - 1):
        G.add_edge(f"n{i}", f"n{i + 1}", key="p", predicate="ex:" + PAYLOADS[i],
                   label_en=PAYLOADS[i], label_zh=PAYLOADS[i], section=PAYLOADS[i + 1],
                   role_en=PAYLOADS[i], role_zh=PAYLOADS[i])
    return G


def test_script_injection_in_labels_and_descriptions_stays_inert(opened, tmp_path):
    from kg.viz.page import write_page

    path = write_page(injected_graph(), tmp_path / "evil.html", title_en=PAYLOADS[3],
                      title_zh=PAYLOADS[4], lang="en")
    opened_page = opened(path.as_uri())
    page = opened_page.page
    page.check("#kg-edge-labels")
    for i, payload in enumerate(PAYLOADS):
        click_node(page, f"n{i}")
        panel = page.inner_text("#kg-panel")
        assert payload.strip() in panel.replace("\u2028", "").replace("\u2029", "") or \
            payload.strip("\u2028\u2029") in panel
        page.hover("#kg-search")
    page.click("#kg-lang")
    page.fill("#kg-search", "script")
    page.wait_for_timeout(200)
    assert "<script>window.__pwned=1</script>" in page.inner_text("#kg-results")
    assert page.evaluate("window.__pwned") is None
    assert opened_page.dialogs == []
    assert opened_page.errors == []
    assert page.locator("body img, body svg, body iframe, #kg-panel a, #kg-panel script").count() == 0
    assert opened_page.left_the_page() == []
    assert page.title() == PAYLOADS[4]  # switched to Chinese: the zh title, as text


@pytest.mark.parametrize("width,height", [(640, 360), (1920, 1080)])
def test_page_fills_the_viewport_without_overflow(opened, views_dir, width, height):
    page = opened((views_dir / "graph.html").as_uri(), width=width, height=height).page
    box = page.locator("#kg-graph canvas").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, width, height)
    assert page.evaluate("[document.documentElement.scrollWidth, "
                         "document.documentElement.scrollHeight]") == [width, height]
    bar = page.locator("#kg-bar").bounding_box()
    assert bar["width"] <= width and bar["height"] < height / 2


def test_embed_mode_in_an_iframe_has_no_panels_and_fills_the_frame(opened, views_dir):
    host = views_dir / "host.html"
    host.write_text('<!DOCTYPE html><body style="margin:0"><iframe id="f" src="graph.html?embed=1"'
                    ' style="width:480px;height:270px;border:0"></iframe></body>',
                    encoding="utf-8")
    opened_host = opened(host.as_uri(), also=((views_dir / "graph.html").as_uri(),), wait=False)
    page = opened_host.page
    frame = page.frame_locator("#f")
    frame.locator("#kg-graph canvas").wait_for()
    page.frames[1].wait_for_function("window.kgView && window.kgView.firstDrawMs !== null")
    box = frame.locator("#kg-graph canvas").bounding_box()
    assert (round(box["width"]), round(box["height"])) == (480, 270)
    assert frame.locator("#kg-bar").is_hidden()
    assert frame.locator("#kg-legend").is_hidden()
    assert opened_host.errors == [] and opened_host.left_the_page() == []

"""The views as a reader sees them in Chromium: readable labels, a legend that fits, the
evidence sentence in the panel, names in the reader's language, dark and print styles."""

from __future__ import annotations

import re

import pytest

from test_viz_browser import Opened, browser, click_node, views_dir  # noqa: F401


@pytest.fixture()
def open_page(browser):  # noqa: F811
    pages = []

    def open_(url, **kw):
        page = Opened(browser, url, **kw)
        pages.append(page)
        page.page.wait_for_function("kgView.fitted > 0 && kgView.labelPasses > 0")
        page.page.wait_for_timeout(200)  # the draw after the label pass
        return page

    yield open_
    for page in pages:
        page.close()


# Measured from vis-network's own drawn labels (labelModule.size, in canvas units) mapped to
# the page with canvasToDOM: what is on screen, not what our placement code intended.
DRAWN_LABELS = """() => {
  const net = kgView.network, s = net.getScale(), out = [];
  for (const id of Object.keys(net.body.nodes)) {
    const node = net.body.nodes[id];
    if (!node.options || node.options.hidden || !node.labelModule) continue;
    const text = node.labelModule.elementOptions.label;
    if (typeof text !== 'string' || !text.trim()) continue;
    const z = node.labelModule.size;
    const a = net.canvasToDOM({x: z.left, y: z.top});
    const b = net.canvasToDOM({x: z.left + z.width, y: z.top + z.height});
    out.push({id, text, px: node.labelModule.fontOptions.size * s,
              x0: a.x, y0: a.y, x1: b.x, y1: b.y});
  }
  return out;
}"""


def overlapping(boxes):
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.5 and \
                    min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 0.5:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_whole_graph_at_1280x720_shows_40_readable_labels_without_overlap(open_page, views_dir,
                                                                          lang):
    page = open_page((views_dir / "graph.html").as_uri() + f"?lang={lang}").page
    labels = page.evaluate(DRAWN_LABELS)
    readable = [x for x in labels if x["px"] >= 11 and x["x0"] >= 0 and x["y0"] >= 0
                and x["x1"] <= 1280 and x["y1"] <= 720]
    assert len(readable) >= 40, len(readable)
    assert overlapping(labels) == []
    # The legend is fully visible: inside the window, nothing scrolled away inside it.
    legend = page.evaluate("""() => { const e = document.getElementById('kg-legend');
        const r = e.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom, e.scrollHeight - e.clientHeight,
                e.scrollWidth - e.clientWidth]; }""")
    assert legend[0] >= 0 and legend[1] >= 0 and legend[2] <= 1280 and legend[3] <= 720
    assert legend[4] <= 1 and legend[5] <= 1
    # No label under the legend.
    for x in readable:
        assert not (x["x0"] < legend[2] and x["x1"] > legend[0] and x["y0"] < legend[3]
                    and x["y1"] > legend[1]), x


def test_zooming_in_shows_more_labels(open_page, views_dir):
    page = open_page((views_dir / "graph.html").as_uri()).page
    before = len(page.evaluate(DRAWN_LABELS))
    page.evaluate("kgView.network.moveTo({scale: kgView.network.getScale() * 2.5, "
                  "animation: false}); kgView.relabel()")
    page.wait_for_timeout(300)
    after = page.evaluate(DRAWN_LABELS)
    inside = [x for x in after if x["x0"] >= 0 and x["y0"] >= 0 and x["x1"] <= 1280
              and x["y1"] <= 720]
    assert overlapping(after) == []
    assert len(inside) >= 20 and {x["id"] for x in after} - set(
        page.evaluate("kgView.labelled")) == set()
    assert before >= 40


def test_context_hubs_are_context_not_the_centre(open_page, views_dir, build_result):
    """Each report's author and its conference (read from the RDF) sit at the edge."""
    from rdflib.namespace import DCTERMS

    from kg.namespaces import SCHEMA

    hubs = set()
    for s, p, o, _ in build_result.dataset.quads((None, DCTERMS.creator, None, None)):
        hubs.add(str(o).rsplit("/", 1)[-1])
    for s, p, o, _ in build_result.dataset.quads((None, SCHEMA.about, None, None)):
        if "/doc/" in str(s) and str(s).count("/") == 5:
            hubs.add(str(o).rsplit("/", 1)[-1])
    assert "hung-tun-ming" in hubs
    page = open_page((views_dir / "graph.html").as_uri()).page
    nodes = page.evaluate("kgView.nodes.map(n => [n.id, n.x, n.y, !!n.ctx])")
    xs = sorted(n[1] for n in nodes if n[0] not in hubs)
    ys = sorted(n[2] for n in nodes if n[0] not in hubs)
    cx, cy = (xs[0] + xs[-1]) / 2, (ys[0] + ys[-1]) / 2
    reach = max(xs[-1] - cx, ys[-1] - cy)
    for node_id, x, y, flagged in nodes:
        if node_id in hubs:
            assert flagged
            assert ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 > reach * 0.9, node_id
        else:
            assert not flagged


def test_names_in_english_are_the_curators_romanisation_or_the_chinese_name(open_page,
                                                                          views_dir, tmp_path):
    # The report's author has no English name: the curator's romanisation stands in for it.
    page = open_page((views_dir / "graph.html").as_uri() + "?lang=en").page
    page.evaluate("kgView.select('hung-tun-ming')")
    assert page.inner_text("#kg-panel h2") == "Hung Tun-ming"
    # A name with neither: the Chinese name, never the id.
    import networkx as nx

    from kg.viz.page import write_page

    G = nx.MultiDiGraph()
    G.add_node("lin-mei-ling", label_zh="林美玲", **{"class": "Person"})
    G.add_node("city-library", label_zh="市立圖書館", label_en="City Library",
               **{"class": "Library"})
    G.add_edge("lin-mei-ling", "city-library", key="schema:worksFor",
               predicate="schema:worksFor")
    path = write_page(G, tmp_path / "names.html", lang="en")
    page = open_page(path.as_uri()).page
    drawn = {x["id"]: x["text"] for x in page.evaluate(DRAWN_LABELS)}
    assert drawn == {"lin-mei-ling": "林美玲", "city-library": "City Library"}
    page.evaluate("kgView.select('lin-mei-ling')")
    assert page.inner_text("#kg-panel h2") == "林美玲"


def test_units_are_translated(open_page, views_dir, build_result):
    page = open_page((views_dir / "graph.html").as_uri()).page
    facts = page.evaluate("""() => { const out = [];
        for (const [id, d] of Object.entries(JSON.parse(document.getElementById('kg-data')
            .textContent).details)) for (const f of (d.facts || [])) if (f.u === 'person')
            out.push(id); return out; }""")
    assert facts
    page.evaluate(f"kgView.select({facts[0]!r})")
    zh = page.inner_text("#kg-panel")
    assert re.search(r"\d 人", zh) and " person" not in zh
    page.click("#kg-lang")
    en = page.inner_text("#kg-panel")
    assert re.search(r"\d+ (people|person)(?![a-z])", en) and " 人" not in en


def test_the_panel_shows_the_sentence_naming_both_ends(open_page, views_dir, report_text):
    page = open_page((views_dir / "graph.html").as_uri() + "?lang=en").page
    click_node(page, "carla-hayden")
    heads = page.locator("#kg-panel h3[data-predicate='kg:heads'] + ul li").first
    assert "Library of Congress" in heads.inner_text()
    sentence = heads.locator(".kg-evidence").inner_text()
    assert 0 < len(sentence) < 200
    flat = re.sub(r"\s", "", report_text)
    assert re.sub(r"\s", "", sentence) in flat  # the report's own words, not a paraphrase
    marked = heads.locator(".kg-evidence mark").all_inner_texts()
    hayden = page.evaluate("kgView.nodes.find(n => n.id === 'carla-hayden')")
    loc = page.evaluate("kgView.nodes.find(n => n.id === 'library-of-congress')")
    assert any(m in [hayden["en"], hayden["zh"], *hayden["alt"]] for m in marked)
    assert any(m in [loc["en"], loc["zh"], *loc["alt"]] for m in marked)
    # The whole section stays one click away.
    assert heads.locator(".kg-passage").is_hidden()
    heads.locator("summary").click()
    assert re.sub(r"\s", "", sentence) in re.sub(r"\s", "", heads.locator(".kg-passage")
                                                  .inner_text())


def test_section_badges_are_explained_in_english(open_page, views_dir):
    page = open_page((views_dir / "graph.html").as_uri() + "?lang=en").page
    click_node(page, "carla-hayden")
    titles = page.locator("#kg-panel .kg-sec").evaluate_all("els => els.map(e => e.title)")
    assert titles and all(t.startswith(("section of the report ",
                                        "figure or table of the report ")) for t in titles)
    assert "section of the report 貳.一.(二) — Talks and discussions on library issues" in titles


def test_focus_view_highlights_its_entity_and_dark_theme_and_print(open_page, build_result,
                                                                    tmp_path):
    from kg.viz.defaults import build_view

    _, html = build_view(build_result.dataset, focus="library-of-congress", lang="en")
    path = tmp_path / "loc.html"
    path.write_text(html, encoding="utf-8")
    page = open_page(path.as_uri()).page
    border = page.evaluate("kgView.network.body.nodes['library-of-congress'].options."
                           "borderWidth")
    others = page.evaluate("Object.keys(kgView.network.body.nodes).filter(id => id !== "
                           "'library-of-congress').map(id => kgView.network.body.nodes[id]"
                           ".options.borderWidth)")
    assert border >= 4 and max(others) < border
    assert page.evaluate("kgView.labelled[0]") == "library-of-congress"
    # Small view: zoomed to fill the frame (vis-network alone stops at scale 1).
    assert page.evaluate("kgView.network.getScale()") > 1
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(100)
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark == "rgb(17, 20, 24)"
    assert page.evaluate("kgView.network.body.nodes['library-of-congress'].labelModule"
                         ".fontOptions.color") == "#eeeeee"
    page.emulate_media(media="print", color_scheme="light")
    page.set_viewport_size({"width": 1000, "height": 500})
    page.wait_for_timeout(400)
    assert page.locator("#kg-search").is_hidden() and page.locator("#kg-lang").is_hidden()
    canvas = page.evaluate("""() => { const c = document.querySelector('#kg-graph canvas');
        const r = c.getBoundingClientRect();
        return [c.width / c.height, r.width / r.height, getComputedStyle(c).objectFit]; }""")
    assert abs(canvas[0] - canvas[1]) < 0.02 or canvas[2] == "contain"

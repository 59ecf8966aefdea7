"""Graph views in a real reveal.js 5 deck (from the npm registry), in headless Chromium, offline.

The deck has ten slides and five views, two of them more than three slides away from the first
(reveal.js hides those with display:none, so their views load at 0×0). On every view's slide
each node must be inside the frame; after a click into a view, ArrowRight must still move the
deck; the deck may load nothing but its own files.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require_browser
from test_viz_browser import browser  # noqa: F401  (the shared Chromium fixture)

VIEWS = [  # (slide index, kg viz arguments)
    (1, ["--focus", "carla-hayden", "--depth", "1"]),
    (2, ["--view", "topics"]),
    (4, []),
    (7, ["--focus", "library-of-congress", "--depth", "1"]),
    (9, ["--view", "people-topics"]),
]
SLIDES = 11


@pytest.fixture(scope="session")
def reveal_dist(tmp_path_factory) -> Path:
    """reveal.js 5 installed with npm into a cache folder of this test session."""
    npm = shutil.which("npm")
    where = tmp_path_factory.mktemp("npm-reveal")
    problem = None
    if npm is None:
        problem = "npm is not installed (Debian: apt-get install npm)"
    else:
        run = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error",
                              "--prefix", str(where), "reveal.js@5"], capture_output=True,
                             text=True, timeout=600)
        if run.returncode != 0:
            problem = f"npm install reveal.js@5 failed: {run.stderr[-500:]}"
    dist = where / "node_modules" / "reveal.js" / "dist"
    if problem is None and not (dist / "reveal.js").is_file():
        problem = f"npm installed no {dist / 'reveal.js'}"
    if problem:
        if require_browser():
            pytest.fail(problem + " (KG_REQUIRE_BROWSER=1)")
        pytest.skip(problem)
    return dist


@pytest.fixture(scope="module")
def deck(reveal_dist, built_out, tmp_path_factory) -> Path:
    """A deck folder: reveal.js, our plugin, and five views whose tags `kg viz --snippet` gave."""
    from kg.cli import cli

    root = tmp_path_factory.mktemp("deck")
    shutil.copytree(reveal_dist, root / "reveal")
    index = root / "talk" / "index.html"
    index.parent.mkdir()
    snippets = {}
    for slide, args in VIEWS:
        target = root / "views" / f"view{slide}.html"
        result = CliRunner().invoke(cli, ["viz", "--out", str(built_out), "--out-file",
                                               str(target), "--snippet", "--deck", str(index),
                                               "--lang", "en", *args])
        assert result.exit_code == 0, result.output
        snippets[slide] = result.stdout.strip()
        assert 'src="../views/' in snippets[slide]  # relative to the deck, not to the shell
    assert (index.parent / "reveal-kg.js").is_file()  # written beside the deck
    sections = []
    for i in range(SLIDES):
        body = snippets.get(i, f"<p>Slide {i}: words, no view.</p>")
        sections.append(f"<section><h2>Slide {i}</h2>\n{body}\n</section>")
    index.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<link rel='stylesheet' href='../reveal/reveal.css'>"
        "<link rel='stylesheet' href='../reveal/theme/white.css'></head><body>"
        "<div class='reveal'><div class='slides'>\n" + "\n".join(sections) +
        "\n</div></div><script src='../reveal/reveal.js'></script>"
        "<script src='reveal-kg.js'></script><script>"
        "Reveal.initialize({hash: false, transition: 'none', plugins: [KgViews]});"
        "</script></body></html>", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def served(deck):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(deck))

    class Quiet(handler.func):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(deck)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def deck_page(browser, served):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    requests, errors = [], []

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith(served + "/"):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served}/talk/index.html")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    yield page, requests, errors, served
    context.close()


def frame_of(page, slide: int):
    element = page.locator(".reveal .slides > section").nth(slide).locator("iframe")
    return element, element.element_handle().content_frame()


def nodes_outside(frame) -> list:
    return frame.evaluate("""() => {
      const net = kgView.network, box = document.getElementById('kg-graph');
      const w = box.clientWidth, h = box.clientHeight, pos = net.getPositions();
      const out = [];
      for (const id of Object.keys(pos)) {
        const p = net.canvasToDOM(pos[id]);
        const r = net.body.nodes[id].shape.radius * net.getScale() || 0;
        if (!(p.x - r >= 0 && p.y - r >= 0 && p.x + r <= w && p.y + r <= h)) out.push(id);
      }
      return [out, Object.keys(pos).length, w, h];
    }""")


def test_every_node_of_every_view_is_inside_its_frame_on_its_slide(deck_page):
    page, requests, errors, served = deck_page
    hidden_at_load = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.reveal .slides > section')).map(s => getComputedStyle(s).display === 'none')""")
    assert hidden_at_load[7] and hidden_at_load[9]  # reveal hides slides > 3 away
    for slide, _ in VIEWS:
        page.evaluate(f"Reveal.slide({slide})")
        element, frame = frame_of(page, slide)
        frame.wait_for_function("window.kgView && kgView.fitted > 0 && "
                                "document.getElementById('kg-graph').clientWidth > 0",
                                timeout=30000)
        page.wait_for_timeout(400)  # any re-fit after the plugin sized the frame
        outside, count, w, h = nodes_outside(frame)
        assert count >= 3 and outside == [], (slide, outside, count, w, h)
        # The frame fits in the space left on the slide, below its heading.
        frame_box = element.bounding_box()
        slide_box = page.locator(".reveal .slides > section").nth(slide).bounding_box()
        heading = page.locator(".reveal .slides > section").nth(slide).locator("h2")
        assert frame_box["y"] >= heading.bounding_box()["y"] + heading.bounding_box()["height"]
        assert frame_box["y"] + frame_box["height"] <= min(720, slide_box["y"] + slide_box[
            "height"]) + 1
        assert frame_box["height"] > 300 and frame_box["width"] > 600
        # Small views are zoomed to fill the frame, not left at scale 1 in the middle.
        assert frame.evaluate("kgView.network.getScale()") > 0
    assert errors == []
    assert [u for u in requests if not u.startswith(served + "/")] == []


def test_after_clicking_into_a_view_the_arrow_keys_still_move_the_deck(deck_page):
    page, requests, errors, served = deck_page
    page.evaluate("Reveal.slide(1)")
    element, frame = frame_of(page, 1)
    frame.wait_for_function("window.kgView && kgView.fitted > 0")
    box = element.bounding_box()
    page.mouse.click(box["x"] + 8, box["y"] + box["height"] - 8)  # into the view's canvas
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Reveal.getIndices().h === 2")
    page.keyboard.press("ArrowRight")  # the focus came back to the deck
    page.wait_for_function("Reveal.getIndices().h === 3")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("Reveal.getIndices().h === 2")
    _, frame2 = frame_of(page, 2)
    frame2.wait_for_function("window.kgView && kgView.fitted > 0")
    element2, _ = frame_of(page, 2)
    b2 = element2.bounding_box()
    page.mouse.click(b2["x"] + 8, b2["y"] + b2["height"] - 8)
    page.keyboard.press("PageDown")
    page.wait_for_function("Reveal.getIndices().h === 3")
    assert errors == []
    assert [u for u in requests if not u.startswith(served + "/")] == []

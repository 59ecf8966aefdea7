"""`kg snapshot` images carry drawn Chinese glyphs (a CJK font), at 16:9 slide size."""

from __future__ import annotations

import numpy as np
import pytest


def _ink(text: str, font_path: str) -> np.ndarray:
    """The pixels of ``text`` drawn alone with one font file."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.font_manager import FontProperties

    fig = plt.figure(figsize=(3, 1), dpi=100)
    fig.text(0.05, 0.3, text, fontproperties=FontProperties(fname=font_path, size=24))
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(fig)
    return pixels


@pytest.fixture(scope="module")
def whole_view(build_result):
    from kg.viz.defaults import load_graph_data, select_view

    return select_view(load_graph_data(build_result.dataset))


def test_snapshot_draws_chinese_labels_in_a_cjk_font(whole_view, tmp_path):
    import matplotlib.image
    from matplotlib import font_manager

    from kg.viz.snapshot import covers, snapshot

    result = snapshot(whole_view.graph, tmp_path / "graph", title=whole_view.title_zh, lang="zh")
    png = matplotlib.image.imread(result.paths["png"])
    assert png.shape[:2] == (1080, 1920)
    assert result.paths["svg"].read_text(encoding="utf-8").startswith("<?xml")
    assert "CJK" in result.font.name
    labels = "".join(result.labels)
    assert "美國國會圖書館" in result.labels or any("圖書館" in l for l in result.labels)
    assert covers(result.font.path, labels)
    # The same label with a Latin-only font gives other pixels (missing glyphs), with the CJK
    # font real strokes: the image's Chinese is drawn, not boxes.
    latin = font_manager.findfont("DejaVu Sans")
    assert not covers(latin, "國會圖書館")
    cjk, boxes = _ink("國會圖書館", result.font.path), _ink("國會圖書館", latin)
    assert (cjk < 128).sum() > 200
    assert not np.array_equal(cjk, boxes)
    # And the snapshot itself is not blank: many dark (label and edge) pixels.
    assert (png[:, :, :3].mean(axis=2) < 0.3).sum() > 2000


def test_missing_cjk_glyphs_fail_with_how_to_install(tmp_path):
    from kg.problems import UserError
    from kg.viz.snapshot import find_cjk_font

    with pytest.raises(UserError, match="fonts-noto-cjk"):
        find_cjk_font("\U00030000")  # CJK Extension G: no installed font has it


def test_snapshot_is_deterministic(whole_view, tmp_path):
    from kg.viz.snapshot import snapshot

    a = snapshot(whole_view.graph, tmp_path / "a", lang="en", formats=("svg",))
    b = snapshot(whole_view.graph, tmp_path / "b", lang="en", formats=("svg",))
    assert a.paths["svg"].read_bytes() == b.paths["svg"].read_bytes()


# --- issue 14/11: wrapped labels, no overlaps, real SVG text, exact size, stale font cache ---

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from test_viz_browser import browser  # noqa: E402,F401  (the shared Chromium fixture)


def _full_labels(view, lang):
    key, other = ("label_zh", "label_en") if lang == "zh" else ("label_en", "label_zh")
    return {str(view.graph.nodes[n].get(key) or view.graph.nodes[n].get(other) or n)
            for n in view.graph}


def _svg_text_boxes(browser, svg_path: Path):
    """The rendered box of every <text> element, measured by Chromium (no network)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    requests = []
    context.route("**/*", lambda r: (requests.append(r.request.url), r.abort()))
    page = context.new_page()
    page.set_content(svg_path.read_text(encoding="utf-8"))
    page.wait_for_timeout(100)
    # matplotlib writes each text artist (a label, on one or more lines) as <g id="text_N">.
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('svg g[id^=text_]'))
      .filter(g => g.querySelector('text')).map(g => {
        const rs = Array.from(g.querySelectorAll('text')).map(t => t.getBoundingClientRect());
        return {text: Array.from(g.querySelectorAll('text')).map(t => t.textContent).join(''),
                x0: Math.min(...rs.map(r => r.left)), y0: Math.min(...rs.map(r => r.top)),
                x1: Math.max(...rs.map(r => r.right)), y1: Math.max(...rs.map(r => r.bottom))};
      })""")
    size = page.evaluate("() => { const r = document.querySelector('svg')"
                         ".getBoundingClientRect(); return [r.width, r.height]; }")
    context.close()
    assert requests == []
    return boxes, size


def _overlapping(boxes, slack=0.5):
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack and \
                    min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.fixture(scope="module")
def small_views(build_result):
    """Focus views of up to 60 nodes, the kind that go on one slide."""
    from kg.viz.defaults import load_graph_data, select_view

    data = load_graph_data(build_result.dataset)
    chosen = [select_view(data, focus=name, depth=1) for name in
              ("carla-hayden", "library-of-congress", "american-library-association")]
    chosen.append(select_view(data, kind="topics"))
    return [v for v in chosen if v.graph.number_of_nodes() <= 60]


def test_small_views_label_every_node_in_full_with_no_overlap_measured_in_chromium(
        small_views, browser, tmp_path):  # noqa: F811
    from kg.viz.snapshot import snapshot

    assert len(small_views) >= 3
    for i, view in enumerate(small_views):
        for lang in ("zh", "en"):
            result = snapshot(view.graph, tmp_path / f"v{i}{lang}", title=view.title_en,
                              lang=lang, context=view.context, center=view.center)
            assert result.unplaced == [], (view.title_en, result.unplaced)
            assert sorted(result.labels) == sorted(_full_labels(view, lang))  # none cut
            svg = result.paths["svg"].read_text(encoding="utf-8")
            assert "…" not in svg
            assert "font-family: 'Noto Sans CJK" in svg
            boxes, size = _svg_text_boxes(browser, result.paths["svg"])
            assert size == [1920, 1080]
            texts = "".join(b["text"] for b in boxes).replace(" ", "")
            for label in result.labels:  # each label's lines are real <text>, in order
                assert label.replace(" ", "") in texts
            assert _overlapping(boxes) == [], view.title_en


def test_whole_graph_snapshot_has_50_labels_and_no_overlapping_text(whole_view, browser,
                                                                    tmp_path):  # noqa: F811
    from kg.viz.snapshot import snapshot

    result = snapshot(whole_view.graph, tmp_path / "g", title=whole_view.title_zh, lang="zh",
                      context=whole_view.context)
    # The 60 most important nodes are labelled where a free place exists; the others are
    # reported, never drawn over another label.
    assert len(result.labels) >= 50 and len(result.labels) + len(result.unplaced) == 60
    boxes, _ = _svg_text_boxes(browser, result.paths["svg"])
    assert len(boxes) >= 60 + 1  # labels (some on two lines), title, legend
    assert _overlapping(boxes) == []
    assert set(result.labels) <= _full_labels(whole_view, "zh")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720), (1000, 1000)])
def test_png_is_exactly_the_requested_size(small_views, tmp_path, width, height):
    import matplotlib.image

    from kg.viz.snapshot import snapshot

    result = snapshot(small_views[0].graph, tmp_path / "s", width=width, height=height,
                      formats=("png", "svg"))
    assert matplotlib.image.imread(result.paths["png"]).shape[:2] == (height, width)
    assert f'width="{width}px" height="{height}px"' in result.paths["svg"].read_text("utf-8")


def test_dark_variant_is_light_text_on_black(small_views, tmp_path):
    import matplotlib.image

    from kg.viz.snapshot import snapshot

    result = snapshot(small_views[0].graph, tmp_path / "d", theme="dark", formats=("png",),
                      lang="en")
    png = matplotlib.image.imread(result.paths["png"])[:, :, :3]
    assert png[5, 5].mean() < 0.1 and png[-5, -5].mean() < 0.2  # dark corners
    assert (png.mean(axis=2) > 0.85).sum() > 500  # light text


def test_a_glyph_the_cjk_font_lacks_falls_back_to_an_installed_font(tmp_path):
    import networkx as nx
    from matplotlib import font_manager

    from kg.viz.snapshot import covers, find_cjk_font, snapshot

    cjk = find_cjk_font()
    dejavu = font_manager.findfont("DejaVu Sans")
    symbol = next(ch for ch in "☕♞☂⚓✈" if covers(dejavu, ch) and not covers(cjk.path, ch))
    G = nx.MultiDiGraph()
    G.add_node("a", label_zh=f"讀書會 {symbol}", label_en=f"Book club {symbol}",
               **{"class": "Program"})
    G.add_node("b", label_zh="圖書館", label_en="Library", **{"class": "Library"})
    G.add_edge("a", "b")
    result = snapshot(G, tmp_path / "e", lang="zh")
    assert "DejaVu Sans" in result.fallbacks and result.missing == ""
    assert f"讀書會 {symbol}" in result.labels
    assert symbol in result.paths["svg"].read_text(encoding="utf-8")


def test_snapshot_works_when_the_font_cache_predates_the_cjk_font(built_out, tmp_path):
    """A matplotlib cache written before fonts-noto-cjk was installed: rebuilt automatically."""
    import matplotlib
    from matplotlib import font_manager

    cache = tmp_path / "mplconfig"
    cache.mkdir()
    name = f"fontlist-v{font_manager.FontManager.__version__}.json"
    real = json.loads(Path(matplotlib.get_cachedir(), name).read_text(encoding="utf-8")) \
        if Path(matplotlib.get_cachedir(), name).is_file() else json.loads(
            json.dumps(font_manager.fontManager, cls=font_manager._JSONEncoder))
    real["ttflist"] = [f for f in real["ttflist"] if "CJK" not in f["name"]]
    assert real["ttflist"], "the stale cache still lists the other fonts"
    (cache / name).write_text(json.dumps(real), encoding="utf-8")
    env = {**os.environ, "MPLCONFIGDIR": str(cache)}
    probe = subprocess.run([sys.executable, "-c", "from matplotlib import font_manager as f; "
                            "print(sum('CJK' in x.name for x in f.fontManager.ttflist))"],
                           env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "0"  # the stale cache is really read
    run = subprocess.run([sys.executable, "-m", "kg", "snapshot", "--out", str(built_out),
                          "--focus", "carla-hayden", "--out-file", str(tmp_path / "c"),
                          "--format", "png"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Noto Sans CJK" in run.stdout and "Traceback" not in run.stderr
    assert (tmp_path / "c.png").stat().st_size > 10_000

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
        find_cjk_font("\U0010fffd")  # no font has this private-use character


def test_snapshot_is_deterministic(whole_view, tmp_path):
    from kg.viz.snapshot import snapshot

    a = snapshot(whole_view.graph, tmp_path / "a", lang="en", formats=("svg",))
    b = snapshot(whole_view.graph, tmp_path / "b", lang="en", formats=("svg",))
    assert a.paths["svg"].read_bytes() == b.paths["svg"].read_bytes()

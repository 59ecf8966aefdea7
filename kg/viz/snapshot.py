"""Static images of a view for slides: PNG and SVG drawn with matplotlib, Chinese labels in a
CJK font (never empty boxes), 16:9 (1920×1080) by default.

>>> from kg.viz.snapshot import find_cjk_font
>>> find_cjk_font("國會圖書館").name                                 # doctest: +SKIP
'Noto Sans CJK TC'
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.problems import UserError
from kg.files import atomic_write
from kg.viz.layout import layout
from kg.viz.page import CLASS_LABELS, class_colors
from kg.viz.views import centrality

__all__ = ["CjkFont", "find_cjk_font", "covers", "snapshot", "Snapshot"]

# Preferred families, Traditional Chinese first; any other family with a CJK face follows.
PREFERRED = ("Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans TC", "Source Han Sans TC",
             "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Source Han Sans",
             "Noto Serif CJK TC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing TW")
INSTALL_HINT = ("install a CJK font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu) or "
                "`dnf install google-noto-sans-cjk-fonts`, then delete matplotlib's font cache "
                "(~/.cache/matplotlib) and run again")


@dataclass(frozen=True)
class CjkFont:
    name: str  # the family matplotlib knows it by
    path: str


def covers(path: str, text: str) -> bool:
    """Whether the font file has a glyph for every non-space character of ``text``."""
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(path).get_charmap()
    return all(ord(ch) in charmap for ch in set(text) if not ch.isspace())


def find_cjk_font(sample: str = "國會圖書館") -> CjkFont:
    """A font matplotlib can use that covers ``sample``; UserError saying how to install one."""
    from matplotlib import font_manager

    fonts = sorted({(f.name, f.fname) for f in font_manager.fontManager.ttflist
                    if f.style == "normal" and f.weight in (400, "normal", "regular")})
    rank = {name: i for i, name in enumerate(PREFERRED)}
    candidates = sorted((f for f in fonts if f[0] in rank or "CJK" in f[0] or "Han " in f[0]),
                        key=lambda f: (rank.get(f[0], len(rank)), f[0], f[1]))
    for name, path in candidates:
        try:
            if covers(path, sample):
                return CjkFont(name, path)
        except (OSError, RuntimeError):
            continue
    raise UserError(f"no font with Chinese glyphs found for the labels ({sample[:20]!r}); "
                    + INSTALL_HINT)


@dataclass
class Snapshot:
    """What ``snapshot`` wrote and drew (for checks and for the command's summary)."""

    paths: dict[str, Path]
    font: CjkFont
    labels: list[str] = field(default_factory=list)
    size: tuple[int, int] = (1920, 1080)


def _figure(G: nx.Graph, *, title: str, lang: str, size_by: str, max_labels: int,
            width: int, height: int, dpi: int, font: CjkFont):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    prop = FontProperties(fname=font.path)
    positions = layout(G)
    sizes = centrality(G, size_by)
    names = sorted({str(G.nodes[n].get("class", "Thing")) for n in G})
    colors = class_colors(names)
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.91))
    ax.set_axis_off()
    nodes = sorted(G, key=str)
    segments = [(positions[u], positions[v]) for u, v in G.edges() if u != v]
    ax.add_collection(LineCollection(segments, colors="#9aa3ad", linewidths=0.6, alpha=0.6,
                                     zorder=1))
    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] for n in nodes]
    area = [30 + 570 * sizes.get(n, 0.0) for n in nodes]
    fill = [colors[str(G.nodes[n].get("class", "Thing"))] for n in nodes]
    ax.scatter(xs, ys, s=area, c=fill, edgecolors="#333333", linewidths=0.5, zorder=2)
    key = "label_zh" if lang == "zh" else "label_en"
    other = "label_en" if lang == "zh" else "label_zh"
    ranked = sorted(nodes, key=lambda n: (-sizes.get(n, 0.0), str(n)))[:max_labels]
    drawn = []
    for n in ranked:
        text = str(G.nodes[n].get(key) or G.nodes[n].get(other) or n)
        text = text if len(text) <= 16 else text[:15] + "…"
        drawn.append(text)
        ax.annotate(text, positions[n], xytext=(0, 7 + 9 * sizes.get(n, 0.0)),
                    textcoords="offset points", ha="center", va="bottom",
                    fontproperties=prop, fontsize=9 + 5 * sizes.get(n, 0.0), zorder=3,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.6})
    if xs:
        pad_x = (max(xs) - min(xs)) * 0.05 + 50
        pad_y = (max(ys) - min(ys)) * 0.06 + 50
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(max(ys) + pad_y, min(ys) - pad_y)  # y grows downwards, as on the page
    index = 0 if lang == "en" else 1
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=colors[c],
                      markeredgecolor="#333333",
                      label=f"{CLASS_LABELS.get(c, (c, c))[index]} "
                            f"({sum(1 for n in G if G.nodes[n].get('class') == c)})")
               for c in names]
    if handles:
        ax.legend(handles=handles, loc="lower left", prop=FontProperties(fname=font.path,
                  size=10), frameon=True, framealpha=0.85, ncol=1 if len(handles) < 13 else 2)
    fig.suptitle(title, fontproperties=FontProperties(fname=font.path, size=20), y=0.975)
    return fig, drawn


def snapshot(G: nx.Graph, out_base: str | Path, *, title: str = "", lang: str = "zh",
             size_by: str = "degree", formats=("png", "svg"), width: int = 1920,
             height: int = 1080, dpi: int = 100, max_labels: int = 40) -> Snapshot:
    """Draw ``G`` and write ``<out_base>.png`` / ``.svg``; UserError when no CJK font exists.

    Every drawn label is checked against the font's glyphs before drawing.
    """
    if width < 200 or height < 120:
        raise UserError(f"--size {width}x{height} is too small; use at least 200x120")
    key = "label_zh" if lang == "zh" else "label_en"
    sample = "".join(str(G.nodes[n].get(key, "")) + str(G.nodes[n].get("label_zh", ""))
                     for n in G) + title + "國會圖書館"
    font = find_cjk_font(sample)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "path",
                                "font.family": [font.name, "DejaVu Sans"]}):
        fig, drawn = _figure(G, title=title, lang=lang, size_by=size_by, max_labels=max_labels,
                             width=width, height=height, dpi=dpi, font=font)
        paths = {}
        try:
            for fmt in formats:
                buffer = io.BytesIO()
                metadata = {"Software": None} if fmt == "png" else {"Date": None}
                fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
                path = Path(f"{out_base}.{fmt}")
                atomic_write(path, buffer.getvalue())
                paths[fmt] = path
        finally:
            plt.close(fig)
    return Snapshot(paths, font, drawn, (width, height))

"""Static images of a view for slides: PNG and SVG drawn with matplotlib, Chinese labels in a
CJK font (never empty boxes), exactly 1920×1080 pixels by default, light or dark.

Labels are never cut: long ones wrap onto lines. Each label is placed beside its node at the
first of several positions (nearer first) whose box overlaps no other label, node, the legend
or the title; a label with no free place is left out and listed in ``Snapshot.unplaced``.
The SVG keeps its text as ``<text>`` elements naming the font (``svg.fonttype: none``).

A matplotlib font cache written before the CJK font was installed is rebuilt once,
automatically; characters the CJK font lacks (an emoji, a rare symbol) are drawn with any
installed font that has them (matplotlib's per-glyph font fallback).

>>> from kg.viz.snapshot import find_cjk_font
>>> find_cjk_font("國會圖書館").name                                 # doctest: +SKIP
'Noto Sans CJK TC'
"""

from __future__ import annotations

import io
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.explore.palette import FAMILY_COLORS, FAMILY_LABELS, border_of, color_of, family_of, \
    marker_of
from kg.problems import UserError
from kg.files import atomic_write
from kg.viz.layout import layout
from kg.viz.page import importance

__all__ = ["CjkFont", "find_cjk_font", "fallback_fonts", "covers", "snapshot", "Snapshot",
           "wrap_label", "THEMES"]

# Preferred families, Traditional Chinese first; any other family with a CJK face follows.
PREFERRED = ("Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans TC", "Source Han Sans TC",
             "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Source Han Sans",
             "Noto Serif CJK TC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing TW")
INSTALL_HINT = ("install a CJK font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu) or "
                "`dnf install google-noto-sans-cjk-fonts`, then run again")

THEMES = {
    "light": {"bg": "#ffffff", "fg": "#1a1a1a", "edge": "#8a939c", "label_bg": "#ffffff",
              "legend_bg": "#ffffff", "leader": "#777777"},
    "dark": {"bg": "#111418", "fg": "#f0f0f0", "edge": "#6b7580", "label_bg": "#111418",
             "legend_bg": "#1d2126", "leader": "#9aa3ad"},
}


@dataclass(frozen=True)
class CjkFont:
    name: str  # the family matplotlib knows it by
    path: str


def covers(path: str, text: str) -> bool:
    """Whether the font file has a glyph for every non-space character of ``text``."""
    return not _missing(path, text)


def _missing(path: str, text: str) -> set[str]:
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(path).get_charmap()
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in charmap}


def _is_han(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalpha()


def _candidates():
    from matplotlib import font_manager

    fonts = sorted({(f.name, f.fname) for f in font_manager.fontManager.ttflist
                    if f.style == "normal" and f.weight in (400, "normal", "regular")})
    rank = {name: i for i, name in enumerate(PREFERRED)}
    return sorted((f for f in fonts if f[0] in rank or "CJK" in f[0] or "Han " in f[0]),
                  key=lambda f: (rank.get(f[0], len(rank)), f[0], f[1]))


def _rebuild_font_cache() -> None:
    """Rescan the installed fonts and rewrite matplotlib's cache (a cache written before a
    font was installed does not know it)."""
    from matplotlib import font_manager

    font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)


def find_cjk_font(sample: str = "國會圖書館") -> CjkFont:
    """A font matplotlib can use that covers the Chinese characters of ``sample``; the font
    cache is rebuilt once when it knows none; UserError saying how to install one."""
    han = "".join(ch for ch in sample if _is_han(ch)) or "國會圖書館"
    for attempt in range(2):
        for name, path in _candidates():
            try:
                if covers(path, han):
                    return CjkFont(name, path)
            except (OSError, RuntimeError):
                continue
        if attempt == 0:
            _rebuild_font_cache()
    raise UserError(f"no font with Chinese glyphs found for the labels ({han[:20]!r}); "
                    + INSTALL_HINT)


def fallback_fonts(text: str, first: CjkFont) -> tuple[list[CjkFont], set[str]]:
    """Fonts after ``first`` that cover the characters it lacks, and what no font has."""
    from matplotlib import font_manager

    try:
        missing = _missing(first.path, text)
    except (OSError, RuntimeError):
        missing = set(text)
    chosen: list[CjkFont] = []
    if not missing:
        return chosen, missing
    seen = {first.path}
    for entry in sorted(font_manager.fontManager.ttflist, key=lambda f: (f.name, f.fname)):
        if not missing:
            break
        if entry.fname in seen or entry.style != "normal":
            continue
        seen.add(entry.fname)
        try:
            lacks = _missing(entry.fname, "".join(missing))
        except (OSError, RuntimeError):
            continue
        if len(lacks) < len(missing) and entry.name not in {f.name for f in chosen}:
            chosen.append(CjkFont(entry.name, entry.fname))
            missing = lacks
    return chosen, missing


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap_label(text: str, width: int = 22) -> str:
    """``text`` on lines of at most ``width`` columns (a Chinese character counts two);
    nothing is cut.

    >>> wrap_label("National Library of Public Information", 22)
    'National Library of\\nPublic Information'
    >>> wrap_label("國立公共資訊圖書館數位學習平台", 16)
    '國立公共資訊圖書\\n館數位學習平台'
    >>> wrap_label("使用 Google Data Studio 為閱讀推廣", 22)
    '使用 Google Data\\nStudio 為閱讀推廣'
    """
    if _width(text) <= width:
        return text
    # Break between words and between Chinese characters, never inside a Latin word.
    tokens = re.findall(r"[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+\s*|\s+|.", text)
    lines, line = [], ""
    for token in tokens:
        if _width((line + token).rstrip()) > width and line.strip():
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x)


@dataclass
class Snapshot:
    """What ``snapshot`` wrote and drew (for checks and for the command's summary)."""

    paths: dict[str, Path]
    font: CjkFont
    labels: list[str] = field(default_factory=list)     # the full label of each labelled node
    size: tuple[int, int] = (1920, 1080)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0 y0 x1 y1
    unplaced: list[str] = field(default_factory=list)   # labels with no free place
    fallbacks: list[str] = field(default_factory=list)  # font names used for missing glyphs
    missing: str = ""                                   # characters no installed font has


def _overlaps(a, b, gap: float = 2.0) -> bool:
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or
                b[3] + gap <= a[1])


# Offsets (in units of the label's own gap) tried for each label, nearest first.
_DIRECTIONS = [(0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]


def _figure(G: nx.Graph, *, title: str, lang: str, size_by: str, max_labels: int,
            width: int, height: int, dpi: int, fonts: list[CjkFont], context, theme: dict,
            center=None):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    family = [f.name for f in fonts] + ["DejaVu Sans"]
    positions = layout(G, context=context)
    sizes = importance(G, size_by, context)
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor=theme["bg"])
    title_px = 70 if title else 10
    ax = fig.add_axes((0.005, 0.005, 0.99, 1 - (title_px + 5) / height))
    ax.set_axis_off()
    ax.set_facecolor(theme["bg"])
    nodes = sorted(G, key=str)
    segments = [(positions[u], positions[v]) for u, v in G.edges() if u != v]
    ax.add_collection(LineCollection(segments, colors=theme["edge"], linewidths=0.7,
                                     alpha=0.55, zorder=1))
    area = {n: 40 + 460 * sizes.get(n, 0.0) for n in nodes}
    classes = {n: str(G.nodes[n].get("class", "Thing")) for n in nodes}
    for cls in sorted(set(classes.values())):
        members = [n for n in nodes if classes[n] == cls]
        ax.scatter([positions[n][0] for n in members], [positions[n][1] for n in members],
                   s=[area[n] for n in members], c=color_of(cls), marker=marker_of(cls),
                   edgecolors=[("#000000" if theme is THEMES["light"] else "#ffffff")
                               if n == center else border_of(color_of(cls)) for n in members],
                   linewidths=[2.5 if n == center else 0.6 for n in members],
                   alpha=1.0, zorder=2)
    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] for n in nodes]
    if xs:
        pad_x = (max(xs) - min(xs)) * 0.08 + 60
        pad_y = (max(ys) - min(ys)) * 0.08 + 60
        # Keep the aspect ratio: nodes are circles, not ellipses.
        box = ax.get_position()
        frame_ratio = (box.width * width) / (box.height * height)
        span_x, span_y = max(xs) - min(xs) + 2 * pad_x, max(ys) - min(ys) + 2 * pad_y
        if span_x / span_y < frame_ratio:
            span_x = span_y * frame_ratio
        else:
            span_y = span_x / frame_ratio
        mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        ax.set_xlim(mid_x - span_x / 2, mid_x + span_x / 2)
        ax.set_ylim(mid_y + span_y / 2, mid_y - span_y / 2)  # y grows downwards, as on the page
    index = 0 if lang == "en" else 1
    families = {}
    for n in nodes:
        families.setdefault(family_of(classes[n]), 0)
        families[family_of(classes[n])] += 1
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                      markerfacecolor=FAMILY_COLORS[f], markeredgecolor=border_of(
                          FAMILY_COLORS[f]), label=f"{FAMILY_LABELS[f][index]} ({count})")
               for f, count in sorted(families.items(), key=lambda kv: list(
                   FAMILY_COLORS).index(kv[0]))]
    legend = None
    if handles:
        legend = ax.legend(handles=handles, loc="lower left", prop=FontProperties(
            family=family, size=11), frameon=True, framealpha=0.9, facecolor=theme["legend_bg"],
            edgecolor=theme["edge"], labelcolor=theme["fg"])
    if title:
        fig.text(0.5, 1 - 12 / height, title, ha="center", va="top", color=theme["fg"],
                 fontproperties=FontProperties(family=family, size=22))
    renderer = fig.canvas.get_renderer()
    # Obstacles, in display pixels (origin bottom left): nodes, legend, title.
    obstacles = []
    to_px = ax.transData.transform
    for n in nodes:
        px, py = to_px(positions[n])
        r = (area[n] ** 0.5) * dpi / 72 / 2 + 1
        obstacles.append((px - r, py - r, px + r, py + r))
    if legend is not None:
        e = legend.get_window_extent(renderer)
        obstacles.append((e.x0, e.y0, e.x1, e.y1))
    for text in fig.texts:
        e = text.get_window_extent(renderer)
        obstacles.append((e.x0, e.y0, e.x1, e.y1))
    frame = ax.get_window_extent(renderer)
    key = "label_zh" if lang == "zh" else "label_en"
    other = "label_en" if lang == "zh" else "label_zh"
    ranked = sorted(nodes, key=lambda n: (n != center, -sizes.get(n, 0.0), str(n)))[:max_labels]
    placed, labels, unplaced = [], [], []
    for n in ranked:
        full = str(G.nodes[n].get(key) or G.nodes[n].get(other) or n)
        text = wrap_label(full)
        px, py = to_px(positions[n])
        r = (area[n] ** 0.5) * dpi / 72 / 2
        spot = None
        for fontsize in (11 + 5 * sizes.get(n, 0.0), 10):
            artist = ax.text(0, 0, text, fontproperties=FontProperties(family=family,
                             size=fontsize), color=theme["fg"], ha="center", va="center",
                             zorder=4, linespacing=1.15)
            e = artist.get_window_extent(renderer)
            # A browser draws a CJK line box taller than matplotlib's ink box: keep room.
            w, h = e.width + 2, e.height + 0.5 * fontsize * dpi / 72
            for step in (1.0, 2.2, 3.6, 5.2):
                for dx, dy in _DIRECTIONS:
                    cx = px + dx * (r + 3 + w / 2) * (1 if step == 1.0 else step * 0.8)
                    cy = py + dy * (r + 3 + h / 2) * step
                    b = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                    if b[0] < frame.x0 + 2 or b[2] > frame.x1 - 2 or b[1] < frame.y0 + 2 or \
                            b[3] > frame.y1 - 2:
                        continue
                    own = obstacles[nodes.index(n)]
                    if any(_overlaps(b, o, 3) for o in placed) or any(
                            _overlaps(b, o, 1) for o in obstacles if o is not own):
                        continue
                    spot = (cx, cy, b, step)
                    break
                if spot:
                    break
            if spot:
                break
            artist.remove()
        if not spot:
            unplaced.append(full)
            continue
        cx, cy, b, step = spot
        artist.set_position(ax.transData.inverted().transform((cx, cy)))
        if step > 1.0:  # a leader line from a far label to its node
            ax.annotate("", xy=positions[n], xytext=ax.transData.inverted().transform((cx, cy)),
                        arrowprops={"arrowstyle": "-", "color": theme["leader"], "lw": 0.6,
                                    "shrinkA": min(b[2] - b[0], b[3] - b[1]) / 2 * 72 / dpi,
                                    "shrinkB": r * 72 / dpi},
                        zorder=3)
        placed.append(b)
        labels.append(full)
    return fig, labels, [(b[0], height - b[3], b[2], height - b[1]) for b in placed], unplaced


def _exact_svg_size(svg: bytes, width: int, height: int) -> bytes:
    """Give the SVG root the image size in pixels (matplotlib writes points)."""
    text = svg.decode("utf-8")
    text = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', lambda m: m.group(1) +
                  f' width="{width}px" height="{height}px"', text, count=1)
    return text.encode("utf-8")


def snapshot(G: nx.Graph, out_base: str | Path, *, title: str = "", lang: str = "zh",
             size_by: str = "degree", formats=("png", "svg"), width: int = 1920,
             height: int = 1080, dpi: int = 100, max_labels: int = 60, context=(),
             theme: str = "light", center=None) -> Snapshot:
    """Draw ``G`` and write ``<out_base>.png`` / ``.svg``; UserError when no CJK font exists.

    ``context``: nodes drawn as context (at the edge, not sized by their many links);
    ``center``: the focused entity, outlined and labelled first; ``theme``: light or dark.
    """
    if width < 200 or height < 120:
        raise UserError(f"--size {width}x{height} is too small; use at least 200x120")
    if theme not in THEMES:
        raise UserError(f"unknown theme {theme!r}; use light or dark")
    key = "label_zh" if lang == "zh" else "label_en"
    sample = "".join(str(G.nodes[n].get(key, "")) + str(G.nodes[n].get("label_zh", "")) +
                     str(G.nodes[n].get("label_en", "")) for n in G) + title
    font = find_cjk_font(sample)
    extra, missing = fallback_fonts(sample, font)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    rc = {"svg.hashsalt": "kg", "svg.fonttype": "none", "savefig.bbox": None,
          "savefig.pad_inches": 0, "figure.dpi": dpi, "savefig.dpi": dpi,
          "font.family": [font.name] + [f.name for f in extra] + ["DejaVu Sans"]}
    with matplotlib.rc_context(rc):
        fig, drawn, boxes, unplaced = _figure(
            G, title=title, lang=lang, size_by=size_by, max_labels=max_labels, width=width,
            height=height, dpi=dpi, fonts=[font] + extra, context=context,
            theme=THEMES[theme], center=center)
        paths = {}
        try:
            for fmt in formats:
                buffer = io.BytesIO()
                metadata = {"Software": None} if fmt == "png" else {"Date": None}
                fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata,
                            facecolor=THEMES[theme]["bg"])
                data = buffer.getvalue()
                if fmt == "svg":
                    data = _exact_svg_size(data, width, height)
                path = Path(f"{out_base}.{fmt}")
                atomic_write(path, data)
                paths[fmt] = path
        finally:
            plt.close(fig)
    return Snapshot(paths, font, drawn, (width, height), boxes, unplaced,
                    [f.name for f in extra], "".join(sorted(missing)))

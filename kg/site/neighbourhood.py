"""A small, static drawing of an entity and its neighbours: inline SVG, no script, positions
from kg.viz's layout (the same as the interactive views), labels escaped.

>>> svg = neighbourhood_svg(entity_graph, "carla-hayden", link=lambda iri: None)  # doctest: +SKIP
"""

from __future__ import annotations

import html
from typing import Callable

from kg.namespaces import entity_iri

__all__ = ["neighbourhood_svg"]

MAX_NEIGHBOURS = 24


def neighbourhood_svg(entity_graph, center: str, *, link: Callable[[str], "str | None"],
                      lang: str = "en", width: int = 640, height: int = 360) -> str:
    """The focus view of ``center`` (depth 1, at most MAX_NEIGHBOURS neighbours) as SVG;
    "" when the entity is not in the graph."""
    from kg.viz.layout import layout
    from kg.viz.views import focus

    if center not in entity_graph:
        return ""
    G = focus(entity_graph, center, 1)
    if G.number_of_nodes() > MAX_NEIGHBOURS + 1:
        keep = sorted((n for n in G if n != center), key=lambda n: (-G.degree(n), str(n)))
        G = G.subgraph([center] + keep[:MAX_NEIGHBOURS]).copy()
    positions = layout(G)
    xs = [x for x, _ in positions.values()] or [0]
    ys = [y for _, y in positions.values()] or [0]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    pad = 60

    def at(node):
        x, y = positions[node]
        return (pad + (x - min(xs)) / span_x * (width - 2 * pad),
                pad / 2 + (y - min(ys)) / span_y * (height - pad))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="neighbourhood">']
    for u, v in sorted({tuple(sorted((str(a), str(b)))) for a, b in G.edges()}):
        (x1, y1), (x2, y2) = at(u), at(v)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     'stroke="#bbb"/>')
    for node in sorted(G, key=str):
        x, y = at(node)
        attrs = G.nodes[node]
        name = attrs.get("label_zh" if lang == "zh" else "label_en") or \
            attrs.get("label_en") or attrs.get("label_zh") or str(node)
        radius = 9 if node == center else 6
        color = "#c33" if node == center else "#357"
        label = html.escape(str(name)[:28], quote=True)
        mark = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{color}"/>'
                f'<text x="{x + 9:.1f}" y="{y + 4:.1f}">{label}</text>')
        href = link(str(entity_iri(str(node))))
        parts.append(f'<a href="{html.escape(href, quote=True)}">{mark}</a>' if href else mark)
    parts.append("</svg>")
    return "".join(parts)

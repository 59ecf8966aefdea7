"""A focused HTML view for the benchmark: the neighbourhood of the top-ranked entity.

The layout is computed in Python (networkx) and drawn as inline SVG, so the page works offline
and does not ask the browser to settle physics (GUIDE: pyvis on big graphs). ``pyvis=True``
draws the same subgraph the naive way (``Network.from_nx``), for comparison.
"""

from __future__ import annotations

import html
from pathlib import Path

import networkx as nx

MAX_NODES = 300


def focus(G, center: str | None = None):
    H = nx.Graph(G)
    center = center or max(nx.pagerank(H).items(), key=lambda kv: kv[1])[0]
    neighbours = sorted(H.neighbors(center), key=lambda n: -H.degree(n))[:MAX_NODES - 1]
    return H.subgraph([center, *neighbours]).copy(), center


def focused_html(G, out: Path, pyvis: bool = False) -> dict:
    sub, center = focus(G)
    if pyvis:
        from pyvis.network import Network

        net = Network(height="800px", width="100%", cdn_resources="in_line")
        net.from_nx(sub)
        net.write_html(str(out))
        return {"nodes": sub.number_of_nodes(), "center": center}
    pos = nx.spring_layout(sub, seed=1, iterations=50)
    scale = lambda v: 20 + (v + 1) * 480  # noqa: E731
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000">']
    for u, v in sub.edges():
        (x1, y1), (x2, y2) = pos[u], pos[v]
        parts.append(f'<line x1="{scale(x1):.1f}" y1="{scale(y1):.1f}" x2="{scale(x2):.1f}" '
                     f'y2="{scale(y2):.1f}" stroke="#bbb"/>')
    for node, (x, y) in pos.items():
        label = html.escape(str(G.nodes[node].get("label_zh") or G.nodes[node].get("label_en")
                                or node))
        parts.append(f'<g><circle cx="{scale(x):.1f}" cy="{scale(y):.1f}" r="5" fill="#369">'
                     f'<title>{label}</title></circle></g>')
    parts.append("</svg>")
    page = ("<!doctype html><meta charset='utf-8'><title>" + html.escape(center) +
            "</title>" + "".join(parts))
    out.write_text(page, encoding="utf-8")
    return {"nodes": sub.number_of_nodes(), "center": center}

"""Node positions computed in Python, so the page is still at first paint (no physics).

igraph's Fruchterman–Reingold (C code) from seeded start positions: the same graph gives the
same picture, and 5,000 nodes take seconds, not the minutes of networkx's spring layout here.

>>> import networkx as nx
>>> pos = layout(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2] and pos == layout(nx.path_graph(3))
True
"""

from __future__ import annotations

import math
import random

import networkx as nx

__all__ = ["layout"]


def _iterations(n: int) -> int:
    return 500 if n <= 1000 else max(60, 500 * 1000 // n // 2)


def layout(G: nx.Graph, seed: int = 42, spacing: float = 120.0, context=()) -> dict:
    """Node -> (x, y) in screen units, about ``spacing`` apart; deterministic for a seed.

    ``context`` nodes (context hubs: a report's author, its conference) are laid out apart:
    the rest is laid out without them, then each hub goes just outside that picture, on the
    side of its neighbours, so a hub linked to everything does not become the centre.
    """
    context = sorted({c for c in context if c in G}, key=str)
    if context and len(context) < G.number_of_nodes():
        return _with_context(G, seed, spacing, context)
    nodes = sorted(G, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    import igraph

    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v]))
                    for u, v in G.edges() if u != v})
    graph = igraph.Graph(n=n, edges=pairs)
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)]
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = graph.layout_fruchterman_reingold(seed=start, niter=_iterations(n),
                                                   grid=n > 1000).coords
    finally:
        igraph.set_random_number_generator(previous or random)
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = spacing * math.sqrt(n) * 1.2 / extent
    return {node: (round((x - cx) * scale, 1), round((y - cy) * scale, 1))
            for node, (x, y) in zip(nodes, coords)}


def _with_context(G: nx.Graph, seed: int, spacing: float, context: list) -> dict:
    rest = G.subgraph([n for n in G if n not in set(context)])
    pos = layout(rest, seed=seed, spacing=spacing)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    radius = max(max(xs) - min(xs), max(ys) - min(ys), spacing) / 2 + spacing
    undirected = G.to_undirected(as_view=True)
    for i, hub in enumerate(context):
        near = [pos[n] for n in undirected[hub] if n in pos]
        if near:
            mx = sum(p[0] for p in near) / len(near) - cx
            my = sum(p[1] for p in near) / len(near) - cy
        else:
            mx = my = 0.0
        angle = math.atan2(my, mx) if (abs(mx) + abs(my)) > spacing / 4 else \
            -math.pi / 2 + i * 2 * math.pi / len(context)
        # Hubs sharing a side are spread apart.
        angle += 0.35 * sum(1 for other in context[:i] if other in pos and abs(
            math.atan2(pos[other][1] - cy, pos[other][0] - cx) - angle) < 0.3)
        pos[hub] = (round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1))
    return pos

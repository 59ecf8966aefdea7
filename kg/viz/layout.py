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


def layout(G: nx.Graph, seed: int = 42, spacing: float = 120.0) -> dict:
    """Node -> (x, y) in screen units, about ``spacing`` apart; deterministic for a seed."""
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

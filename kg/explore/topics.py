"""Topic roll-up along ``skos:broader``: which broader topics a topic reaches, and how far.

The topic hierarchy is read from the view's ``skos:broader`` edges (topic → broader topic).
Depth 0 is the topic itself, 1 its broader topics, 2 theirs, … A topic reached by two routes
keeps the shorter.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("short-video", "social-media", key="skos:broader")
>>> G.add_edge("social-media", "media", key="skos:broader")
>>> broader_levels(G, ["short-video"], 1)
{'short-video': {'short-video': 0, 'social-media': 1}}
>>> narrower_levels(G, "media", 2)
{'social-media': 1, 'short-video': 2}
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

__all__ = ["BROADER", "broader_levels", "narrower_levels", "rollup_label"]

BROADER = "skos:broader"


def _step(G: nx.MultiDiGraph, node: str, up: bool) -> list[str]:
    if up:
        edges = G.out_edges(node, keys=True) if G.is_directed() else G.edges(node, keys=True)
        return sorted(v for _, v, key in edges if key == BROADER)
    return sorted(u for u, _, key in G.in_edges(node, keys=True) if key == BROADER)


def _levels(G, start: str, depth: int, up: bool) -> dict[str, int]:
    seen = {start: 0}
    frontier = [start]
    for level in range(1, max(depth, 0) + 1):
        nxt = []
        for node in frontier:
            for other in _step(G, node, up):
                if other not in seen:
                    seen[other] = level
                    nxt.append(other)
        frontier = nxt
    return seen


def broader_levels(G: nx.MultiDiGraph, topics: Iterable[str], depth: int) -> dict:
    """Topic -> {topic or broader topic: depth}, up to ``depth`` levels up (0: no roll-up)."""
    return {topic: _levels(G, topic, depth, up=True) for topic in topics if topic in G}


def narrower_levels(G: nx.MultiDiGraph, topic: str, depth: int) -> dict[str, int]:
    """The topics under ``topic`` (not itself), up to ``depth`` levels down, with their depth."""
    found = _levels(G, topic, depth, up=False)
    found.pop(topic, None)
    return found


def rollup_label(name: str, depth: int) -> str:
    """A topic name with the roll-up depth shown: ``Social media (↑1)``; depth 0 as is."""
    return f"{name} (↑{depth})" if depth else name

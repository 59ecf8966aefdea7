"""Who brokers between two groups: the entities on the shortest paths from one set to another.

A set is given as text: comma-separated terms, united; ``&`` inside a term intersects.
A term is ``class:Session`` (every entity of a class), ``topic:Social media`` (what is
``schema:about`` the topic or, with roll-up, one of its narrower topics) or any entity name.

For every pair (a, b), a in the first set and b in the second, the shortest paths between
them (context hubs and ``avoid`` nodes not passed through) give each entity strictly inside
them a share: the fraction of that pair's shortest paths through it (the pair dependency of
betweenness centrality, so a broker on every route of one pair scores 1). Brokers are ranked
by the sum over pairs, then by how many pairs they serve; each comes with one of its paths,
every hop citing its section.

>>> rows = brokers(G, select(G, "class:Session&topic:social-media"),             # doctest: +SKIP
...                select(G, "class:Session&topic:EDI"))
"""

from __future__ import annotations

from collections import defaultdict
from itertools import islice

import networkx as nx

from kg.explore.analytics import blocked_nodes, node_name, render_hop, shortest_paths, \
    simple_projection
from kg.explore.graphview import check_classes
from kg.explore.topics import narrower_levels
from kg.problems import UserError

__all__ = ["select", "brokers", "PATHS_PER_PAIR"]

PATHS_PER_PAIR = 50  # shortest paths counted per pair at most (the rest would weigh alike)


def _term(G: nx.Graph, term: str, rollup: int) -> set[str]:
    from kg.explore.resolve import resolve

    kind, sep, value = term.partition(":")
    kind = kind.strip().lower()
    if sep and kind == "class":
        cls = check_classes([value])[0]
        return {n for n, d in G.nodes(data=True) if d.get("class") == cls}
    if sep and kind == "topic":
        topic = resolve(G, value.strip())
        if G.nodes[topic].get("class") != "Topic":
            raise UserError(f"topic:{value.strip()} names {topic!r}, which is a "
                            f"{G.nodes[topic].get('class')}, not a Topic")
        topics = {topic} | set(narrower_levels(G, topic, rollup))
        return {u for u, v, key in G.edges(keys=True) if key == "schema:about" and v in topics}
    return {resolve(G, term.strip())}


def select(G: nx.Graph, spec: str, *, rollup: int = 1) -> list[str]:
    """The entities a set description names, sorted.

    >>> select(G, "class:Person&topic:social media")                        # doctest: +SKIP
    """
    members: set[str] = set()
    for union_part in (p for p in spec.split(",") if p.strip()):
        parts = [p for p in union_part.split("&") if p.strip()]
        found = _term(G, parts[0], rollup)
        for part in parts[1:]:
            found &= _term(G, part, rollup)
        members |= found
    if not members:
        raise UserError(f"the set {spec!r} is empty; check its class:, topic: or names "
                        "(`kg search` finds names)")
    return sorted(members)


def brokers(G: nx.MultiDiGraph, first: list[str], second: list[str], *, top: int = 10,
            keep_context: bool = False, avoid=(), lang: str = "en") -> list[dict]:
    """The ranked brokers between two sets of nodes (see the module docstring)."""
    if top < 1:
        raise UserError(f"--top must be at least 1 (got {top})")
    pairs = sorted({tuple(sorted((a, b))) for a in first for b in second if a != b})
    if not pairs:
        raise UserError("the two sets hold the same single entity; give two different groups")
    H = simple_projection(G)
    blocked = blocked_nodes(G, keep_context=keep_context, avoid=avoid)
    score: dict[str, float] = defaultdict(float)
    served: dict[str, int] = defaultdict(int)
    example: dict[str, tuple] = {}
    for a, b in pairs:
        if a in blocked or b in blocked:
            continue
        view = nx.subgraph_view(H, filter_node=lambda n: n not in blocked or n in (a, b))
        try:
            paths = list(islice(nx.all_shortest_paths(view, a, b), PATHS_PER_PAIR))
        except nx.NetworkXNoPath:
            continue
        through: dict[str, int] = defaultdict(int)
        for path in paths:
            for node in path[1:-1]:
                through[node] += 1
        for node, count in through.items():
            score[node] += count / len(paths)
            served[node] += 1
            candidate = (len(paths[0]), a, b)
            if node not in example or candidate < example[node]:
                example[node] = candidate
    ranked = sorted(score, key=lambda n: (-score[n], -served[n], n))[:top]
    rows = []
    for rank, node in enumerate(ranked, start=1):
        _, a, b = example[node]
        hops = next((p for p in shortest_paths(G, a, b, max_paths=PATHS_PER_PAIR,
                                               keep_context=keep_context,
                                               avoid=tuple(x for x in avoid if x not in (a, b)),
                                               H=H)
                     if any(h["to"] == node for h in p[:-1])), [])
        rows.append({"rank": rank, "id": node, "name": node_name(G, node, lang),
                     "class": G.nodes[node].get("class", ""), "score": score[node],
                     "pairs": served[node], "from": a, "to": b,
                     "path": " · ".join(render_hop(G, h, lang) for h in hops),
                     "sections": sorted({h["section"] for h in hops if h["section"]}),
                     "hops": hops})
    return rows

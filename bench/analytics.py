"""Time the analytics on synthetic report-shaped graphs of 10k and 100k nodes.

The graphs look like the report's: classes in the report's proportions (a third topics,
sessions and programmes about them, people, libraries, places), power-law degrees
(Barabási–Albert preferential attachment, m=2), predicates chosen by the classes they link.
Every step is timed and printed with its ratio to networkx degree centrality on the same
graph, measured in the same run (the baseline). Betweenness is sampled above
kg.analytics.BETWEENNESS_EXACT_LIMIT nodes (k = BETWEENNESS_SAMPLES pivots, seed 42); with
--exact it is also computed exactly at the smallest size, to show what sampling saves.

    python bench/analytics.py                 # 10k and 100k
    python bench/analytics.py --sizes 10000 --exact
"""

from __future__ import annotations

import argparse
import random
import time

import networkx as nx

from kg.explore import analytics

CLASS_SHARES = [("Topic", 0.31), ("Program", 0.08), ("Session", 0.06), ("Person", 0.10),
                ("Library", 0.07), ("Organization", 0.07), ("City", 0.06), ("Poster", 0.03),
                ("CreativeWork", 0.06), ("Award", 0.04), ("Platform", 0.03),
                ("Country", 0.03), ("State", 0.03), ("Conference", 0.0), ("Book", 0.03)]


def predicate(a: str, b: str) -> str:
    if b == "Topic":
        return "schema:about" if a != "Topic" else "skos:broader"
    if a == "Person" and b in ("Session", "Program"):
        return "schema:performerIn"
    if b in ("City", "State", "Country"):
        return "schema:location"
    if a in ("Session", "Poster"):
        return "schema:mentions"
    return "schema:organizer"


def synthetic(n: int, seed: int = 42) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    names, weights = zip(*CLASS_SHARES)
    G = nx.MultiDiGraph()
    classes = {}
    for node in base:
        cls = "Conference" if node == 0 else rng.choices(names, weights)[0]
        classes[node] = cls
        G.add_node(f"n{node}", id=f"n{node}", **{"class": cls}, label_en=f"{cls} {node}",
                   label_zh=f"{cls}{node}號")
    for u, v in base.edges():
        if classes[u] == "Topic" and classes[v] != "Topic":
            u, v = v, u
        key = predicate(classes[u], classes[v])
        G.add_edge(f"n{u}", f"n{v}", key=key, relation=key, label_en=key, label_zh=key,
                   section="貳.一", implied=False, uncertain=False, symmetric=False)
    return G


def timed(label: str, func, results: list):
    start = time.perf_counter()
    value = func()
    results.append((label, time.perf_counter() - start))
    return value


def run(n: int, exact: bool) -> None:
    G = synthetic(n)
    results: list[tuple[str, float]] = []
    timed("baseline: networkx degree_centrality", lambda: nx.degree_centrality(G), results)
    timed("simple projection", lambda: analytics.simple_projection(G), results)
    timed("stats", lambda: analytics.stats(G), results)
    timed("rank degree", lambda: analytics.rank(G, "degree"), results)
    sampled = n > analytics.BETWEENNESS_EXACT_LIMIT
    label = (f"rank betweenness (sampled k={analytics.BETWEENNESS_SAMPLES})" if sampled
             else "rank betweenness (exact)")
    timed(label, lambda: analytics.rank(G, "betweenness"), results)
    if exact:
        H = analytics.simple_projection(G)
        timed("betweenness exact (for comparison)", lambda: nx.betweenness_centrality(H),
              results)
    timed("rank pagerank", lambda: analytics.rank(G, "pagerank"), results)
    timed("rank eigenvector", lambda: analytics.rank(G, "eigenvector"), results)
    timed("communities (Louvain, seed 42)", lambda: analytics.communities(G), results)
    rng = random.Random(7)
    pairs = [tuple(rng.sample(list(G), 2)) for _ in range(10)]
    timed("10 x shortest paths (max 5)",
          lambda: [analytics.shortest_paths(G, a, b) for a, b in pairs], results)
    timed("ego network depth 2 of the hub", lambda: analytics.ego_network(G, "n0", 2), results)
    timed("cooccurrence person-topic", lambda: analytics.cooccurrence(G, "person-topic"),
          results)
    baseline = results[0][1]
    print(f"\n{n:,} nodes, {G.number_of_edges():,} edges "
          f"(betweenness exact up to {analytics.BETWEENNESS_EXACT_LIMIT:,} nodes)")
    print(f"{'step':<48} {'seconds':>9} {'x baseline':>11}")
    for label, seconds in results:
        print(f"{label:<48} {seconds:>9.3f} {seconds / baseline:>11.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--exact", action="store_true",
                        help="also time exact betweenness at the smallest size")
    args = parser.parse_args()
    for i, n in enumerate(args.sizes):
        run(n, args.exact and i == 0)


if __name__ == "__main__":
    main()

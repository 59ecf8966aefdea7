"""Time the analytics on synthetic report-shaped graphs of 10k and 100k nodes, against networkx.

The graphs look like the report's: classes in the report's proportions (a third topics,
sessions and programmes about them, people, libraries, places), power-law degrees
(Barabási–Albert preferential attachment, m=2), predicates chosen by the classes they link.
Every kg step is timed and printed with its ratio to networkx degree centrality on the same
graph, measured in the same run (the baseline). Betweenness is sampled above
kg.explore.analytics.BETWEENNESS_EXACT_LIMIT nodes (k = BETWEENNESS_SAMPLES sources, seed 42);
with --exact it is also computed exactly at the smallest size, to show what sampling saves.

"ranks+communities" is what `kg rank` (degree, betweenness, PageRank, eigenvector) and
`kg communities` compute — with igraph since issue 13 — against the same five with networkx
on the same graph, in the same run:

- networkx degree, PageRank and eigenvector centrality and Louvain are run in full, each in a
  child process stopped after --nx-timeout seconds (networkx's Louvain took ~287 s at 100k
  here); a step stopped that way counts as its time limit and the total is printed as a
  lower bound (">");
- networkx betweenness with k=256 sources is measured with --nx-sources of them (the same
  seed) and scaled by 256/--nx-sources: its cost is one breadth-first search and one
  accumulation per source over the whole graph, so it grows linearly with the sources.

The last line reads `ranks+communities at 100k nodes: X s (networkx Y s, Z× faster)`.

    python bench/analytics.py                 # 10k and 100k
    python bench/analytics.py --sizes 100000
    python bench/analytics.py --sizes 10000 --exact
"""

from __future__ import annotations

import argparse
import multiprocessing
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


RANK_STEPS = ("rank degree", "rank betweenness", "rank pagerank", "rank eigenvector",
              "communities")


def _child(func, conn) -> None:
    start = time.perf_counter()
    func()
    conn.send(time.perf_counter() - start)
    conn.close()


def capped(func, limit: float) -> tuple[float, bool]:
    """(seconds, finished): ``func`` run in a forked child, stopped after ``limit`` seconds."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(func, child))
    process.start()
    child.close()
    if parent.poll(limit):
        seconds = parent.recv()
        process.join()
        return seconds, True
    process.terminate()  # the child this function started, by its handle
    process.join()
    return limit, False


def networkx_baseline(G: nx.MultiDiGraph, limit: float, sources: int) -> list[tuple]:
    """(step, seconds, exact?) for networkx's versions of the five ranks+communities steps."""
    H = analytics.simple_projection(G)
    n = H.number_of_nodes()
    k = analytics.BETWEENNESS_SAMPLES if n > analytics.BETWEENNESS_EXACT_LIMIT else None
    rows = []
    seconds, done = capped(lambda: nx.degree_centrality(H), limit)
    rows.append(("networkx degree", seconds, done))
    if k is None:
        seconds, done = capped(lambda: nx.betweenness_centrality(H), limit)
        rows.append(("networkx betweenness (exact)", seconds, done))
    else:
        probe = min(sources, k)
        seconds, done = capped(lambda: nx.betweenness_centrality(H, k=probe, seed=42), limit)
        rows.append((f"networkx betweenness k={k} (from k={probe}, ×{k / probe:g})",
                     seconds * k / probe, done))
    seconds, done = capped(lambda: nx.pagerank(H, weight="weight"), limit)
    rows.append(("networkx pagerank", seconds, done))
    seconds, done = capped(lambda: nx.eigenvector_centrality(H, max_iter=1000,
                                                             weight="weight"), limit)
    rows.append(("networkx eigenvector", seconds, done))
    seconds, done = capped(lambda: nx.community.louvain_communities(H, weight="weight",
                                                                     seed=42), limit)
    rows.append(("networkx Louvain (seed 42)", seconds, done))
    return rows


def run(n: int, exact: bool, limit: float, sources: int) -> str:
    G = synthetic(n)
    results: list[tuple[str, float]] = []
    timed("baseline: networkx degree_centrality", lambda: nx.degree_centrality(G), results)
    timed("simple projection", lambda: analytics.simple_projection(G), results)
    timed("stats", lambda: analytics.stats(G), results)
    timed("rank degree", lambda: analytics.rank(G, "degree"), results)
    sampled = n > analytics.BETWEENNESS_EXACT_LIMIT
    timed("rank betweenness", lambda: analytics.rank(G, "betweenness"), results)
    if exact:
        H = analytics.simple_projection(G)
        timed("betweenness exact (for comparison)", lambda: nx.betweenness_centrality(H),
              results)
    timed("rank pagerank", lambda: analytics.rank(G, "pagerank"), results)
    timed("rank eigenvector", lambda: analytics.rank(G, "eigenvector"), results)
    timed("communities", lambda: analytics.communities(G), results)
    rng = random.Random(7)
    pairs = [tuple(rng.sample(list(G), 2)) for _ in range(10)]
    # Not part of ranks+communities; each in a child stopped after the same time limit.
    others = [("10 x shortest paths (max 5)",
               lambda: [analytics.shortest_paths(G, a, b) for a, b in pairs]),
              ("ego network depth 2 of the hub", lambda: analytics.ego_network(G, "n0", 2)),
              ("cooccurrence person-topic",
               lambda: analytics.cooccurrence(G, "person-topic"))]
    stopped = set()
    for label, func in others:
        seconds, done = capped(func, limit)
        results.append((label, seconds))
        if not done:
            stopped.add(label)
    baseline = results[0][1]
    print(f"\n{n:,} nodes, {G.number_of_edges():,} edges "
          f"(betweenness {'sampled, k=' + str(analytics.BETWEENNESS_SAMPLES) if sampled else 'exact'}"
          "; igraph: betweenness, PageRank, eigenvector, Leiden communities)")
    print(f"{'step':<52} {'seconds':>9} {'x baseline':>11}")
    for label, seconds in results:
        mark = ">" if label in stopped else " "
        print(f"{label:<52} {mark}{seconds:>8.3f} {seconds / baseline:>11.1f}")
    ours = sum(seconds for label, seconds in results if label in RANK_STEPS)
    print(f"\nnetworkx on the same graph (each step stopped after {limit:g} s)")
    theirs_rows = networkx_baseline(G, limit, sources)
    for label, seconds, done in theirs_rows:
        print(f"{label:<52} {' ' if done else '>'}{seconds:>8.3f} "
              f"{seconds / baseline:>11.1f}")
    theirs = sum(seconds for _, seconds, _ in theirs_rows)
    bound = "" if all(done for *_, done in theirs_rows) else "> "
    size = f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"
    return (f"ranks+communities at {size} nodes: {ours:.1f} s (networkx {bound}{theirs:.1f} s, "
            f"{bound}{theirs / ours:.0f}× faster)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--exact", action="store_true",
                        help="also time exact betweenness at the smallest size")
    parser.add_argument("--nx-timeout", type=float, default=150.0,
                        help="stop each networkx step after this many seconds (default 150)")
    parser.add_argument("--nx-sources", type=int, default=16,
                        help="sources networkx betweenness is measured with, then scaled")
    args = parser.parse_args()
    lines = [run(n, args.exact and i == 0, args.nx_timeout, args.nx_sources)
             for i, n in enumerate(args.sizes)]
    print()
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()

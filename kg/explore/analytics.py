"""Network analytics on the entity graph: plain functions ``f(G, ...) -> dict`` or rows.

``G`` is the MultiDiGraph of ``kg.explore.graphview.to_networkx``. Centralities and communities run on
its undirected simple projection (one edge per linked pair, ``weight`` = number of relations),
because "who is central" in a co-occurrence-style knowledge graph should not depend on which
way a predicate happens to point.

Sizes and seeds (documented, so results repeat):

- betweenness is exact up to ``BETWEENNESS_EXACT_LIMIT`` nodes (2,000: exact took 8 s at
  2,000 nodes here, see bench/analytics.py) and above that sampled
  with ``k = BETWEENNESS_SAMPLES`` (256) pivots and ``seed = SEED`` (42);
- Louvain communities use ``seed = SEED``; the graph is built in sorted order, so two separate
  processes give the same communities.

>>> from kg.api import load
>>> G = load("out").networkx()                                     # doctest: +SKIP
>>> rank(G, "pagerank", cls="Library", top=1)[0]["id"]            # doctest: +SKIP
'ala'
>>> [render_hop(G, h) for h in shortest_paths(G, "nlpi", "ukrainian-library-association")[0]]
... # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import islice

import networkx as nx

from kg.explore.graphview import check_classes
from kg.problems import UserError

__all__ = ["SEED", "BETWEENNESS_EXACT_LIMIT", "BETWEENNESS_SAMPLES", "CENTRALITIES",
           "simple_projection", "stats", "centrality", "rank", "communities", "shortest_paths",
           "render_hop", "ego_network", "cooccurrence", "COOCCURRENCE_KINDS", "node_name"]

SEED = 42
BETWEENNESS_EXACT_LIMIT = 2000
BETWEENNESS_SAMPLES = 256
CENTRALITIES = ("degree", "betweenness", "pagerank", "eigenvector")
COOCCURRENCE_KINDS = {"person-topic": "Person", "library-topic": "Library"}
_NO_CARRIER = {"Topic", "Conference"}  # a conference "about" everything would link everyone


def node_name(G: nx.Graph, node: str, lang: str = "en") -> str:
    """The node's label in ``lang`` ("en"/"zh"), falling back to the other language, then id."""
    attrs = G.nodes[node]
    first, second = ("label_zh", "label_en") if lang.startswith("zh") else ("label_en",
                                                                           "label_zh")
    return attrs.get(first) or attrs.get(second) or node


def simple_projection(G: nx.Graph) -> nx.Graph:
    """Undirected, no parallel edges, no self-loops; ``weight`` counts the relations merged.

    >>> H = simple_projection(nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "c")]))
    >>> H["a"]["b"]["weight"], H.number_of_edges()
    (2, 2)
    """
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v in G.edges():
        if u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
        else:
            H.add_edge(u, v, weight=1)
    return H


def _classes(G: nx.Graph) -> dict[str, str]:
    return {n: d.get("class", "") for n, d in G.nodes(data=True)}


def stats(G: nx.MultiDiGraph, top: int = 3) -> dict:
    """Counts by class and predicate, components, density, degree distribution, hubs per class.

    >>> stats(nx.MultiDiGraph([("a", "b")]))["components"]
    1
    """
    H = simple_projection(G)
    classes = _classes(G)
    components = sorted((len(c) for c in nx.connected_components(H)), reverse=True)
    degree = dict(H.degree())
    most = defaultdict(list)
    for node in sorted(H, key=lambda n: (-degree[n], n)):
        if len(most[classes[node]]) < top:
            most[classes[node]].append((node, degree[node]))
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "linked_pairs": H.number_of_edges(),
        "density": nx.density(H),
        "components": len(components),
        "largest_component": components[0] if components else 0,
        "isolated": sum(1 for n in H if degree[n] == 0),
        "by_class": dict(sorted(Counter(classes.values()).items())),
        "by_predicate": dict(sorted(Counter(k for _, _, k in G.edges(keys=True)).items())),
        "degree_distribution": dict(sorted(Counter(degree.values()).items())),
        "most_connected": {cls: most[cls] for cls in sorted(most)},
    }


def _betweenness(H: nx.Graph, k: int | None = None, seed: int = SEED) -> dict:
    n = H.number_of_nodes()
    if k is None and n > BETWEENNESS_EXACT_LIMIT:
        k = BETWEENNESS_SAMPLES
    if k is not None and k >= n:
        k = None
    return nx.betweenness_centrality(H, k=k, seed=seed)


def _pagerank(H: nx.Graph) -> dict:
    try:
        return nx.pagerank(H, weight="weight")
    except nx.PowerIterationFailedConvergence:
        return nx.pagerank(H, weight="weight", max_iter=2000, tol=1e-5)


def _eigenvector(H: nx.Graph) -> dict:
    if H.number_of_edges() == 0:
        return {n: 0.0 for n in H}
    try:
        return nx.eigenvector_centrality(H, max_iter=1000, weight="weight")
    except nx.PowerIterationFailedConvergence:
        pass
    try:  # ARPACK instead of power iteration: converges where the power method oscillates
        return nx.eigenvector_centrality_numpy(H, weight="weight")
    except Exception as exc:  # scipy's ArpackNoConvergence and friends
        raise UserError(f"eigenvector centrality did not converge ({exc}); "
                        "use --by pagerank, which always does") from exc


def centrality(G: nx.Graph, by: str = "degree", *, k: int | None = None,
               seed: int = SEED, store: bool = True) -> dict:
    """One centrality (``degree``, ``betweenness``, ``pagerank``, ``eigenvector``) per node,
    on the undirected simple projection; stored on ``G``'s nodes under that name.

    >>> centrality(nx.path_graph(3), "betweenness")[1]
    1.0
    """
    if by not in CENTRALITIES:
        raise UserError(f"unknown centrality {by!r}; use one of: {', '.join(CENTRALITIES)}")
    H = simple_projection(G) if G.is_multigraph() or G.is_directed() else G
    if by == "degree":
        scores = nx.degree_centrality(H)
    elif by == "betweenness":
        scores = _betweenness(H, k=k, seed=seed)
    elif by == "pagerank":
        scores = _pagerank(H)
    else:
        scores = _eigenvector(H)
    if store:
        nx.set_node_attributes(G, scores, by)
    return scores


def rank(G: nx.Graph, by: str = "degree", *, cls: str | None = None, top: int = 10) -> list[dict]:
    """The ``top`` nodes by a centrality, optionally of one class, with their labels."""
    if top < 1:
        raise UserError(f"--top must be at least 1 (got {top})")
    wanted = check_classes([cls])[0] if cls else None
    scores = centrality(G, by)
    degree = dict(G.degree())
    nodes = [n for n in G if wanted is None or G.nodes[n].get("class") == wanted]
    nodes.sort(key=lambda n: (-scores[n], n))
    return [{"rank": i + 1, "id": n, "label_en": G.nodes[n].get("label_en", ""),
             "label_zh": G.nodes[n].get("label_zh", ""), "class": G.nodes[n].get("class", ""),
             "score": scores[n], "degree": degree[n]} for i, n in enumerate(nodes[:top])]


def communities(G: nx.Graph, *, seed: int = SEED, resolution: float = 1.0,
                members: int = 5, topics: int = 5) -> dict:
    """Louvain communities (fixed seed) with modularity; each with its most central members
    (PageRank) and its topics (topic members, and topics its members are about).

    Communities are numbered from the largest; node attribute ``community`` is set on ``G``.
    """
    H = simple_projection(G)
    if H.number_of_edges() == 0:
        return {"modularity": 0.0, "communities": []}
    found = nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                             seed=seed)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    modularity = nx.community.modularity(H, found, weight="weight")
    pagerank = _pagerank(H)
    classes = _classes(G)
    result = []
    for number, group in enumerate(found, start=1):
        members_set = set(group)
        counted = Counter()
        for node in group:
            if classes[node] == "Topic":
                counted[node] += 1
            for other in H[node]:
                if classes[other] == "Topic" and other != node:
                    counted[other] += 1
        central = sorted(group, key=lambda n: (-pagerank[n], n))[:members]
        top_topics = [t for t, _ in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))]
        for node in group:
            G.nodes[node]["community"] = number
        result.append({
            "community": number, "size": len(group), "members": central,
            "topics": top_topics[:topics],
            "classes": dict(Counter(classes[n] for n in group).most_common()),
            "internal_topics": sum(1 for n in members_set if classes[n] == "Topic"),
        })
    return {"modularity": modularity, "communities": result}


def _hop(G: nx.MultiDiGraph, u: str, v: str) -> dict:
    """The relation to show for the step u -> v: forward edges first, then stated, then cited."""
    options = []
    for a, b, forward in ((u, v, True), (v, u, False)):
        for key, data in (G.get_edge_data(a, b) or {}).items():
            options.append((data.get("implied", False), data.get("uncertain", False),
                            not data.get("section"), not forward, key, forward, data))
    options.sort(key=lambda o: o[:5])
    *_, forward, data = options[0]
    return {"from": u, "to": v, "forward": forward, "relation": data.get("relation", ""),
            "label_en": data.get("label_en", ""), "label_zh": data.get("label_zh", ""),
            "section": data.get("section", ""), "implied": data.get("implied", False),
            "uncertain": data.get("uncertain", False), "symmetric": data.get("symmetric", False),
            "alternatives": len(options) - 1}


def render_hop(G: nx.Graph, hop: dict, lang: str = "en") -> str:
    """One hop as a sentence: ``Carla Hayden —nominated by→ Barack Obama (貳.一.(二))``;
    traversed against the predicate it reads ``Barack Obama ←nominated by— Carla Hayden``.
    """
    label = hop["label_zh" if lang.startswith("zh") else "label_en"] or hop["relation"]
    if hop.get("symmetric"):
        arrow = f"—{label}—"
    elif hop["forward"]:
        arrow = f"—{label}→"
    else:
        arrow = f"←{label}—"
    marks = [hop["section"]] if hop.get("section") else []
    if hop.get("implied"):
        marks.append("隱含" if lang.startswith("zh") else "implied")
    if hop.get("uncertain"):
        marks.append("不確定" if lang.startswith("zh") else "uncertain")
    cite = f" ({'; '.join(marks)})" if marks else ""
    return f"{node_name(G, hop['from'], lang)} {arrow} {node_name(G, hop['to'], lang)}{cite}"


def shortest_paths(G: nx.MultiDiGraph, source: str, target: str, *, max_paths: int = 5,
                   avoid: tuple = (), avoid_classes: tuple = (),
                   max_degree: int | None = None) -> list[list[dict]]:
    """All shortest paths (at most ``max_paths``) between two nodes, ignoring direction,
    each a list of hops (see ``render_hop``). ``avoid`` nodes, nodes of ``avoid_classes`` and
    nodes with more than ``max_degree`` links are not passed through (the ends always are
    allowed). No path gives ``[]``.
    """
    for node in (source, target):
        if node not in G:
            raise UserError(f"{node!r} is not in the graph (was its class left out?)")
    if source == target:
        raise UserError("source and target are the same entity; give two different ones")
    if max_paths < 1:
        raise UserError(f"--max must be at least 1 (got {max_paths})")
    blocked_classes = set(check_classes(avoid_classes))
    for node in avoid:
        if node in (source, target):
            raise UserError(f"cannot avoid {node!r}: it is an end of the path")
    H = simple_projection(G)
    blocked = set(avoid) | {n for n, d in G.nodes(data=True)
                            if d.get("class") in blocked_classes}
    if max_degree is not None:
        blocked |= {n for n, deg in H.degree() if deg > max_degree}
    blocked -= {source, target}
    view = nx.subgraph_view(H, filter_node=lambda n: n not in blocked)
    try:
        paths = list(islice(nx.all_shortest_paths(view, source, target), max_paths))
    except nx.NetworkXNoPath:
        return []
    hops = [[_hop(G, u, v) for u, v in zip(path, path[1:])] for path in paths]
    # Stated hops before implied or uncertain ones, then by the names along the path.
    hops.sort(key=lambda p: (sum(h["implied"] or h["uncertain"] for h in p),
                             [node_name(G, h["to"]) for h in p]))
    return hops


def ego_network(G: nx.MultiDiGraph, center: str, depth: int = 1) -> list[dict]:
    """The nodes within ``depth`` links of ``center``, each with the relation that reaches
    it from the previous ring, sorted by distance, then relation, then name."""
    if center not in G:
        raise UserError(f"{center!r} is not in the graph (was its class left out?)")
    if depth < 1:
        raise UserError(f"--depth must be at least 1 (got {depth})")
    H = simple_projection(G)
    distance = nx.single_source_shortest_path_length(H, center, cutoff=depth)
    rows = []
    for node, d in distance.items():
        if d == 0:
            continue
        for parent in sorted(H[node]):
            if distance.get(parent) != d - 1:
                continue
            for a, b, forward in ((parent, node, True), (node, parent, False)):
                for key, data in sorted((G.get_edge_data(a, b) or {}).items()):
                    rows.append({"depth": d, "via": parent, "id": node, "forward": forward,
                                 "relation": key, "label_en": data.get("label_en", ""),
                                 "label_zh": data.get("label_zh", ""),
                                 "symmetric": data.get("symmetric", False),
                                 "section": data.get("section", ""),
                                 "class": G.nodes[node].get("class", "")})
    rows.sort(key=lambda r: (r["depth"], r["label_en"], not r["forward"], r["via"],
                             node_name(G, r["id"]), r["id"]))
    return rows


def _topic_links(G: nx.MultiDiGraph, cls: str) -> dict[str, Counter]:
    """Entity of ``cls`` -> Counter(topic -> number of distinct links to it): a direct link,
    or through a session/poster/work/programme (any non-topic, non-conference neighbour) that
    is ``schema:about`` the topic."""
    classes = _classes(G)
    about = defaultdict(set)
    for u, v, key in G.edges(keys=True):
        if key == "schema:about" and classes.get(v) == "Topic":
            about[u].add(v)
    links: dict[str, Counter] = {}
    for node in sorted(n for n, c in classes.items() if c == cls):
        carriers = defaultdict(set)
        for other in set(G.successors(node)) | set(G.predecessors(node)):
            if classes[other] == "Topic":
                carriers[other].add(node)
            elif classes[other] not in _NO_CARRIER:
                for topic in about.get(other, ()):
                    carriers[topic].add(other)
        if carriers:
            links[node] = Counter({t: len(c) for t, c in carriers.items()})
    return links


def cooccurrence(G: nx.MultiDiGraph, kind: str = "person-topic") -> dict:
    """Who shares which topics: ``links`` (entity, topic, weight) and ``pairs`` (two entities
    of the kind's class, the topics they share, weight = number shared), heaviest first.

    The pair weights are networkx's ``bipartite.weighted_projected_graph`` of the
    entity–topic graph.
    """
    if kind not in COOCCURRENCE_KINDS:
        raise UserError(f"unknown kind {kind!r}; use one of: {', '.join(COOCCURRENCE_KINDS)}")
    links = _topic_links(G, COOCCURRENCE_KINDS[kind])
    B = nx.Graph()
    entities = sorted(links)
    B.add_nodes_from(entities, bipartite=0)
    for node in entities:
        for topic, weight in sorted(links[node].items()):
            B.add_node(("topic", topic), bipartite=1)
            B.add_edge(node, ("topic", topic), weight=weight)
    P = nx.bipartite.weighted_projected_graph(B, entities) if entities else nx.Graph()
    pairs = []
    for a, b, data in P.edges(data=True):
        a, b = sorted((a, b))
        shared = sorted(set(links[a]) & set(links[b]))
        pairs.append({"a": a, "b": b, "weight": data["weight"], "topics": shared})
    pairs.sort(key=lambda p: (-p["weight"], p["a"], p["b"]))
    rows = [{"entity": n, "topic": t, "weight": w} for n in entities
            for t, w in sorted(links[n].items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"kind": kind, "links": rows, "pairs": pairs}

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

import re
from collections import Counter, defaultdict
from itertools import islice

import networkx as nx

from kg.explore import fast
from kg.explore.graphview import check_classes
from kg.explore.topics import broader_levels
from kg.problems import UserError

__all__ = ["SEED", "BETWEENNESS_EXACT_LIMIT", "BETWEENNESS_SAMPLES", "CENTRALITIES",
           "simple_projection", "stats", "centrality", "rank", "communities", "shortest_paths",
           "render_hop", "ego_network", "cooccurrence", "COOCCURRENCE_KINDS", "node_name",
           "blocked_nodes", "walkable", "edge_marks", "figures", "one_line"]

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


def blocked_nodes(G: nx.Graph, *, keep_context: bool = False, avoid=()) -> set:
    """The nodes a walk must not pass through: ``avoid``, plus the context hubs (each
    report's author and conference, ``G.graph["context"]``) unless ``keep_context``.

    >>> G = nx.Graph([("a", "b")]); G.graph["context"] = ["a"]
    >>> sorted(blocked_nodes(G)), sorted(blocked_nodes(G, keep_context=True, avoid=["b"]))
    (['a'], ['b'])
    """
    blocked = {node for node in avoid if node in G}
    if not keep_context:
        blocked |= {node for node in G.graph.get("context", ()) if node in G}
    return blocked


def walkable(G: nx.Graph, *, keep_context: bool = False, avoid=()) -> nx.Graph:
    """``G`` without the blocked nodes (a read-only subgraph view; ``G`` itself when none)."""
    blocked = blocked_nodes(G, keep_context=keep_context, avoid=avoid)
    if not blocked:
        return G
    return nx.subgraph_view(G, filter_node=lambda n: n not in blocked)


def edge_marks(data: dict, lang: str = "en", *, note: bool = True) -> list[str]:
    """What a reader must know about a relation or figure: implied, uncertain, former, its
    validity dates and the curator's note.

    >>> edge_marks({"implied": True, "former": True, "valid_until": "2010", "note": "x"})
    ['implied', 'former', 'until 2010', 'note: x']
    """
    zh = lang.startswith("zh")
    marks = []
    if data.get("implied"):
        marks.append("隱含" if zh else "implied")
    if data.get("uncertain"):
        marks.append("不確定" if zh else "uncertain")
    if data.get("former"):
        marks.append("過去" if zh else "former")
    start, end = data.get("valid_from") or "", data.get("valid_until") or ""
    if start and end:
        marks.append(f"{start}–{end}")
    elif start:
        marks.append(f"{'自' if zh else 'from'} {start}")
    elif end:
        marks.append(f"{'至' if zh else 'until'} {end}")
    if note and data.get("note"):
        marks.append(f"{'註' if zh else 'note'}: {data['note']}")
    return marks


def one_line(text: str) -> str:
    """A sentence for a table cell: line breaks inside it (the report's PDF lines) joined, with
    no space between two Chinese characters and one space otherwise.

    >>> one_line("Carla \\n\\nHayden 博士\\n被提名")
    'Carla Hayden 博士被提名'
    """
    def join(match):
        before, after = match.group(1), match.group(2)
        wide = ord(before) > 0x2e7f and ord(after) > 0x2e7f
        return before + ("" if wide else " ") + after

    return re.sub(r"(\S)\s*\n\s*(\S)", join, text or "").strip()


def figures(G: nx.Graph, node: str) -> list[dict]:
    """The figures (``kg:Fact``) about ``node``: property, value, unit, as-of date, period,
    section, marks, note and evidence, as ``to_networkx`` put them in ``G.graph["facts"]``;
    then the figures ``node`` is the named source of (``dcterms:source``; ``about`` says
    what they are about)."""
    facts = G.graph.get("facts", {})
    own = [dict(row) for row in facts.get(node, ())]
    sourced = [dict(row) for about in sorted(facts) if about != node
               for row in facts[about] if row.get("source") == node]
    return own + sourced


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
    components = fast.components(H)
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
    return fast.betweenness(H, k=k, seed=seed)


def _eigenvector(H: nx.Graph) -> dict:
    try:
        return fast.eigenvector(H)
    except Exception as exc:  # igraph's ARPACK error
        raise UserError(f"eigenvector centrality did not converge ({exc}); "
                        "use --by pagerank, which always does") from exc


def centrality(G: nx.Graph, by: str = "degree", *, k: int | None = None,
               seed: int = SEED, store: bool = True, keep_context: bool = False,
               avoid=()) -> dict:
    """One centrality (``degree``, ``betweenness``, ``pagerank``, ``eigenvector``) per node,
    on the undirected simple projection, computed with igraph (see ``kg.explore.fast``);
    stored on ``G``'s nodes under that name.

    The context hubs (``G.graph["context"]``: each report's author and conference) and the
    ``avoid`` nodes are left out unless ``keep_context``: they get no score.

    >>> centrality(nx.path_graph(3), "betweenness")[1]
    1.0
    """
    if by not in CENTRALITIES:
        raise UserError(f"unknown centrality {by!r}; use one of: {', '.join(CENTRALITIES)}")
    view = walkable(G, keep_context=keep_context, avoid=avoid)
    if by == "degree":  # linked neighbours / (n - 1), as networkx's degree_centrality
        g, nodes = fast.to_igraph(view)
        scale = 1 / (len(nodes) - 1) if len(nodes) > 1 else 1.0
        scores = {node: d * scale for node, d in zip(nodes, g.degree())}
    elif by == "betweenness":
        scores = _betweenness(view, k=k, seed=seed)
    elif by == "pagerank":
        scores = fast.pagerank(view)
    else:
        scores = _eigenvector(view)
    if store:
        nx.set_node_attributes(G, scores, by)
    return scores


def _doubts(G: nx.Graph, node: str) -> tuple[int, int, int]:
    """(implied, uncertain, former) relations touching ``node``."""
    edges = list(G.out_edges(node, data=True)) + list(G.in_edges(node, data=True)) \
        if G.is_directed() else list(G.edges(node, data=True))
    return (sum(1 for *_, d in edges if d.get("implied")),
            sum(1 for *_, d in edges if d.get("uncertain")),
            sum(1 for *_, d in edges if d.get("former")))


def rank(G: nx.Graph, by: str = "degree", *, cls: str | None = None, top: int = 10,
         keep_context: bool = False, avoid=()) -> list[dict]:
    """The ``top`` nodes by a centrality, optionally of one class, with their labels and how
    many of their relations are implied, uncertain or former (``marks``). Context hubs and
    ``avoid`` nodes are left out unless ``keep_context`` (see ``centrality``)."""
    if top < 1:
        raise UserError(f"--top must be at least 1 (got {top})")
    wanted = check_classes([cls])[0] if cls else None
    scores = centrality(G, by, keep_context=keep_context, avoid=avoid)
    degree = dict(G.degree())
    nodes = [n for n in scores if wanted is None or G.nodes[n].get("class") == wanted]
    nodes.sort(key=lambda n: (-scores[n], n))
    rows = []
    for i, n in enumerate(nodes[:top]):
        implied, uncertain, former = _doubts(G, n)
        marks = [f"{count} {what}" for count, what in ((implied, "implied"),
                                                       (uncertain, "uncertain"),
                                                       (former, "former")) if count]
        rows.append({"rank": i + 1, "id": n, "label_en": G.nodes[n].get("label_en", ""),
                     "label_zh": G.nodes[n].get("label_zh", ""),
                     "class": G.nodes[n].get("class", ""), "score": scores[n],
                     "degree": degree[n], "implied_links": implied,
                     "uncertain_links": uncertain, "former_links": former,
                     "marks": ", ".join(marks)})
    return rows


def _linked(G: nx.Graph, node: str) -> set:
    """The nodes linked to ``node`` either way."""
    if G.is_directed():
        return set(G.successors(node)) | set(G.predecessors(node))
    return set(G[node])


def _topic_counts(G: nx.Graph, group: list[str], view: nx.Graph, classes: dict,
                  rollup: int) -> tuple[Counter, dict]:
    counted: Counter = Counter()
    for node in group:
        if classes[node] == "Topic":
            counted[node] += 1
        for other in _linked(view, node):
            if classes.get(other) == "Topic" and other != node:
                counted[other] += 1
    depth = {topic: 0 for topic in counted}
    if rollup:
        rolled: Counter = Counter()
        for topic, count in counted.items():
            for upper, level in broader_levels(G, [topic], rollup).get(topic, {}).items():
                if level:
                    rolled[upper] += count
                    depth[upper] = min(depth.get(upper, level), level)
        counted.update(rolled)
    return counted, depth


def communities(G: nx.Graph, *, seed: int = SEED, resolution: float = 1.0,
                members: int = 5, topics: int = 5, keep_context: bool = False, avoid=(),
                rollup: int = 1) -> dict:
    """Leiden communities (igraph, modularity objective, fixed seed; see ``kg.explore.fast``
    for why not Louvain) with modularity; each with its most central members (PageRank) and
    its topics (topic members, topics its members are about, and their broader topics up to
    ``rollup`` levels, ``topic_depths`` saying how far each was rolled up).

    Context hubs and ``avoid`` nodes take no part unless ``keep_context``. Communities are
    numbered from the largest; node attribute ``community`` is set on ``G``.
    """
    view = walkable(G, keep_context=keep_context, avoid=avoid)
    if not any(u != v for u, v in view.edges()):
        return {"modularity": 0.0, "communities": []}
    found, modularity = fast.leiden(view, resolution=resolution, seed=seed)
    pagerank = fast.pagerank(view)
    classes = _classes(G)
    result = []
    for number, group in enumerate(found, start=1):
        counted, depth = _topic_counts(G, group, view, classes, rollup)
        central = sorted(group, key=lambda n: (-pagerank[n], n))[:members]
        top_topics = [t for t, _ in sorted(counted.items(),
                                           key=lambda kv: (-kv[1], depth[kv[0]], kv[0]))]
        for node in group:
            G.nodes[node]["community"] = number
        result.append({
            "community": number, "size": len(group), "members": central,
            "topics": top_topics[:topics],
            "topic_depths": {t: depth[t] for t in top_topics[:topics]},
            "classes": dict(Counter(classes[n] for n in group).most_common()),
            "internal_topics": sum(1 for n in group if classes[n] == "Topic"),
        })
    return {"modularity": modularity, "communities": result, "algorithm": "leiden",
            "left_out": sorted(set(G) - set(view))}


_HOP_FIELDS = ("section", "implied", "uncertain", "symmetric", "note", "former",
               "valid_from", "valid_until", "evidence", "evidence_start", "evidence_end",
               "evidence_status")


def _hop(G: nx.MultiDiGraph, u: str, v: str) -> dict:
    """The relation to show for the step u -> v: forward edges first, then stated, then cited."""
    options = []
    for a, b, forward in ((u, v, True), (v, u, False)):
        for key, data in (G.get_edge_data(a, b) or {}).items():
            options.append((data.get("implied", False), data.get("uncertain", False),
                            bool(data.get("former", False)), not data.get("section"),
                            not forward, key, forward, data))
    options.sort(key=lambda o: o[:6])
    *_, forward, data = options[0]
    hop = {"from": u, "to": v, "forward": forward, "relation": data.get("relation", ""),
           "label_en": data.get("label_en", ""), "label_zh": data.get("label_zh", ""),
           "alternatives": len(options) - 1}
    defaults = {"section": "", "note": "", "valid_from": "", "valid_until": "",
                "evidence": "", "evidence_status": ""}
    for field in _HOP_FIELDS:
        hop[field] = data.get(field, defaults.get(field, False if field not in
                                                  ("evidence_start", "evidence_end")
                                                  else None))
    return hop


def render_hop(G: nx.Graph, hop: dict, lang: str = "en") -> str:
    """One hop as a sentence: ``Carla Hayden —nominated by→ Barack Obama (貳.一.(二))``;
    traversed against the predicate it reads ``Barack Obama ←nominated by— Carla Hayden``.
    Implied, uncertain, former and dated relations say so after the section.
    """
    label = hop["label_zh" if lang.startswith("zh") else "label_en"] or hop["relation"]
    if hop.get("symmetric"):
        arrow = f"—{label}—"
    elif hop["forward"]:
        arrow = f"—{label}→"
    else:
        arrow = f"←{label}—"
    marks = [hop["section"]] if hop.get("section") else []
    marks += edge_marks(hop, lang, note=False)
    cite = f" ({'; '.join(marks)})" if marks else ""
    return f"{node_name(G, hop['from'], lang)} {arrow} {node_name(G, hop['to'], lang)}{cite}"


def shortest_paths(G: nx.MultiDiGraph, source: str, target: str, *, max_paths: int = 5,
                   avoid: tuple = (), avoid_classes: tuple = (),
                   max_degree: int | None = None, keep_context: bool = False,
                   H: nx.Graph | None = None) -> list[list[dict]]:
    """All shortest paths (at most ``max_paths``) between two nodes, ignoring direction,
    each a list of hops (see ``render_hop``). ``avoid`` nodes, nodes of ``avoid_classes``,
    nodes with more than ``max_degree`` links and, unless ``keep_context``, the context hubs
    (each report's author and conference) are not passed through (the ends always are
    allowed). No path gives ``[]``. ``H``: a simple projection of ``G`` already made.
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
    H = simple_projection(G) if H is None else H
    blocked = blocked_nodes(G, keep_context=keep_context, avoid=avoid)
    blocked |= {n for n, d in G.nodes(data=True) if d.get("class") in blocked_classes}
    if max_degree is not None:
        blocked |= {n for n, deg in H.degree() if deg > max_degree}
    blocked -= {source, target}
    view = nx.subgraph_view(H, filter_node=lambda n: n not in blocked)
    try:
        paths = list(islice(nx.all_shortest_paths(view, source, target), max_paths))
    except nx.NetworkXNoPath:
        return []
    hops = [[_hop(G, u, v) for u, v in zip(path, path[1:])] for path in paths]
    # Stated hops before implied, uncertain or former ones, then by the names along the path.
    hops.sort(key=lambda p: (sum(h["implied"] or h["uncertain"] or h["former"] for h in p),
                             [node_name(G, h["to"]) for h in p]))
    return hops


def _row(G, depth, parent, node, forward, key, data, rollup=0) -> dict:
    row = {"depth": depth, "via": parent, "id": node, "forward": forward,
           "relation": key, "label_en": data.get("label_en", ""),
           "label_zh": data.get("label_zh", ""), "symmetric": data.get("symmetric", False),
           "section": data.get("section", ""), "class": G.nodes[node].get("class", ""),
           "rollup": rollup}
    for field in _HOP_FIELDS[1:]:
        if field != "symmetric":
            row[field] = data.get(field, "" if field in ("note", "valid_from", "valid_until",
                                                         "evidence", "evidence_status")
                                  else None if field.startswith("evidence_") else False)
    return row


def ego_network(G: nx.MultiDiGraph, center: str, depth: int = 1, *,
                keep_context: bool = False, avoid=(), rollup: int = 0) -> list[dict]:
    """The nodes within ``depth`` links of ``center``, each with the relation that reaches
    it from the previous ring (and that relation's section, marks, note, history and
    evidence), sorted by distance, then relation, then name.

    Context hubs (unless ``keep_context``) and ``avoid`` nodes are listed when they are
    neighbours but not walked through. For a topic, ``rollup`` adds what is about its
    narrower topics up to that many levels down (``rollup`` column: how far)."""
    if center not in G:
        raise UserError(f"{center!r} is not in the graph (was its class left out?)")
    if depth < 1:
        raise UserError(f"--depth must be at least 1 (got {depth})")
    if rollup < 0:
        raise UserError(f"--rollup must be 0 or more (got {rollup})")
    H = simple_projection(G)
    blocked = blocked_nodes(G, keep_context=keep_context, avoid=avoid) - {center}
    distance = {center: 0}
    frontier = [center]
    for level in range(1, depth + 1):
        nxt = []
        for node in frontier:
            if node in blocked:
                continue
            for other in H[node]:
                if other not in distance:
                    distance[other] = level
                    nxt.append(other)
        frontier = nxt
    rows = []
    for node, d in distance.items():
        if d == 0:
            continue
        for parent in sorted(H[node]):
            if distance.get(parent) != d - 1 or (parent in blocked and d > 1):
                continue
            for a, b, forward in ((parent, node, True), (node, parent, False)):
                for key, data in sorted((G.get_edge_data(a, b) or {}).items()):
                    rows.append(_row(G, d, parent, node, forward, key, data))
    if rollup and G.nodes[center].get("class") == "Topic":
        from kg.explore.topics import narrower_levels

        seen = set(distance)
        for topic, level in sorted(narrower_levels(G, center, rollup).items(),
                                   key=lambda kv: (kv[1], kv[0])):
            for subject, _, key, data in sorted(G.in_edges(topic, keys=True, data=True)):
                if key == "schema:about" and subject not in seen:
                    seen.add(subject)
                    rows.append(_row(G, 1, topic, subject, False, key, data, rollup=level))
    rows.sort(key=lambda r: (r["depth"], r["rollup"], r["label_en"], not r["forward"],
                             r["via"], node_name(G, r["id"]), r["id"]))
    return rows


def _topic_links(G: nx.MultiDiGraph, cls: str, *, blocked: set = frozenset(),
                 rollup: int = 0) -> dict[str, dict]:
    """Entity of ``cls`` -> {topic: (number of distinct links to it, roll-up depth)}: a direct
    link, or through a session/poster/work/programme (any non-topic, non-conference
    neighbour) that is ``schema:about`` the topic; with ``rollup``, each topic's broader
    topics up to that many levels, at their depth. ``blocked`` nodes neither take part
    nor carry."""
    classes = _classes(G)
    about = defaultdict(set)
    for u, v, key in G.edges(keys=True):
        if key == "schema:about" and classes.get(v) == "Topic":
            about[u].add(v)
    links: dict[str, dict] = {}
    for node in sorted(n for n, c in classes.items() if c == cls and n not in blocked):
        carriers = defaultdict(set)
        for other in set(G.successors(node)) | set(G.predecessors(node)):
            if other in blocked:
                continue
            if classes[other] == "Topic":
                carriers[other].add(node)
            elif classes[other] not in _NO_CARRIER:
                for topic in about.get(other, ()):
                    carriers[topic].add(other)
        found = {t: (len(c), 0) for t, c in carriers.items()}
        if rollup:
            for topic, levels in broader_levels(G, list(carriers), rollup).items():
                for upper, level in levels.items():
                    if level and (upper not in found or found[upper][1] > level):
                        if upper in carriers:
                            continue
                        found[upper] = (len(carriers[topic]), level)
        if found:
            links[node] = found
    return links


def cooccurrence(G: nx.MultiDiGraph, kind: str = "person-topic", *, rollup: int = 1,
                 keep_context: bool = False, avoid=()) -> dict:
    """Who shares which topics: ``links`` (entity, topic, weight, depth) and ``pairs`` (two
    entities of the kind's class, the topics they share, weight = number shared), heaviest
    first.

    With ``rollup`` (default 1) each topic also counts as its broader topics up to that many
    levels along ``skos:broader``; ``depth`` (links) and ``topic_depths`` (pairs: the depth
    for each of the two) say how far. Context hubs (the author attended every session) and
    ``avoid`` nodes take no part unless ``keep_context``. The pair weights are networkx's
    ``bipartite.weighted_projected_graph`` of the entity–topic graph.
    """
    if kind not in COOCCURRENCE_KINDS:
        raise UserError(f"unknown kind {kind!r}; use one of: {', '.join(COOCCURRENCE_KINDS)}")
    if rollup < 0:
        raise UserError(f"--rollup must be 0 or more (got {rollup})")
    blocked = blocked_nodes(G, keep_context=keep_context, avoid=avoid)
    links = _topic_links(G, COOCCURRENCE_KINDS[kind], blocked=blocked, rollup=rollup)
    B = nx.Graph()
    entities = sorted(links)
    B.add_nodes_from(entities, bipartite=0)
    for node in entities:
        for topic, (weight, _) in sorted(links[node].items()):
            B.add_node(("topic", topic), bipartite=1)
            B.add_edge(node, ("topic", topic), weight=weight)
    P = nx.bipartite.weighted_projected_graph(B, entities) if entities else nx.Graph()
    pairs = []
    for a, b, data in P.edges(data=True):
        a, b = sorted((a, b))
        shared = sorted(set(links[a]) & set(links[b]),
                        key=lambda t: (max(links[a][t][1], links[b][t][1]), t))
        pairs.append({"a": a, "b": b, "weight": data["weight"], "topics": shared,
                      "topic_depths": {t: [links[a][t][1], links[b][t][1]] for t in shared}})
    pairs.sort(key=lambda p: (-p["weight"], p["a"], p["b"]))
    rows = [{"entity": n, "topic": t, "weight": w, "depth": d} for n in entities
            for t, (w, d) in sorted(links[n].items(), key=lambda kv: (kv[1][1], -kv[1][0],
                                                                      kv[0]))]
    return {"kind": kind, "rollup": rollup, "links": rows, "pairs": pairs,
            "left_out": sorted(blocked)}

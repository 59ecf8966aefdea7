"""Which part of the graph a view shows: whole, focus, types, community, topic map, person–topic.

Each function takes the networkx graph (nodes with ``label_en``/``label_zh``/``class``) and
returns a subgraph (a copy); none of them draws anything.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", **{"class": "Person"}); G.add_node("b", **{"class": "Topic"})
>>> _ = G.add_edge("a", "b", predicate="schema:about")
>>> sorted(by_types(G, ["Person"]))
['a']
"""

from __future__ import annotations

import networkx as nx

from kg.namespaces import compact_iri
from kg.problems import UserError

__all__ = ["focus", "by_types", "by_community", "topic_map", "person_topic",
           "communities", "centrality", "edge_curie", "CENTRALITIES"]

CENTRALITIES = ("degree", "pagerank", "betweenness", "eigenvector")


def edge_curie(attrs: dict) -> str:
    """The predicate of an edge as a CURIE (``relation`` in kg.explore.graphview, else ``predicate``)."""
    if attrs.get("relation"):
        return attrs["relation"]
    predicate = str(attrs.get("predicate", ""))
    return compact_iri(predicate) if predicate.startswith("http") else predicate


def focus(G: nx.Graph, entity: str, depth: int = 1) -> nx.Graph:
    """The entity and everything within ``depth`` links of it, in either direction."""
    if depth < 0:
        raise UserError(f"--depth {depth} is negative; give 0 or more")
    from kg.explore.resolve import resolve

    center = resolve(G, entity)
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center,
                                                 cutoff=depth)
    return G.subgraph(near).copy()


def by_types(G: nx.Graph, classes: list[str]) -> nx.Graph:
    """Only the nodes of the given classes (``Person``, ``Library``, …; case-insensitive)."""
    from kg.explore.graphview import check_classes

    wanted = set(check_classes(classes))
    return G.subgraph([n for n, a in G.nodes(data=True) if a.get("class") in wanted]).copy()


def communities(G: nx.Graph) -> dict[str, int]:
    """Node -> community number as ``kg communities`` numbers them (1 = largest; 0 for the
    context hubs, each report's author and conference, which take part in none)."""
    from kg.explore.analytics import communities as louvain

    if G.number_of_nodes() == 0:
        return {}
    H = G.copy()
    found = louvain(H)
    if not found["communities"]:
        return {n: 1 for n in G}
    return {n: H.nodes[n].get("community", 0) for n in G}


def by_community(G: nx.Graph, number: int, membership: dict[str, int] | None = None) -> nx.Graph:
    """The nodes of one community (numbered as ``kg communities`` does, from 1)."""
    membership = membership if membership is not None else communities(G)
    numbers = sorted(set(membership.values()))
    if number not in numbers:
        raise UserError(f"--community {number} does not exist; the graph has communities "
                        f"{numbers[0]} to {numbers[-1]} (see `kg communities`)" if numbers
                        else f"--community {number}: the graph has no communities")
    return G.subgraph([n for n, c in membership.items() if c == number and n in G]).copy()


def centrality(G: nx.Graph, measure: str = "degree") -> dict[str, float]:
    """Node -> centrality scaled to [0, 1] (kg.explore.analytics: degree, pagerank, betweenness, …)."""
    from kg.explore.analytics import centrality as score

    if G.number_of_nodes() == 0:
        return {}
    if G.number_of_edges() == 0:
        return {n: 0.0 for n in G}
    values = score(G, measure, store=False, keep_context=True)  # every node drawn gets a size
    top = max(values.values(), default=0) or 1.0
    return {node: value / top for node, value in values.items()}


def _edges(G: nx.Graph):
    """(u, v, key, attrs) for any kind of networkx graph."""
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, attrs in G.edges(data=True):
            yield u, v, None, attrs


def _add_edge(G: nx.Graph, u, v, key, attrs) -> None:
    if G.is_multigraph():
        G.add_edge(u, v, key=key, **attrs)
    else:
        G.add_edge(u, v, **attrs)


def topic_map(G: nx.Graph) -> nx.Graph:
    """The SKOS topic hierarchy plus the sessions that are about each topic."""
    keep = [n for n, a in G.nodes(data=True) if a.get("class") in ("Topic", "Session")]
    view = G.__class__()
    view.add_nodes_from(G.subgraph(keep).nodes(data=True))
    for u, v, key, attrs in _edges(G.subgraph(keep)):
        if edge_curie(attrs) in ("skos:broader", "schema:about"):
            _add_edge(view, u, v, key, attrs)
    # A session linked to no topic is noise on a topic map.
    view.remove_nodes_from([n for n in list(view) if view.nodes[n].get("class") == "Session"
                            and view.degree(n) == 0])
    return view


def _sections_between(G: nx.Graph, a, b) -> list[str]:
    found = []
    for u, v in ((a, b), (b, a)):
        data = G.get_edge_data(u, v) or {}
        items = data.values() if G.is_multigraph() else [data]
        for attrs in items:
            found.extend(x for x in str(attrs.get("section", "")).split("; ") if x)
    return found


def person_topic(G: nx.Graph) -> nx.Graph:
    """People and topics, linked as ``kg cooccur person-topic`` links them: directly, or
    through a session, poster or work that is about the topic.

    Each edge is a derived ``kg:speaksOn`` with ``weight`` (number of distinct links), ``via``
    (the sessions/works) and ``section`` (the sections citing the person's part in them).
    """
    from kg.explore.analytics import cooccurrence

    view = nx.MultiDiGraph()
    about: dict[str, set] = {}
    for u, v, _, attrs in _edges(G):
        if edge_curie(attrs) == "schema:about":
            about.setdefault(u, set()).add(v)
    for row in cooccurrence(G, "person-topic")["links"]:
        person, topic = row["entity"], row["topic"]
        for node in (person, topic):
            if node not in view:
                view.add_node(node, **G.nodes[node])
        neighbours = set(G.successors(person)) | set(G.predecessors(person)) \
            if G.is_directed() else set(G[person])
        via = sorted(n for n in neighbours if topic in about.get(n, ()) and n != topic)
        sections = _sections_between(G, person, topic) if topic in neighbours else []
        for carrier in via:
            sections.extend(_sections_between(G, person, carrier))
        view.add_edge(person, topic, key="kg:speaksOn", predicate="kg:speaksOn",
                      relation="kg:speaksOn", weight=row["weight"], via=", ".join(via),
                      section="; ".join(dict.fromkeys(sections)), implied=True,
                      uncertain=False, role_en="", role_zh="")
    return view

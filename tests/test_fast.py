"""igraph computes the heavy analytics; where the algorithm is networkx's, so are the numbers."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.explore import analytics, fast


@pytest.fixture()
def projection(view):
    return analytics.simple_projection(view)


@pytest.mark.parametrize("k", [None, 40])
def test_betweenness_equals_networkx_exact_and_sampled(view, projection, k):
    expected = nx.betweenness_centrality(projection, k=k, seed=42)
    found = fast.betweenness(view, k=k, seed=42)
    assert found.keys() == expected.keys()
    assert max(abs(found[n] - expected[n]) for n in expected) < 1e-12


def test_pagerank_and_eigenvector_agree_with_networkx(view, projection):
    pagerank = nx.pagerank(projection, weight="weight")
    found = fast.pagerank(view)
    assert max(abs(found[n] - pagerank[n]) for n in pagerank) < 1e-4
    assert abs(sum(found.values()) - 1) < 1e-9
    eigen = nx.eigenvector_centrality(projection, max_iter=1000, weight="weight")
    found = fast.eigenvector(view)
    assert max(abs(found[n] - eigen[n]) for n in eigen) < 1e-3


def test_leiden_repeats_and_beats_louvains_modularity(view, projection):
    groups, modularity = fast.leiden(view, seed=42)
    again, _ = fast.leiden(view, seed=42)
    assert groups == again
    assert sorted(n for g in groups for n in g) == sorted(projection)
    louvain = nx.community.louvain_communities(projection, weight="weight", seed=42)
    assert modularity >= nx.community.modularity(projection, louvain, weight="weight") - 1e-9
    assert abs(modularity - nx.community.modularity(projection, groups, weight="weight")) < 1e-9
    for group in groups:  # Leiden's guarantee, which Louvain lacks
        assert nx.is_connected(projection.subgraph(group))


def test_components_match_networkx(view, projection):
    expected = sorted((len(c) for c in nx.connected_components(projection)), reverse=True)
    assert fast.components(view) == expected
    assert fast.components(nx.Graph([(1, 2), (3, 4), (4, 5)])) == [3, 2]


def test_igraph_copy_merges_parallel_relations_into_weights():
    g, nodes = fast.to_igraph(nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "c")]))
    assert nodes == ["a", "b", "c"] and g.ecount() == 2 and sorted(g.es["weight"]) == [1, 2]

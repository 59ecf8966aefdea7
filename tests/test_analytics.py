"""Analytics on the real graph: paths a researcher would check, neighbours, communities."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kg.explore import analytics
from kg.problems import UserError


def test_path_from_nlpi_to_the_ukrainian_library_association_goes_through_ala(view):
    paths = analytics.shortest_paths(view, "nlpi", "ukrainian-library-association",
                                     keep_context=True)
    assert paths, "no path found"
    through = [[hop["to"] for hop in path[:-1]] for path in paths]
    assert any("ala" in nodes for nodes in through)
    for path in paths:
        assert path[0]["from"] == "nlpi" and path[-1]["to"] == "ukrainian-library-association"
        for hop in path:
            assert hop["section"], f"hop {hop['from']} -> {hop['to']} cites no section"


def test_each_hop_reads_as_a_sentence_citing_its_section_both_ways(view):
    forward = analytics.shortest_paths(view, "carla-hayden", "barack-obama")[0]
    assert analytics.render_hop(view, forward[0]) == \
        "Carla Hayden —nominated by→ Barack Obama (貳.一.(二))"
    backward = analytics.shortest_paths(view, "barack-obama", "carla-hayden")[0]
    assert analytics.render_hop(view, backward[0]) == \
        "Barack Obama ←nominated by— Carla Hayden (貳.一.(二))"
    assert analytics.render_hop(view, forward[0], "zh").endswith("(貳.一.(二))")
    assert "獲提名自" in analytics.render_hop(view, forward[0], "zh")


def test_avoiding_a_hub_or_a_class_reroutes_the_path(view):
    paths = analytics.shortest_paths(view, "nlpi", "ukrainian-library-association",
                                     avoid=("ala",), avoid_classes=("Conference",), max_paths=10,
                                     keep_context=True)
    assert paths, "NLPI's representative still reaches the association"
    for path in paths:
        for hop in path[:-1]:
            assert hop["to"] != "ala"
            assert view.nodes[hop["to"]]["class"] != "Conference"
    with pytest.raises(UserError):
        analytics.shortest_paths(view, "nlpi", "ala", avoid=("ala",))


def test_climate_justice_session_neighbours_are_the_three_public_libraries(view):
    rows = analytics.ego_network(view, "session-climate-justice", depth=1)
    ids = {row["id"] for row in rows}
    assert {"madison-public-library", "evanston-public-library",
            "racine-public-library"} <= ids
    assert all(row["depth"] == 1 and row["section"] for row in rows)


def test_depth_two_reaches_further_than_depth_one(view):
    one = {r["id"] for r in analytics.ego_network(view, "carla-hayden", 1)}
    two = {r["id"] for r in analytics.ego_network(view, "carla-hayden", 2)}
    assert "library-of-congress" in one and one < two


def test_stats_count_what_the_dataset_holds(view, counts):
    stats = analytics.stats(view)
    assert stats["nodes"] == counts["entities"]
    assert stats["edges"] == counts["relations"]
    assert stats["by_class"]["Session"] == counts["sessions"]
    assert sum(stats["degree_distribution"].values()) == stats["nodes"]
    hubs = dict(stats["most_connected"]["Conference"])
    assert "ala-annual-2022" in hubs


@pytest.mark.parametrize("by", analytics.CENTRALITIES)
def test_every_centrality_ranks_the_conference_among_the_top_when_context_is_kept(view, by):
    top = [row["id"] for row in analytics.rank(view, by, top=10, keep_context=True)]
    assert "ala-annual-2022" in top
    default = [row["id"] for row in analytics.rank(view, by, top=10)]
    assert "ala-annual-2022" not in default, "context hubs are left out by default"
    libraries = analytics.rank(view, by, cls="Library", top=3)
    assert all(row["class"] == "Library" for row in libraries)


def test_rank_rejects_a_bad_top_and_class(view):
    with pytest.raises(UserError):
        analytics.rank(view, "degree", top=-1)
    with pytest.raises(UserError, match="unknown class 'Libary'"):
        analytics.rank(view, "degree", cls="Libary")


def test_communities_group_the_climate_session_with_its_libraries(view):
    found = analytics.communities(view)
    assert 0.3 < found["modularity"] < 1
    community = view.nodes["session-climate-justice"]["community"]
    for library in ("madison-public-library", "evanston-public-library", "racine-public-library"):
        assert view.nodes[library]["community"] == community
    described = found["communities"][community - 1]
    assert "climate-justice" in described["topics"]


_COMMUNITIES = """
import json, sys
from kg.api import load
from kg.explore.analytics import communities
G = load(sys.argv[1]).networkx()
found = communities(G)
print(json.dumps([sorted(n for n in G if G.nodes[n].get('community') == c['community'])
                  for c in found['communities']] + [round(found['modularity'], 12)]))
"""


def test_communities_are_identical_across_processes(built_out):
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run([sys.executable, "-c", _COMMUNITIES, str(built_out)], env=env,
                              capture_output=True, text=True, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 3


def test_libraries_of_the_climate_session_share_its_topics(view):
    found = analytics.cooccurrence(view, "library-topic")
    pairs = {(p["a"], p["b"]): p for p in found["pairs"]}
    pair = pairs[("evanston-public-library", "madison-public-library")]
    assert "climate-justice" in pair["topics"] and pair["weight"] == len(pair["topics"])
    assert found["pairs"][0]["weight"] >= found["pairs"][-1]["weight"]


def test_people_share_topics_through_the_sessions_they_spoke_at(view):
    found = analytics.cooccurrence(view, "person-topic")
    links = {(r["entity"], r["topic"]) for r in found["links"]}
    # Carla Hayden spoke at her talk, which is about information literacy.
    assert ("carla-hayden", "information-literacy") in links
    assert ("barack-obama", "information-literacy") not in links
    with pytest.raises(UserError):
        analytics.cooccurrence(view, "topic-topic")


def test_leaving_out_places_removes_them_and_their_links(built_dataset):
    from kg.explore.graphview import to_networkx

    G = to_networkx(built_dataset, exclude_classes=["City", "State", "Country", "Place"])
    assert not any(d["class"] in {"City", "State", "Country"} for _, d in G.nodes(data=True))
    assert not any(k == "schema:containedInPlace" for _, _, k in G.edges(keys=True))
    with_docs = to_networkx(built_dataset, documents=True)
    assert with_docs.nodes["doc/ala-2022-report"]["class"] == "Report"
    assert with_docs.has_edge("carla-hayden", "doc/ala-2022-report/s2-1-2")
    no_hierarchy = to_networkx(built_dataset, topic_hierarchy=False)
    assert not any(k == "skos:broader" for _, _, k in no_hierarchy.edges(keys=True))

"""Research questions answered from the command line: figures, marks, context hubs, roll-up,
brokers and search, on the real build of data/ with the report text."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import run_cli


run = run_cli


def rows(*args):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def context_ids(built_out):
    """The report's author and conference, read from the RDF (not from our code)."""
    from kg.api import open_store, sparql_rows

    found = sparql_rows(open_store(built_out), """
        SELECT ?hub WHERE { ?report a schema:Report .
          { ?report dcterms:creator ?hub } UNION { ?report schema:about ?hub } }""")
    base = "https://w3id.org/nlpi-kg/id/"
    return {str(row["hub"]).strip("<>")[len(base):] for row in found}


def test_carla_haydens_neighbours_include_her_nomination_with_its_section(built_out):
    found = rows("neighbors", "Carla Hayden", "--out", built_out)
    nomination = [r for r in found if r["predicate"] == "kg:nominatedBy"]
    assert [(r["id"], r["section"]) for r in nomination] == [("barack-obama", "貳.一.(二)")]


def test_neighbors_and_path_show_the_evidence_sentence_at_its_offsets(built_out, report_text):
    found = rows("neighbors", "carla-hayden", "--out", built_out)
    (nomination,) = [r for r in found if r["predicate"] == "kg:nominatedBy"]
    assert nomination["evidence_status"] == "sentence"
    start, end = nomination["evidence_start"], nomination["evidence_end"]
    assert report_text[start:end] == nomination["evidence"]
    assert "Hayden" in nomination["evidence"]
    (hop,) = rows("path", "carla-hayden", "barack-obama", "--out", built_out)
    assert hop["evidence"] == nomination["evidence"] and hop["evidence_start"] == start
    table = run("path", "carla-hayden", "barack-obama", "--out", built_out).stdout
    lines = table.splitlines()
    assert len(lines) == 3 and lines[0].split() == ["path", "hop", "text", "evidence"]
    assert "Hayden" in lines[2].split("(貳.一.(二))", 1)[1]


def test_julie_stivers_award_year_is_among_her_neighbours(built_out):
    found = rows("neighbors", "julie-stivers", "--out", built_out)
    figures = [r for r in found if r["kind"] == "figure"]
    award = [r for r in figures if r["predicate"] == "kg:awardYear"]
    assert award and award[0]["value"] == "2017" and award[0]["section"] == "貳.一.(三).4"
    table = run("neighbors", "julie-stivers", "--out", built_out).stdout
    line = next(l for l in table.splitlines() if "year of award" in l)
    assert "2017" in line.split("year of award")[1] and "貳.一.(三).4" in line


def test_a_figure_shows_its_unit_and_as_of_date(built_out):
    found = rows("neighbors", "ukraine", "--out", built_out)
    dated = [r for r in found if r["kind"] == "figure" and r["as_of"]]
    assert dated, "UNESCO's damage counts about Ukraine carry an as-of date"
    assert all(r["unit"] and r["section"] and f"as of {r['as_of']}" in r["marks"]
               and "source: UNESCO" in r["marks"] for r in dated)
    reported = [r for r in rows("neighbors", "unesco", "--out", built_out)
                if r["kind"] == "figure"]
    assert {r["value"] for r in reported} >= {r["value"] for r in dated}
    assert all(r["neighbor"].startswith("Ukraine: ") for r in reported)


def test_philip_lees_uncertain_link_is_marked_in_table_and_json(built_out):
    found = rows("neighbors", "philip-lee", "--out", built_out)
    uncertain = [r for r in found if r["uncertain"]]
    assert uncertain, "one of Philip Lee's links is uncertain in data/"
    for r in uncertain:
        assert "uncertain" in r["marks"] and r["note"]
    stated = [r for r in found if r["kind"] == "relation" and not r["uncertain"]
              and not r["implied"]]
    assert stated and all("uncertain" not in r["marks"] for r in stated)
    table = run("neighbors", "philip-lee", "--out", built_out).stdout.splitlines()
    for r in uncertain:
        line = next(l for l in table if f"  {r['id']}  " in l)
        assert "uncertain" in line and r["section"] in line


def test_a_former_relation_is_marked(built_out):
    found = rows("neighbors", "philip-lee", "--out", built_out)
    former = [r for r in found if r["former"]]
    assert former and all("former" in r["marks"] for r in former)
    current = [r for r in found if r["kind"] == "relation" and not r["former"]]
    assert all("former" not in r["marks"] for r in current)


def test_betweenness_top_three_leaves_out_the_author_and_the_conference(built_out,
                                                                         context_ids):
    assert len(context_ids) == 2
    top = [r["id"] for r in rows("rank", "--by", "betweenness", "--top", "3", "--out",
                                 built_out)]
    assert len(top) == 3 and not set(top) & context_ids
    kept = [r["id"] for r in rows("rank", "--by", "betweenness", "--top", "3",
                                  "--keep-context", "--out", built_out)]
    assert set(kept) & context_ids, "with --keep-context the hubs rank again"


def test_avoid_leaves_an_entity_out_of_the_ranking(built_out):
    top = [r["id"] for r in rows("rank", "--by", "pagerank", "--top", "1", "--out",
                                 built_out)]
    again = [r["id"] for r in rows("rank", "--by", "pagerank", "--top", "5", "--avoid",
                                   top[0], "--out", built_out)]
    assert top[0] not in again


def test_paths_do_not_pass_through_context_unless_asked(built_out, context_ids):
    default = run("path", "nlpi", "ukrainian-library-association", "--out", built_out, "--json")
    if default.exit_code == 0:
        hops = json.loads(default.stdout)
        assert not {h["to"] for h in hops} & context_ids
    else:
        assert default.exit_code == 1 and "--keep-context" in default.output
    kept = rows("path", "nlpi", "ukrainian-library-association", "--keep-context", "--out",
                built_out)
    assert {h["to"] for h in kept} & context_ids


def _speakers(view, session):
    return {u for u, _, k in view.in_edges(session, keys=True) if k == "schema:performerIn"}


def test_two_social_media_speakers_share_social_media_only_after_roll_up(built_out, view):
    # Carla Hayden's talk is about Social media; the TikTok session about Short-form video,
    # a narrower topic of Social media.
    assert ("short-form-video", "social-media", "skos:broader") in view.edges(keys=True)
    hayden = _speakers(view, "session-carla-hayden-talk")
    tiktok = _speakers(view, "session-tiktok-libraries")
    assert hayden and tiktok
    a, b = sorted((next(iter(hayden)), next(iter(tiktok))))

    def shared(*extra):
        pairs = rows("cooccur", "--out", built_out, *extra)
        return next((p for p in pairs if (p["a_id"], p["b_id"]) == (a, b)), None)

    before = shared("--rollup", "0")
    assert before is None or "social-media" not in before["topic_ids"]
    after = shared()
    assert after and "social-media" in after["topic_ids"]
    assert sorted(after["topic_depths"]["social-media"]) == [0, 1]
    table = run("cooccur", "--out", built_out).stdout
    assert "Social media (↑1)" in table


def test_the_author_shares_no_topics_by_default(built_out, context_ids):
    pairs = rows("cooccur", "--out", built_out)
    assert not {p["a_id"] for p in pairs} & context_ids
    assert not {p["b_id"] for p in pairs} & context_ids
    kept = rows("cooccur", "--keep-context", "--out", built_out)
    assert ({p["a_id"] for p in kept} | {p["b_id"] for p in kept}) & context_ids


def test_neighbors_of_a_topic_roll_up_its_narrower_topics(built_out):
    plain = {r["id"] for r in rows("neighbors", "social-media", "--out", built_out)}
    rolled = rows("neighbors", "social-media", "--rollup", "1", "--out", built_out)
    added = [r for r in rolled if r["rollup"]]
    assert "session-tiktok-libraries" in {r["id"] for r in added}
    assert "session-tiktok-libraries" not in plain
    assert all(r["rollup"] == 1 and r["section"] for r in added)


def test_communities_show_rolled_up_topics_with_their_depth(built_out, context_ids):
    found = rows("communities", "--out", built_out)
    assert any(d > 0 for c in found for d in c["topic_depths"].values())
    members = {m for c in found for m in c["member_ids"]}
    assert not members & context_ids


def test_brokers_between_social_media_and_edi_sessions(built_out):
    found = rows("brokers", "--between", "class:Session&topic:social media",
                 "--and", "class:Session&topic:EDI", "--out", built_out)
    top = [r["id"] for r in found[:3]]
    assert "session-1000-black-girl-books" in top
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
    for r in found:
        assert r["hops"] and any(h["to"] == r["id"] for h in r["hops"][:-1])
        assert r["sections"], f"{r['id']}'s path cites no section"


def test_brokers_reject_an_empty_set(built_out):
    result = run("brokers", "--between", "class:Session&class:Person", "--and", "ala",
                 "--out", built_out)
    assert result.exit_code == 2 and "is empty" in result.output


def test_search_gaming_finds_games_in_libraries(built_out):
    found = rows("search", "gaming", "--out", built_out)
    assert found[0]["id"] == "games-in-libraries"


@pytest.mark.parametrize("text,wrong", [("EDI", "social-media"), ("mascot", "madison-wi")])
def test_search_does_not_match_inside_words_or_by_loose_spelling(built_out, text, wrong):
    result = run("search", text, "--out", built_out, "--json")
    found = json.loads(result.stdout) if result.exit_code == 0 else []
    assert wrong not in [r["id"] for r in found]


def test_search_reads_descriptions_roles_and_figures(built_out):
    role = rows("search", "Librarian of Congress", "--out", built_out)
    assert any(r["id"] == "carla-hayden" and r["matched"] == "role" for r in role)
    figure = rows("search", "2017", "--out", built_out)
    assert figure[0]["id"] == "julie-stivers" and "2017" in figure[0]["matched"]


@pytest.mark.parametrize("text", ["社群媒體", "社群媒体", "social media"])
def test_search_meets_three_scripts(built_out, text):
    assert rows("search", text, "--out", built_out)[0]["id"] == "social-media"


def test_a_section_is_found_by_its_notation(built_out):
    found = rows("neighbors", "肆.二", "--documents", "--out", built_out)
    assert found and all(r["section"] == "肆.二" for r in found if r["kind"] == "relation")
    hit = rows("search", "肆.二", "--documents", "--out", built_out)[0]
    assert hit["matched"] == "notation" and hit["class"] == "Section"


def test_libraries_and_places_prints_each_row_once(built_out):
    found = rows("query", "--name", "libraries-and-places", "--out", built_out)
    bindings = found["results"]["bindings"]
    keys = [(b["library"]["value"], b["place"]["value"]) for b in bindings]
    assert keys and len(keys) == len(set(keys))


def test_the_row_count_follows_the_table_on_its_own_line(built_out):
    done = subprocess.run([sys.executable, "-m", "kg", "query", "--name",
                           "libraries-and-places", "--out", str(built_out)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=True)
    lines = done.stdout.rstrip("\n").splitlines()
    assert lines[0].startswith("library") and lines[-1].endswith("rows)")
    assert lines[-1].startswith("(")

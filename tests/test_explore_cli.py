"""The explore commands from the command line: answers, and bad input without tracebacks."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli


run = run_cli


@pytest.mark.parametrize("text", ["國會圖書館", "国会图书馆", "library of congress"])
def test_search_finds_the_library_of_congress(built_out, text):
    result = run("search", text, "--out", built_out, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["id"] == "library-of-congress"


def test_neighbors_of_the_climate_session_lists_the_three_libraries(built_out):
    result = run("neighbors", "session-climate-justice", "--out", built_out)
    assert result.exit_code == 0
    for name in ("Madison Public Library", "Evanston Public Library", "Racine Public Library"):
        assert name in result.output


def test_path_prints_hops_with_sections_in_chinese(built_out):
    # NLPI reaches the association only through the conference it attended: context, kept
    # here on purpose (left out by default, see tests/test_research.py).
    result = run("path", "國立公共資訊圖書館", "ukrainian-library-association", "--out",
                 built_out, "--lang", "zh", "--json", "--keep-context")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert any(r["to"] == "ala" or r["from"] == "ala" for r in rows)
    assert all(r["section"] and r["section"] in r["text"] for r in rows)


@pytest.mark.parametrize("command", [["stats"], ["rank", "--by", "pagerank"], ["communities"],
                                     ["cooccur", "--kind", "library-topic"]])
def test_commands_answer_in_each_format(built_out, command):
    for fmt in ("--json", "--csv"):
        result = run(*command, "--out", built_out, fmt)
        assert result.exit_code == 0 and result.output.strip()
    assert json.loads(run(*command, "--out", built_out, "--json").stdout)


def test_export_writes_into_the_build_folder_by_default(built_out, tmp_path):
    result = run("export", "--format", "gexf", "--out", built_out, "--to", tmp_path / "g.gexf")
    assert result.exit_code == 0 and (tmp_path / "g.gexf").is_file()


BAD = [
    (["path", "no-such-thing", "ala"], "unknown entity 'no-such-thing'"),
    (["path", "carla haydn", "ala"], "carla-hayden"),
    (["neighbors", "Climate Justice"], "ambiguous"),
    (["rank", "--type", "Libary"], "unknown class 'Libary'"),
    (["stats", "--exclude-type", "Citty"], "unknown class 'Citty'"),
    (["path", "nlpi", "ala", "--avoid-type", "Plaec"], "unknown class 'Plaec'"),
    (["rank", "--top", "-1"], "-1"),
    (["neighbors", "ala", "--depth", "0"], "0"),
    (["path", "ala", "ala"], "same entity"),
    (["search", "   "], "empty search text"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_gives_a_message_and_exit_2(built_out, args, message):
    result = run(*args, "--out", built_out)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("command", [["stats"], ["search", "ala"], ["path", "a", "b"],
                                     ["export", "--format", "csv"]])
def test_missing_build_output_says_run_kg_build(tmp_path, command):
    result = run(*command, "--out", tmp_path / "nothing-here")
    assert result.exit_code == 2
    assert "run `kg build` first" in result.output

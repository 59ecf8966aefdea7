"""``kg query`` as a user runs it: formats, labels, the library, and clear errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph
import pytest


def kg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


@pytest.fixture(scope="module")
def out(built_out) -> str:
    return str(built_out)


HEADS = "SELECT ?org WHERE { id:carla-hayden kg:heads ?org }"


def test_table_with_predeclared_prefixes_and_labels(out):
    result = kg("query", HEADS, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "id:library-of-congress" in result.stdout
    assert "Library of Congress" in result.stdout           # the orgLabel column
    zh = kg("query", HEADS, "--out", out, "--lang", "zh")
    assert "美國國會圖書館" in zh.stdout
    header = zh.stdout.splitlines()[0].split()
    assert header == ["org", "orgLabel"]


def test_cjk_table_columns_line_up(out):
    result = kg("query", "--name", "labels-both-languages", "--out", out)
    lines = result.stdout.splitlines()
    from kg.output import display_width

    start = display_width(lines[0][:lines[0].index("zh")])
    loc = next(line for line in lines if line.startswith("id:library-of-congress"))
    prefix = loc[:loc.index("美國國會圖書館")]
    assert display_width(prefix) == start


def test_standard_result_formats_parse(out):
    parsed = {}
    for fmt in ("json", "xml", "tsv"):  # CSV is lossy: pyoxigraph does not read it back
        result = kg("query", HEADS, "--out", out, "--format", fmt)
        assert result.returncode == 0, result.stderr
        solutions = pyoxigraph.parse_query_results(
            result.stdout.encode(), format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
        parsed[fmt] = [s["org"].value for s in solutions]
    assert set(map(tuple, parsed.values())) == {("https://w3id.org/nlpi-kg/id/library-of-congress",)}
    data = json.loads(kg("query", HEADS, "--out", out, "--json").stdout)
    assert data["head"]["vars"] == ["org"]
    for flag in ("--csv", "--format=csv"):
        rows = list(csv.reader(io.StringIO(kg("query", HEADS, "--out", out, flag).stdout)))
        assert rows == [["org"], ["https://w3id.org/nlpi-kg/id/library-of-congress"]]


def test_construct_as_turtle_and_jsonld(out):
    query = "CONSTRUCT WHERE { id:carla-hayden kg:nominatedBy ?who }"
    ttl = kg("query", query, "--out", out, "--format", "turtle")
    assert ttl.returncode == 0, ttl.stderr
    triples = list(pyoxigraph.parse(ttl.stdout.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    assert [t.object.value for t in triples] == ["https://w3id.org/nlpi-kg/id/barack-obama"]
    jsonld = kg("query", "DESCRIBE id:barack-obama", "--out", out, "--format", "jsonld")
    labels = {t.object.value for t in pyoxigraph.parse(jsonld.stdout.encode(),
                                                       format=pyoxigraph.RdfFormat.JSON_LD)
              if t.predicate.value.endswith("#label")}
    assert "Barack Obama" in labels


def test_ask_and_query_from_file_and_stdin(out, tmp_path):
    path = tmp_path / "ask.rq"
    path.write_text("ASK { id:carla-hayden kg:nominatedBy id:barack-obama }", encoding="utf-8")
    result = kg("query", "--file", str(path), "--out", out)
    assert result.returncode == 0 and "true" in result.stdout
    piped = kg("query", "--file", "-", "--out", out, "--format", "json",
               stdin="ASK { id:barack-obama kg:heads id:library-of-congress }")
    assert json.loads(piped.stdout)["boolean"] is False


def test_list_shows_the_library(out):
    result = kg("query", "--list")
    assert result.returncode == 0
    assert "who-leads-library-of-congress" in result.stdout
    assert "Who leads the Library of Congress" in result.stdout
    zh = kg("query", "--list", "--lang", "zh", "--format", "json")
    rows = json.loads(zh.stdout)
    assert len(rows) >= 25
    assert any("國會圖書館" in row["question"] for row in rows)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_syntax_error_shows_line_column_and_caret(out):
    query = "SELECT ?org WHERE {\n  id:carla-hayden kg:heads ?org\n  FILTR(?org)\n}"
    result = kg("query", query, "--out", out)
    no_traceback(result)
    assert "SPARQL syntax error at line 3, column" in result.stderr
    assert "    3 |   FILTR(?org)" in result.stderr
    assert "^" in result.stderr.splitlines()[-1]


def test_unknown_prefix_is_named(out):
    result = kg("query", "SELECT * WHERE { ?s dc:title ?t }", "--out", out)
    no_traceback(result)
    assert "unknown prefix 'dc:'" in result.stderr and "line 1" in result.stderr


def test_unknown_named_query_suggests_close_names(out):
    result = kg("query", "--name", "who-leads-library-of-congres", "--out", out)
    no_traceback(result)
    assert "no query named" in result.stderr
    assert "who-leads-library-of-congress" in result.stderr


def test_missing_build_says_run_kg_build(tmp_path):
    result = kg("query", HEADS, "--out", str(tmp_path / "nowhere"))
    no_traceback(result)
    assert "kg build" in result.stderr


def test_update_is_refused(out):
    result = kg("query", "INSERT DATA { id:a id:b id:c }", "--out", out)
    no_traceback(result)
    assert "read-only" in result.stderr


def test_graph_format_for_a_select_is_explained(out):
    result = kg("query", HEADS, "--out", out, "--format", "turtle")
    no_traceback(result)
    assert "--format" in result.stderr


def test_timeout_stops_a_runaway_query(out):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = kg("query", runaway, "--out", out, "--timeout", "0.5")
    no_traceback(result)
    assert "longer than 0.5 s" in result.stderr


def test_no_query_given():
    result = kg("query")
    no_traceback(result)
    assert "--name" in result.stderr

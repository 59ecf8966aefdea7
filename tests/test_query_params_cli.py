"""``kg query`` as a librarian uses it: parameters by name, ASK in CSV/TSV that rdflib reads,
a warning for lang() = "zh-Hant", and syntax errors explained by their common causes."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def out(built_out) -> str:
    return str(built_out)


def test_param_resolves_a_name_as_every_command_does(out, report_text):
    result = kg("query", "--name", "mentions-of-entity", "--param", "entity=卡拉·海登",
                "--out", out, "--csv")
    assert result.returncode == 0, result.stderr
    import csv

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(report_text[int(r["start"]):int(r["end"])] == r["exact"] for r in rows)
    assert {"Carla Hayden"} <= {r["exact"] for r in rows}
    other = kg("query", "--name", "mentions-of-entity", "-p", "entity=Library of Congress",
               "--out", out, "--csv")
    starts = {r["start"] for r in csv.DictReader(io.StringIO(other.stdout))}
    assert starts and not starts & {r["start"] for r in rows}


def test_hostile_param_fails_with_a_message_and_no_traceback(out):
    result = kg("query", "--name", "mentions-of-entity", "--param",
                "entity=carla-hayden> } ?s ?p ?o . { <x", "--out", out)
    assert result.returncode == 2
    assert "--param entity: unknown entity" in result.stderr
    assert "Traceback" not in result.stderr


def test_param_needs_a_library_query_and_a_value(out):
    result = kg("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--param", "x=1", "--out", out)
    assert result.returncode == 2 and "use it with --name" in result.stderr
    result = kg("query", "--name", "mentions-of-entity", "--param", "entity", "--out", out)
    assert result.returncode == 2 and "write NAME=VALUE" in result.stderr


def test_list_shows_parameters(out):
    result = kg("query", "--list", "--csv")
    assert "entity=carla-hayden report=*" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_ask_in_csv_and_tsv_is_read_by_rdflib(out, fmt):
    from rdflib.query import Result

    for query, expected in (("ASK { id:carla-hayden kg:nominatedBy id:barack-obama }", True),
                            ("ASK { id:barack-obama kg:nominatedBy id:carla-hayden }", False)):
        result = kg("query", query, "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
        parsed = Result.parse(io.StringIO(result.stdout), format=fmt)
        (row,) = list(parsed)
        assert [str(v) for v in parsed.vars] == ["_askResult"]
        assert str(row[0]) == ("true" if expected else "false")


def test_lang_compared_with_mixed_case_is_warned(out):
    result = kg("query", 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = "zh-Hant") }',
                "--out", out)
    assert result.returncode == 0
    assert 'warning: lang() is compared with "zh-Hant"' in result.stderr
    assert "langMatches" in result.stderr
    quiet = kg("query", 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(langMatches(lang(?l), '
               '"zh-Hant")) } LIMIT 1', "--out", out)
    assert "warning" not in quiet.stderr


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE {\n  ?s ?p ?o\n  ?s ?q ?r\n}", "line 3, column 3, near '?s': missing '.' after '?o'"),
    ("SELECT * WHERE { ?s ?p ?o ", "the '{' opened at line 1, column 16 is never closed: add '}'"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o > 3 }", "add ')' before it"),
    ("SELECT * WHERE { ?s kg:heads }", "the pattern '?s kg:heads' has no object"),
    ("SELECT * WHERE { ?s ?p ?o } LIMT 3", "unknown keyword 'LIMT'; did you mean LIMIT?"),
    ("SELEC * WHERE { ?s ?p ?o }", "unknown keyword 'SELEC'; did you mean SELECT?"),
    ("SELECT * WHERE { ?s foaf:name ?o }", "unknown prefix 'foaf:'; declare it with PREFIX foaf:"),
])
def test_syntax_errors_are_explained_in_the_users_terms(out, query, message):
    result = kg("query", query, "--out", out)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "expected one of" not in result.stderr and "LATERAL" not in result.stderr

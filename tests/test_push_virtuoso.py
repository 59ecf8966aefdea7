"""``kg push`` into a real Virtuoso (Debian ``virtuoso-opensource``) with Digest auth.

Virtuoso comes from ``.ci/run`` (KG_VIRTUOSO_URL / KG_VIRTUOSO_PASSWORD set), or this module
starts a throwaway one with ``.ci/virtuoso`` when the binary is installed. With
KG_REQUIRE_VIRTUOSO=1 (as in CI) a missing Virtuoso fails the tests instead of skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph
import pytest

from kg.sparql.engine import load_store, query_form, run_query
from kg.sparql.library import load_library

REPO = __import__("pathlib").Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/nlpi-kg/"

# library queries whose answers differ on Virtuoso for reasons of Virtuoso's own, after the
# normalisation below (language-tag case, numeric types, booleans as 0/1, GROUP_CONCAT order)
VIRTUOSO_DIFFERS = {
    "describe-entity": "DESCRIBE is implementation-defined: Virtuoso adds the "
                             "statements and mentions that point at the resource",
    "top-concepts": "COUNT over an OPTIONAL that matched nothing: Virtuoso drops the group "
                    "instead of answering 0",
    "session-speakers": "GROUP_CONCAT over an OPTIONAL that matched nothing: Virtuoso "
                        "answers \"\" (as SPARQL 1.1 says), Oxigraph leaves it unbound",
}


def require_virtuoso() -> bool:
    return os.environ.get("KG_REQUIRE_VIRTUOSO") == "1"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """(base URL, user, password) of a running Virtuoso; the user has the SPARQL_UPDATE role."""
    if os.environ.get("KG_VIRTUOSO_URL"):
        yield (os.environ["KG_VIRTUOSO_URL"], os.environ.get("KG_VIRTUOSO_USER", "dba"),
               os.environ["KG_VIRTUOSO_PASSWORD"])
        return
    if not shutil.which("virtuoso-t"):
        if require_virtuoso():
            pytest.fail("virtuoso-t is missing (KG_REQUIRE_VIRTUOSO=1): "
                        "apt-get install virtuoso-opensource")
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    started = subprocess.run([str(REPO / ".ci" / "virtuoso"), "start", str(folder)],
                             capture_output=True, text=True, timeout=600)
    if started.returncode != 0:
        subprocess.run([str(REPO / ".ci" / "virtuoso"), "stop", str(folder)], timeout=60)
        pytest.fail(f"Virtuoso did not start: {started.stderr[-2000:]}")
    values = dict(line.split(" ", 1)[1].split("=", 1) for line in started.stdout.splitlines()
                  if line.startswith("export "))
    try:
        yield values["KG_VIRTUOSO_URL"], values["KG_VIRTUOSO_USER"], values["KG_VIRTUOSO_PASSWORD"]
    finally:
        subprocess.run([str(REPO / ".ci" / "virtuoso"), "stop", str(folder)], timeout=60)


def push(virtuoso, built_out, *extra, password=None):
    url, user, secret = virtuoso
    env = {**os.environ, "KG_PUSH_USER": user, "KG_PUSH_PASSWORD": password or secret}
    env.pop("KG_PUSH_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "kg", "push", "--endpoint",
                           url + "/sparql-graph-crud-auth", "--out", str(built_out), *extra],
                          capture_output=True, text=True, timeout=600, env=env)


def select(url: str, query: str) -> dict:
    request = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def graph_sizes(url: str) -> dict[str, int]:
    data = select(url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                       f'FILTER(STRSTARTS(STR(?g), "{BASE}graph/")) }} GROUP BY ?g')
    return {row["g"]["value"]: int(row["n"]["value"]) for row in data["results"]["bindings"]}


def test_push_twice_with_digest_leaves_the_build_quads(virtuoso, built_out):
    store = load_store(built_out)
    expected = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))
                for g in store.named_graphs()}
    for _ in range(2):
        result = push(virtuoso, built_out, "--json")
        assert result.returncode == 0, result.stderr
        assert {row["graph"]: row["triples"] for row in json.loads(result.stdout)} == expected
        assert graph_sizes(virtuoso[0]) == expected
    assert sum(expected.values()) == len(store)


def test_wrong_password_is_a_clear_error(virtuoso, built_out):
    result = push(virtuoso, built_out, "--graph", "shared", password="not-the-password")
    assert result.returncode == 2 and "HTTP 401" in result.stderr
    assert "not-the-password" not in result.stderr and "Traceback" not in result.stderr


def test_basic_where_digest_is_wanted_says_how_to_fix(virtuoso, built_out):
    result = push(virtuoso, built_out, "--graph", "shared", "--auth", "basic")
    assert result.returncode == 2 and "--auth digest" in result.stderr
    assert virtuoso[2] not in result.stderr


def _term(term):
    if term is None:
        return None
    value, kind = term["value"], term["type"]
    if kind in ("literal", "typed-literal"):
        datatype = term.get("datatype", "")
        if datatype.endswith("#boolean"):
            return ("bool", value in ("true", "1"))
        if datatype.rsplit("#", 1)[-1] in ("integer", "int", "long", "decimal", "double",
                                           "float", "nonNegativeInteger", "short"):
            return ("number", float(value))
        if "; " in value:          # GROUP_CONCAT: the order of the parts is not defined
            return ("concat", tuple(sorted(value.split("; "))))
        return ("literal", value, term.get("xml:lang", "").lower())
    return (kind, "" if kind == "bnode" else value)


def _rows(data: dict) -> list:
    if "boolean" in data:
        return [data["boolean"]]
    names = data["head"]["vars"]
    return sorted((tuple(_term(b.get(v)) for v in names) for b in data["results"]["bindings"]),
                  key=repr)


def _triples(body: bytes, rdf_format) -> list:
    def node(x):
        if isinstance(x, pyoxigraph.BlankNode):
            return "_"
        if isinstance(x, pyoxigraph.Literal):
            return ("literal", x.value, (x.language or "").lower())
        return x.value
    return sorted({(node(t.subject), node(t.predicate), node(t.object))
                   for t in pyoxigraph.parse(body, format=rdf_format)}, key=repr)


def _virtuoso_booleans(rows: list) -> list:
    """Virtuoso stores xsd:boolean as an integer: 1/0 where the build says true/false."""
    def fix(cell):
        if cell == ("number", 1.0):
            return ("bool", True)
        if cell == ("number", 0.0):
            return ("bool", False)
        return cell
    return sorted((tuple(fix(c) for c in row) if isinstance(row, tuple) else row
                   for row in rows), key=repr)


def test_library_queries_answer_as_kg_query_does(virtuoso, built_out):
    url = virtuoso[0]
    if push(virtuoso, built_out).returncode != 0:
        pytest.fail("push failed")
    store = load_store(built_out)
    differ, same = {}, []
    for query in load_library().values():
        if query_form(query.text) == "graph":
            ours = _triples(run_query(store, query.text, fmt="ntriples").data,
                            pyoxigraph.RdfFormat.N_TRIPLES)
            request = urllib.request.Request(
                url + "/sparql?" + urllib.parse.urlencode({"query": query.text}),
                headers={"Accept": "text/turtle"})
            with urllib.request.urlopen(request, timeout=120) as response:
                theirs = _triples(response.read(), pyoxigraph.RdfFormat.TURTLE)
        else:
            ours = _virtuoso_booleans(_rows(json.loads(run_query(store, query.text,
                                                                 fmt="json").data)))
            theirs = _virtuoso_booleans(_rows(select(url, query.text)))
        if ours == theirs:
            same.append(query.name)
        else:
            differ[query.name] = (len(ours), len(theirs))
    unexplained = {name: sizes for name, sizes in differ.items() if name not in VIRTUOSO_DIFFERS}
    assert unexplained == {}, f"answers differ from kg query: {unexplained}"
    assert len(same) >= len(load_library()) - len(VIRTUOSO_DIFFERS)

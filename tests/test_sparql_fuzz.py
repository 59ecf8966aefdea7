"""A bounded fuzz loop: mutations of the query library against the real endpoint and engine.

Fixed seed, a few hundred cases: random queries from a small SPARQL grammar over the
library's terms (patterns, OPTIONAL, UNION, MINUS, FILTER expressions, paths, subqueries,
aggregates, FROM), and mutations of library queries: token deletions, duplications, swaps and insertions, deep
bracket nests, long operator chains, huge literals, SERVICE clauses, truncations. The server
must answer each with a status that says what happened (200, 400, 406, 413, 503 — never a
500, which means a worker died), never a traceback, and keep serving; the engine that
`kg query` uses must not crash its process (no SIGSEGV) on the same cases.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from kg.sparql.guard import tokens
from kg.sparql.library import load_library
from test_serve import HEADS, LOC, get, served_out, start, stop  # noqa: F401

SEED = 20261202
CASES = 300
VOCABULARY = ["{", "}", "(", ")", "[", "]", ".", ";", ",", "SELECT", "WHERE", "FILTER",
              "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "<http://127.0.0.1:9/x>",
              "?x", "?s", "$o", '"a"', "'''b'''", "1", "-0.5e3", "||", "&&", "!", "=", "<",
              ">", "+", "*", "/", "|", "^", "a", "BIND", "AS", "VALUES", "ORDER", "BY",
              "LIMIT", "99999999999999999999999", "FROM", "<urn:g>", "NAMED", "EXISTS",
              "NOT", "IN", "COUNT", "GROUP_CONCAT", "SEPARATOR", "REGEX", "CONCAT", "STR",
              "LANG", "langMatches", "xsd:integer", "kg:heads", "id:nlc", "#", "\\u0041",
              '"\\u0000"', "<>", "@zh-Hant", "^^", "*)", "((", "{{", "DESCRIBE", "CONSTRUCT",
              "ASK", "INSERT", "DELETE", "LOAD", "PREFIX", "BASE", "\u570b\u6703", "\U0001F600"]


def mutate(rng: random.Random, text: str) -> str:
    parts = [t for _, t in tokens(text)] or ["ASK", "{", "}"]
    kind = rng.randrange(10)
    i = rng.randrange(len(parts))
    j = rng.randrange(len(parts))
    if kind == 0:
        del parts[i]
    elif kind == 1:
        parts.insert(i, parts[i])
    elif kind == 2:
        parts[i], parts[j] = parts[j], parts[i]
    elif kind == 3:
        for _ in range(rng.randint(1, 5)):
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(VOCABULARY))
    elif kind == 4:
        depth = rng.choice([10, 99, 101, 500, 3000, 6000])
        opening, closing = rng.choice([("(", ")"), ("{", "}"), ("[", "]")])
        lo, hi = sorted((i, j))
        parts[lo:hi] = [opening] * depth + parts[lo:hi] + [closing] * depth
    elif kind == 5:
        op = rng.choice(["||", "&&", "+", "*", "UNION", "/", "|"])
        term = {"UNION": "{ ?s ?p ?o }", "/": "kg:heads", "|": "kg:heads"}.get(op, "1")
        parts.insert(i, f" {op} ".join([term] * rng.choice([10, 1000, 9000, 30000])))
    elif kind == 6:
        parts.insert(i, '"' + "x" * rng.choice([10, 50_000, 120_000]) + '"')
    elif kind == 7:
        parts.insert(i, f"SERVICE <http://127.0.0.1:{rng.randint(1, 65535)}/sparql> "
                        "{ ?s ?p ?o }")
    elif kind == 8:
        return text[:rng.randrange(len(text) + 1)]
    else:
        parts = parts[:i] + [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 20))] \
            + parts[j:]
    return " ".join(parts)


# a small SPARQL grammar over the library's own terms: valid queries, random shapes
PREDICATES = ["kg:heads", "rdfs:label", "skos:altLabel", "rdf:type", "kg:nominatedBy",
              "dcterms:isReferencedBy", "skos:broader", "prov:wasDerivedFrom", "schema:value",
              "kg:notation", "oa:hasBody", "skos:broader+", "skos:broader*",
              "(kg:heads|kg:nominatedBy)", "^kg:heads", "rdf:type/rdfs:subClassOf*"]
VARIABLES = ["?x", "?y", "?z", "?w"]


def expression(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.3:
        return rng.choice(VARIABLES + ["1", "2.5", '"a"', "true", '"美國"@zh-Hant',
                                        "STR(?x)", "LANG(?y)", "STRLEN(STR(?z))"])
    a, b = expression(rng, depth - 1), expression(rng, depth - 1)
    return rng.choice([f"({a} {rng.choice(['||', '&&', '=', '!=', '<', '>=', '+', '*'])} {b})",
                       f"!({a})", f"BOUND({rng.choice(VARIABLES)})", f"IF({a}, {b}, {a})",
                       f"COALESCE({a}, {b})", f"CONTAINS(STR({a}), STR({b}))",
                       f'langMatches(LANG({a}), "zh-Hant")', f"({a} IN ({b}, 1))"])


def pattern(rng: random.Random, depth: int) -> str:
    triple = (f"{rng.choice(VARIABLES)} {rng.choice(PREDICATES)} {rng.choice(VARIABLES)}"
              if rng.random() < 0.8 else f"id:carla-hayden ?p {rng.choice(VARIABLES)}")
    if depth <= 0 or rng.random() < 0.35:
        return triple
    inner = pattern(rng, depth - 1)
    return rng.choice([
        f"{triple} . {inner}", f"{triple} OPTIONAL {{ {inner} }}",
        f"{{ {triple} }} UNION {{ {inner} }}", f"{triple} MINUS {{ {inner} }}",
        f"{triple} FILTER({expression(rng, 3)})", f"GRAPH ?g {{ {inner} }}",
        f"{triple} FILTER NOT EXISTS {{ {inner} }}",
        f"VALUES ?x {{ id:carla-hayden id:library-of-congress }} {inner}",
        f"{{ SELECT * WHERE {{ {inner} }} LIMIT 7 }} {triple}"])


def generated(rng: random.Random) -> str:
    body = pattern(rng, rng.randint(1, 5))
    limit = f"LIMIT {rng.choice([1, 10, 100])}"
    return rng.choice([
        f"SELECT * WHERE {{ {body} }} {limit}",
        f"SELECT DISTINCT ?x WHERE {{ {body} }} ORDER BY ?x {limit}",
        f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ {body} }} GROUP BY ?x {limit}",
        f"ASK {{ {body} }}",
        f"CONSTRUCT {{ ?x kg:seen ?y }} WHERE {{ {body} }} {limit}",
        f"SELECT (GROUP_CONCAT(STR(?x); SEPARATOR=\"; \") AS ?all) WHERE {{ {body} }}",
        f"DESCRIBE ?x WHERE {{ {body} }} {limit}",
        f"SELECT * FROM <https://w3id.org/nlpi-kg/graph/shared> WHERE {{ {body} }} {limit}"])


def cases() -> list[str]:
    """CASES queries: half from the grammar, half mutations of library (or grammar) queries."""
    rng = random.Random(SEED)
    library = [q.text for q in load_library().values()]
    out = []
    for number in range(CASES):
        if number % 2 == 0:
            out.append(generated(rng))
            continue
        text = rng.choice(library) if rng.random() < 0.7 else generated(rng)
        for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
            text = mutate(rng, text)
        out.append(text)
    return out


def test_fuzzed_queries_never_crash_the_endpoint(served_out):
    running = start(served_out, "--timeout", "2", "--workers", "2", "--queue", "64")
    statuses: dict[int, int] = {}
    try:
        for text in cases():
            request = urllib.request.Request(
                running.endpoint, data=text.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query",
                         "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read()
            statuses[status] = statuses.get(status, 0) + 1
            assert status in (200, 400, 403, 406, 413, 503), (status, body[:300], text[:300])
            assert b"Traceback" not in body
        status, _, body = get(running, HEADS, "text/csv")
        assert status == 200 and LOC in body
    finally:
        result = stop(running)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    # both kinds happen: answers (grammar cases) and refusals (mutations, deep, huge, SERVICE)
    assert statuses.get(200, 0) >= CASES // 4 and statuses.get(400, 0) > 0, statuses


ENGINE_LOOP = r"""
import json, sys
from kg.problems import UserError
from kg.sparql.engine import load_store, run_query
store = load_store(sys.argv[1])
seen = {"ok": 0, "refused": 0}
for text in json.load(sys.stdin):
    try:
        run_query(store, text, timeout=1.0, fmt="json")
        seen["ok"] += 1
    except UserError:
        seen["refused"] += 1
print(json.dumps(seen))
"""


def test_fuzzed_queries_never_crash_kg_query_engine(built_out):
    """The same cases through the in-process engine of `kg query`: the process survives."""
    result = subprocess.run([sys.executable, "-c", ENGINE_LOOP, str(built_out)],
                            input=json.dumps(cases()), capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    seen = json.loads(result.stdout)
    assert seen["ok"] + seen["refused"] == CASES and seen["refused"] > 0

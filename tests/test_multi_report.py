"""Two reports in one graph: each statement stays with the report that made it (KGX #463)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SECOND = REPO / "tests" / "fixtures" / "second-report"
BASE = "https://w3id.org/nlpi-kg/"
PREFIXES = f"""
PREFIX kg: <{BASE}ontology#>
PREFIX id: <{BASE}id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
DOC1, DOC2 = f"{BASE}doc/ala-2022-report", f"{BASE}doc/ala-2023-report"
GRAPH1, GRAPH2 = f"{BASE}graph/ala-2022-report", f"{BASE}graph/ala-2023-report"


@pytest.fixture(scope="module")
def merged(tmp_path_factory, report_path):
    """data/ plus the second report's folder, built with both texts; kg.trig read by Oxigraph."""
    import pyoxigraph

    from kg.build.pipeline import build

    root = tmp_path_factory.mktemp("multi")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(SECOND / "data" / "ala-2023", root / "data" / "reports" / "ala-2023")
    result = build(root / "data", root / "out",
                   sources=[report_path, SECOND / "report-2023.zh-Hant.txt"], shacl=False)
    store = pyoxigraph.Store()
    store.load(path=str(root / "out" / "kg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    return result, store


def rows(store, query: str) -> list[tuple]:
    return [tuple(term.value if term is not None else None for term in solution)
            for solution in store.query(PREFIXES + query)]


def test_both_reports_are_built_from_their_texts(merged):
    result, _ = merged
    assert set(result.catalog.documents) == {"ala-2022-report", "ala-2023-report"}
    assert result.unattached == []


def test_every_statement_lives_in_its_own_reports_graph(merged):
    _, store = merged
    found = rows(store, """
        SELECT ?g ?source WHERE { GRAPH ?g { ?st a kg:Statement ; prov:wasDerivedFrom ?source } }""")
    assert found
    for graph, source in found:
        doc = graph.replace("/graph/", "/doc/")
        assert source.startswith(doc + "/"), (graph, source)
    per_graph = {g for g, _ in found}
    assert per_graph == {GRAPH1, GRAPH2}


def test_statement_counts_per_report_match_the_curated_ones(merged):
    result, store = merged
    counted = dict(rows(store, """
        SELECT ?g (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st a kg:Statement } }
        GROUP BY ?g"""))
    curated = {doc: len({(r.subject, r.predicate, r.object, r.section)
                         for r in result.catalog.relations if r.doc == doc})
               for doc in result.catalog.documents}
    assert int(counted[GRAPH2]) == curated["ala-2023-report"] == 5
    assert int(counted[GRAPH1]) == curated["ala-2022-report"]


def test_a_statement_made_by_both_reports_is_two_statements(merged):
    """ALA partners with the Ukrainian Library Association: said in both, cited twice."""
    _, store = merged
    found = sorted(rows(store, """
        SELECT ?g ?st ?notation WHERE { GRAPH ?g {
            ?st a kg:Statement ; rdf:subject id:ala ; rdf:predicate kg:partnersWith ;
                rdf:object id:ukrainian-library-association ; prov:wasDerivedFrom ?section .
            ?section kg:notation ?notation } }"""))
    assert [(g, n) for g, _, n in found] == [(GRAPH1, "貳.一.(三).5"), (GRAPH2, "貳.一.(一)")]
    assert found[0][1] != found[1][1]
    assert found[0][1].startswith(DOC1 + "/") and found[1][1].startswith(DOC2 + "/")


def test_ala_is_defined_once_and_referenced_by_both(merged):
    _, store = merged
    typed_in = rows(store, """
        SELECT DISTINCT ?g WHERE { GRAPH ?g { id:ala a schema:Organization } }""")
    assert typed_in == [(f"{BASE}graph/shared",)]
    labels = rows(store, """
        SELECT ?g ?label WHERE { GRAPH ?g { id:ala rdfs:label ?label } }""")
    assert len(labels) == 2 and {g for g, _ in labels} == {f"{BASE}graph/shared"}
    docs = {d for (d,) in rows(store, "SELECT ?d WHERE { GRAPH ?g { id:ala "
                                       "dcterms:isReferencedBy ?d } }")}
    assert docs == {DOC1, DOC2}


def test_new_library_belongs_to_the_second_report_only(merged):
    _, store = merged
    graphs = {g for (g,) in rows(store, """
        SELECT DISTINCT ?g WHERE { GRAPH ?g { id:maple-grove-city-library ?p ?o } }""")}
    assert graphs == {GRAPH2}
    docs = {d for (d,) in rows(store, "SELECT ?d WHERE { GRAPH ?g { id:maple-grove-city-library "
                                       "dcterms:isReferencedBy ?d } }")}
    assert docs == {DOC2}
    # Found in the text although line breaks split both names (read from kg.nt).
    assert {"楓林市立圖\n書館", "Maple Grove City\nLibrary"} <= mention_quotes(merged, "nt")


def mention_quotes(merged, fmt: str) -> set[str]:
    import pyoxigraph

    result, _ = merged
    out = next(iter(result.written.values())).parent
    store = pyoxigraph.Store()
    store.load(path=str(out / f"kg.{fmt}"),
               format={"nt": pyoxigraph.RdfFormat.N_TRIPLES,
                       "trig": pyoxigraph.RdfFormat.TRIG}[fmt])
    return {e for (e,) in rows(store, """
        SELECT ?exact WHERE { { ?m oa:hasBody id:maple-grove-city-library ; oa:hasTarget ?t .
            ?t oa:hasSelector ?q . ?q oa:exact ?exact }
        UNION { GRAPH ?g { ?m oa:hasBody id:maple-grove-city-library ; oa:hasTarget ?t .
            ?t oa:hasSelector ?q . ?q oa:exact ?exact } } }""")}


def test_trig_keeps_quotes_that_span_a_line_break(merged):
    assert "楓林市立圖\n書館" in mention_quotes(merged, "trig")


def test_new_topic_is_in_the_topic_scheme(merged):
    _, store = merged
    assert rows(store, """
        SELECT ?g WHERE { GRAPH ?g { id:library-podcasting a skos:Concept ;
            skos:inScheme id:topics } }""") == [(GRAPH2,)]

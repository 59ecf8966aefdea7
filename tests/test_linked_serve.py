"""Linked data from a real `kg serve` process: five kinds of IRI dereferenced by real clients
in three formats and parsed by rdflib; the HTML page shows the evidence sentence; the dataset
description counts the build's triples; the service description parses."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import RDFS

from test_serve import start, stop

BASE = "https://w3id.org/nlpi-kg/"
HAYDEN, LOC = BASE + "id/carla-hayden", BASE + "id/library-of-congress"
HEADS = BASE + "ontology#heads"
FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
           "application/ld+json": "json-ld"}


@pytest.fixture(scope="module")
def server(built_out):
    running = start(built_out)
    yield running
    if running.process.poll() is None:
        stop(running)


@pytest.fixture(scope="module")
def store(built_out):
    from kg.sparql.engine import load_store

    return load_store(built_out)


def fetch(url: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def one(store, query: str) -> str:
    rows = list(store.query(query, use_default_graph_as_union=True))
    assert rows, query
    return rows[0][0].value


@pytest.fixture(scope="module")
def iris(store) -> dict[str, str]:
    """One IRI of each kind, found in the build (not typed by hand)."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    return {
        "entity": HAYDEN,
        "report": one(store, "SELECT ?r WHERE { ?r a <https://schema.org/Report> }"),
        "section": one(store, f"SELECT ?s WHERE {{ ?st <{rdf}subject> <{HAYDEN}> ; "
                              f"<{rdf}predicate> <{HEADS}> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }}"),
        "statement": one(store, f"SELECT ?st WHERE {{ ?st <{rdf}subject> <{HAYDEN}> ; "
                                f"<{rdf}predicate> <{HEADS}> }}"),
        "fact": one(store, "SELECT ?f WHERE { ?f <https://schema.org/measuredProperty> "
                           f"<{BASE}ontology#inPersonAttendees> }}"),
        "figure": one(store, f"SELECT ?f WHERE {{ ?f a <{BASE}ontology#Figure> }} ORDER BY ?f LIMIT 1"),
    }


def local(server, iri: str) -> str:
    assert iri.startswith(BASE)
    return server.base + "/" + iri[len(BASE):]


@pytest.mark.parametrize("kind", ["entity", "report", "section", "statement", "fact", "figure"])
@pytest.mark.parametrize("accept", list(FORMATS))
def test_every_kind_of_iri_dereferences_in_three_formats(server, iris, kind, accept):
    iri = iris[kind]
    status, media, body = fetch(local(server, iri), accept)
    assert status == 200 and media.startswith(accept), (status, media, body[:200])
    graph = rdflib.Graph().parse(data=body, format=FORMATS[accept])
    node = rdflib.URIRef(iri)
    assert (node, None, None) in graph, f"{kind}: no triple about {iri}"
    labels = {str(o) for o in graph.objects(node, RDFS.label)}
    if kind in ("entity", "report", "section", "figure"):
        assert labels, f"{kind}: no label"
    if kind == "entity":
        assert {"Carla Hayden", "卡拉·海登"} <= labels
        assert (node, rdflib.URIRef(HEADS), rdflib.URIRef(LOC)) in graph
        # the neighbour's labels come along, in both languages, tags in BCP 47 case
        loc_labels = {(str(o), o.language) for o in graph.objects(rdflib.URIRef(LOC), RDFS.label)}
        assert ("美國國會圖書館", "zh-Hant") in loc_labels
    if kind == "statement":
        assert (node, rdflib.RDF.subject, rdflib.URIRef(HAYDEN)) in graph
        assert (node, rdflib.RDF.object, rdflib.URIRef(LOC)) in graph
        assert (node, rdflib.URIRef(BASE + "ontology#evidence"), None) in graph
    if kind == "fact":
        values = {int(o) for o in graph.objects(node, rdflib.URIRef("https://schema.org/value"))}
        assert values == {7738}
    if kind == "report":
        assert (node, rdflib.URIRef("http://purl.org/dc/terms/hasPart"), None) in graph


def test_suffixes_pick_the_format_without_accept(server):
    status, media, body = fetch(server.base + "/id/carla-hayden.nt", "*/*")
    assert status == 200 and media.startswith("application/n-triples")
    assert f"<{HAYDEN}> <{HEADS}> <{LOC}> .".encode() in body


def test_html_page_shows_labels_relations_section_and_evidence(server, store):
    status, media, body = fetch(server.base + "/id/carla-hayden", "text/html")
    assert status == 200 and media.startswith("text/html")
    page = body.decode("utf-8")
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    exact = one(store, f"""SELECT ?exact WHERE {{ ?st <{rdf}subject> <{HAYDEN}> ;
        <{rdf}predicate> <{HEADS}> ; <{BASE}ontology#evidence>/<http://www.w3.org/ns/oa#hasSelector>/
        <http://www.w3.org/ns/oa#exact> ?exact }}""")
    import html

    assert html.escape(exact, quote=True) in page          # the evidence sentence
    assert "卡拉·海登" in page and "Carla Hayden" in page
    assert 'href="/id/library-of-congress"' in page        # link to the neighbour
    assert "貳.一.(二)" in page                             # the section notation
    assert "<svg" in page                                    # the neighbourhood drawing
    # schema.org JSON-LD embedded, parseable
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = page[start:page.index("</script>", start)].replace("<\\/", "</")
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    assert (rdflib.URIRef(HAYDEN), rdflib.RDF.type, rdflib.URIRef("https://schema.org/Person")) in graph


def test_unknown_iri_is_404_and_unacceptable_type_406(server):
    assert fetch(server.base + "/id/nobody-at-all", "text/turtle")[0] == 404
    assert fetch(server.base + "/id/carla-hayden", "image/png")[0] == 406


def test_void_counts_the_builds_triples(server, build_result):
    status, media, body = fetch(server.base + "/.well-known/void", "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(BASE + "dataset")
    (triples,) = graph.objects(dataset, void.triples)
    assert int(triples) == build_result.summary["triples"]
    lines = (next(iter(build_result.written.values())).parent / "kg.nt").read_bytes().count(b"\n")
    assert int(triples) == lines
    licence = set(graph.objects(dataset, rdflib.URIRef("http://purl.org/dc/terms/license")))
    assert licence == {rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")}
    titles = {o.language for o in graph.objects(dataset, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert {"en", "zh-Hant"} <= titles
    persons = [p for p in graph.objects(dataset, void.classPartition)
               if (p, void["class"], rdflib.URIRef("https://schema.org/Person")) in graph]
    assert [int(graph.value(p, void.entities)) for p in persons] == [17]
    assert (dataset, void.sparqlEndpoint, None) in graph and (dataset, void.dataDump, None) in graph


def test_service_description_parses_and_lists_the_examples(server):

    status, media, body = fetch(server.endpoint, "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(server.endpoint)
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.endpoint, service) in graph
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    example = rdflib.URIRef(BASE + "query/mentions-of-entity")
    assert (example, rdflib.RDF.type, sh.SPARQLExecutable) in graph
    assert "oa:hasBody ?entity" in str(graph.value(example, sh.select))
    # a browser still gets the query page
    status, media, _ = fetch(server.endpoint, "text/html")
    assert status == 200 and media.startswith("text/html")


def test_query_page_runs_a_parameterised_query_and_refuses_injection(server):
    import urllib.parse

    status, _, body = fetch(server.base + "/query/", "text/html")
    assert status == 200 and 'href="/query/mentions-of-entity"' in body.decode("utf-8")

    url = server.base + "/query/mentions-of-entity?" + urllib.parse.urlencode(
        {"entity": "美國國會圖書館"})
    status, media, body = fetch(url, "text/html")
    page = body.decode("utf-8")
    assert status == 200 and "<form" in page and 'name="entity"' in page
    assert "國會圖書館" in page and "Answer" in page
    url = server.base + "/query/mentions-of-entity?" + urllib.parse.urlencode(
        {"entity": "x> } ?s ?p ?o {"})
    status, _, body = fetch(url, "text/html")
    assert status == 400 and "unknown entity" in body.decode("utf-8")

"""The ontology: our own terms are few, labelled in both languages, mapped to standards."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.namespaces import KG
from kg.files import ontology_dir

STANDARD = ("https://schema.org/", "http://www.w3.org/2004/02/skos/core#",
            "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/",
            "http://www.w3.org/ns/oa#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")


def load() -> Graph:
    return Graph().parse(ontology_dir() / "kg.ttl", format="turtle")


def test_kg_prefix_in_the_ontology_is_the_one_the_code_uses():
    graph = load()
    assert dict(graph.namespaces())["kg"] == URIRef(str(KG))


def test_every_own_term_has_english_and_chinese_labels_and_a_standard_parent():
    graph = load()
    own = {s for s in graph.subjects(RDF.type, None)
           if isinstance(s, URIRef) and str(s).startswith(str(KG))}
    assert len(own) > 30
    for term in own:
        langs = {label.language for label in graph.objects(term, RDFS.label)}
        assert {"en", "zh-Hant"} <= langs, term
        parents = set(graph.objects(term, RDFS.subClassOf)) | \
            set(graph.objects(term, RDFS.subPropertyOf))
        assert any(str(p).startswith(STANDARD) for p in parents), term


def test_shapes_parse_and_cover_statements_facts_and_entities():
    from rdflib.namespace import SH

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    targets = set(shapes.objects(None, SH.targetClass))
    assert {KG.Statement, KG.Fact, KG.Mention} <= targets
    assert (None, SH.targetSubjectsOf, None) in shapes


def test_every_predicate_used_by_the_data_is_declared(built_out):
    """A data librarian can label every predicate in both languages."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(built_out / "kg.trig"), format=ox.RdfFormat.TRIG)
    rows = store.query("""
        PREFIX kg: <%s> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?p WHERE {
          ?st a kg:Statement ; rdf:predicate ?p .
          FILTER NOT EXISTS { ?p rdfs:label ?en , ?zh .
                              FILTER(lang(?en) = "en" && langMatches(lang(?zh), "zh-Hant")) }
        }""" % KG, use_default_graph_as_union=True)
    assert [str(r["p"]) for r in rows] == []


def test_owl_ontology_header():
    graph = load()
    assert (None, RDF.type, OWL.Ontology) in graph

"""The SPARQL 1.1 Service Description of the endpoint, with the query library published as
SPARQL examples (``sh:SPARQLExecutable`` with ``sh:select`` …, as the SIB sparql-examples
do; each parameter a ``schema:PropertyValueSpecification``).

>>> triples = service_description("http://127.0.0.1:7878/sparql", load_library())  # doctest: +SKIP
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.namespaces import BASE, SCHEMA

__all__ = ["service_description", "example_iri", "SD", "SH"]

SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
VOID_DATASET = BASE + "dataset"
_KEYWORD = {"select": "select", "ask": "ask", "graph": "construct"}


def example_iri(name: str) -> str:
    """The IRI of a library query as an example: ``<BASE>query/<name>``."""
    return f"{BASE}query/{name}"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def service_description(endpoint: str, library: dict | None = None) -> list:
    """Triples describing the endpoint at ``endpoint`` (its absolute URL) and its examples."""
    from kg.sparql.engine import query_form

    out = []
    service = _n(endpoint)

    def add(s, p, o) -> None:
        out.append(ox.Triple(s, _n(p), o))

    add(service, RDF_TYPE, _n(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", _n(SD + "SPARQL11Query"))
    add(service, SD + "feature", _n(SD + "UnionDefaultGraph"))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        add(service, SD + "resultFormat", _n(FORMATS + name))
    add(service, RDFS + "label", ox.Literal("kg read-only SPARQL endpoint", language="en"))
    add(service, RDFS + "label", ox.Literal("kg 唯讀 SPARQL 端點", language="zh-Hant"))
    dataset = _n(endpoint + "#dataset")
    default = _n(endpoint + "#default-graph")
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF_TYPE, _n(SD + "Dataset"))
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF_TYPE, _n(SD + "Graph"))
    add(default, "http://rdfs.org/ns/void#inDataset", _n(VOID_DATASET))
    add(dataset, "http://www.w3.org/2000/01/rdf-schema#seeAlso", _n(VOID_DATASET))
    for query in (library or {}).values():
        node = _n(example_iri(query.name))
        form = _KEYWORD.get(query_form(query.text), "select")
        body = "\n".join(line for line in query.text.splitlines()
                         if not line.lstrip().startswith("#"))
        if form == "construct" and re.search(r"(?i)\bDESCRIBE\b", body):
            form = "describe"
        add(node, RDF_TYPE, _n(SH + "SPARQLExecutable"))
        add(node, RDF_TYPE, _n(SH + f"SPARQL{form.capitalize()}Executable"))
        add(node, SH + form, ox.Literal(query.text))
        add(node, str(SCHEMA.target), service)
        add(node, RDFS + "label", ox.Literal(query.title, language="en"))
        if query.question_en:
            add(node, RDFS + "comment", ox.Literal(query.question_en, language="en"))
        if query.question_zh:
            add(node, RDFS + "comment", ox.Literal(query.question_zh, language="zh-Hant"))
        for param in query.params:
            spec = _n(f"{example_iri(query.name)}/param/{param.name}")
            add(node, str(SCHEMA.potentialAction), spec)
            add(spec, RDF_TYPE, _n(str(SCHEMA.PropertyValueSpecification)))
            add(spec, str(SCHEMA.valueName), ox.Literal(param.name))
            add(spec, str(SCHEMA.description),
                ox.Literal(f"{param.type}: {param.description}".strip(": "), language="en"))
            if param.default:
                add(spec, str(SCHEMA.defaultValue), ox.Literal(param.default))
            add(spec, str(SCHEMA.valueRequired), ox.Literal("false", datatype=_n(
                "http://www.w3.org/2001/XMLSchema#boolean")))
    return out

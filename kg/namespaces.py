"""IRIs: the one place where the base IRI and the prefixes are set.

>>> entity_iri("ala")
rdflib.term.URIRef('https://w3id.org/nlpi-kg/id/ala')
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/nlpi-kg/"

KG = Namespace(BASE + "ontology#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "kg": str(KG),
    "id": BASE + "id/",
}

ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
SHARED_GRAPH = URIRef(BASE + "graph/shared")
TOPIC_SCHEME = URIRef(BASE + "id/topics")


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a curated entity: ``<BASE>id/<id>``."""
    return URIRef(f"{BASE}id/{entity_id}")


def document_iri(doc_id: str) -> URIRef:
    """The IRI of a source document (a report)."""
    return URIRef(f"{BASE}doc/{doc_id}")


def document_graph(doc_id: str) -> URIRef:
    """The named graph holding everything one document states."""
    return URIRef(f"{BASE}graph/{doc_id}")


def section_iri(doc_id: str, section_id: str) -> URIRef:
    """The IRI of a section or figure of a document."""
    return URIRef(f"{BASE}doc/{doc_id}/{section_id}")


def expand_curie(curie: str) -> URIRef | None:
    """``"schema:about"`` -> the full IRI, or None if the prefix is unknown."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES or not local:
        return None
    return URIRef(PREFIXES[prefix] + local)


def compact_iri(iri: str) -> str:
    """The CURIE for an IRI when one of our prefixes fits, else the IRI itself."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri

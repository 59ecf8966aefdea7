"""The RDF description of one resource of the dataset, as a client dereferencing its IRI
expects: its own triples (and those of the nodes it owns, ``<iri>/…``), the statements, facts
and mentions about it with their evidence, the triples pointing at it, and the labels of every
neighbour it names.

>>> triples = describe(store, "https://w3id.org/nlpi-kg/id/carla-hayden")   # doctest: +SKIP
>>> data = serialize(triples, "turtle")                                     # doctest: +SKIP
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.namespaces import BASE, KG, OA, PREFIXES, SCHEMA

__all__ = ["describe", "serialize", "FORMATS", "exists", "TURTLE_PREFIXES"]

TURTLE_PREFIXES = {**PREFIXES, "void": "http://rdfs.org/ns/void#",
                   "dcat": "http://www.w3.org/ns/dcat#", "foaf": "http://xmlns.com/foaf/0.1/",
                   "sd": "http://www.w3.org/ns/sparql-service-description#",
                   "sh": "http://www.w3.org/ns/shacl#"}

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
NOTATION = ox.NamedNode(str(KG.notation))
# incoming links followed to the node that holds them (a statement, fact, mention)
_HOLDERS = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
            str(SCHEMA.observationAbout), str(OA.hasBody), "http://www.w3.org/ns/prov#wasDerivedFrom"}
# incoming links too many to list on one page (every mention target of a report)
_SKIP_INCOMING = {str(OA.hasSource), str(KG.inSection)}
# short name -> (media type, pyoxigraph format)
FORMATS = {"turtle": ("text/turtle", ox.RdfFormat.TURTLE),
           "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
           "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD)}


def _quads(store, s=None, p=None, o=None):
    return store.quads_for_pattern(s, p, o, None)


def exists(store, iri: str) -> bool:
    """True when the dataset holds a triple with ``iri`` as subject."""
    return next(iter(_quads(store, ox.NamedNode(iri))), None) is not None


def describe(store, iri: str, *, mentions: bool = True) -> list:
    """Sorted, distinct triples describing ``iri`` (see the module docstring)."""
    node = ox.NamedNode(iri)
    out: set = set()

    def own(subject, depth: int) -> None:
        for quad in _quads(store, subject):
            out.add(ox.Triple(quad.subject, quad.predicate, quad.object))
            obj = quad.object
            if depth and isinstance(obj, ox.NamedNode) and obj.value.startswith(subject.value + "/"):
                own(obj, depth - 1)

    own(node, 3)
    for quad in _quads(store, None, None, node):
        predicate = quad.predicate.value
        if predicate in _SKIP_INCOMING:
            continue
        if predicate == str(OA.hasBody) and not mentions:
            continue
        out.add(ox.Triple(quad.subject, quad.predicate, quad.object))
        if predicate in _HOLDERS and isinstance(quad.subject, ox.NamedNode):
            own(quad.subject, 3 if predicate != "http://www.w3.org/ns/prov#wasDerivedFrom" else 0)
    named = {t for triple in list(out) for t in (triple.subject, triple.object)
             if isinstance(t, ox.NamedNode) and t != node}
    for term in named:
        for prop in (LABEL, NOTATION):
            for quad in _quads(store, term, prop):
                out.add(ox.Triple(quad.subject, quad.predicate, quad.object))
    return sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(triples, fmt: str) -> bytes:
    """Turtle, N-Triples or JSON-LD bytes, language tags in BCP 47 case (``zh-Hant``)."""
    from kg.build.fastio import restore_language_tags

    media, rdf_format = FORMATS[fmt]
    if rdf_format == ox.RdfFormat.TURTLE:
        data = ox.serialize(triples, format=rdf_format, prefixes=TURTLE_PREFIXES)
    else:
        data = ox.serialize(triples, format=rdf_format)
    tags = {t.object.language for t in triples
            if isinstance(t.object, ox.Literal) and t.object.language}
    return restore_language_tags(data or b"", tags, "jsonld" if fmt == "jsonld" else "rdf")

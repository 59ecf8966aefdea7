"""The vocabulary the data may use, read from ``ontology/kg.ttl``.

>>> v = load_vocabulary()
>>> v.is_object_property("kg:heads"), v.label("kg:heads", "zh")
(True, '領導')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import KG, SCHEMA, compact_iri, expand_curie
from kg.files import ontology_dir

# Entity types curators write in YAML -> the RDF classes an entity of that type gets.
# The first class is the most specific; a schema.org class (or skos:Concept) is always included.
ENTITY_TYPES: dict[str, tuple[URIRef, ...]] = {
    "Person": (SCHEMA.Person,),
    "Library": (SCHEMA.Library, SCHEMA.Organization),
    "Organization": (SCHEMA.Organization,),
    "GovernmentOrganization": (SCHEMA.GovernmentOrganization, SCHEMA.Organization),
    "University": (SCHEMA.CollegeOrUniversity, SCHEMA.Organization),
    "Publisher": (KG.Publisher, SCHEMA.Organization),
    "Fund": (KG.Fund, SCHEMA.FundingScheme, SCHEMA.Organization),
    "Conference": (KG.Conference, SCHEMA.Event),
    "Session": (KG.Session, SCHEMA.Event),
    "Poster": (KG.Poster, SCHEMA.CreativeWork),
    "Program": (KG.Program, SCHEMA.Project),
    "Platform": (KG.Platform, SCHEMA.SoftwareApplication),
    "Book": (SCHEMA.Book, SCHEMA.CreativeWork),
    "Game": (SCHEMA.VideoGame, SCHEMA.CreativeWork),
    "HashtagCampaign": (KG.HashtagCampaign, SCHEMA.CreativeWork),
    "Periodical": (SCHEMA.Periodical, SCHEMA.CreativeWork),
    "CreativeWork": (SCHEMA.CreativeWork,),
    "Award": (KG.Award, SCHEMA.Intangible),
    "Country": (SCHEMA.Country, SCHEMA.Place),
    "State": (SCHEMA.State, SCHEMA.Place),
    "City": (SCHEMA.City, SCHEMA.Place),
    "Place": (SCHEMA.Place,),
    "Topic": (SKOS.Concept,),
}

DATATYPES = ("xsd:integer", "xsd:decimal", "xsd:date", "xsd:gYear", "xsd:gYearMonth",
             "xsd:string", "xsd:boolean")


@dataclass
class Vocabulary:
    graph: Graph
    object_properties: set[str] = field(default_factory=set)
    datatype_properties: set[str] = field(default_factory=set)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def is_object_property(self, curie: str) -> bool:
        return curie in self.object_properties

    def is_datatype_property(self, curie: str) -> bool:
        return curie in self.datatype_properties

    def label(self, curie_or_iri: str, lang: str = "en") -> str:
        """The term's label in ``lang`` ("en"/"zh"); the local name when it has none."""
        curie = compact_iri(str(curie_or_iri))
        key = "zh-Hant" if lang.startswith("zh") else "en"
        labels = self.labels.get(curie, {})
        return labels.get(key) or labels.get("en") or curie.split(":", 1)[-1]


def _read(path: Path) -> Vocabulary:
    graph = Graph()
    graph.parse(path, format="turtle")
    vocab = Vocabulary(graph)
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        vocab.object_properties.add(compact_iri(str(prop)))
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        vocab.datatype_properties.add(compact_iri(str(prop)))
    for term, label in graph.subject_objects(RDFS.label):
        lang = label.language or "en"
        vocab.labels.setdefault(compact_iri(str(term)), {})[lang] = str(label)
    return vocab


@lru_cache(maxsize=4)
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """Read the ontology once per process."""
    return _read(Path(path) if path else ontology_dir() / "kg.ttl")


def classes_for(type_name: str) -> tuple[URIRef, ...]:
    return ENTITY_TYPES[type_name]


def curie_iri(curie: str) -> URIRef:
    iri = expand_curie(curie)
    if iri is None:
        raise KeyError(curie)
    return iri

"""The adapter reads the shared contracts from RDF written by hand (no build needed): evidence
sentences, history (former, valid dates), curator notes, figures and each report's context."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.explore import analytics
from kg.explore.graphview import to_networkx
from kg.namespaces import BASE, KG, OA, SCHEMA

ID = BASE + "id/"
DOC = URIRef(BASE + "doc/r1")
SEC = URIRef(BASE + "doc/r1/s1")


def _entity(g, name, cls, label):
    from kg.vocab import ENTITY_TYPES

    node = URIRef(ID + name)
    for types in ENTITY_TYPES.values():
        if types[0] == cls:
            for each in types:
                g.add((node, RDF.type, each))
    g.add((node, DCTERMS.identifier, Literal(name)))
    g.add((node, RDFS.label, Literal(label, lang="en")))
    return node


def _dataset() -> Dataset:
    ds = Dataset()
    g = ds.graph(URIRef(BASE + "graph/r1"))
    ann = _entity(g, "ann", SCHEMA.Person, "Ann")
    lib = _entity(g, "lib", SCHEMA.Library, "Town Library")
    writer = _entity(g, "writer", SCHEMA.Person, "The Writer")
    meeting = _entity(g, "meeting", KG.Conference, "Big Meeting")
    g.add((DOC, RDF.type, SCHEMA.Report))
    g.add((DOC, DCTERMS.creator, writer))
    g.add((DOC, SCHEMA.about, meeting))
    g.add((SEC, RDF.type, KG.Section))
    g.add((SEC, KG.notation, Literal("一")))
    g.add((ann, SCHEMA.worksFor, lib))
    st = URIRef(BASE + "doc/r1/statement/1")
    for p, o in ((RDF.type, KG.Statement), (RDF.subject, ann), (RDF.predicate, SCHEMA.worksFor),
                 (RDF.object, lib), (PROV.wasDerivedFrom, SEC),
                 (KG.implied, Literal(False)), (KG.uncertain, Literal(True)),
                 (KG.former, Literal(True)), (SCHEMA.startDate, Literal("2001", datatype=XSD.gYear)),
                 (SCHEMA.endDate, Literal("2010", datatype=XSD.gYear)),
                 (KG.curatorNote, Literal("Our reading.", lang="en")),
                 (KG.evidenceStatus, Literal("sentence"))):
        g.add((st, p, o))
    ev = URIRef(str(st) + "/evidence")
    pos, quote = URIRef(str(ev) + "/position"), URIRef(str(ev) + "/quote")
    g.add((st, KG.evidence, ev))
    g.add((ev, RDF.type, OA.SpecificResource))
    g.add((ev, OA.hasSource, DOC))
    g.add((ev, KG.inSection, SEC))
    g.add((ev, OA.hasSelector, pos))
    g.add((ev, OA.hasSelector, quote))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(10)))
    g.add((pos, OA.end, Literal(24)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal("Ann worked there.")))
    fact = URIRef(BASE + "doc/r1/fact/1")
    for p, o in ((RDF.type, KG.Fact), (SCHEMA.observationAbout, lib),
                 (SCHEMA.measuredProperty, KG.visitors), (SCHEMA.value, Literal(1200)),
                 (SCHEMA.unitText, Literal("person")),
                 (SCHEMA.observationDate, Literal("2020-05-01", datatype=XSD.date)),
                 (PROV.wasDerivedFrom, SEC), (KG.implied, Literal(True))):
        g.add((fact, p, o))
    g.add((writer, SCHEMA.worksFor, lib))
    g.add((meeting, SCHEMA.attendee, ann))
    return ds


def test_edges_carry_evidence_history_and_note():
    G = to_networkx(_dataset())
    data = G["ann"]["lib"]["schema:worksFor"]
    assert data["evidence"] == "Ann worked there."
    assert (data["evidence_start"], data["evidence_end"]) == (10, 24)
    assert data["evidence_status"] == "sentence"
    assert data["former"] is True and (data["valid_from"], data["valid_until"]) == ("2001",
                                                                                 "2010")
    assert data["note"] == "Our reading." and data["uncertain"] and not data["implied"]
    assert data["section"] == "一"
    marks = analytics.edge_marks(data)
    assert marks == ["uncertain", "former", "2001–2010", "note: Our reading."]
    per_statement = to_networkx(_dataset(), statements=True)
    (one,) = per_statement["ann"]["lib"].values()
    assert one["evidence"] == "Ann worked there." and one["former"]


def test_an_edge_without_evidence_has_empty_attributes():
    G = to_networkx(_dataset())
    data = G["writer"]["lib"]["schema:worksFor"]
    assert data["evidence"] == "" and data["evidence_start"] is None
    assert data["former"] is False and data["valid_from"] == "" and data["note"] == ""


def test_figures_and_context_come_from_the_rdf():
    G = to_networkx(_dataset())
    assert G.graph["context"] == ["meeting", "writer"]
    (fact,) = analytics.figures(G, "lib")
    assert (fact["value"], fact["unit"], fact["as_of"], fact["section"]) == \
        ("1200", "person", "2020-05-01", "一")
    assert fact["implied"] and fact["property"] == "kg:visitors"
    top = analytics.rank(G, "degree")
    assert {r["id"] for r in top} == {"ann", "lib"}
    kept = analytics.rank(G, "degree", keep_context=True)
    assert {r["id"] for r in kept} == {"ann", "lib", "writer", "meeting"}

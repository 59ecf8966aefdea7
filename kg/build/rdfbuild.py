"""Turn a checked Catalog (and, when given, the located text) into an RDF dataset.

Graphs: the ontology; ``graph/shared`` for entities defined once under data/shared; one graph
per source document holding its metadata, sections, own entities, statements, facts and
mentions. No blank nodes: every node has an IRI derived from ids, so output is stable.

>>> from kg.build.loader import load_catalog
>>> catalog, _ = load_catalog("data")                    # doctest: +SKIP
>>> dataset = build_dataset(catalog, {})                 # doctest: +SKIP
"""

from __future__ import annotations

import hashlib

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.build.model import Catalog, Document, Fact, Relation
from kg.namespaces import (BASE, KG, OA, ONTOLOGY_GRAPH, PREFIXES, SCHEMA, SHARED_GRAPH,
                         TOPIC_SCHEME, document_graph, document_iri, entity_iri, expand_curie,
                         section_iri)
from kg.build.provenance import Located
from kg.vocab import ENTITY_TYPES, Vocabulary

XSD_TYPES = {"xsd:integer": XSD.integer, "xsd:decimal": XSD.decimal, "xsd:date": XSD.date,
             "xsd:gYear": XSD.gYear, "xsd:gYearMonth": XSD.gYearMonth, "xsd:string": XSD.string,
             "xsd:boolean": XSD.boolean}
CURRENCIES = {"USD", "EUR", "TWD", "KRW", "GBP", "UAH", "JPY", "CNY"}


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def statement_key(relation: Relation) -> str:
    """What a statement IRI is made from: the curator's ``id:``, else report, subject,
    predicate, object and role -- not the section or note, so correcting those keeps the IRI."""
    parts = [relation.doc, relation.subject, relation.predicate, relation.object,
             str(sorted(relation.role.items()))]
    if getattr(relation, "at", None):  # the event it happened at tells two meetings apart
        parts.append(relation.at)
    return relation.id or _digest(*parts)


def statement_iri(relation: Relation) -> URIRef:
    """``<BASE>doc/<doc>/statement/<key>``, stable across edits of section and note."""
    return URIRef(f"{BASE}doc/{relation.doc}/statement/{statement_key(relation)}")


def fact_key(fact: Fact) -> str:
    """The curator's ``id:``, else report, about, property, as-of date and period (not the
    value, section or note: a corrected figure keeps its IRI)."""
    return fact.id or _digest(fact.doc, fact.about, fact.property, fact.as_of or "",
                              str(sorted(fact.period.items())))


def fact_iri(fact: Fact) -> URIRef:
    """``<BASE>doc/<doc>/fact/<key>``."""
    return URIRef(f"{BASE}doc/{fact.doc}/fact/{fact_key(fact)}")


def _replacements(graph: Graph, node: URIRef, olds: list[str]) -> None:
    for old in olds:
        graph.add((URIRef(old), DCTERMS.isReplacedBy, node))
        graph.add((node, DCTERMS.replaces, URIRef(old)))


def _literals(graph: Graph, node, prop, texts: dict[str, str]) -> None:
    for lang, text in sorted(texts.items()):
        graph.add((node, prop, Literal(text, lang=lang)))


def estimated_quads(catalog: Catalog, located: dict[str, Located]) -> int:
    """Roughly how many quads ``build_dataset`` will make (to choose the store)."""
    mentions = sum(len(found.mentions) for found in located.values())
    return 9 * len(catalog.entities) + 10 * len(catalog.relations) + 12 * len(catalog.facts) \
        + 14 * mentions


def new_dataset(large: bool = False) -> Dataset:
    """An empty dataset with our prefixes; a large one is held by Oxigraph (oxrdflib), which
    keeps memory and serialisation time down while rdflib stays the modelling API."""
    dataset = Dataset(store="Oxigraph") if large else Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns, override=True, replace=True)
    return dataset


def build_dataset(catalog: Catalog, located: dict[str, Located],
                  vocab: Vocabulary | None = None, *, quiet: bool = True) -> Dataset:
    """The RDF dataset for ``catalog``; ``located`` maps document id -> text findings.

    With ``quiet=False`` a progress bar (on a terminal) counts the records added.
    """
    from kg.progress import Progress
    from kg.vocab import load_vocabulary

    from kg.build.fastio import LARGE_DATASET

    vocab = vocab or load_vocabulary()
    dataset = new_dataset(large=estimated_quads(catalog, located) > LARGE_DATASET)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    # Sorted: Oxigraph (the large path) writes in insertion order, and the parsed
    # ontology's order varies between processes; sorted input gives the same bytes.
    for triple in sorted(vocab.graph):
        ontology.add(triple)

    shared = dataset.graph(SHARED_GRAPH)
    graphs = {doc_id: dataset.graph(document_graph(doc_id)) for doc_id in catalog.documents}
    shared.add((TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme))
    shared.add((TOPIC_SCHEME, RDFS.label, Literal("Topics", lang="en")))
    shared.add((TOPIC_SCHEME, RDFS.label, Literal("主題", lang="zh-Hant")))

    for entity in catalog.entities.values():
        graph = shared if entity.doc is None else graphs[entity.doc]
        node = entity_iri(entity.id)
        for cls in ENTITY_TYPES[entity.type]:
            graph.add((node, RDF.type, cls))
        graph.add((node, DCTERMS.identifier, Literal(entity.id)))
        _literals(graph, node, RDFS.label, entity.labels)
        for lang, forms in sorted(entity.alt.items()):
            for form in forms:
                graph.add((node, SKOS.altLabel, Literal(form, lang=lang)))
        _literals(graph, node, SCHEMA.description, entity.description)
        if entity.romanization:
            graph.add((node, KG.romanization, Literal(entity.romanization)))
            if "en" not in entity.labels:
                graph.add((node, RDFS.label, Literal(entity.romanization, lang="en")))
        for lang, forms in sorted(entity.former_names.items()):
            for form in forms:
                graph.add((node, KG.formerName, Literal(form, lang=lang)))
        for iri in entity.same_as:
            graph.add((node, OWL.sameAs, URIRef(iri)))
        if entity.type == "Topic":
            _literals(graph, node, SKOS.prefLabel, entity.labels)
            graph.add((node, SKOS.inScheme, TOPIC_SCHEME))
            if not entity.broader:
                graph.add((node, SKOS.topConceptOf, TOPIC_SCHEME))
                graph.add((TOPIC_SCHEME, SKOS.hasTopConcept, node))
            for broader in entity.broader:
                graph.add((node, SKOS.broader, entity_iri(broader)))
                graph.add((entity_iri(broader), SKOS.narrower, node))

    for document in catalog.documents.values():
        _add_document(graphs[document.id], document, located.get(document.id))
    referenced: dict[str, set[str]] = {}
    total = len(catalog.relations) + len(catalog.facts)
    with Progress(total, "statements", quiet=quiet) as bar:
        for relation in catalog.relations:
            _add_relation(graphs[relation.doc], catalog.documents[relation.doc], relation)
            _add_evidence(graphs[relation.doc], relation, statement_iri(relation),
                          located.get(relation.doc))
            for end in (relation.subject, relation.object):
                referenced.setdefault(end, set()).add(relation.doc)
            bar.advance()
        for fact in catalog.facts:
            _add_fact(graphs[fact.doc], catalog.documents[fact.doc], fact)
            _add_evidence(graphs[fact.doc], fact, fact_iri(fact), located.get(fact.doc))
            referenced.setdefault(fact.about, set()).add(fact.doc)
            bar.advance()
    for doc_id, found in located.items():
        for mention in found.mentions:
            referenced.setdefault(mention.entity, set()).add(doc_id)
    for entity_id, docs in referenced.items():
        for doc_id in sorted(docs):
            graphs[doc_id].add((entity_iri(entity_id), DCTERMS.isReferencedBy,
                                document_iri(doc_id)))
    from kg.build.description import describe_dataset

    describe_dataset(dataset, catalog)  # VoID/DCAT/schema:Dataset: graph/dataset, counted last
    return dataset


def _add_document(graph: Graph, document: Document, found: Located | None) -> None:
    node = document_iri(document.id)
    for cls in (SCHEMA.Report, PROV.Entity):
        graph.add((node, RDF.type, cls))
    graph.add((node, DCTERMS.identifier, Literal(document.id)))
    _literals(graph, node, DCTERMS.title, document.title)
    _literals(graph, node, RDFS.label, document.title)
    graph.add((node, DCTERMS.language, Literal(document.language, datatype=XSD.language)))
    if document.author:
        graph.add((node, DCTERMS.creator, entity_iri(document.author)))
    if document.publisher:
        graph.add((node, DCTERMS.publisher, entity_iri(document.publisher)))
    if document.about:
        graph.add((node, SCHEMA.about, entity_iri(document.about)))
    if document.issued:
        datatype = XSD.gYear if len(document.issued) == 4 else XSD.date
        graph.add((node, DCTERMS.issued, Literal(document.issued, datatype=datatype)))
    if document.sha256:
        graph.add((node, KG.sha256, Literal(document.sha256)))
    if document.source_file:
        graph.add((node, KG.sourceFile, Literal(document.source_file)))
    for section in document.sections:
        snode = section_iri(document.id, section.id)
        kind = KG.Figure if section.kind == "figure" else KG.Section
        superclass = SCHEMA.ImageObject if section.kind == "figure" else SCHEMA.CreativeWork
        for cls in (kind, superclass, PROV.Entity):
            graph.add((snode, RDF.type, cls))
        graph.add((snode, DCTERMS.identifier, Literal(section.id)))
        graph.add((snode, KG.notation, Literal(section.notation)))
        graph.add((snode, SCHEMA.position, Literal(section.order)))
        _literals(graph, snode, DCTERMS.title, section.title)
        labels = {lang: f"{section.notation} {title}" if section.kind == "section"
                  else f"{section.id} {title}" for lang, title in section.title.items()}
        _literals(graph, snode, RDFS.label, labels)
        if section.number is not None:
            graph.add((snode, KG.figureNumber, Literal(section.number)))
        parent = document.section_by_ref(section.parent) if section.parent else None
        container = section_iri(document.id, parent.id) if parent else node
        graph.add((snode, DCTERMS.isPartOf, container))
        graph.add((container, DCTERMS.hasPart, snode))
        if found and section.id in found.spans:
            start, end = found.spans[section.id]
            _text_position(graph, snode, node, start, end)
    if found:
        for mention in found.mentions:
            _add_mention(graph, document, mention)


def _text_position(graph: Graph, node: URIRef, source: URIRef, start: int, end: int) -> None:
    """Make ``node`` an oa:SpecificResource of ``source`` with a TextPositionSelector."""
    selector = URIRef(f"{node}/position")
    graph.add((node, RDF.type, OA.SpecificResource))
    graph.add((node, OA.hasSource, source))
    graph.add((node, OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextPositionSelector))
    graph.add((selector, OA.start, Literal(start)))
    graph.add((selector, OA.end, Literal(end)))


def _add_mention(graph: Graph, document: Document, mention) -> None:
    node = URIRef(f"{BASE}doc/{document.id}/mention/{mention.start}-{mention.end}")
    target = URIRef(f"{node}/target")
    graph.add((node, RDF.type, KG.Mention))
    graph.add((node, RDF.type, OA.Annotation))
    graph.add((node, OA.motivatedBy, OA.identifying))
    graph.add((node, OA.hasBody, entity_iri(mention.entity)))
    graph.add((node, OA.hasTarget, target))
    _text_position(graph, target, document_iri(document.id), mention.start, mention.end)
    quote = URIRef(f"{target}/quote")
    graph.add((target, OA.hasSelector, quote))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(mention.exact)))
    if mention.section:
        graph.add((target, KG.inSection, section_iri(document.id, mention.section)))


def _provenance(graph: Graph, node: URIRef, document: Document, section_ref: str, item) -> None:
    section = document.section_by_ref(section_ref)
    graph.add((node, PROV.wasDerivedFrom, section_iri(document.id, section.id)))
    graph.add((node, KG.implied, Literal(item.implied)))
    graph.add((node, KG.uncertain, Literal(item.uncertain)))
    if item.note:
        graph.add((node, KG.curatorNote, Literal(item.note, lang="en")))


def _add_evidence(graph: Graph, item, node: URIRef, found: Located | None) -> None:
    """The statement's evidence sentence (shared contract 1), when its report text is given:
    ``node kg:evidence <node/evidence>`` with position and quote selectors, and
    ``kg:evidenceStatus`` sentence | section | implied | none (no sentence names either end)."""
    if found is None:
        return
    from kg.build.evidence import evidence_key

    evidence = found.evidence.get(evidence_key(item))
    status = evidence.status if evidence else ("implied" if item.implied else "none")
    graph.add((node, KG.evidenceStatus, Literal(status)))
    if evidence is None:
        return
    target = URIRef(f"{node}/evidence")
    source = document_iri(item.doc)
    graph.add((node, KG.evidence, target))
    _text_position(graph, target, source, evidence.start, evidence.end)
    graph.add((target, KG.inSection, section_iri(item.doc, evidence.section)))
    quote = URIRef(f"{target}/quote")
    graph.add((target, OA.hasSelector, quote))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(evidence.exact)))
    graph.add((quote, OA.prefix, Literal(evidence.prefix)))
    graph.add((quote, OA.suffix, Literal(evidence.suffix)))


def _add_relation(graph: Graph, document: Document, relation: Relation) -> None:
    subject, obj = entity_iri(relation.subject), entity_iri(relation.object)
    predicate = expand_curie(relation.predicate)
    graph.add((subject, predicate, obj))
    node = statement_iri(relation)
    graph.add((node, RDF.type, KG.Statement))
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    _literals(graph, node, SCHEMA.roleName, relation.role)
    graph.add((node, KG.former, Literal(relation.former)))
    if relation.at:
        graph.add((node, KG.atEvent, entity_iri(relation.at)))
    for prop, value in ((SCHEMA.startDate, relation.valid_from),
                        (SCHEMA.endDate, relation.valid_until)):
        if value:
            graph.add((node, prop, Literal(value, datatype=XSD.gYear if len(value) == 4
                                           else XSD.date)))
    _provenance(graph, node, document, relation.section, relation)
    _replacements(graph, node, relation.replaces)


def _add_fact(graph: Graph, document: Document, fact: Fact) -> None:
    subject = entity_iri(fact.about)
    prop = expand_curie(fact.property)
    value = Literal(fact.value, datatype=XSD_TYPES[fact.datatype])
    node = fact_iri(fact)
    graph.add((node, RDF.type, KG.Fact))
    graph.add((node, RDF.type, SCHEMA.Observation))
    graph.add((node, SCHEMA.observationAbout, subject))
    graph.add((node, SCHEMA.measuredProperty, prop))
    graph.add((node, SCHEMA.value, value))
    if fact.unit:
        unit_prop = SCHEMA.currency if fact.unit in CURRENCIES else SCHEMA.unitText
        graph.add((node, unit_prop, Literal(fact.unit)))
    if fact.qualifier:
        graph.add((node, KG.qualifier, Literal(fact.qualifier)))
    if fact.as_of:
        graph.add((node, SCHEMA.observationDate, Literal(fact.as_of, datatype=XSD.date)))
    _literals(graph, node, KG.period, fact.period)
    if fact.source:
        graph.add((node, DCTERMS.source, entity_iri(fact.source)))
        graph.add((node, PROV.wasAttributedTo, entity_iri(fact.source)))
    _provenance(graph, node, document, fact.section, fact)
    _replacements(graph, node, fact.replaces)
    if not fact.as_of and not fact.period:
        graph.add((subject, prop, value))

"""The dataset's description, in every build: VoID, DCAT and schema:Dataset, in its own graph.

What a data librarian looks for before reusing the data: titles and descriptions in English
and Traditional Chinese, the licence (CC BY 4.0 for our curation) and how the report's short
quotations are attributed, creator, issued/modified and version (from the data, never the
clock), the triple count (every distinct triple of the build, this description included),
class and property partitions (of the data graphs), example resources, the SPARQL endpoint
and the dumps.

>>> describe_dataset(dataset, catalog)                              # doctest: +SKIP
>>> DATASET                                                         # doctest: +SKIP
rdflib.term.URIRef('https://w3id.org/nlpi-kg/dataset')
"""

from __future__ import annotations

import re
from collections import Counter

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from kg import __version__
from kg.build.model import Catalog
from kg.namespaces import BASE, KG, OA, PREFIXES, SCHEMA, document_iri, entity_iri

__all__ = ["DATASET", "DESCRIPTION_GRAPH", "LICENSE", "DUMPS", "describe_dataset"]

DATASET = URIRef(BASE + "dataset")
DESCRIPTION_GRAPH = URIRef(BASE + "graph/dataset")
CURATORS = URIRef(BASE + "agent/curators")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
ENDPOINT = URIRef(BASE + "sparql")
# dump file -> media type (the files `kg build` writes; `kg site` publishes them under dumps/)
DUMPS = {"kg.nt": "application/n-triples", "kg.ttl": "text/turtle",
         "kg.trig": "application/trig", "kg.jsonld": "application/ld+json"}

TITLE = {"en": "Knowledge graph of library-conference reports",
         "zh-Hant": "圖書館會議出國報告知識圖譜"}
DESCRIPTION = {
    "en": "People, libraries, organizations, sessions, programmes, works, places and topics "
          "curated from library staff's conference reports, each statement citing the report "
          "section it comes from, with the report sentence as evidence.",
    "zh-Hant": "由圖書館館員出國參加會議報告整理而成的人物、圖書館、機構、場次、計畫、作品、地點與主題，"
               "每一陳述皆註明出自報告的章節，並附報告原句為證據。"}
RIGHTS = {
    "en": "Curated data (entities, statements, facts, descriptions) under CC BY 4.0. Evidence "
          "sentences and mention texts (oa:exact) are short quotations of the reports, used "
          "for citation; each quotation stays the work of the report's creator and publisher "
          "(dcterms:creator, dcterms:publisher of the report it is taken from, via "
          "oa:hasSource) and must be attributed to them when reused.",
    "zh-Hant": "整理之資料（實體、陳述、數據、說明）以 CC BY 4.0 授權。證據句與提及文字（oa:exact）"
               "為報告之簡短引文，僅供引證；引文著作權仍屬報告之作者與出版者（見其來源報告之 "
               "dcterms:creator、dcterms:publisher，經 oa:hasSource 連結），再利用時須標明出處。"}
VOCABULARIES = ("schema", "skos", "prov", "dcterms", "oa", "kg", "rdfs", "owl")
EXAMPLES = 5


def _slug(iri: str) -> str:
    """``https://schema.org/Person`` -> ``schema-Person``, for partition IRIs."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', iri[len(ns):])}"
    return "x-" + re.sub(r"[^A-Za-z0-9_-]", "-", iri.split("://", 1)[-1]).strip("-")


def _counts(dataset: Dataset) -> tuple[int, Counter, Counter, Counter]:
    """(distinct triples, class -> entities, property -> triples, subject -> triples)."""
    from kg.build.fastio import is_oxigraph_backed, oxigraph_store

    classes: Counter = Counter()
    properties: Counter = Counter()
    subjects: Counter = Counter()
    if is_oxigraph_backed(dataset):
        store = oxigraph_store(dataset)
        total = int(next(iter(store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
            "{ GRAPH ?g { ?s ?p ?o } } }")))["n"].value)
        for row in store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } "
                               "GROUP BY ?c"):
            classes[row["c"].value] = int(row["n"].value)
        for row in store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                               "WHERE { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?p"):
            properties[row["p"].value] = int(row["n"].value)
        for row in store.query("SELECT ?s (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                               "WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), "
                               f'"{BASE}id/")) }} }} GROUP BY ?s'):
            subjects[row["s"].value] = int(row["n"].value)
        return total, classes, properties, subjects
    triples = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    typed: dict = {}
    for s, p, o in triples:
        properties[str(p)] += 1
        if p == RDF.type:
            typed.setdefault(str(o), set()).add(s)
        if str(s).startswith(BASE + "id/"):
            subjects[str(s)] += 1
    for cls, members in typed.items():
        classes[cls] = len(members)
    return len(triples), classes, properties, subjects


def _dates(catalog: Catalog) -> list[tuple[str, URIRef]]:
    dates = []
    for document in catalog.documents.values():
        if document.issued:
            datatype = XSD.gYear if len(document.issued) == 4 else XSD.date
            dates.append((document.issued, datatype))
    return sorted(dates)


def describe_dataset(dataset: Dataset, catalog: Catalog) -> Graph:
    """Add the description graph (``<BASE>graph/dataset``) to ``dataset`` and return it.

    Deterministic: issued is the earliest report's date, modified the newest report's date,
    the version is kg's; counts are taken from the dataset itself.
    """
    total, classes, properties, subjects = _counts(dataset)
    graph = dataset.graph(DESCRIPTION_GRAPH)
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("foaf", FOAF)):
        dataset.bind(prefix, ns, override=True, replace=True)
    add = graph.add
    ds = DATASET
    for cls in (VOID.Dataset, DCAT.Dataset, SCHEMA.Dataset):
        add((ds, RDF.type, cls))
    for lang, text in TITLE.items():
        for prop in (DCTERMS.title, RDFS.label, SCHEMA.name):
            add((ds, prop, Literal(text, lang=lang)))
    for lang, text in DESCRIPTION.items():
        add((ds, DCTERMS.description, Literal(text, lang=lang)))
        add((ds, SCHEMA.description, Literal(text, lang=lang)))
    for lang, text in RIGHTS.items():
        add((ds, DCTERMS.rights, Literal(text, lang=lang)))
    for prop in (DCTERMS.license, SCHEMA.license):
        add((ds, prop, LICENSE))
    add((CURATORS, RDF.type, FOAF.Agent))
    add((CURATORS, RDF.type, SCHEMA.Organization))
    add((CURATORS, RDFS.label, Literal("kg curators", lang="en")))
    add((CURATORS, RDFS.label, Literal("kg 資料整理者", lang="zh-Hant")))
    add((CURATORS, FOAF.name, Literal("kg curators", lang="en")))
    for prop in (DCTERMS.creator, SCHEMA.creator):
        add((ds, prop, CURATORS))
    for document in sorted(catalog.documents.values(), key=lambda d: d.id):
        doc = document_iri(document.id)
        add((ds, DCTERMS.source, doc))
        add((ds, SCHEMA.isBasedOn, doc))
        if document.publisher:
            add((ds, DCTERMS.contributor, entity_iri(document.publisher)))
    dates = _dates(catalog)
    if dates:
        add((ds, DCTERMS.issued, Literal(dates[0][0], datatype=dates[0][1])))
        add((ds, DCTERMS.modified, Literal(dates[-1][0], datatype=dates[-1][1])))
        add((ds, SCHEMA.datePublished, Literal(dates[0][0], datatype=dates[0][1])))
        add((ds, SCHEMA.dateModified, Literal(dates[-1][0], datatype=dates[-1][1])))
    for prop in (URIRef(str(DCAT) + "version"), SCHEMA.version):
        add((ds, prop, Literal(__version__)))
    for lang in ("en", "zh-Hant"):
        add((ds, DCTERMS.language, Literal(lang, datatype=XSD.language)))
    for keyword in ("library conference", "knowledge graph", "conference report"):
        add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    add((ds, VOID.uriSpace, Literal(BASE + "id/")))
    add((ds, VOID.sparqlEndpoint, ENDPOINT))
    for name in VOCABULARIES:
        add((ds, VOID.vocabulary, URIRef(PREFIXES[name])))
    for name, media in DUMPS.items():
        dump = URIRef(f"{BASE}dumps/{name}")
        dist = URIRef(f"{BASE}dataset/distribution/{name.replace('.', '-')}")
        add((ds, VOID.dataDump, dump))
        add((ds, DCAT.distribution, dist))
        add((ds, SCHEMA.distribution, dist))
        for cls in (DCAT.Distribution, SCHEMA.DataDownload):
            add((dist, RDF.type, cls))
        add((dist, DCAT.downloadURL, dump))
        add((dist, SCHEMA.contentUrl, dump))
        add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        add((dist, SCHEMA.encodingFormat, Literal(media)))
        add((dist, DCTERMS.license, LICENSE))
        add((dist, DCTERMS.title, Literal(f"{name} ({media})", lang="en")))
    service = URIRef(f"{BASE}dataset/service")
    add((ds, URIRef(str(DCAT) + "accessService"), service))
    add((service, RDF.type, DCAT.DataService))
    add((service, DCAT.endpointURL, ENDPOINT))
    add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    add((service, DCAT.servesDataset, ds))
    examples = [document_iri(d) for d in sorted(catalog.documents)]
    examples += [entity_iri(d.about) for d in sorted(catalog.documents.values(),
                                                      key=lambda d: d.id) if d.about]
    busiest = sorted(subjects.items(), key=lambda kv: (-kv[1], kv[0]))
    examples += [URIRef(iri) for iri, _ in busiest if URIRef(iri) not in examples][:EXAMPLES]
    for example in examples:
        add((ds, VOID.exampleResource, example))
    add((ds, VOID.entities, Literal(len(catalog.entities))))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{BASE}dataset/class/{_slug(cls)}")
        add((ds, VOID.classPartition, part))
        add((part, VOID["class"], URIRef(cls)))
        add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{BASE}dataset/property/{_slug(prop)}")
        add((ds, VOID.propertyPartition, part))
        add((part, VOID.property, URIRef(prop)))
        add((part, VOID.triples, Literal(count)))
    # every distinct triple of the build, this description (and this very triple) included
    add((ds, VOID.triples, Literal(total + len(graph) + 1)))
    return graph

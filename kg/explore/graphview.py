"""A networkx view of the RDF dataset: entities as nodes, relations as edges.

The RDF dataset stays the source of truth; this view is rebuilt from it each time. Nodes are
keyed by entity id and carry ``id``, ``iri``, ``class`` (the curator's type name, e.g.
``Library``), ``label_en``, ``label_zh``, ``alt_labels`` (every other surface form) and
``description_en``/``description_zh``. Edges of the ``MultiDiGraph`` are the direct triples
between entities whose predicate is an object property of the ontology (plus ``skos:broader``
between topics), keyed by the predicate CURIE, and carry ``predicate`` (IRI), ``relation``
(CURIE), ``label_en``/``label_zh`` (from ``kg.vocab``), ``section`` (the notation(s) the
statement cites, ``"; "``-joined), ``sections`` (tuple), ``implied``, ``uncertain`` and
``symmetric``.

>>> from kg.api import load_built
>>> G = to_networkx(load_built("out"), exclude_classes=["City", "State"])  # doctest: +SKIP
>>> G.nodes["carla-hayden"]["label_en"]                                   # doctest: +SKIP
'Carla Hayden'
>>> G["carla-hayden"]["barack-obama"]["kg:nominatedBy"]["section"]         # doctest: +SKIP
'貳.一.(二)'
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.namespaces import BASE, KG, OA, ONTOLOGY_GRAPH, SCHEMA, compact_iri
from kg.problems import UserError
from kg.vocab import ENTITY_TYPES, load_vocabulary

__all__ = ["to_networkx", "class_names", "check_classes", "entity_class", "DOCUMENT_CLASSES",
           "predicate_label"]

DOCUMENT_CLASSES = ("Report", "Section", "Figure")
_ENTITY_PREFIX = BASE + "id/"
_DOC_PREFIX = BASE + "doc/"
# Terms that are not in ontology/kg.ttl but appear as edges in the view.
_EXTRA_LABELS = {
    "skos:broader": {"en": "broader topic", "zh": "上位主題"},
    "dcterms:isPartOf": {"en": "part of", "zh": "屬於"},
}


def class_names() -> list[str]:
    """Every class name a node can have: the curated entity types, then Report/Section/Figure."""
    return list(ENTITY_TYPES) + list(DOCUMENT_CLASSES)


def check_classes(names: Iterable[str]) -> list[str]:
    """Canonical class names for ``names`` (case-insensitive); UserError for an unknown one.

    >>> check_classes(["library", "Person"])
    ['Library', 'Person']
    """
    known = {name.lower(): name for name in class_names()}
    result = []
    for name in names:
        canonical = known.get(str(name).strip().lower())
        if canonical is None:
            raise UserError(f"unknown class {name!r}; use one of: {', '.join(class_names())}")
        result.append(canonical)
    return result


def entity_class(rdf_types: set) -> str | None:
    """The curator's type name for a node with these ``rdf:type`` IRIs (most specific wins).

    >>> entity_class({SCHEMA.Library, SCHEMA.Organization})
    'Library'
    """
    best, best_len = None, 0
    for name, classes in ENTITY_TYPES.items():
        if classes[0] in rdf_types and set(classes) <= rdf_types and len(classes) > best_len:
            best, best_len = name, len(classes)
    return best


def predicate_label(curie: str, lang: str = "en") -> str:
    """The label of a predicate in ``lang`` ("en"/"zh"), from the ontology."""
    extra = _EXTRA_LABELS.get(curie)
    if extra:
        return extra["zh" if lang.startswith("zh") else "en"]
    return load_vocabulary().label(curie, lang)


def _triples(data: Dataset | Graph):
    """Every triple of the dataset outside the ontology graph (or of a plain graph)."""
    if isinstance(data, Dataset):
        for s, p, o, g in data.quads((None, None, None, None)):
            graph_id = getattr(g, "identifier", g)
            if graph_id != ONTOLOGY_GRAPH:
                yield s, p, o
    else:
        yield from data.triples((None, None, None))


def _ontology_object_properties(data: Dataset | Graph) -> tuple[set[URIRef], set[URIRef]]:
    """(object properties, symmetric properties) declared in the dataset's ontology graph,
    falling back to ``ontology/kg.ttl`` when the dataset carries no ontology."""
    ontology = data.graph(ONTOLOGY_GRAPH) if isinstance(data, Dataset) else data
    props = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    if not props:
        ontology = load_vocabulary().graph
        props = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    return props - {KG.inSection}, symmetric


class _Collected:
    """One pass over the triples, sorted into what the view needs."""

    def __init__(self, data: Dataset | Graph):
        self.types: dict = defaultdict(set)
        self.identifier: dict = {}
        self.labels: dict = defaultdict(dict)
        self.alt: dict = defaultdict(set)
        self.description: dict = defaultdict(dict)
        self.titles: dict = defaultdict(dict)
        self.links: list = []  # (s, p, o) with IRI object
        self.statement: dict = defaultdict(dict)
        self.roles: dict = defaultdict(dict)
        self.notation: dict = {}
        self.position: dict = {}
        self.part_of: dict = {}
        self.body: dict = {}
        self.target: dict = {}
        self.in_section: dict = {}
        self.notes: dict = defaultdict(dict)
        self.dates: dict = defaultdict(dict)       # statement -> {"start"/"end": lexical}
        self.evidence: dict = {}                   # statement or fact -> evidence resource
        self.evidence_status: dict = {}
        self.selectors: dict = defaultdict(set)
        self.offsets: dict = defaultdict(dict)     # selector -> {"start": n, "end": m}
        self.exact: dict = {}
        self.creators: dict = defaultdict(set)     # report -> dcterms:creator
        self.doc_about: dict = defaultdict(set)    # report -> schema:about
        self.fact: dict = defaultdict(dict)        # fact -> {field: value}
        fact_fields = {SCHEMA.observationAbout: "about", SCHEMA.measuredProperty: "property",
                       SCHEMA.value: "value", SCHEMA.unitText: "unit",
                       SCHEMA.currency: "currency", SCHEMA.observationDate: "as_of",
                       DCTERMS.source: "source"}
        single = {RDF.subject: "s", RDF.predicate: "p", RDF.object: "o",
                  PROV.wasDerivedFrom: "from", KG.implied: "implied", KG.uncertain: "uncertain"}
        for s, p, o in _triples(data):
            if p in fact_fields:
                self.fact[s][fact_fields[p]] = o
            if p == RDF.type:
                self.types[s].add(o)
            elif p == DCTERMS.identifier:
                self.identifier[s] = str(o)
            elif p == RDFS.label and isinstance(o, Literal):
                self.labels[s][o.language or ""] = str(o)
            elif p == SKOS.altLabel:
                self.alt[s].add(str(o))
            elif p == SCHEMA.description:
                self.description[s][o.language or ""] = str(o)
            elif p == DCTERMS.title:
                self.titles[s][o.language or ""] = str(o)
            elif p in single:
                value = o.toPython() if isinstance(o, Literal) else o
                if p == PROV.wasDerivedFrom:
                    self.statement[s].setdefault("from", set()).add(o)
                else:
                    self.statement[s][single[p]] = value
            elif p == SCHEMA.roleName:
                self.roles[s][o.language or ""] = str(o)
            elif p == KG.notation:
                self.notation[s] = str(o)
            elif p == SCHEMA.position:
                self.position[s] = o.toPython()
            elif p == DCTERMS.isPartOf:
                self.part_of[s] = o
            elif p == OA.hasBody:
                self.body[s] = o
            elif p == OA.hasTarget:
                self.target[s] = o
            elif p == KG.inSection:
                self.in_section[s] = o
            elif p == KG.curatorNote:
                self.notes[s][o.language or ""] = str(o)
            elif p == KG.former:
                self.statement[s]["former"] = bool(o.toPython())
            elif p in (SCHEMA.startDate, SCHEMA.endDate):
                self.dates[s]["start" if p == SCHEMA.startDate else "end"] = str(o)
            elif p == KG.evidence:
                self.evidence[s] = o
            elif p == KG.evidenceStatus:
                self.evidence_status[s] = str(o)
            elif p == OA.hasSelector:
                self.selectors[s].add(o)
            elif p in (OA.start, OA.end):
                self.offsets[s]["start" if p == OA.start else "end"] = int(o.toPython())
            elif p == OA.exact:
                self.exact[s] = str(o)
            elif p == DCTERMS.creator:
                self.creators[s].add(o)
            elif p == KG.period:
                self.fact[s].setdefault("period", {})[o.language or ""] = str(o)
            if p == SCHEMA.about and str(s).startswith(_DOC_PREFIX):
                self.doc_about[s].add(o)
            if isinstance(o, URIRef) and str(o).startswith(_ENTITY_PREFIX) and \
                    str(s).startswith(_ENTITY_PREFIX):
                self.links.append((s, p, o))


    def evidence_of(self, node) -> dict:
        """The evidence sentence of a statement or fact (shared contract 1), "" if none."""
        ev = self.evidence.get(node)
        found = {"evidence": "", "evidence_start": None, "evidence_end": None,
                 "evidence_status": self.evidence_status.get(node, ""),
                 "evidence_section": ""}
        if ev is None:
            return found
        for selector in sorted(self.selectors.get(ev, ()), key=str):
            if selector in self.offsets:
                found["evidence_start"] = self.offsets[selector].get("start")
                found["evidence_end"] = self.offsets[selector].get("end")
            if selector in self.exact:
                found["evidence"] = self.exact[selector]
        section = self.in_section.get(ev)
        found["evidence_section"] = self.notation.get(section, "") if section else ""
        return found

    def note_of(self, node) -> str:
        notes = self.notes.get(node, {})
        return _lang(notes, "en") or _lang(notes, "zh") or next(iter(notes.values()), "")


def _lang(texts: dict, lang: str) -> str:
    if lang == "zh":
        for key in texts:
            if key.lower().startswith("zh"):
                return texts[key]
        return ""
    return texts.get(lang, "")


def _node_attributes(node: URIRef, node_id: str, cls: str, found: _Collected) -> dict:
    labels = found.labels.get(node, {})
    label_en, label_zh = _lang(labels, "en"), _lang(labels, "zh")
    others = {text for key, text in labels.items() if text not in (label_en, label_zh)}
    return {
        "id": node_id,
        "iri": str(node),
        "class": cls,
        "label": label_en or label_zh or node_id,
        "label_en": label_en,
        "label_zh": label_zh,
        "alt_labels": tuple(sorted(found.alt.get(node, set()) | others)),
        "description_en": _lang(found.description.get(node, {}), "en"),
        "description_zh": _lang(found.description.get(node, {}), "zh"),
    }


def _section_key(found: _Collected, section) -> tuple:
    return (found.position.get(section, 0), found.notation.get(section, str(section)))


def to_networkx(data, *, exclude_classes: Iterable[str] = (),
                include_classes: Iterable[str] | None = None, topic_hierarchy: bool = True,
                documents: bool = False, statements: bool = False) -> nx.MultiDiGraph:
    """The entity graph of ``data`` (an rdflib Dataset, or a Graph holding the same triples).

    ``exclude_classes``/``include_classes`` filter nodes by class name (``Library``, ``City``,
    …; unknown names raise UserError); ``topic_hierarchy=False`` leaves out ``skos:broader``;
    ``documents=True`` adds the report, its sections and figures as nodes, with
    ``dcterms:isPartOf`` edges between them and a ``kg:inSection`` edge from each entity to
    each section that mentions it. Node and edge order is sorted, so the same dataset always
    gives the same graph (and the same Louvain communities for a fixed seed).

    ``statements=True`` keeps one edge per ``kg:Statement`` (keyed by the statement's IRI,
    with ``statement`` and ``section_iri``) instead of one per direct triple: what a panel
    listing each statement with its own section needs.

    An Oxigraph store (or a Dataset held by Oxigraph, the large-dataset path) is read with
    two SPARQL queries instead of a Python pass over every triple: nodes carry ``id`` and
    labels, edges ``predicate`` and ``relation`` only.

    >>> G = to_networkx(load_built("out"), exclude_classes=["Topic"])   # doctest: +SKIP
    """
    if _is_large(data):
        return _from_oxigraph(data)
    exclude = set(check_classes(exclude_classes))
    include = set(check_classes(include_classes)) if include_classes is not None else None

    def wanted(cls: str) -> bool:
        return cls not in exclude and (include is None or cls in include)

    found = _Collected(data)
    props, symmetric = _ontology_object_properties(data)
    graph = nx.MultiDiGraph()
    nodes: dict[URIRef, str] = {}
    for node in sorted(found.identifier, key=str):
        if not str(node).startswith(_ENTITY_PREFIX):
            continue
        cls = entity_class(found.types.get(node, set()))
        if cls and wanted(cls):
            nodes[node] = found.identifier[node]
    for node in sorted(nodes, key=lambda n: nodes[n]):
        graph.add_node(nodes[node], **_node_attributes(node, nodes[node], _class_of(found, node),
                                                       found))

    # Which statements (and so which sections) back each direct triple.
    backing: dict[tuple, list[dict]] = defaultdict(list)
    for node, st in found.statement.items():
        if {"s", "p", "o"} <= st.keys():
            backing[(st["s"], st["p"], st["o"])].append({**st, "iri": node,
                                                          "role": found.roles.get(node, {})})

    allowed = props | ({SKOS.broader} if topic_hierarchy else set())
    edges = []
    for s, p, o in set(found.links):
        if p in allowed and s in nodes and o in nodes:
            edges.append((nodes[s], nodes[o], p))
    for s_id, o_id, p in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]))):
        curie = compact_iri(str(p))
        subject, obj = URIRef(_ENTITY_PREFIX + s_id), URIRef(_ENTITY_PREFIX + o_id)
        backed = backing.get((subject, p, obj), [])
        groups = ([[st] for st in sorted(backed, key=lambda st: str(st["iri"]))]
                  if statements and backed else [backed])
        for group in groups:
            cited = sorted({src for st in group for src in st.get("from", ())},
                           key=lambda sec: _section_key(found, sec))
            notations = tuple(found.notation.get(sec, compact_iri(str(sec))) for sec in cited)
            role = {}
            for st in group:
                role.update(st["role"])
            key = str(group[0]["iri"]) if statements and group else curie
            extra = ({"statement": key if group else "",
                      "section_iri": str(cited[0]) if cited else ""} if statements else {})
            graph.add_edge(
                s_id, o_id, key=key, predicate=str(p), relation=curie,
                label_en=predicate_label(curie, "en"), label_zh=predicate_label(curie, "zh"),
                section="; ".join(notations), sections=notations,
                implied=bool(group) and all(st.get("implied") for st in group),
                uncertain=bool(group) and all(st.get("uncertain") for st in group),
                symmetric=p in symmetric,
                role_en=_lang(role, "en"), role_zh=_lang(role, "zh"),
                **_history_and_evidence(found, group), **extra)

    if documents:
        _add_documents(graph, found, nodes, wanted)
    graph.graph["context"] = _context_hubs(found, nodes)
    graph.graph["facts"] = _facts(found, nodes)
    return graph


def _history_and_evidence(found: _Collected, group: list[dict]) -> dict:
    """Curator notes, history (shared contract 2) and evidence (contract 1) of the
    statements behind one edge: notes joined, former only when every statement says so,
    the widest validity, the evidence sentence that comes first in the text."""
    notes = list(dict.fromkeys(n for n in (found.note_of(st["iri"]) for st in group) if n))
    starts = sorted(found.dates[st["iri"]]["start"] for st in group
                    if "start" in found.dates.get(st["iri"], {}))
    ends = sorted(found.dates[st["iri"]]["end"] for st in group
                  if "end" in found.dates.get(st["iri"], {}))
    evidence = sorted((found.evidence_of(st["iri"]) for st in group),
                      key=lambda ev: (not ev["evidence"], ev["evidence_start"] or 0))
    chosen = evidence[0] if evidence else found.evidence_of(None)
    chosen.pop("evidence_section", None)
    return {"note": "; ".join(notes),
            "former": bool(group) and all(st.get("former") for st in group),
            "valid_from": starts[0] if starts else "",
            "valid_until": ends[-1] if ends else "", **chosen}


def _context_hubs(found: _Collected, nodes: dict) -> list[str]:
    """Ids of each report's author (``dcterms:creator``) and its subject, the conference
    (``schema:about`` of the report): context of every statement, not evidence of brokerage."""
    hubs = set()
    for report in set(found.creators) | set(found.doc_about):
        if SCHEMA.Report not in found.types.get(report, set()):
            continue
        for node in found.creators.get(report, set()) | found.doc_about.get(report, set()):
            if node in nodes:
                hubs.add(nodes[node])
    return sorted(hubs)


def _facts(found: _Collected, nodes: dict) -> dict[str, list[dict]]:
    """Entity id -> its figures (``kg:Fact``): property and its labels, value, datatype, unit
    or currency, as-of date, period, section, marks, note and evidence; sorted."""
    facts = defaultdict(list)
    for fact, fields in found.fact.items():
        about = fields.get("about")
        if about not in nodes or "property" not in fields or "value" not in fields:
            continue
        value = fields["value"]
        curie = compact_iri(str(fields["property"]))
        sources = sorted(found.statement.get(fact, {}).get("from", ()),
                         key=lambda sec: _section_key(found, sec))
        st = found.statement.get(fact, {})
        period = fields.get("period", {})
        evidence = found.evidence_of(fact)
        evidence.pop("evidence_section", None)
        facts[nodes[about]].append({
            "fact": str(fact), "property": curie,
            "label_en": predicate_label(curie, "en"), "label_zh": predicate_label(curie, "zh"),
            "value": str(value),
            "datatype": compact_iri(str(value.datatype)) if getattr(value, "datatype", None)
            else "",
            "unit": str(fields.get("unit") or fields.get("currency") or ""),
            "as_of": str(fields.get("as_of", "")),
            "period_en": _lang(period, "en"), "period_zh": _lang(period, "zh"),
            "section": "; ".join(found.notation.get(sec, compact_iri(str(sec)))
                                 for sec in sources),
            "implied": bool(st.get("implied")), "uncertain": bool(st.get("uncertain")),
            "note": found.note_of(fact), "about": nodes[about],
            "source": nodes.get(fields.get("source"), ""), **evidence})
    return {node: sorted(rows, key=lambda r: (r["property"], r["value"], r["fact"]))
            for node, rows in sorted(facts.items())}


def _class_of(found: _Collected, node) -> str:
    return entity_class(found.types.get(node, set())) or ""


def _doc_node_id(node: URIRef) -> str:
    return "doc/" + str(node)[len(_DOC_PREFIX):]


def _add_documents(graph: nx.MultiDiGraph, found: _Collected, nodes: dict, wanted) -> None:
    """Reports, sections and figures as nodes; isPartOf between them; mentions as inSection."""
    doc_nodes: dict[URIRef, str] = {}
    for node in sorted(found.types, key=str):
        types = found.types[node]
        cls = ("Report" if SCHEMA.Report in types else "Figure" if KG.Figure in types
               else "Section" if KG.Section in types else None)
        if cls is None or not str(node).startswith(_DOC_PREFIX) or not wanted(cls):
            continue
        doc_nodes[node] = _doc_node_id(node)
        attrs = _node_attributes(node, doc_nodes[node], cls, found)
        attrs["notation"] = found.notation.get(node, "")
        graph.add_node(doc_nodes[node], **attrs)
    part = "dcterms:isPartOf"
    for child in sorted(doc_nodes, key=str):
        parent = found.part_of.get(child)
        if parent in doc_nodes:
            graph.add_edge(doc_nodes[child], doc_nodes[parent], key=part,
                           predicate=str(DCTERMS.isPartOf), relation=part,
                           label_en=predicate_label(part, "en"),
                           label_zh=predicate_label(part, "zh"),
                           section=found.notation.get(child, ""),
                           sections=(found.notation.get(child, ""),), implied=False,
                           uncertain=False, symmetric=False, role_en="", role_zh="")
    mentioned = set()
    for mention, body in found.body.items():
        section = found.in_section.get(found.target.get(mention))
        if body in nodes and section in doc_nodes:
            mentioned.add((nodes[body], doc_nodes[section], found.notation.get(section, "")))
    key = "kg:inSection"
    for entity_id, section_id, notation in sorted(mentioned):
        graph.add_edge(entity_id, section_id, key=key, predicate=str(KG.inSection),
                       relation=key, label_en=predicate_label(key, "en"),
                       label_zh=predicate_label(key, "zh"), section=notation,
                       sections=(notation,), implied=False, uncertain=False, symmetric=False,
                       role_en="", role_zh="")


def _is_large(data) -> bool:
    import pyoxigraph as ox

    from kg.build.fastio import is_oxigraph_backed

    return isinstance(data, ox.Store) or is_oxigraph_backed(data)


def _from_oxigraph(data) -> nx.MultiDiGraph:
    """The entity graph read from Oxigraph with two SPARQL queries (the large-dataset path)."""
    from kg.build.fastio import oxigraph_store

    store = oxigraph_store(data)
    prefix = _ENTITY_PREFIX
    edges = store.query(f"""
        SELECT ?s ?p ?o WHERE {{
          GRAPH <{ONTOLOGY_GRAPH}> {{ ?p a <{OWL.ObjectProperty}> }}
          GRAPH ?g {{ ?s ?p ?o }}
          FILTER(STRSTARTS(STR(?s), "{prefix}") && STRSTARTS(STR(?o), "{prefix}")) }}""")
    graph = nx.MultiDiGraph()
    cut = len(prefix)
    for s, p, o in edges:
        curie = compact_iri(p.value)
        graph.add_edge(s.value[cut:], o.value[cut:], key=curie, predicate=p.value,
                       relation=curie)
    labels = store.query(f"""
        SELECT ?e ?l WHERE {{ ?e <{RDFS.label}> ?l .
          FILTER(STRSTARTS(STR(?e), "{prefix}")) }}""", use_default_graph_as_union=True)
    for e, label in labels:
        node = e.value[cut:]
        if node in graph:
            key = "label_zh" if (label.language or "").startswith("zh") else "label_en"
            graph.nodes[node][key] = label.value
    for node, attributes in graph.nodes(data=True):
        attributes["id"] = node
    graph.graph["context"] = []
    graph.graph["facts"] = {}
    return graph

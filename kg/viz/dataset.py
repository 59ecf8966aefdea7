"""Read what the views need from the built RDF dataset: entities, statements, facts, sections.

This is the viz package's adapter to the RDF shape described in CONTRIBUTING.md. It returns
plain Python values (a networkx graph plus dictionaries); nothing here writes HTML.

>>> from kg.api import load_built                                 # doctest: +SKIP
>>> data = read_graph_data(load_built("out"))                      # doctest: +SKIP
>>> data.graph.nodes["carla-hayden"]["label_en"]                   # doctest: +SKIP
'Carla Hayden'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.namespaces import KG, OA, SCHEMA, compact_iri

__all__ = ["GraphData", "read_graph_data", "lang_key", "context_hubs"]

@dataclass
class GraphData:
    """The entities and statements of a dataset, with what a node's panel shows.

    ``entity_graph`` is the shared networkx view (kg.explore.graphview: one edge per direct triple,
    keyed by predicate CURIE); views draw it. ``graph`` keeps one edge per statement with the
    section IRI it cites, so a panel can show each statement's passage.

    Node attributes: ``label_en``, ``label_zh``, ``class``, ``alt`` (list), ``description_en``,
    ``description_zh``. Edge attributes (MultiDiGraph, one edge per statement): ``predicate``
    (CURIE), ``section`` (notation), ``section_iri``, ``implied``, ``uncertain``, ``role_en``,
    ``role_zh``.
    """

    graph: nx.MultiDiGraph
    entity_graph: nx.MultiDiGraph | None = None  # kg.explore.graphview.to_networkx: what views draw
    facts: dict[str, list[dict]] = field(default_factory=dict)      # entity id -> facts
    sections: dict[str, dict] = field(default_factory=dict)         # section IRI -> info
    predicates: dict[str, dict[str, str]] = field(default_factory=dict)  # CURIE -> en/zh
    reports: dict[str, dict] = field(default_factory=dict)          # report IRI -> info


def lang_key(literal: Literal) -> str | None:
    """``en`` or ``zh`` for a literal's language tag (Oxigraph lowercases tags), else None."""
    tag = (literal.language or "").lower()
    if tag == "en" or tag.startswith("en-"):
        return "en"
    if tag.startswith("zh"):
        return "zh"
    return None


def _union(dataset: Dataset | Graph) -> Graph:
    if isinstance(dataset, Dataset):
        union = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return dataset


def _texts(graph: Graph, node, prop) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in sorted(graph.objects(node, prop)):
        if isinstance(value, Literal):
            key = lang_key(value) or "en"
            found.setdefault(key, str(value))
    return found


def read_graph_data(dataset: Dataset | Graph) -> GraphData:
    """Entities, statements (plus skos:broader links between topics), facts and sections.

    Both graphs come from kg.explore.graphview, the one adapter from RDF to networkx; this
    module adds only what a panel shows beside them (facts, sections, predicate labels).
    """
    from kg.explore.graphview import to_networkx

    graph = _union(dataset)
    view = to_networkx(dataset, statements=True)
    ids = {URIRef(attrs["iri"]): node for node, attrs in view.nodes(data=True)}
    sections = _read_sections(graph)
    predicates: dict[str, dict[str, str]] = {}

    def predicate_labels(pred: URIRef) -> str:
        curie = compact_iri(str(pred))
        if curie not in predicates:
            labels = _texts(graph, pred, RDFS.label)
            local = curie.split(":", 1)[-1]
            predicates[curie] = {"en": labels.get("en", local), "zh": labels.get("zh", local)}
        return curie

    for _, _, attrs in view.edges(data=True):
        predicate_labels(URIRef(attrs["predicate"]))
    if "skos:broader" in predicates and predicates["skos:broader"]["en"] == "broader":
        predicates["skos:broader"] = {"en": "broader topic", "zh": "上位主題"}

    facts: dict[str, list[dict]] = {}
    for fact in sorted(set(graph.subjects(RDF.type, KG.Fact))):
        about = ids.get(graph.value(fact, SCHEMA.observationAbout))
        prop = graph.value(fact, SCHEMA.measuredProperty)
        value = graph.value(fact, SCHEMA.value)
        if about is None or prop is None or value is None:
            continue
        source = graph.value(fact, PROV.wasDerivedFrom)
        unit = graph.value(fact, SCHEMA.unitText) or graph.value(fact, SCHEMA.currency)
        date = graph.value(fact, SCHEMA.observationDate)
        period = _texts(graph, fact, KG.period)
        curie = predicate_labels(prop)
        facts.setdefault(about, []).append({
            "property": curie, "value": str(value), "unit": str(unit) if unit else "",
            "as_of": str(date) if date else "", "period_en": period.get("en", ""),
            "period_zh": period.get("zh", ""),
            "section": sections.get(str(source), {}).get("notation", ""),
            "section_iri": str(source) if source is not None else "",
            "implied": bool(graph.value(fact, KG.implied)),
            "uncertain": bool(graph.value(fact, KG.uncertain))})
    for items in facts.values():
        items.sort(key=lambda f: (f["property"], f["as_of"], f["value"]))
    return GraphData(view, to_networkx(dataset), facts, sections, predicates,
                     _read_reports(graph))


def _read_sections(graph: Graph) -> dict[str, dict]:
    sections: dict[str, dict] = {}
    for kind, cls in (("section", KG.Section), ("figure", KG.Figure)):
        for node in set(graph.subjects(RDF.type, cls)):
            notation = graph.value(node, KG.notation)
            titles = _texts(graph, node, DCTERMS.title)
            info = {"kind": kind, "notation": str(notation) if notation else "",
                    "id": str(graph.value(node, DCTERMS.identifier) or ""),
                    "title_en": titles.get("en", ""), "title_zh": titles.get("zh", ""),
                    "report": "", "start": None, "end": None}
            report = node
            for _ in range(8):  # walk dcterms:isPartOf up to the report
                parent = graph.value(report, DCTERMS.isPartOf)
                if parent is None:
                    break
                report = parent
            info["report"] = str(report) if report != node else ""
            selector = graph.value(node, OA.hasSelector)
            if selector is not None:
                start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
                if start is not None and end is not None:
                    info["start"], info["end"] = int(start), int(end)
            sections[str(node)] = info
    return sections


def _read_reports(graph: Graph) -> dict[str, dict]:
    reports = {}
    for node in set(graph.subjects(RDF.type, SCHEMA.Report)):
        sha = graph.value(node, KG.sha256)
        name = graph.value(node, KG.sourceFile)
        about = graph.value(node, SCHEMA.about)
        creators = sorted(str(c).rsplit("/", 1)[-1] for c in graph.objects(node, DCTERMS.creator)
                          if isinstance(c, URIRef))
        reports[str(node)] = {"sha256": str(sha) if sha else "",
                              "source_file": str(name) if name else "",
                              "about": str(about).rsplit("/", 1)[-1] if about else "",
                              "creators": creators}
    return reports


def context_hubs(data: GraphData, nodes, center=None) -> list[str]:
    """The entities that are context of every report rather than its content: each report's
    author (``dcterms:creator``) and its event (``schema:about``), among ``nodes``; never the
    focused ``center``.

    >>> context_hubs(GraphData(nx.DiGraph(), reports={"r": {"about": "conf",
    ...     "creators": ["author"]}}), ["conf", "author", "x"])
    ['author', 'conf']
    """
    found = set()
    for info in data.reports.values():
        found.update(info.get("creators", []))
        if info.get("about"):
            found.add(info["about"])
    present = set(nodes)
    return sorted(n for n in found if n in present and n != center)

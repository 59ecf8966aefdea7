"""Run the SHACL shapes in ``ontology/shapes.ttl`` over a built dataset (pyshacl).

>>> problems = shacl_problems(dataset, where={})   # doctest: +SKIP
"""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from kg.namespaces import ONTOLOGY_GRAPH, compact_iri
from kg.files import ontology_dir
from kg.problems import Problem


def union_graph(dataset: Dataset, include_ontology: bool = True) -> Graph:
    graph = Graph()
    for prefix, ns in dataset.namespaces():
        graph.bind(prefix, ns, override=True)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if include_ontology or g != ONTOLOGY_GRAPH:
            graph.add((s, p, o))
    return graph


def curated_at(iri: str, where: dict[str, tuple[str, int]]) -> tuple[str, int]:
    """The YAML file and line behind a node: its own entry, else the nearest enclosing one
    (a mention or an evidence node of a report -> the statement or the report's document).

    >>> curated_at("https://x/doc/r/mention/3-5", {"https://x/doc/r": ("report.yaml", 2)})
    ('report.yaml', 2)
    """
    while iri:
        if iri in where:
            return where[iri]
        head, sep, _ = iri.rpartition("/")
        if not sep or head.endswith(":/") or head.endswith(":"):
            break
        iri = head
    return ("(built graph)", 0)


def shacl_problems(dataset: Dataset, where: dict[str, tuple[str, int]]) -> list[Problem]:
    """Violations as Problems; ``where`` maps a node IRI to the (file, line) it came from."""
    import pyshacl

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    data = union_graph(dataset)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=None,
                                           inference="none", advanced=False)
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        file, line = curated_at(str(focus), where)
        what = f"SHACL: {compact_iri(str(focus))}"
        if path is not None:
            what += f" {compact_iri(str(path))}"
        problems.append(Problem(file, line, f"{what}: {message}",
                                "see ontology/shapes.ttl for what is expected"))
    return sorted(set(problems))

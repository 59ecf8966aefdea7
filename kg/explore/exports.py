"""Write the entity graph for other tools: GraphML and GEXF (Gephi), CSV (neo4j-admin), JSON.

Writers are looked up in ``WRITERS`` (format -> function returning ``{file name: bytes}``);
every file is written atomically and deterministically (same graph, same bytes).

- GraphML: labels in each language as separate attributes (``label_en``, ``label_zh``),
  lists flattened to ``"; "``-joined strings (``networkx.write_graphml`` refuses lists), a
  ``color`` per class.
- GEXF 1.3: written here (networkx's 1.3 writer puts ``xsi:schemaLocation`` in a misspelt
  namespace and stamps today's date), with ``viz:color`` by class and the predicate as the
  edge ``kind`` so Gephi keeps parallel relations apart.
- CSV: ``nodes.csv`` and ``relationships.csv`` with the headers ``neo4j-admin database import``
  expects (``id:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``, typed columns such as
  ``implied:boolean``, arrays ``alt_labels:string[]`` split on ``;``).
- JSON: networkx node-link data (``{"nodes": [...], "edges": [...]}``).

>>> export(G, "gexf", Path("out/kg.gexf"))                  # doctest: +SKIP
[PosixPath('out/kg.gexf')]
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import networkx as nx

from kg.explore.palette import CLASS_SHAPES, color_of
from kg.problems import UserError
from kg.files import atomic_write

__all__ = ["FORMATS", "WRITERS", "export", "graphml_bytes", "gexf_bytes", "csv_files",
           "json_bytes", "CLASS_COLORS", "class_color", "neo4j_type", "default_path",
           "GEXF_NS", "VIZ_NS"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"

# One colour per class family (kg.explore.palette), so Gephi, the HTML views and the images agree.
CLASS_COLORS = {name: color_of(name) for name in CLASS_SHAPES}
_SKIP_NODE = {"id"}  # the node id is the element id already (igraph reads it as "id")


def class_color(cls: str) -> str:
    return color_of(cls)


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _flat(value):
    """A value GraphML/GEXF/CSV can hold: lists joined with "; ", None as ""."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return value


def _flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    F = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        attrs = {k: _flat(v) for k, v in data.items() if k not in _SKIP_NODE and v is not None}
        attrs["color"] = class_color(data.get("class", ""))
        F.add_node(node, **attrs)
    for u, v, key, data in G.edges(keys=True, data=True):
        # None (no evidence offsets) is left out, not written as "": one type per attribute.
        F.add_edge(u, v, key=key, **{k: _flat(val) for k, val in data.items()
                                     if val is not None})
    return F


def graphml_bytes(G: nx.MultiDiGraph) -> dict[str, bytes]:
    buffer = io.BytesIO()
    nx.write_graphml_xml(_flat_graph(G), buffer, encoding="utf-8", prettyprint=True)
    return {"": buffer.getvalue()}


def _gexf_type(values: list) -> str:
    present = [v for v in values if v != ""]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in present):
        return "double"
    return "string"


def _gexf_value(value, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _attribute_table(items: list[dict], skip: set[str]) -> list[tuple[str, str]]:
    names = sorted({k for data in items for k in data} - skip)
    return [(name, _gexf_type([_flat(d[name]) for d in items if name in d])) for name in names]


def gexf_bytes(G: nx.MultiDiGraph) -> dict[str, bytes]:
    """GEXF 1.3: attributes declared per class, ``viz:color`` by class, edge ``kind``."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, q("meta"))
    ET.SubElement(meta, q("creator")).text = "kg (knowledge graph of library-conference reports)"
    ET.SubElement(meta, q("description")).text = "Entities and relations; colour by class"
    graph = ET.SubElement(root, q("graph"), {"defaultedgetype": "directed", "mode": "static"})
    node_data = [d for _, d in G.nodes(data=True)]
    edge_data = [d for _, _, d in G.edges(data=True)]
    node_attrs = _attribute_table(node_data, {"id", "label"})
    edge_attrs = _attribute_table(edge_data, set())
    for cls_name, table in (("node", node_attrs), ("edge", edge_attrs)):
        attributes = ET.SubElement(graph, q("attributes"), {"class": cls_name})
        for name, kind in table:
            ET.SubElement(attributes, q("attribute"), {"id": name, "title": name, "type": kind})
    nodes = ET.SubElement(graph, q("nodes"), {"count": str(G.number_of_nodes())})
    for node, data in G.nodes(data=True):
        element = ET.SubElement(nodes, q("node"), {"id": str(node),
                                                   "label": str(data.get("label", node))})
        _attvalues(element, data, node_attrs, q)
        r, g, b = _rgb(class_color(data.get("class", "")))
        ET.SubElement(element, f"{{{VIZ_NS}}}color",
                      {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
    edges = ET.SubElement(graph, q("edges"), {"count": str(G.number_of_edges())})
    for number, (u, v, key, data) in enumerate(G.edges(keys=True, data=True)):
        element = ET.SubElement(edges, q("edge"), {
            "id": str(number), "source": str(u), "target": str(v), "kind": str(key),
            "label": str(data.get("label_en") or key), "weight": "1.0"})
        _attvalues(element, data, edge_attrs, q)
    ET.indent(root)
    return {"": ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"}


def _attvalues(element, data: dict, table: list[tuple[str, str]], q) -> None:
    values = [(name, kind, _flat(data[name])) for name, kind in table if name in data]
    values = [(n, k, v) for n, k, v in values if v != ""]
    if values:
        holder = ET.SubElement(element, q("attvalues"))
        for name, kind, value in values:
            ET.SubElement(holder, q("attvalue"), {"for": name, "value": _gexf_value(value, kind)})


def neo4j_type(curie: str) -> str:
    """A relationship type in Neo4j style from a predicate CURIE.

    >>> neo4j_type("kg:nominatedBy"), neo4j_type("schema:about")
    ('NOMINATED_BY', 'ABOUT')
    """
    local = curie.split(":", 1)[-1].split("#")[-1].split("/")[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local).upper()


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v).replace(";", ",") for v in value)
    if value is None:
        return ""
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


_NODE_COLUMNS = [("iri", "iri", ""), ("class", "class", ""), ("label_en", "name_en", ""),
                 ("label_zh", "name_zh", ""), ("alt_labels", "alt_labels", ":string[]"),
                 ("description_en", "description_en", ""),
                 ("description_zh", "description_zh", ""), ("notation", "notation", "")]
_METRIC_COLUMNS = [("degree", ":double"), ("betweenness", ":double"), ("pagerank", ":double"),
                   ("eigenvector", ":double"), ("community", ":int")]
_EDGE_COLUMNS = [("relation", "relation", ""), ("predicate", "predicate", ""),
                 ("label_en", "name_en", ""), ("label_zh", "name_zh", ""),
                 ("section", "section", ""), ("sections", "sections", ":string[]"),
                 ("implied", "implied", ":boolean"), ("uncertain", "uncertain", ":boolean"),
                 ("role_en", "role_en", ""), ("role_zh", "role_zh", "")]


def csv_files(G: nx.MultiDiGraph) -> dict[str, bytes]:
    """``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import full``."""
    node_columns = [c for c in _NODE_COLUMNS
                    if any(c[0] in d for _, d in G.nodes(data=True))]
    metrics = [(name, kind) for name, kind in _METRIC_COLUMNS
               if any(name in d for _, d in G.nodes(data=True))]
    header = ["id:ID", ":LABEL"] + [f"{col}{kind}" for _, col, kind in node_columns] + \
             [f"{name}{kind}" for name, kind in metrics]
    rows = [header]
    for node, data in G.nodes(data=True):
        cls = data.get("class") or "Entity"
        group = "Document" if cls in ("Report", "Section", "Figure") else "Entity"
        rows.append([node, f"{group};{cls}"] + [data.get(attr, "") for attr, _, _ in node_columns]
                    + [data.get(name, "") for name, _ in metrics])
    rel_header = [":START_ID", ":END_ID", ":TYPE"] + [f"{col}{kind}"
                                                      for _, col, kind in _EDGE_COLUMNS]
    rels = [rel_header]
    for u, v, key, data in G.edges(keys=True, data=True):
        rels.append([u, v, neo4j_type(key)] + [data.get(attr, "") for attr, _, _ in _EDGE_COLUMNS])
    return {"nodes.csv": _csv(rows), "relationships.csv": _csv(rels)}


def json_bytes(G: nx.MultiDiGraph) -> dict[str, bytes]:
    data = nx.node_link_data(G, edges="edges")
    return {"": (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True,
                            default=str) + "\n").encode("utf-8")}


WRITERS = {"graphml": graphml_bytes, "gexf": gexf_bytes, "csv": csv_files, "json": json_bytes}
FORMATS = tuple(WRITERS)
_SUFFIX = {"graphml": ".graphml", "gexf": ".gexf", "csv": "", "json": ".json"}


def default_path(out_dir: str | Path, fmt: str) -> Path:
    """Where ``kg export`` writes by default: ``<out>/export/kg.<ext>`` (csv: a folder)."""
    return Path(out_dir) / "export" / ("neo4j" if fmt == "csv" else f"kg{_SUFFIX[fmt]}")


def export(G: nx.MultiDiGraph, fmt: str, path: str | Path) -> list[Path]:
    """Write ``G`` as ``fmt`` to ``path`` (csv: a folder that gets nodes.csv and
    relationships.csv); returns the files written."""
    if fmt not in WRITERS:
        raise UserError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    path = Path(path)
    if fmt == "csv" and path.suffix.lower() == ".csv":
        raise UserError(f"{path}: CSV export writes two files; give a folder, e.g. out/neo4j")
    if fmt != "csv" and path.is_dir():
        path = path / f"kg{_SUFFIX[fmt]}"
    files = WRITERS[fmt](G)
    written = []
    for name, data in sorted(files.items()):
        target = path / name if name else path
        atomic_write(target, data)
        written.append(target)
    return written

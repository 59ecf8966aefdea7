"""Exports read back by independent readers: igraph (GraphML), an XSD (GEXF 1.3), the
neo4j-admin header rules (CSV), networkx (JSON); counts match the dataset."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from kg.explore import analytics
from kg.explore.exports import GEXF_NS, VIZ_NS, class_color, export

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(scope="module")
def annotated(built_dataset):
    from kg.explore.graphview import to_networkx

    G = to_networkx(built_dataset)
    for by in analytics.CENTRALITIES:
        analytics.centrality(G, by)
    analytics.communities(G)
    return G


def test_graphml_is_read_by_igraph_with_both_languages(annotated, counts, tmp_path):
    import igraph

    path = export(annotated, "graphml", tmp_path / "kg.graphml")[0]
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() == counts["entities"] and g.ecount() == counts["relations"]
    loc = g.vs.find(id="library-of-congress")
    assert loc["label_en"] == "Library of Congress" and loc["label_zh"] == "美國國會圖書館"
    assert "國會圖書館" in loc["alt_labels"]  # a list, flattened to text
    assert loc["color"] == class_color("Library")
    nominated = [e for e in g.es if e["relation"] == "kg:nominatedBy"]
    assert [(g.vs[e.source]["id"], g.vs[e.target]["id"], e["section"]) for e in nominated] == \
        [("carla-hayden", "barack-obama", "貳.一.(二)")]


def test_gexf_conforms_to_the_gexf_13_structure_and_colours_by_class(annotated, counts,
                                                                      tmp_path):
    path = export(annotated, "gexf", tmp_path / "kg.gexf")[0]
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf-1.3-minimal.xsd")))
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    ns = {"g": GEXF_NS, "viz": VIZ_NS}
    nodes = doc.findall(".//g:nodes/g:node", ns)
    edges = doc.findall(".//g:edges/g:edge", ns)
    assert len(nodes) == counts["entities"] and len(edges) == counts["relations"]
    declared = {cls: {a.get("id") for a in doc.findall(f".//g:attributes[@class='{cls}']/"
                                                       "g:attribute", ns)}
                for cls in ("node", "edge")}
    for cls, elements in (("node", nodes), ("edge", edges)):
        for element in elements:
            for value in element.findall("g:attvalues/g:attvalue", ns):
                assert value.get("for") in declared[cls]
    assert {"label_en", "label_zh", "class", "pagerank", "community"} <= declared["node"]
    colours = {}
    for node in nodes:
        values = {v.get("for"): v.get("value") for v in node.findall("g:attvalues/g:attvalue", ns)}
        colour = node.find("viz:color", ns)
        colours.setdefault(values["class"], set()).add(
            (colour.get("r"), colour.get("g"), colour.get("b")))
    assert all(len(c) == 1 for c in colours.values())  # one colour per class
    assert colours["Library"] != colours["Person"]
    # networkx's own GEXF 1.3 reader agrees on the graph
    back = nx.read_gexf(path, version="1.3")
    assert back.number_of_nodes() == counts["entities"]


def test_gexf_schema_rejects_an_edge_to_a_missing_node(annotated, tmp_path):
    path = export(annotated, "gexf", tmp_path / "kg.gexf")[0]
    broken = path.read_text(encoding="utf-8").replace('target="barack-obama"',
                                                      'target="no-such-node"', 1)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf-1.3-minimal.xsd")))
    assert not schema.validate(etree.fromstring(broken.encode("utf-8")))


NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string",
               "point", "date", "localtime", "time", "localdatetime", "datetime", "duration"}


def _check_header(header: list[str], required: list[str]) -> None:
    for field in required:
        assert field in header
    names = set()
    for column in header:
        name, _, kind = column.partition(":")
        if name:
            assert name not in names, f"duplicate column {name}"
            names.add(name)
            if kind and kind != "ID":  # "id:ID" also stores the id as property "id"
                assert kind.removesuffix("[]") in NEO4J_TYPES, column
        else:
            assert kind in {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}, column


def test_csv_has_the_headers_neo4j_admin_expects(annotated, counts, tmp_path):
    nodes_csv, rels_csv = export(annotated, "csv", tmp_path / "neo4j")
    assert nodes_csv.name == "nodes.csv" and rels_csv.name == "relationships.csv"
    with nodes_csv.open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.reader(handle))
    with rels_csv.open(encoding="utf-8", newline="") as handle:
        rels = list(csv.reader(handle))
    _check_header(nodes[0], ["id:ID", ":LABEL", "name_en", "name_zh", "alt_labels:string[]"])
    _check_header(rels[0], [":START_ID", ":END_ID", ":TYPE", "implied:boolean",
                            "uncertain:boolean", "sections:string[]"])
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert len(nodes) - 1 == counts["entities"] and len(rels) - 1 == counts["relations"]
    ids = {row[0] for row in nodes[1:]}
    assert len(ids) == len(nodes) - 1
    for row in rels[1:]:
        assert row[0] in ids and row[1] in ids
        assert re.fullmatch(r"[A-Z][A-Z_]*", row[2])
    by_id = {row[0]: dict(zip(nodes[0], row)) for row in nodes[1:]}
    assert by_id["library-of-congress"][":LABEL"] == "Entity;Library"
    assert by_id["library-of-congress"]["name_zh"] == "美國國會圖書館"
    nominated = [dict(zip(rels[0], r)) for r in rels[1:] if r[2] == "NOMINATED_BY"]
    assert nominated[0][":START_ID"] == "carla-hayden"
    assert nominated[0]["implied:boolean"] in ("true", "false")


def test_node_link_json_round_trips(annotated, counts, tmp_path):
    path = export(annotated, "json", tmp_path / "kg.json")[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    G = nx.node_link_graph(data, edges="edges")
    assert G.number_of_nodes() == counts["entities"]
    assert G.number_of_edges() == counts["relations"]
    assert G.nodes["carla-hayden"]["label_en"] == "Carla Hayden"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "json"])
def test_exports_are_deterministic_and_leave_no_temp_files(built_dataset, tmp_path, fmt):
    from kg.explore.graphview import to_networkx

    name = "neo4j" if fmt == "csv" else f"kg.{fmt}"  # csv writes a folder
    first = export(to_networkx(built_dataset), fmt, tmp_path / "a" / name)
    second = export(to_networkx(built_dataset), fmt, tmp_path / "b" / name)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert not list(tmp_path.rglob("*.tmp"))

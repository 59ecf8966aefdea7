"""Every output is read back by a second parser, the formats agree, and builds repeat."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli

FORMATS = {"kg.ttl": ox.RdfFormat.TURTLE, "kg.nt": ox.RdfFormat.N_TRIPLES,
           "kg.trig": ox.RdfFormat.TRIG, "kg.jsonld": ox.RdfFormat.JSON_LD}


def triples(path, fmt):
    """The set of triples in a file, read by pyoxigraph; quads are merged into one graph."""
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in ox.parse(path=str(path), format=fmt)}


@pytest.fixture(scope="module")
def parsed(built_out):
    return {name: triples(built_out / name, fmt) for name, fmt in FORMATS.items()}


def test_every_format_parses_and_holds_the_same_graph(parsed, build_result):
    reference = parsed["kg.nt"]
    assert len(reference) == build_result.summary["triples"]
    for name, graph in parsed.items():
        assert graph == reference, name  # no blank nodes, so isomorphic means equal


def test_rdflib_reads_the_outputs_too(built_out, parsed):
    from rdflib import Dataset, Graph

    graph = Graph().parse(built_out / "kg.ttl", format="turtle")
    assert len(graph) == len(parsed["kg.nt"])
    dataset = Dataset().parse(built_out / "kg.trig", format="trig")
    assert sum(1 for _ in dataset.quads()) == len(parsed["kg.nt"])


def test_jsonld_is_compacted_with_a_context(built_out):
    document = json.loads((built_out / "kg.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["schema"] == "https://schema.org/"
    assert isinstance(document["@graph"], list)
    assert any(node.get("@id") == "id:ala" for node in document["@graph"])


def test_rebuilding_gives_byte_identical_files(tmp_path, repo, report_path, built_out):
    import subprocess
    import sys

    out = tmp_path / "again"
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(repo / "data"),
                    "--out", str(out), "--source", str(report_path), "-q"],
                   check=True, cwd=repo, env=env, capture_output=True)
    for name in ("kg.ttl", "kg.trig", "kg.jsonld", "kg.nt", "warnings.txt"):
        assert (out / name).read_bytes() == (built_out / name).read_bytes(), name


def test_build_without_text_says_spans_were_not_attached(tmp_path, repo):
    result = CliRunner().invoke(cli, ["build", "--data", str(repo / "data"),
                                      "--out", str(tmp_path / "o"), "--no-source"])
    assert result.exit_code == 0, result.output
    assert "spans not attached" in result.output
    assert (tmp_path / "o" / "kg.ttl").stat().st_size > 0
    assert "oa:TextPositionSelector" not in (tmp_path / "o" / "kg.ttl").read_text()


def test_build_prints_progress_per_stage_and_a_summary(tmp_path, repo, report_path):
    result = CliRunner().invoke(cli, ["build", "--data", str(repo / "data"), "--out",
                                      str(tmp_path / "o"), "--source", str(report_path)])
    assert result.exit_code == 0, result.output
    for stage in ("load", "check", "text", "rdf", "shacl", "write"):
        assert f"] {stage}" in result.output
    assert "entities by class:" in result.output and "Person" in result.output
    assert "warning(s)" in result.output

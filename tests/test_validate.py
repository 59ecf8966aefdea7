"""Broken data: each mistake a curator makes gets file, line, what, how to fix, exit 1,
and leaves the previous outputs untouched."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import cli

# (name, file under data/, YAML text, expected line, words the message must contain)
BROKEN = [
    ("yaml-syntax", "reports/ala-2022/zz-broken.yaml",
     "entities:\n  - {id: x-broken, type: Person, label: {en: X}\n  - id: y\n", 3,
     "YAML syntax error"),
    ("unknown-type", "reports/ala-2022/zz-broken.yaml",
     "entities:\n  - id: x-broken\n    type: Libary\n    label: {en: X}\n", 2,
     "unknown type 'Libary'"),
    ("duplicate-id", "reports/ala-2022/zz-broken.yaml",
     "entities:\n  - {id: ala, type: Organization, label: {en: Another ALA}}\n", 2,
     "duplicate id 'ala'"),
    ("dangling-reference", "reports/ala-2022/zz-broken.yaml",
     "relations:\n  - {subject: carla-hayden, predicate: kg:heads, object: no-such-library,"
     " section: 貳.一.(二)}\n", 2, "object 'no-such-library' is not a defined entity"),
    ("missing-label", "reports/ala-2022/zz-broken.yaml",
     "entities:\n  - {id: x-broken, type: Person}\n", 2, "has no label"),
    ("wrong-language-tag", "reports/ala-2022/zz-broken.yaml",
     "entities:\n  - id: x-broken\n    type: Person\n    label:\n      zh-TW: 某人\n", 5,
     "wrong language tag 'zh-TW'"),
    ("malformed-date", "reports/ala-2022/zz-broken.yaml",
     "facts:\n  - {about: ala, property: schema:foundingDate, value: 2022-13-45,"
     " datatype: xsd:date, section: 壹}\n", 2, "is not an xsd:date"),
    ("malformed-number", "reports/ala-2022/zz-broken.yaml",
     "facts:\n  - {about: ala, property: schema:foundingDate, value: '7,738',"
     " datatype: xsd:integer, section: 壹}\n", 2, "no thousands separators"),
    ("unknown-predicate", "reports/ala-2022/zz-broken.yaml",
     "relations:\n  - {subject: carla-hayden, predicate: kg:leads, object: ala,"
     " section: 貳.一.(二)}\n", 2, "unknown predicate 'kg:leads'"),
    ("unknown-section", "reports/ala-2022/zz-broken.yaml",
     "relations:\n  - {subject: carla-hayden, predicate: kg:heads, object: ala,"
     " section: 貳.九}\n", 2, "section '貳.九' is not in ala-2022-report"),
    ("unknown-field", "reports/ala-2022/zz-broken.yaml",
     "entities:\n  - id: x-broken\n    type: Person\n    lable: {en: X}\n", 4,
     "unknown field 'lable'"),
    ("bad-boolean", "reports/ala-2022/zz-broken.yaml",
     "relations:\n  - subject: carla-hayden\n    predicate: kg:heads\n    object: ala\n"
     "    section: 貳.一.(二)\n    implied: perhaps\n", 6, "'implied' must be true or false"),
    ("statement-in-shared", "shared/zz-broken.yaml",
     "relations:\n  - {subject: carla-hayden, predicate: kg:heads, object: ala,"
     " section: 貳.一.(二)}\n", 1, "'relations' is not allowed under data/shared"),
    ("unknown-prefix", "reports/ala-2022/zz-broken.yaml",
     "relations:\n  - {subject: carla-hayden, predicate: foaf:knows, object: ala,"
     " section: 貳.一.(二)}\n", 2, "not a CURIE with a known prefix"),
]


@pytest.fixture(scope="module")
def previous_out(tmp_path_factory, report_path):
    """A good build whose files must survive every failed build byte for byte."""
    from kg.build.pipeline import build
    from kg.viz import write_default_views
    from tests.conftest import REPO

    out = tmp_path_factory.mktemp("previous")
    build(REPO / "data", out, sources=[report_path], shacl=False, views=write_default_views)
    return out, snapshot(out)


def snapshot(folder):
    """Every file below ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name,relpath,text,line,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_data_is_refused_with_file_and_line(name, relpath, text, line, words, data_copy,
                                                   previous_out):
    (data_copy / relpath).write_text(text, encoding="utf-8")
    out, before = previous_out
    runner = CliRunner()

    result = runner.invoke(cli, ["validate", "--data", str(data_copy), "--no-shacl"])
    assert result.exit_code == 1, result.output
    assert f"data/{relpath}:{line}: error:" in result.output
    assert words in result.output
    assert "fix:" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(cli, ["build", "--data", str(data_copy), "--out", str(out),
                                 "--no-source", "--quiet"])
    assert result.exit_code == 1, result.output
    assert words in result.output
    assert snapshot(out) == before


def test_valid_data_passes_validate_with_shacl(repo):
    result = CliRunner().invoke(cli, ["validate", "--data", str(repo / "data")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_shacl_violation_points_at_the_yaml(data_copy):
    """SHACL runs on the built graph; its findings are mapped back to the file and line."""
    from kg.build.pipeline import check

    (data_copy / "reports/ala-2022/zz-broken.yaml").write_text(
        "entities:\n  - {id: x-two-labels, type: Person, label: {en: A},"
        " alt: {en: [B]}}\n", encoding="utf-8")
    catalog, problems, dataset = check(data_copy)
    assert not [p for p in problems if p.is_error]
    # Now add a second English label straight into the graph: SHACL's uniqueLang catches it.
    from rdflib import Literal
    from rdflib.namespace import RDFS

    from kg.namespaces import entity_iri
    from kg.build.pipeline import where_index
    from kg.build.shacl import shacl_problems

    from kg.namespaces import document_graph

    dataset.graph(document_graph("ala-2022-report")).add(
        (entity_iri("x-two-labels"), RDFS.label, Literal("C", lang="en")))
    found = shacl_problems(dataset, where_index(catalog))
    assert any(p.file.endswith("zz-broken.yaml") and p.line == 2 and "rdfs:label" in p.what
               for p in found), found


def test_wrong_report_text_is_refused(data_copy, tmp_path):
    wrong = tmp_path / "ala-2022-report.zh-Hant.txt"
    wrong.write_text("摘要\n這不是那份報告。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(data_copy), "--out", str(out),
                                      "--source", str(wrong), "-q"])
    assert result.exit_code == 1
    assert "does not match" in result.output and "sha256" in result.output
    assert not out.exists()


def test_missing_source_path_is_a_clear_error(data_copy, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--data", str(data_copy), "--out",
                                      str(tmp_path / "o"), "--source", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_missing_data_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["validate", "--data", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "data folder not found" in result.output

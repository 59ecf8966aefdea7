"""Read a report's heading tree and the character span of each section, whatever its style.

Heading styles: 壹、 一、 (一) （一） 1. 1、 １． (1) 1.1 第一章 第一節 第一篇, and whole-line section
names (摘要, 前言, 結語, 參考文獻…), in Traditional or Simplified script. Levels come from the
order in which styles first appear, like a nesting stack: the first style seen is level 1,
a new style opens the next level, a style seen before closes the levels under it. A number
must continue its siblings' numbering (or be 1 under a new parent), and a heading line is
short and does not end a sentence, so numbered list items inside a paragraph are not read as
headings. Text before the first heading is the preamble section ``前文`` (after the title
line, if any); a text without headings is one section ``全文``. Figure captions (圖 N：) are
headings of kind ``figure`` under the section they appear in.

Offsets are character positions (Unicode code points) in the text exactly as read; only
``\\n``, ``\\r\\n``, ``\\r`` and ``\\f`` break lines (never U+2028 or U+0085). Linear in the
size of the text and the number of headings.

>>> text = "摘要\\n壹、目的\\nCarla \\n\\nHayden 博士\\n"
>>> [(h.notation, h.title) for h in parse_headings(text)]
[('摘要', '摘要'), ('壹', '目的')]
>>> [(h.notation, h.id) for h in parse_headings("一、緣起\\n(一)背景\\n二、過程\\n")]
[('一', 's1'), ('一.(一)', 's1-1'), ('二', 's2')]
>>> [(h.notation, h.id) for h in parse_headings("年度報告\\n\\n這是說明。\\n")]
[('全文', 'full-text')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

__all__ = ["Heading", "Span", "parse_headings", "section_spans", "title_line", "lines",
           "chinese_number", "PREAMBLE", "WHOLE_TEXT", "MAX_HEADING"]

LEVEL1 = "壹貳參肆伍陸柒捌玖拾"
CHINESE_DIGITS = "一二三四五六七八九十"
PREAMBLE = "前文"  # notation of the text before the first heading
WHOLE_TEXT = "全文"  # notation of the one section of a text without headings
MAX_HEADING = 80  # a heading line is at most this many characters
SENTENCE_END = "。！？；!?;"

_FORMAL = "壹貳贰參叁叄参肆伍陸陆柒捌玖拾佰"
_CN = "〇零一二兩两三四五六七八九十百"
# Simplified forms of the characters a notation may hold -> the Traditional ones, so a
# notation reads the same in both scripts (叁 -> 參, 第一节 -> 第一節).
_CANONICAL = str.maketrans({"贰": "貳", "叁": "參", "叄": "參", "参": "參", "陆": "陸",
                            "节": "節", "两": "二", "兩": "二"})

# (style, pattern): group 1 is the number as printed, group 2 the title.
STYLES = [
    ("formal", re.compile(rf"([{_FORMAL}]+)\s*[、，,．.]\s*(.*)")),
    ("chapter", re.compile(rf"(第\s*[{_CN}0-9０-９]+\s*[篇部編编])\s*[、：:．.]?\s*(.*)")),
    ("chapter", re.compile(rf"(第\s*[{_CN}0-9０-９]+\s*章)\s*[、：:．.]?\s*(.*)")),
    ("section", re.compile(rf"(第\s*[{_CN}0-9０-９]+\s*[節节])\s*[、：:．.]?\s*(.*)")),
    ("cjk", re.compile(rf"([{_CN}]+)\s*、\s*(.*)")),
    ("cjk-paren", re.compile(rf"[(（]\s*([{_CN}]+)\s*[)）]\s*(.*)")),
    ("decimal", re.compile(r"([0-9０-９]{1,2}(?:[.．][0-9０-９]{1,2})+)[.．]?\s+(\S.*)")),
    ("arabic-dot", re.compile(r"([0-9０-９]{1,2})\s*[.．](?![0-9０-９])\s*(\S.*)")),
    ("arabic-comma", re.compile(r"([0-9０-９]{1,2})\s*、\s*(\S.*)")),
    ("arabic-paren", re.compile(r"[(（]\s*([0-9０-９]{1,2})\s*[)）]\s*(\S.*)")),
]
# Whole-line section names -> the id the draft gives them.
NAMED = {"摘要": "abstract", "提要": "abstract", "內容摘要": "abstract", "内容摘要": "abstract",
         "前言": "foreword", "引言": "foreword", "緒論": "foreword", "绪论": "foreword",
         "序言": "foreword", "結語": "conclusion", "结语": "conclusion", "結論": "conclusion",
         "结论": "conclusion", "附錄": "appendix", "附录": "appendix",
         "參考文獻": "references", "参考文献": "references", "參考資料": "references",
         "参考资料": "references"}
_FIGURE = re.compile(r"[圖图]\s*([0-9０-９]+)\s*[：:．.]\s*(.*)")
_LINE = re.compile(r"[^\n\r\f]*(?:\r\n|[\n\r\f])?")


@dataclass(frozen=True)
class Heading:
    notation: str  # 貳.一.(三).2, or for figures the enclosing notation
    level: int  # 1.. by nesting; figures 9
    title: str
    start: int  # offset of the heading's first character (a preamble: of its text)
    line_end: int  # offset just past the heading line (implicit sections: == start)
    line_no: int  # 1-based line in the file
    kind: str = "section"  # or "figure"
    number: int | None = None  # figures: the printed number; numbered headings: the number
    style: str = ""  # formal, cjk, cjk-paren, arabic-dot, chapter, named, preamble, whole…
    id: str = ""  # the section id a draft gives it: s2-1-3, abstract, preamble, full-text


def lines(text: str) -> Iterable[tuple[int, int, int]]:
    """``(start, end, next)`` of every line: ``end`` before the line break, ``next`` after.

    >>> list(lines("a\\u2028b\\nc"))
    [(0, 3, 4), (4, 5, 5)]
    """
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            break
        body = match.group().rstrip("\r\n\f")
        yield match.start(), match.start() + len(body), match.end()


def chinese_number(text: str) -> int:
    """``"十二"`` -> 12, ``"參"`` -> 3, ``"第三章"`` -> 3, ``"１２"`` -> 12."""
    from kg.text.numerals import parse_number

    core = unicodedata.normalize("NFKC", text).strip("第章節节篇部編编 ")
    return int(parse_number(core))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _match_heading(line: str):
    """(style, printed number, title) when ``line`` (stripped) looks like a heading."""
    if len(line) > MAX_HEADING:
        return None
    squeezed = re.sub(r"\s+", "", line)
    if squeezed in NAMED:
        return "named", squeezed, squeezed
    if line[-1] in SENTENCE_END:
        return None
    for style, pattern in STYLES:
        m = pattern.fullmatch(line)
        if m:
            if style == "cjk" and m.group(2)[:1] in "一二兩两三四五六七八九、，,":
                return None  # 一、二兩類: an enumeration wrapped onto a new line
            return style, m.group(1), m.group(2)
    return None


def _part(style: str, printed: str) -> str:
    """The notation part of a heading: 壹, 一, (一), 1, 第一章 (Traditional, no spaces)."""
    printed = re.sub(r"\s+", "", printed).translate(_CANONICAL) if style != "cjk" else \
        re.sub(r"\s+", "", printed).replace("两", "兩")
    if style in ("cjk-paren", "arabic-paren"):
        return f"({unicodedata.normalize('NFKC', printed)})"
    if style.startswith("decimal"):  # 1.2.3: its own number is the last part
        return unicodedata.normalize("NFKC", printed).split(".")[-1]
    if style in ("arabic-dot", "arabic-comma"):
        return unicodedata.normalize("NFKC", printed)
    return printed


def title_line(text: str, first_heading: int | None = None) -> tuple[int, int] | None:
    """The title: the first short line(s) before any heading (at most two, no sentence end).

    >>> text = "出席國際會議報告\\n\\n本文說明。\\n"
    >>> start, end = title_line(text); text[start:end]
    '出席國際會議報告'
    """
    limit = len(text) if first_heading is None else first_heading
    found: list[tuple[int, int]] = []
    for start, end, _ in lines(text):
        if start >= limit:
            break
        s, e = _strip_span(text, start, end)
        if s == e:
            if found:
                break
            continue
        line = text[s:e]
        if len(line) > 40 or line[-1] in SENTENCE_END + "，,：:、" or len(found) == 2:
            break
        found.append((s, e))
    if not found:
        return None
    return found[0][0], found[-1][1]


def _section_id(parts: list[tuple[str, int | None]]) -> str:
    named = [part for part, number in parts if number is None]
    if named:
        base = NAMED.get(named[0], "section")
        rest = [str(n) for _, n in parts[1:] if n is not None]
        return "-".join([base] + rest)
    return "s" + "-".join(str(number) for _, number in parts)


def parse_headings(text: str) -> list[Heading]:
    """Find the headings and figure captions in order (see the module docstring).

    The first item is the implicit preamble (``前文``) when text other than a title comes
    before the first heading, or the one section ``全文`` when there is no heading at all.
    """
    headings: list[Heading] = []
    stack: list[str] = []  # open numbered styles, outermost first
    path: list[tuple[str, int | None]] = []  # (notation part, number) per open level
    last: dict[tuple, int] = {}  # (parent notation, style) -> last number seen
    seen_named: set[str] = set()
    for line_no, (line_start, line_end_raw, _) in enumerate(lines(text), start=1):
        start, line_end = _strip_span(text, line_start, line_end_raw)
        if start == line_end:
            continue
        stripped = text[start:line_end]
        figure = _FIGURE.fullmatch(stripped) if stripped[0] in "圖图" else None
        if figure:
            number = int(unicodedata.normalize("NFKC", figure.group(1)))
            headings.append(Heading(".".join(p for p, _ in path), 9, figure.group(2).strip(),
                                    start, line_end, line_no, "figure", number, "figure"))
            continue
        found = _match_heading(stripped)
        if found is None:
            continue
        style, printed, title = found
        if style == "named":
            if printed in seen_named:
                continue
            seen_named.add(printed)
            # A top-level sibling of the numbered sections; it closes every open level.
            headings.append(Heading(printed, 1, printed, start, line_end, line_no, "section",
                                    None, "named", _section_id([(printed, None)])))
            stack, path = [], []
            continue
        if style == "decimal":
            style = f"decimal{printed.count('.') + printed.count('．')}"
        try:
            number = chinese_number(printed.split(".")[-1].split("．")[-1])
        except ValueError:
            continue
        depth = stack.index(style) if style in stack else len(stack)
        parent = ".".join(p for p, _ in path[:depth])
        expected = last.get((parent, style), 0) + 1
        if number != expected:
            continue
        last[(parent, style)] = number
        stack = stack[:depth] + [style]
        path = path[:depth] + [(_part(style, printed), number)]
        notation = ".".join(p for p, _ in path)
        headings.append(Heading(notation, depth + 1, title.strip(), start, line_end, line_no,
                                "section", number, style, _section_id(path)))
    return _implicit(text, headings) + headings


def _implicit(text: str, headings: list[Heading]) -> list[Heading]:
    """The preamble before the first heading, or the whole text when there is none."""
    first = next((h.start for h in headings if h.kind == "section"), None)
    begin, end = _strip_span(text, 0, len(text) if first is None else first)
    if begin == end:
        return []
    if first is None:
        return [Heading(WHOLE_TEXT, 1, WHOLE_TEXT, begin, begin, 1, "section", None, "whole",
                        "full-text")]
    title = title_line(text, first)
    if title is not None:
        begin, _ = _strip_span(text, title[1], end)
    if begin >= end:
        return []
    line_no = text.count("\n", 0, begin) + 1
    return [Heading(PREAMBLE, 1, PREAMBLE, begin, begin, line_no, "section", None, "preamble",
                    "preamble")]


@dataclass(frozen=True)
class Span:
    """A stretch of the text that belongs to one section or figure."""

    key: str  # section notation, or a figure key
    start: int
    end: int


def section_spans(text: str, headings: list[Heading]) -> list[Span]:
    """Each section runs from its heading to the next heading at its level or above."""
    sections = [h for h in headings if h.kind == "section"]
    ends = [len(text)] * len(sections)
    open_: list[int] = []  # indexes of sections not yet closed, levels increasing
    for index, heading in enumerate(sections):
        while open_ and sections[open_[-1]].level >= heading.level:
            ends[open_.pop()] = heading.start
        open_.append(index)
    return [Span(h.notation, h.start, end) for h, end in zip(sections, ends)]

"""Read a report's heading tree and the character span of each section.

Offsets are character positions (Unicode code points) in the text exactly as read.

>>> text = "摘要\\n壹、目的\\nCarla \\n\\nHayden 博士\\n"
>>> [(h.notation, h.title) for h in parse_headings(text)]
[('摘要', '摘要'), ('壹', '目的')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LEVEL1 = "壹貳參肆伍陸柒捌玖拾"
CHINESE_DIGITS = "一二三四五六七八九十"

_ABSTRACT = re.compile(r"^摘要$")
_L1 = re.compile(rf"^([{LEVEL1}])、\s*(.*)$")
_L2 = re.compile(rf"^([{CHINESE_DIGITS}]+)、\s*(.*)$")
_L3 = re.compile(rf"^[(（]\s*([{CHINESE_DIGITS}]+)\s*[)）]\s*(.*)$")
_L4 = re.compile(r"^(\d{1,2})\s*[.．]\s*(\S.*)$")
_FIGURE = re.compile(r"^圖\s*([0-9０-９]+)\s*[：:]\s*(.*)$")


@dataclass(frozen=True)
class Heading:
    notation: str  # 貳.一.(三).2, or for figures the enclosing notation
    level: int  # 1..4; figures 9
    title: str
    start: int  # offset of the heading's first character
    line_end: int  # offset just past the heading line
    line_no: int  # 1-based line in the file
    kind: str = "section"  # or "figure"
    number: int | None = None  # figures: the printed number; numbered headings: the number


def chinese_number(text: str) -> int:
    """``"十二"`` -> 12 (enough for section numbering)."""
    value = 0
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10
        text = ones
    return value + (CHINESE_DIGITS.index(text) + 1 if text else 0)


def parse_headings(text: str) -> list[Heading]:
    """Find the headings (摘要; 壹、; 一、; (一); 1.) and figure captions (圖 N：) in order.

    Numbered items under a heading (``1.``) count only when they continue the numbering of
    their siblings, so a numbered list inside a section is not mistaken for headings.
    """
    headings: list[Heading] = []
    path: list[str | None] = [None, None, None, None]  # notation parts per level
    last_number: dict[str, int] = {}
    offset = 0
    for line_no, raw in enumerate(text.splitlines(keepends=True), start=1):
        start_of_line = offset
        offset += len(raw)
        stripped = raw.strip()
        if not stripped:
            continue
        start = start_of_line + (len(raw) - len(raw.lstrip()))
        line_end = start_of_line + len(raw.rstrip("\r\n"))

        def add(level: int, part: str, title: str, number=None, kind="section"):
            if kind == "section":
                path[level - 1] = part
                for deeper in range(level, 4):
                    path[deeper] = None
                notation = ".".join(p for p in path[:level] if p)
            else:
                notation = ".".join(p for p in path if p)
            headings.append(Heading(notation, level if kind == "section" else 9, title.strip(),
                                    start, line_end, line_no, kind, number))

        if _ABSTRACT.match(stripped):
            add(1, "摘要", "摘要")
        elif m := _L1.match(stripped):
            add(1, m.group(1), m.group(2))
        elif (m := _L2.match(stripped)) and path[0] and path[0] != "摘要":
            add(2, m.group(1), m.group(2), chinese_number(m.group(1)))
        elif (m := _L3.match(stripped)) and path[1]:
            add(3, f"({m.group(1)})", m.group(2), chinese_number(m.group(1)))
        elif (m := _L4.match(stripped)) and path[1]:
            under_paren = bool(path[2] and path[2].startswith("("))
            level = 4 if under_paren else 3
            parent = ".".join(p for p in path[:level - 1] if p)
            number = int(m.group(1))
            if number == last_number.get(parent, 0) + 1:
                last_number[parent] = number
                add(level, str(number), m.group(2), number)
        elif m := _FIGURE.match(stripped):
            number = int(unicodedata.normalize("NFKC", m.group(1)))
            add(0, "", m.group(2), number, kind="figure")
    return headings


@dataclass(frozen=True)
class Span:
    """A stretch of the text that belongs to one section or figure."""

    key: str  # section notation, or a figure key
    start: int
    end: int


def section_spans(text: str, headings: list[Heading]) -> list[Span]:
    """Each section runs from its heading to the next heading at its level or above."""
    spans = []
    sections = [h for h in headings if h.kind == "section"]
    for index, heading in enumerate(sections):
        end = len(text)
        for later in sections[index + 1:]:
            if later.level <= heading.level:
                end = later.start
                break
        spans.append(Span(heading.notation, heading.start, end))
    return spans

"""Split a report's text into sentences with code-point offsets into the text as read.

A sentence ends at 。！？；!? (with the closing quotes and brackets that follow it: 」』）”…),
never at a line break: PDF text breaks lines inside sentences and words, so lines are joined.
Headings, figure captions and list items (``1.``, ``(一)``, ``•``…) at the start of a line are
units of their own. Paragraph breaks end a unit too: a blank line in single-spaced text, two
in text that puts a blank line between every line (as ``pdftotext`` often does). Only ``\\n``,
``\\r\\n``, ``\\r`` and ``\\f`` break lines (not U+2028 or U+0085, which ``str.splitlines``
would split on). ``text[s.start:s.end]`` is always the sentence, line breaks included;
``display`` joins it into one line for people.

>>> text = "壹、目的\\n本館派員參\\n加年會。他說：「很好！」\\n• 第一項\\n"
>>> [text[s.start:s.end] for s in sentences(text)]
['壹、目的', '本館派員參\\n加年會。', '他說：「很好！」', '• 第一項']
>>> [s.kind for s in sentences(text)]
['heading', 'sentence', 'sentence', 'item']
>>> display(text[5:15])
'本館派員參加年會。'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from kg.text.headings import lines, parse_headings

__all__ = ["Sentence", "sentences", "sentence_at", "containing", "display", "lines"]

TERMINALS = "。！？；!?;｡"
CLOSERS = "」』）)\"”’》〉】］]〕'"
_END = re.compile(rf"[{re.escape(TERMINALS)}]+[{re.escape(CLOSERS)}]*"
                  r"|(?<=[a-z]{2})\.(?=\s+[A-Z\u3400-\u9fff])")
# A list item at the start of a line: 1.  1、 １． (1) （一） 一、 ① • - * ■ …
_ITEM = re.compile(r"\s*(?:[0-9０-９]{1,3}\s*[.．、)）](?![0-9０-９])|[(（]\s*[0-9０-９一二三四五六七八九十]{1,3}"
                   r"\s*[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳]|[•●○■□◆◇▪‧·・\-*–—](?=\s))")


@dataclass(frozen=True)
class Sentence:
    """A unit of text: ``kind`` is sentence, heading, caption or item."""

    start: int
    end: int
    kind: str = "sentence"
    section: str | None = None

    def text(self, source: str) -> str:
        return source[self.start:self.end]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _double_spaced(text: str, spans: list[tuple[int, int]]) -> bool:
    """True when most text lines are followed by one blank line (a blank line is no break)."""
    blank_after = joined = 0
    for (start, end), following in zip(spans, spans[1:]):
        if not text[start:end].strip():
            continue
        if text[following[0]:following[1]].strip():
            joined += 1
        else:
            blank_after += 1
    return blank_after > joined


def sentences(text: str, units: Iterable[tuple[int, int, str]] | None = None,
              section_at: Callable[[int], str | None] | None = None) -> list[Sentence]:
    """The sentences of ``text`` in order (see the module docstring).

    ``units`` are ``(start, end, kind)`` stretches that stand alone (headings, captions); by
    default those found by ``kg.text.headings.parse_headings``. ``section_at(offset)`` names the
    section each sentence starts in.
    """
    if units is None:
        units = [(h.start, h.line_end, "caption" if h.kind == "figure" else "heading")
                 for h in parse_headings(text) if h.line_end > h.start]
    alone = {start: (end, kind) for start, end, kind in units}
    spans = [(start, end) for start, end, _ in lines(text)]
    double = _double_spaced(text, spans)
    found: list[Sentence] = []
    run: list[int] = []  # [start, end] of the text gathered since the last break
    kind = "sentence"
    blanks = 0

    def flush():
        nonlocal run, kind
        if run:
            found.extend(_split(text, run[0], run[1], kind))
        run, kind = [], "sentence"

    for start, end in spans:
        first, last = _strip(text, start, end)
        if first == last:
            blanks += 1
            if blanks >= (2 if double else 1):
                flush()
            continue
        blanks = 0
        unit = alone.get(first)
        if unit is not None:
            flush()
            u_start, u_end = _strip(text, first, min(unit[0], len(text)))
            found.append(Sentence(u_start, u_end, unit[1]))
            if u_end < last:  # a caption's line may go on after the caption's own end
                run = [u_end, last]
            continue
        if _ITEM.match(text, first):
            flush()
            kind = "item"
        if run:
            run[1] = last
        else:
            run = [first, last]
    flush()
    if section_at is not None:
        found = [replace(s, section=section_at(s.start)) for s in found]
    return found


def _split(text: str, start: int, end: int, kind: str) -> list[Sentence]:
    """Cut ``text[start:end]`` after each sentence end; the first piece keeps ``kind``."""
    pieces = []
    position = start
    for match in _END.finditer(text, start, end):
        s, e = _strip(text, position, match.end())
        if s < e:
            pieces.append(Sentence(s, e, kind if not pieces else "sentence"))
        position = match.end()
    s, e = _strip(text, position, end)
    if s < e:
        pieces.append(Sentence(s, e, kind if not pieces else "sentence"))
    return pieces


def sentence_at(found: list[Sentence], offset: int) -> Sentence | None:
    """The sentence holding ``offset`` (``found`` in text order), or None between sentences.

    >>> found = sentences("甲乙。丙丁。")
    >>> sentence_at(found, 4)
    Sentence(start=3, end=6, kind='sentence', section=None)
    """
    index = bisect.bisect_right([s.start for s in found], offset) - 1
    if index >= 0 and found[index].start <= offset < found[index].end:
        return found[index]
    return None


def containing(found: list[Sentence], start: int, end: int) -> list[Sentence]:
    """The sentences that overlap ``[start, end)``, in order."""
    starts = [s.start for s in found]
    index = max(bisect.bisect_right(starts, start) - 1, 0)
    out = []
    for sentence in found[index:]:
        if sentence.start >= end:
            break
        if sentence.end > start:
            out.append(sentence)
    return out


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_BREAK = re.compile(r"\s*[\n\r\f]\s*")


def display(snippet: str) -> str:
    """One line for people: line breaks between CJK characters vanish, others become a space.

    >>> display("國會圖\\n\\n書館 Carla\\nHayden")
    '國會圖書館 Carla Hayden'
    """
    def join(match: re.Match) -> str:
        before = snippet[match.start() - 1:match.start()]
        after = snippet[match.end():match.end() + 1]
        return "" if _CJK.fullmatch(before or "a") and _CJK.fullmatch(after or "a") else " "

    return re.sub(r"[ \t]{2,}", " ", _BREAK.sub(join, snippet)).strip()

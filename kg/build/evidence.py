"""Find the sentence that supports each curated relation and fact in its cited section.

For a relation: the first sentence of the cited section (or figure caption) that names both
ends (any label or alias the build found as a mention) is the evidence, status ``sentence``;
otherwise the closest pair of mentions of the two ends (their sentences, at most three in a
row), or else the first sentence naming one end, status ``section``. For a fact the two
"ends" are its subject and its value (digits with or without separators, Chinese numerals,
dates as 6月 22日 or June 22, ROC years). A statement marked ``implied: true`` gets status
``implied`` with the best sentence found, if any. A non-implied statement whose cited section
has no sentence naming either end gets no evidence and a warning.

>>> found = evidence_for(located, document, relation)                  # doctest: +SKIP
>>> found.status, located.text[found.start:found.end]                  # doctest: +SKIP
('sentence', '…')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.build.model import Catalog, Document, Fact, Relation
from kg.problems import Problem

__all__ = ["Evidence", "evidence_key", "find_evidence", "evidence_for", "value_pattern",
           "value_spans", "CONTEXT"]

CONTEXT = 32  # characters of oa:prefix / oa:suffix
MAX_SPAN = 3  # sentences a closest pair may stretch over


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    status: str  # sentence | section | implied
    section: str  # section or figure id the statement cites
    exact: str
    prefix: str
    suffix: str


def evidence_key(item: Relation | Fact) -> tuple:
    """What identifies a curated statement within a build (its file and line, and content)."""
    if isinstance(item, Relation):
        return ("relation", item.file, item.line, item.subject, item.predicate, item.object,
                item.section)
    return ("fact", item.file, item.line, item.about, item.property, str(item.value),
            item.section)


def _digits(number: str) -> str:
    """A regex for an integer with optional thousands separators: 7738 -> 7[,，\\s]?738."""
    head = len(number) % 3 or 3
    groups = [number[:head]] + [number[i:i + 3] for i in range(head, len(number), 3)]
    return r"[,，\s]?".join(groups)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def value_pattern(value: str, datatype: str) -> re.Pattern | None:
    """A regex that finds ``value`` written as a report would write it.

    >>> bool(value_pattern("7738", "xsd:integer").search("共 7,738 人"))
    True
    >>> bool(value_pattern("2022-06-22", "xsd:date").search("6 月 22 日至"))
    True
    >>> bool(value_pattern("2004", "xsd:gYear").search("民國93年"))
    True
    >>> bool(value_pattern("2022-06-28", "xsd:date").search("6月 22 日至 28 日"))
    True
    """
    value = str(value).strip()
    forms: list[str] = []
    number = r"(?<![0-9０-９.])({})(?![0-9０-９])"
    if datatype == "xsd:integer" and re.fullmatch(r"-?\d+", value):
        forms.append(number.format(_digits(value.lstrip("-"))))
    elif datatype == "xsd:decimal" and re.fullmatch(r"-?\d+(\.\d+)?", value):
        whole, _, fraction = value.lstrip("-").partition(".")
        forms.append(number.format(_digits(whole) + (r"\." + fraction if fraction else "")))
    elif datatype in ("xsd:gYear", "xsd:gYearMonth", "xsd:date") and \
            (m := re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)):
        year, month, day = m.group(1), m.group(2), m.group(3)
        if day:
            mo, d = int(month), int(day)
            forms.append(rf"(?<![0-9]){mo}\s*月\s*{d}\s*日")
            # the end of a range that names its month once: 6月 22 日至 28 日
            forms.append(rf"(?<=[至到~～\-–—])\s*{d}\s*日")
            forms.append(rf"{MONTHS[mo - 1]}\s+{d}(?![0-9])")
            forms.append(rf"{year}\s*[-/.]\s*0?{mo}\s*[-/.]\s*0?{d}(?![0-9])")
        elif month:
            forms.append(rf"{year}\s*年\s*0?{int(month)}\s*月")
        else:
            forms.append(number.format(year))
            roc = int(year) - 1911
            if roc > 0:
                forms.append(rf"(?:民國\s*)?(?<![0-9]){roc}\s*年")
    elif value:
        forms.append(re.escape(value))
    if not forms:
        return None
    return re.compile("|".join(f"(?:{f})" for f in forms))


def value_spans(text: str, start: int, end: int, value: str,
                datatype: str) -> list[tuple[int, int]]:
    """Where ``text[start:end]`` writes ``value``: the patterns above, and for integers any
    number that reads as it (三千六百, 3.6千, 兩萬).

    >>> value_spans("約三千六百位", 0, 6, "3600", "xsd:integer")
    [(1, 5)]
    """
    from kg.text.numerals import chinese_numbers

    found = set()
    pattern = value_pattern(value, datatype)
    if pattern is not None:
        found.update((m.start(), m.end()) for m in pattern.finditer(text, start, end))
    if datatype == "xsd:integer" and re.fullmatch(r"\d+", str(value).strip()):
        wanted = int(value)
        found.update((s, e) for s, e, number in chinese_numbers(text, start, end)
                     if number == wanted)
    return sorted(found)


def _quote(text: str, start: int, end: int, status: str, section: str) -> Evidence:
    return Evidence(start, end, status, section, text[start:end],
                    text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def evidence_for(located, document: Document, item: Relation | Fact,
                 sentences=None) -> Evidence | None:
    """The evidence sentence of one relation or fact in ``located`` (None: none found)."""
    from kg.text.sentences import containing, sentence_at

    section = document.section_by_ref(item.section)
    if section is None or section.id not in located.spans:
        return None
    start, end = located.spans[section.id]
    text = located.text
    found = sentences if sentences is not None else located.sentences()
    inside = containing(found, start, end)
    if isinstance(item, Relation):
        ends = (item.subject, item.object)
        first = [(m.start, m.end) for m in located.mentions
                 if m.entity == ends[0] and start <= m.start < end]
        second = [(m.start, m.end) for m in located.mentions
                  if m.entity == ends[1] and start <= m.start < end]
    else:
        first = [(m.start, m.end) for m in located.mentions
                 if m.entity == item.about and start <= m.start < end]
        second = value_spans(text, start, end, item.value, item.datatype)
    implied = "implied" if item.implied else None

    def names(sentence, offsets):
        return any(sentence.start <= a < sentence.end for a, _ in offsets)

    for sentence in inside:
        if names(sentence, first) and names(sentence, second):
            return _quote(text, sentence.start, sentence.end, implied or "sentence", section.id)
    # A heading names what its section is about; look for the other end in the body.
    body = [s for s in inside if s.kind in ("sentence", "item")]
    titled = [s for s in inside if s.kind not in ("sentence", "item")]
    in_title = [any(names(s, offsets) for s in titled) for offsets in (first, second)]
    first_body = [(a, e) for a, e in first if sentence_at(body, a)]
    second_body = [(a, e) for a, e in second if sentence_at(body, a)]
    pairs = sorted((abs(a - b), min(a, b), max(ae, be))
                   for a, ae in first_body for b, be in second_body)
    for _, low, high in pairs[:1]:
        span = containing(body, low, high)
        if span and len(span) <= MAX_SPAN:
            return _quote(text, span[0].start, span[-1].end, implied or "section", section.id)
    # One end only: prefer the end the heading does not name; for facts, the value.
    order = (second_body, first_body) if isinstance(item, Fact) or in_title[0] \
        else (first_body, second_body)
    for offsets in order + (first, second):
        for a, _ in offsets:
            sentence = sentence_at(inside, a)
            if sentence is not None:
                return _quote(text, sentence.start, sentence.end, implied or "section",
                              section.id)
    return None


def find_evidence(catalog: Catalog, document: Document, located) -> None:
    """Fill ``located.evidence`` for the document's relations and facts; warn where none."""
    found = located.sentences()
    for item in list(catalog.relations) + list(catalog.facts):
        if item.doc != document.id:
            continue
        section = document.section_by_ref(item.section)
        if section is None or section.id not in located.spans:
            continue
        evidence = evidence_for(located, document, item, found)
        if evidence is not None:
            located.evidence[evidence_key(item)] = evidence
        elif not item.implied:
            if isinstance(item, Relation):
                what = f"'{item.subject}' or '{item.object}'"
                fix = ("cite the section that names them, add the form the report uses as an "
                       "alt label, or mark the statement implied: true")
            else:
                what = f"'{item.about}' or the value {item.value}"
                fix = ("cite the section that gives the figure, check the value against the "
                       "report, or mark the fact implied: true")
            located.warnings.append(Problem(
                item.file, item.line, f"section {item.section} has no sentence naming "
                f"{what}; the statement gets no evidence sentence", fix, "warning"))

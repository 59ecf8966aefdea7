"""Turn a new report's text into a draft data folder for a curator to fill in.

The draft is ``<data>/reports/<id>/``: ``report.yaml`` (document metadata with the text's
SHA-256, the section tree and the figure captions, offsets in comments), ``proposals.yaml``
(entities, relations and facts for a curator to accept, each with its evidence sentence as
offsets; see kg.extract.propose) and ``mentions.yaml`` (a commented summary of the known
entities the text mentions). ``kg validate`` accepts the draft as written. ``report.yaml`` is
curated once written: if it exists with other content the run stops before anything is
written; ``proposals.yaml`` and ``mentions.yaml`` are regenerated (same text, same bytes).

>>> result = ingest("../shared/sources/new-report.txt", "ala-2023", "data")   # doctest: +SKIP
>>> result.written                                                           # doctest: +SKIP
['data/reports/ala-2023/proposals.yaml', ...]
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.proposals import Proposal, decided_ids, to_yaml
from kg.build.loader import ID_PATTERN, load_catalog
from kg.build.model import Catalog
from kg.problems import UserError
from kg.build.provenance import read_source, sha256_of
from kg.text.headings import Heading, parse_headings, section_spans
from kg.text.forms import find_forms, normalized

__all__ = ["IngestResult", "KnownMention", "OutlineItem", "ingest", "draft", "outline",
           "known_mentions", "to_traditional", "write_draft", "DRAFT_FILES"]

DRAFT_FILES = ("report.yaml", "proposals.yaml", "mentions.yaml")
# Files ingest regenerates on every run (not curated): rewritten when their content changes.
REGENERATED = ("proposals.yaml", "mentions.yaml")
LEVEL1_NUMBERS = "壹貳參肆伍陸柒捌玖拾"
# Simplified numerals OpenCC leaves as variants the heading parser does not read.
NUMERAL_VARIANTS = str.maketrans({"叄": "參", "叁": "參"})


@dataclass(frozen=True)
class OutlineItem:
    """A section or figure found in the text, with the id the draft gives it."""

    id: str
    notation: str  # sections: 貳.一.(三).2; figures: the enclosing section's notation
    title: str
    kind: str  # "section" or "figure"
    start: int
    end: int
    line: int
    number: int | None = None


@dataclass(frozen=True)
class KnownMention:
    entities: tuple[str, ...]  # more than one when a form names several entities
    form: str
    start: int
    end: int
    section: str  # notation, or figure id


@dataclass
class IngestResult:
    doc_id: str
    folder: Path
    sha256: str
    simplified: bool
    outline: list[OutlineItem]
    mentions: list[KnownMention]
    files: dict[str, str]
    proposals: list[Proposal] = field(default_factory=list)
    text: str = ""  # the report as read (offsets in proposals point into it)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def sections(self) -> list[OutlineItem]:
        return [item for item in self.outline if item.kind == "section"]

    @property
    def figures(self) -> list[OutlineItem]:
        return [item for item in self.outline if item.kind == "figure"]

    def mentioned(self) -> Counter:
        """Entity id -> number of mentions."""
        return Counter(e for m in self.mentions for e in m.entities)


def to_traditional(text: str) -> tuple[str, bool]:
    """Convert Simplified Chinese to Traditional (OpenCC s2t), keeping every offset.

    Returns the text unchanged when it is not mostly Simplified.

    >>> to_traditional("美国图书馆学会")
    ('美國圖書館學會', True)
    >>> to_traditional("美國圖書館學會")
    ('美國圖書館學會', False)
    """
    import opencc

    # Decide the script character by character, each distinct character converted once
    # (OpenCC's Python converter is slow on long texts: 20,000 headings took seconds).
    counts = Counter(c for c in text if ord(c) > 0x2e7f)
    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    simplified_only = sum(n for c, n in counts.items() if s2t.convert(c) != c)
    traditional_only = sum(n for c, n in counts.items() if t2s.convert(c) != c)
    if simplified_only <= traditional_only:
        return text, False
    to_trad = s2t.convert(text)
    if len(to_trad) != len(text):  # a phrase changed length: convert one character at a time
        converter = opencc.OpenCC("s2t")
        to_trad = "".join(c if len(t := converter.convert(c)) != 1 else t for c in text)
    return to_trad.translate(NUMERAL_VARIANTS), True


def _number_of(part: str) -> int:
    from kg.text.headings import chinese_number

    if part in LEVEL1_NUMBERS:
        return LEVEL1_NUMBERS.index(part) + 1
    if part.startswith("("):
        return chinese_number(part.strip("()"))
    if part.isdigit():
        return int(part)
    return chinese_number(part)


def section_id(notation: str) -> str:
    """The id the draft gives a section, as the curated data does: 貳.一.(三).2 -> s2-1-3-2.

    >>> section_id("摘要"), section_id("貳.一.(三).2"), section_id("肆.二")
    ('abstract', 's2-1-3-2', 's4-2')
    """
    if notation == "摘要":
        return "abstract"
    return "s" + "-".join(str(_number_of(part)) for part in notation.split("."))


def clean_title(text: str) -> str:
    """A title on one line: white space and control characters become single spaces.

    >>> clean_title("目的\\x00\\u2028 與\\t方法 ")
    '目的 與 方法'
    """
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != "\u3000" else c
                   for c in text)
    return re.sub(r"\s+", " ", text).strip()


def outline(text: str) -> list[OutlineItem]:
    """Sections and figure captions with offsets; figure ids fig-01, fig-02… in text order.

    Any heading style at any starting level (``kg.text.headings``); a preamble before the
    first heading is section 前文, a text without headings the one section 全文.
    """
    headings: list[Heading] = parse_headings(text)
    spans = {span.key: span for span in section_spans(text, headings)}
    items = []
    figure_count = 0
    ids: set[str] = set()
    for heading in headings:
        title = clean_title(heading.title)
        if heading.kind == "figure":
            figure_count += 1
            items.append(OutlineItem(f"fig-{figure_count:02d}", heading.notation, title,
                                     "figure", heading.start, heading.line_end,
                                     heading.line_no, heading.number))
        else:
            span = spans[heading.notation]
            item_id = heading.id or section_id(heading.notation)
            while item_id in ids:  # two names with one id (摘要, 提要): keep both
                item_id += "-2"
            ids.add(item_id)
            items.append(OutlineItem(item_id, heading.notation,
                                     title or heading.notation, "section", span.start,
                                     span.end, heading.line_no, heading.number))
    return items


def _section_finder(items: list[OutlineItem]):
    """offset -> the innermost section notation or figure id it falls in.

    One sweep over the (nested) spans, then a binary search per offset: linear in the number
    of headings.
    """
    import bisect

    ordered = sorted(items, key=lambda item: (item.start, -item.end))
    points = sorted({0} | {i.start for i in items} | {i.end for i in items})
    names: list[str] = []
    stack: list[OutlineItem] = []
    index = 0
    for point in points:  # the innermost item on [point, next point)
        while stack and stack[-1].end <= point:
            stack.pop()
        while index < len(ordered) and ordered[index].start <= point:
            if ordered[index].end > point:
                stack.append(ordered[index])
            index += 1
        while stack and stack[-1].end <= point:
            stack.pop()
        top = stack[-1] if stack else None
        names.append("" if top is None else top.id if top.kind == "figure" else top.notation)

    def at(offset: int) -> str:
        return names[bisect.bisect_right(points, offset) - 1] if offset >= 0 else ""
    return at


def known_mentions(catalog: Catalog, text: str, section_at) -> list[KnownMention]:
    """Every occurrence of a known label or alias (either script, line breaks ignored).

    Unlike the build, a name inside a longer one counts too (南卡羅來納大學 inside the name of
    its library school), so the curator sees every entity the text names.
    """
    from kg.extract.ner import simplified

    forms: dict[str, set[str]] = defaultdict(set)
    written: dict[str, str] = {}
    for entity in catalog.entities.values():
        for form in entity.surface_forms():
            forms[simplified(form)].add(entity.id)
            written.setdefault(simplified(form), form)
    reading = simplified(text)  # either script: 臺/台, 國/国 meet (one character for one)
    norm = normalized(reading)
    found = [KnownMention(tuple(sorted(forms[form])), written[form], m.start, m.end,
                          section_at(m.start))
             for form in sorted(forms) for m in find_forms(reading, [form], norm)]
    return sorted(found, key=lambda m: (m.start, -m.end, m.form))


# -- the draft files ------------------------------------------------------------------------
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}]*")


def _yaml(value: str) -> str:
    """A YAML scalar for ``value``: plain when safe, else a double-quoted (JSON) string."""
    value = str(value)
    if _PLAIN.fullmatch(value) and value == value.strip() and \
            value.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "~") \
            and not re.fullmatch(r"[-+.\d_:eE]+", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _report_yaml(doc_id: str, source: Path, sha256: str, simplified: bool,
                 items: list[OutlineItem], text_length: int, title: str | None = None) -> str:
    year = re.search(r"(?<!\d)(19|20)\d\d(?!\d)", source.name)
    if title:
        title_line = f"    zh-Hant: {_yaml(title)}   # TODO: check (the text's title line)"
    else:
        title_line = (f"    zh-Hant: {_yaml(clean_title(source.stem.split('.')[0]))}   "
                      "# TODO: the report's own title")
    lines = [
        f"# Draft written by `kg ingest` from {clean_title(source.name)} ({text_length} "
        "characters).",
        "# TODO: check every line against the report, then fill in the commented fields.",
        "# Offsets in the comments are character positions in the text (Unicode code points).",
        "document:",
        f"  id: {doc_id}",
        "  title:",
        title_line,
        "    # en: TODO an English translation of the title",
        "  # author: TODO entity id of the author (define them in entities.yaml)",
        "  # publisher: TODO entity id of the publishing library",
        "  # about: TODO entity id of the event the report is about",
        f"  language: {'zh-Hans' if simplified else 'zh-Hant'}",
    ]
    if year:
        lines.append(f"  issued: {year.group()}   # TODO: guessed from the file name; check")
    else:
        lines.append("  # issued: TODO YYYY or YYYY-MM-DD")
    lines += [f"  source_file: {_yaml(source.name)}", f"  sha256: {sha256}", ""]
    if simplified:
        lines.append("# The text is Simplified Chinese; titles below were converted with "
                     "OpenCC s2t.")
    lines.append("sections:")
    for item in (i for i in items if i.kind == "section"):
        lines.append(f"  - {{notation: {_yaml(item.notation)}, id: {item.id}, title: "
                     f"{{zh-Hant: {_yaml(item.title)}}}}}   # line {item.line}, "
                     f"chars {item.start}-{item.end}")
    figures = [i for i in items if i.kind == "figure"]
    if figures:
        lines += ["", "# Figure captions in text order (a number printed twice gets two ids).",
                  "figures:"]
        for item in figures:
            lines.append(f"  - {{id: {item.id}, number: {item.number}, in: "
                         f"{_yaml(item.notation)}, title: {{zh-Hant: {_yaml(item.title)}}}}}"
                         f"   # line {item.line}, chars {item.start}-{item.end}")
    return "\n".join(lines) + "\n"


def _mentions_yaml(mentions: list[KnownMention], catalog: Catalog) -> str:
    counts: Counter = Counter()
    sections: dict[str, dict[str, None]] = defaultdict(dict)
    forms: dict[str, dict[str, None]] = defaultdict(dict)
    for mention in mentions:
        for entity_id in mention.entities:
            counts[entity_id] += 1
            sections[entity_id][mention.section or "-"] = None
            forms[entity_id][mention.form] = None
    lines = [
        "# Known entities this report mentions (found by `kg ingest`; every label and alias,",
        "# line breaks ignored). A summary for the curator: the build finds mentions itself.",
        "# entity  count  (forms)  sections",
    ]
    for entity_id in sorted(counts, key=lambda e: (-counts[e], e)):
        entity = catalog.entities[entity_id]
        where = "shared" if entity.doc is None else entity.doc
        lines.append(f"# {entity_id} ({where})  {counts[entity_id]}x  "
                     f"({' / '.join(forms[entity_id])})  {', '.join(sections[entity_id])}")
    return "\n".join(lines) + "\n"


# -- the whole step --------------------------------------------------------------------------
def read_report_text(path: str | Path) -> str:
    """The report as text; clear errors for a missing, mis-encoded, empty or binary file.

    Stray control characters are accepted (the draft's titles drop them); a file holding NUL
    bytes or mostly control characters is not text and is refused with what to do.
    """
    raw = Path(path).read_bytes() if Path(path).is_file() else b""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (raw.count(b"\x00") > len(raw) // 4 > 0):
        raise UserError(f"{path}: looks like UTF-16 text; convert it to UTF-8 first, e.g. "
                        "`iconv -f UTF-16 -t UTF-8`")
    text = read_source(path)
    if not text.strip():
        raise UserError(f"{path}: the file is empty; pass the report's plain text "
                        "(UTF-8, e.g. extracted with `pdftotext -layout`)")
    nul = text.find("\x00")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    if nul != -1 or controls > max(8, len(text) // 100):
        where = f"a NUL at character {nul}" if nul != -1 else \
            f"{controls} control characters"
        raise UserError(f"{path}: not plain text ({where}); is it a PDF, Word or other binary "
                        "file? Extract the text first, e.g. `pdftotext -layout report.pdf "
                        "report.txt`")
    return text


def document_title(text: str, items: list[OutlineItem]) -> str | None:
    """The text's title line (the first short line(s) before any heading), on one line.

    >>> document_title("出席年會報告\\n\\n一、目的\\n", outline("出席年會報告\\n\\n一、目的\\n"))
    '出席年會報告'
    """
    from kg.text.headings import title_line
    from kg.text.sentences import display

    first = min((i.start for i in items if i.kind == "section" and i.id not in
                 ("preamble", "full-text")), default=None)
    found = title_line(text, first)
    return clean_title(display(text[found[0]:found[1]])) if found else None


def draft(report: str | Path, doc_id: str, data_dir: str | Path) -> IngestResult:
    """Read a report and compute the draft files, writing nothing."""
    report, data_dir = Path(report), Path(data_dir)
    if not ID_PATTERN.fullmatch(doc_id):  # fullmatch: "$" would accept a final newline
        shown = json.dumps(doc_id, ensure_ascii=True)[1:-1]
        raise UserError(f"malformed id '{shown}'; use lowercase ASCII letters, digits and "
                        "single hyphens, e.g. --id ala-2023")
    original = read_report_text(report)
    text, simplified = to_traditional(original)
    items = outline(text)
    catalog, _ = load_catalog(data_dir)
    folder = data_dir / "reports" / doc_id
    for document in catalog.documents.values():
        if document.id == doc_id and Path(document.folder).resolve() != folder.resolve():
            raise UserError(f"the document id '{doc_id}' already exists ({document.file}); "
                            "choose another --id")
    section_at = _section_finder(items)
    mentions = known_mentions(catalog, text, section_at)
    proposals = _proposals(original, catalog, items, section_at, simplified, doc_id, folder)
    sha256 = sha256_of(original)
    files = {
        "report.yaml": _report_yaml(doc_id, report, sha256, simplified, items, len(original),
                                    document_title(text, items)),
        "proposals.yaml": to_yaml(proposals, PROPOSALS_HEADER.format(name=report.name)),
        "mentions.yaml": _mentions_yaml(mentions, catalog),
    }
    return IngestResult(doc_id, folder, sha256, simplified, items, mentions, files,
                        proposals, original)


PROPOSALS_HEADER = """Proposals drafted by `kg ingest` from {name}; regenerated on every run, not curated.
Offsets are character positions in the text; `kg ingest --json` shows each evidence sentence.
Decide them with `kg review` (decisions.yaml); accepted ones go to entities.yaml,
relations.yaml and facts.yaml. The build never reads this file."""


# Words of a conference programme: a section under a heading with one of them, and with no
# subsections of its own, is one session (or poster) whose title is its heading.
PROGRAMME_WORDS = re.compile(r"會議|会议|課程|课程|講座|讲座|論壇|论坛|研討|研讨|工作坊|座談|座谈|"
                             r"演講|演讲|海報|海报|展|session|poster|workshop|panel|forum|talk",
                             re.IGNORECASE)
POSTER_WORDS = re.compile(r"海報|海报|poster", re.IGNORECASE)


def session_titles(text: str, items: list[OutlineItem]) -> list[tuple[int, int, str]]:
    """(start, end, Session|Poster) of the heading titles that name a session or poster:
    leaf sections under (or themselves with) a heading that uses a programme word.

    >>> items = [OutlineItem("s1", "一", "參加線上會議", "section", 0, 30, 1),
    ...          OutlineItem("s1-1", "一.1", "圖書館與遊戲", "section", 9, 30, 2)]
    >>> text = "一、參加線上會議\\n1.圖書館與遊戲\\n內容。"
    >>> [(text[s:e], kind) for s, e, kind in session_titles(text, items)]
    [('圖書館與遊戲', 'Session')]
    """
    sections = [i for i in items if i.kind == "section" and i.notation not in ("全文", "前文")]
    by_notation = {i.notation: i for i in sections}
    found = []
    for item in sections:
        if any(o.notation.startswith(item.notation + ".") for o in sections):
            continue  # has subsections: a group of sessions, not one
        chain, notation = [item.title], item.notation
        while "." in notation:
            notation = notation.rsplit(".", 1)[0]
            if notation in by_notation:
                chain.append(by_notation[notation].title)
        if item is sections[0] or not any(PROGRAMME_WORDS.search(t) for t in chain[1:]):
            continue
        line_end = text.find("\n", item.start)
        line_end = item.end if line_end == -1 else min(line_end, item.end)
        title = item.title.strip()
        at = text.find(title[:12], item.start, line_end) if title else -1
        if at < 0:
            continue
        end = line_end
        while end > at and text[end - 1].isspace():
            end -= 1
        kind = "Poster" if any(POSTER_WORDS.search(t) for t in chain) else "Session"
        found.append((at, end, kind))
    return found


def _proposals(text: str, catalog: Catalog, items: list[OutlineItem], section_at,
               simplified: bool, doc_id: str, folder: Path) -> list[Proposal]:
    from kg.extract.propose import propose

    document = next((d for d in catalog.documents.values()
                     if Path(d.folder).resolve() == folder.resolve()), None)
    publisher = document.publisher if document else None
    heads = []
    starts = sorted(item.start for item in items if item.kind == "section")
    for item in items:
        if item.kind == "section" and item.notation not in ("全文", "前文"):  # no heading line
            line_end = text.find("\n", item.start)
            line_end = item.end if line_end == -1 else min(line_end, item.end)
            # The section's own text: up to the next heading (its subsections excluded).
            body_end = min([s for s in starts if s > item.start] + [item.end])
            heads.append((item.start, line_end, body_end))
    result = propose(text, catalog, section_at, simplified_text=simplified,
                     publisher=publisher, headings=heads, titled=session_titles(text, items))
    decided = decided_ids(folder)
    return [p for p in result.proposals if p.id not in decided]


def write_draft(result: IngestResult) -> IngestResult:
    """Write the draft files; refuse (writing nothing) if a curated file would change."""
    from kg.files import atomic_write

    changed = []
    for name, content in result.files.items():
        path = result.folder / name
        if name not in REGENERATED and path.exists() and \
                path.read_bytes() != content.encode("utf-8"):
            changed.append(path)
    if changed:
        names = ", ".join(str(p) for p in changed)
        raise UserError(f"{names} already exist(s) and differ(s) from the draft: the id "
                        f"'{result.doc_id}' is taken (or the draft was curated); choose "
                        "another --id, or move the folder away to re-draft it")
    for name, content in result.files.items():
        path = result.folder / name
        if path.exists() and path.read_bytes() == content.encode("utf-8"):
            result.unchanged.append(path)
        else:
            atomic_write(path, content.encode("utf-8"))
            result.written.append(path)
    return result


def ingest(report: str | Path, doc_id: str, data_dir: str | Path) -> IngestResult:
    """Draft ``<data_dir>/reports/<doc_id>/`` from a report text (see the module docstring)."""
    return write_draft(draft(report, doc_id, data_dir))

"""Tie the curated data to the report's text: checksum, section offsets, entity mentions.

>>> from kg.build.loader import load_catalog
>>> catalog, _ = load_catalog("data")                                   # doctest: +SKIP
>>> doc = catalog.documents["ala-2022-report"]                          # doctest: +SKIP
>>> located = locate(catalog, doc, read_source("../shared/sources/ala-2022-report.zh-Hant.txt"))
>>> located.mentions[0]                                   # doctest: +SKIP
Mention(entity='ala', start=12, end=19, exact='美國圖書館學會', section='abstract')
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.model import Catalog, Document
from kg.problems import Problem, UserError
from kg.text.headings import parse_headings, section_spans
from kg.text.forms import find_forms, normalized


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int
    end: int
    exact: str
    section: str  # section or figure id


@dataclass
class Located:
    """What the text adds to one document's data."""

    document: str
    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # section id -> offsets
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # kg.build.evidence.evidence_key(relation or fact) -> its Evidence sentence
    evidence: dict = field(default_factory=dict)
    _sentences: list | None = field(default=None, repr=False)

    def passage(self, section_id: str) -> str:
        start, end = self.spans[section_id]
        return self.text[start:end]

    def sentences(self) -> list:
        """The text's sentences (``kg.text.sentences.Sentence``), computed once."""
        if self._sentences is None:
            from kg.text.sentences import sentences

            self._sentences = sentences(self.text)
        return self._sentences


def read_source(path: str | Path) -> str:
    """Read a report as UTF-8 text, with a clear error for a missing or mis-encoded file."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: report text not found; pass --source PATH to the .txt file "
                        "(the bundled one is ../shared/sources/ala-2022-report.zh-Hant.txt)")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); convert it "
                        "first, e.g. `iconv -f BIG5 -t UTF-8`") from None
    return text.removeprefix("\ufeff")


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_checksum(document: Document, text: str, path: str) -> Problem | None:
    actual = sha256_of(text)
    if document.sha256 and actual != document.sha256:
        return Problem(str(path), 0, f"SHA-256 {actual[:12]}… does not match {document.id}'s "
                       f"sha256 {document.sha256[:12]}… in {document.file}",
                       "pass the report this data was curated from, or update sha256 in "
                       "report.yaml after re-checking the data against the new text")
    return None


def locate(catalog: Catalog, document: Document, text: str) -> Located:
    """Find the document's sections and every entity mention in ``text``."""
    located = Located(document.id, text)
    warn = located.warnings.append
    headings = parse_headings(text)
    spans = {span.key: span for span in section_spans(text, headings)}
    for section in document.sections:
        if section.kind == "section":
            span = spans.get(section.notation)
            if span is None:
                warn(Problem(section.file, section.line, f"heading '{section.notation}' not "
                             "found in the text", "check the notation against the report",
                             "warning"))
                continue
            located.spans[section.id] = (span.start, span.end)
    figures = [h for h in headings if h.kind == "figure"]
    used: set[int] = set()
    for section in (s for s in document.sections if s.kind == "figure"):
        for index, heading in enumerate(figures):
            if index not in used and heading.number == section.number and \
                    heading.notation == section.parent:
                used.add(index)
                located.spans[section.id] = (heading.start, heading.line_end)
                break
        else:
            warn(Problem(section.file, section.line, f"figure {section.number} in "
                         f"'{section.parent}' not found in the text",
                         "check the figure's number and section", "warning"))

    ordered = sorted(located.spans.items(), key=lambda kv: (kv[1][1] - kv[1][0], kv[0]))

    def innermost(offset: int) -> str:
        for section_id, (start, end) in ordered:
            if start <= offset < end:
                return section_id
        return ""

    forms: dict[str, str] = {}
    ambiguous: set[str] = set()
    for entity in catalog.entities.values():
        for form in entity.surface_forms():
            if form in forms and forms[form] != entity.id:
                ambiguous.add(form)
            forms.setdefault(form, entity.id)
    norm = normalized(text)
    found_forms: set[str] = set()
    for match in find_forms(text, [f for f in forms if f not in ambiguous], norm):
        found_forms.add(match.form)
        located.mentions.append(Mention(forms[match.form], match.start, match.end,
                                        text[match.start:match.end], innermost(match.start)))
    mentioned = {m.entity for m in located.mentions}
    for entity in catalog.entities.values():
        if entity.doc not in (None, document.id):
            continue
        if entity.doc is None and entity.id not in mentioned:
            continue  # shared entities need not occur in every report
        for lang in sorted(entity.alt):
            for form in entity.alt[lang]:
                if form in found_forms or form in ambiguous or find_forms(text, [form], norm):
                    continue  # found, or found only inside a longer name
                warn(Problem(entity.file, entity.line, f"alias '{form}' of '{entity.id}' "
                             f"never occurs in {document.id}",
                             "check its spelling against the report, or remove it",
                             "warning"))
    from kg.build.evidence import find_evidence

    find_evidence(catalog, document, located)
    return located


def source_files(sources) -> list[Path]:
    """The report texts among ``sources``: files as given, folders' ``*.txt`` files."""
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files.extend(sorted(path.glob("*.txt")))
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"{path}: no such file or folder; pass --source PATH to a report "
                            "text (or a folder of them)")
    return files

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
    norm: tuple | None = field(default=None, repr=False)        # normalized(text, fold=True)
    found_forms: set = field(default_factory=set, repr=False)   # forms matched as mentions
    ambiguous: set = field(default_factory=set, repr=False)     # forms naming two entities

    def occurs(self, form: str) -> bool:
        """Whether ``form`` is in the text, as a mention or inside a longer name."""
        return form in self.found_forms or bool(
            find_forms(self.text, [form], self.norm, fold=True))

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
    norm = normalized(text, fold=True)
    located.norm = norm
    found_forms: set[str] = set()
    for match in find_forms(text, [f for f in forms if f not in ambiguous], norm, fold=True):
        found_forms.add(match.form)
        located.mentions.append(Mention(forms[match.form], match.start, match.end,
                                        text[match.start:match.end], innermost(match.start)))
    located.found_forms = found_forms
    located.ambiguous = ambiguous
    from kg.build.evidence import find_evidence

    find_evidence(catalog, document, located)
    return located


def alias_warnings(catalog: Catalog, located: dict[str, Located]) -> list[Problem]:
    """Aliases never found, across every report whose text is attached.

    An alias of a report's own entity is checked against that report's text; an alias of a
    shared entity (data/shared) only against all texts together, so it is reported once, and
    only when no report uses it. An alias of a shared entity that matches in two or more
    reports is reported for each report where it is the only form found (no label of the
    entity there): a generic alias added for one report (國家圖書館, 本館) must not silently
    create mentions in another.
    """
    problems: list[Problem] = []
    if not located:
        return problems
    mentioned: dict[str, set[str]] = {}
    for doc_id, found in located.items():
        for mention in found.mentions:
            mentioned.setdefault(mention.entity, set()).add(doc_id)
    for entity in catalog.entities.values():
        if entity.doc is not None:
            docs = [entity.doc] if entity.doc in located else []
        else:
            docs = sorted(located)
        if not docs or (entity.doc is None and entity.id not in mentioned):
            continue  # no text for it, or a shared entity no report mentions
        for lang in sorted(entity.alt):
            for form in entity.alt[lang]:
                if any(form in located[d].ambiguous or located[d].occurs(form) for d in docs):
                    continue
                where = docs[0] if len(docs) == 1 else "any report (" + ", ".join(docs) + ")"
                problems.append(Problem(entity.file, entity.line, f"alias '{form}' of "
                                        f"'{entity.id}' never occurs in {where}",
                                        "check its spelling against the report, or remove "
                                        "it", "warning"))
    if len(located) < 2:
        return problems
    for entity in catalog.entities.values():
        if entity.doc is not None or not entity.alt:
            continue
        labels = set(entity.labels.values()) | {f for forms in entity.former_names.values()
                                                for f in forms}
        aliases = {f for forms in entity.alt.values() for f in forms} - labels
        for doc_id in sorted(mentioned.get(entity.id, ())):
            found = located[doc_id]
            if any(found.occurs(label) for label in labels):
                continue
            used = sorted({m.exact for m in found.mentions if m.entity == entity.id})
            forms = sorted(f for f in aliases if f in found.found_forms and
                           sum(f in other.found_forms for other in located.values()) > 1)
            if not forms:
                continue
            count = sum(m.entity == entity.id for m in found.mentions)
            problems.append(Problem(
                entity.file, entity.line, f"shared '{entity.id}' is found in {doc_id} only "
                f"through its alias{'es' if len(forms) > 1 else ''} "
                f"{', '.join(repr(f) for f in forms)} ({count} mention"
                f"{'s' if count > 1 else ''}: {', '.join(used[:3])})",
                f"check that these name '{entity.id}' in {doc_id}; if the alias is generic, "
                "remove it or give it only to the report that needs it", "warning"))
    return problems


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

"""The curated data as plain records, each remembering the file and line it came from.

>>> Entity("ala", "Organization", {"en": "American Library Association"}).label("zh")
'American Library Association'
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entity:
    id: str
    type: str
    labels: dict[str, str]
    alt: dict[str, list[str]] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    broader: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    former_names: dict[str, list[str]] = field(default_factory=dict)  # names no longer in use
    romanization: str | None = None  # a curator's romanisation where no English name exists
    doc: str | None = None  # None for entities under data/shared
    file: str = ""
    line: int = 0

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` ("en" or "zh"), falling back to any other label."""
        key = "zh-Hant" if lang.startswith("zh") else lang
        return self.labels.get(key) or next(iter(self.labels.values()), self.id)

    def surface_forms(self) -> list[str]:
        """Every label and alternative label, in a stable order."""
        forms = list(self.labels.values())
        for lang in sorted(self.alt):
            forms.extend(self.alt[lang])
        for lang in sorted(self.former_names):
            forms.extend(self.former_names[lang])
        return list(dict.fromkeys(forms))


@dataclass
class Section:
    id: str
    notation: str
    title: dict[str, str]
    kind: str = "section"  # "section" or "figure"
    number: int | None = None  # figures: the number printed in the caption
    parent: str | None = None  # notation of the enclosing section
    order: int = 0
    file: str = ""
    line: int = 0


@dataclass
class Document:
    id: str
    title: dict[str, str]
    folder: str
    author: str | None = None
    publisher: str | None = None
    about: str | None = None
    language: str = "zh-Hant"
    issued: str | None = None
    source_file: str | None = None
    sha256: str | None = None
    sections: list[Section] = field(default_factory=list)
    file: str = ""
    line: int = 0

    def section_by_ref(self, ref: str) -> Section | None:
        """Find a section by notation (``貳.一.(二)``) or id (``fig-02``)."""
        for section in self.sections:
            if ref in (section.notation, section.id):
                return section
        return None


@dataclass
class Relation:
    subject: str
    predicate: str  # CURIE
    object: str
    section: str
    doc: str
    implied: bool = False
    uncertain: bool = False
    role: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    at: str | None = None  # entity id of the event the statement happened at (a conversation)
    former: bool = False  # true for a relation that no longer holds (a former home, role)
    valid_from: str | None = None  # xsd:gYear or xsd:date
    valid_until: str | None = None
    id: str | None = None  # a curator's id: the statement IRI ends in it
    replaces: list[str] = field(default_factory=list)  # IRIs of statements this one replaces
    file: str = ""
    line: int = 0


@dataclass
class Fact:
    about: str
    property: str  # CURIE
    value: str
    datatype: str  # CURIE, e.g. xsd:integer
    section: str
    doc: str
    id: str | None = None
    unit: str | None = None
    qualifier: str | None = None  # approximate | lowerBound | upperBound (約, 逾, 不到)
    as_of: str | None = None
    period: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # entity id of who the report says the figure comes from
    implied: bool = False
    uncertain: bool = False
    note: str | None = None
    replaces: list[str] = field(default_factory=list)  # IRIs of facts this one replaces
    file: str = ""
    line: int = 0


@dataclass
class Catalog:
    """Everything loaded from a data folder."""

    root: str
    entities: dict[str, Entity] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

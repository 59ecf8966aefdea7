"""Load a ``data/`` folder into a Catalog, collecting problems instead of raising.

Nothing else in kg reads the YAML: every other stage works from the RDF dataset built from
the Catalog.

>>> catalog, problems = load_catalog("data")            # doctest: +SKIP
>>> catalog.entities["ala"].label("zh")                 # doctest: +SKIP
'美國圖書館學會'
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from kg.build.model import Catalog, Document, Entity, Fact, Relation, Section
from kg.problems import Problem
from kg.build.yamlread import Node, Seq, YamlSyntaxError, load_yaml_file

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # use fullmatch: "$" matches before "\n"
ID_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # last segment of a statement or fact IRI
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")
BAD_LANGS = {"zh": "zh-Hant", "zh-TW": "zh-Hant", "zh-tw": "zh-Hant", "zh_Hant": "zh-Hant",
             "zh-hant": "zh-Hant", "zh_TW": "zh-Hant", "tw": "zh-Hant", "EN": "en",
             "en-US": "en", "en_US": "en", "eng": "en", "zh-HK": "zh-Hant"}

ENTITY_FIELDS = {"id", "type", "label", "alt", "description", "broader", "same_as",
                 "former_names", "romanization"}
RELATION_FIELDS = {"subject", "predicate", "object", "section", "implied", "uncertain", "role",
                   "note", "former", "valid_from", "valid_until", "at", "id", "replaces"}
FACT_FIELDS = {"id", "about", "property", "value", "datatype", "unit", "as_of", "period",
               "section", "implied", "uncertain", "note", "source", "qualifier", "replaces"}
DOCUMENT_FIELDS = {"id", "title", "author", "publisher", "about", "language", "issued",
                   "source_file", "sha256"}
SECTION_FIELDS = {"id", "notation", "title"}
FIGURE_FIELDS = {"id", "number", "in", "title"}
TOP_LEVEL = {"entities", "relations", "facts", "document", "sections", "figures",
             "proposals", "decisions"}  # the last two: written by `kg ingest` / `kg review`
PROPOSAL_FIELDS = {"id", "kind", "score", "source", "section", "evidence", "span", "entity",
                   "link", "relation", "fact"}
PROPOSAL_ID = re.compile(r"(?P<prefix>[erf])-[0-9a-f]{10}")
PROPOSAL_KINDS = {"entity": "e", "relation": "r", "fact": "f"}


class _Reader:
    """Reads one data folder; every ``_problem`` call records file, line, what, how to fix."""

    def __init__(self, root: Path):
        self.root = root
        self.catalog = Catalog(root=str(root))
        self.problems: list[Problem] = []

    # -- helpers ----------------------------------------------------------------------
    def _display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def _problem(self, file: str, line: int, what: str, fix: str = "", severity="error"):
        self.problems.append(Problem(file, line, what, fix, severity))

    def _check_fields(self, node: Node, allowed: set[str], file: str, kind: str) -> None:
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                fix = f"did you mean '{close[0]}'?" if close else \
                    f"a {kind} takes: {', '.join(sorted(allowed))}"
                self._problem(file, node.line_of(key), f"unknown field '{key}' in {kind}", fix)

    def _lang_map(self, value, file: str, line: int, what: str, *, lists=False) -> dict:
        """Check ``{lang: text}`` (or ``{lang: [text, …]}``) and return it."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._problem(file, line, f"{what} must be a map from language tag to text",
                          f"write e.g. {what}: {{en: …, zh-Hant: …}}")
            return {}
        result = {}
        for lang, text in value.items():
            key_line = value.line_of(lang) if isinstance(value, Node) else line
            if lang in BAD_LANGS or not LANG_PATTERN.fullmatch(str(lang)):
                good = BAD_LANGS.get(lang, "en or zh-Hant")
                self._problem(file, key_line, f"wrong language tag '{lang}' in {what}",
                              f"use the BCP 47 tag '{good}'")
                continue
            items = text if isinstance(text, list) else [text]
            if lists and not isinstance(text, list):
                items = [text]
            cleaned = []
            for item in items:
                if not isinstance(item, str) or not item.strip():
                    self._problem(file, key_line, f"empty or non-text {what} for '{lang}'",
                                  "write the name as text, or remove the entry")
                    continue
                cleaned.append(item.strip())
            if not cleaned:
                continue
            if lists:
                result[lang] = cleaned
            elif isinstance(text, list):
                self._problem(file, key_line, f"{what} for '{lang}' must be one text, not a "
                              "list", "keep one name here and move the others to alt")
            else:
                result[lang] = cleaned[0]
        return result

    def _flag(self, node: Node, key: str, file: str) -> bool:
        value = node.get(key, False)
        if isinstance(value, bool):
            return value
        self._problem(file, node.line_of(key), f"'{key}' must be true or false, not {value!r}",
                      f"write {key}: true (or leave it out)")
        return False

    def _text(self, node: Node, key: str, file: str, kind: str, required=True) -> str | None:
        value = node.get(key)
        if value is None:
            if required:
                self._problem(file, node.line, f"{kind} has no '{key}'",
                              f"add a '{key}:' field")
            return None
        if isinstance(value, (dict, list)):
            self._problem(file, node.line_of(key), f"'{key}' must be a single value",
                          f"write {key}: <value>")
            return None
        return str(value)

    def _replaces(self, node: Node, file: str, doc: str, kind: str) -> list[str]:
        """``replaces:`` one IRI (or a list) of the {kind} this entry replaces; a bare key
        (the IRI's last segment) is read as ``<base>doc/<doc>/<kind>/<key>``."""
        from kg.namespaces import BASE

        value = node.get("replaces")
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            text = str(item).strip() if not isinstance(item, (dict, list)) else ""
            prefix = f"{BASE}doc/{doc}/{kind}/"
            if ID_KEY.fullmatch(text):
                text = prefix + text
            if not text.startswith(prefix) or not ID_KEY.fullmatch(text[len(prefix):]):
                self._problem(file, node.line_of("replaces"),
                              f"'replaces' must name a {kind} of this report, not {item!r}",
                              f"copy the old IRI ({prefix}<key>) or just its key")
                continue
            out.append(text)
        return out

    def _items(self, doc, key: str, file: str) -> list[Node]:
        items = doc.get(key)
        if items is None:
            return []
        if not isinstance(items, list):
            self._problem(file, doc.line_of(key), f"'{key}' must be a list",
                          f"write each item on a line starting with '- ' under {key}:")
            return []
        good = []
        for index, item in enumerate(items):
            if isinstance(item, Node):
                good.append(item)
            else:
                line = items.item_lines[index] if isinstance(items, Seq) else doc.line_of(key)
                self._problem(file, line, f"item {index + 1} of '{key}' is not a mapping",
                              "write it as {field: value, …}")
        return good

    def _record_id(self, value: str, node: Node, file: str, kind: str) -> bool:
        """A section, figure or fact id becomes part of an IRI: the same rule as entity ids."""
        if ID_PATTERN.fullmatch(value):
            return True
        self._problem(file, node.line_of("id"), f"malformed {kind} id {value!r}",
                      "use lowercase ASCII letters, digits and single hyphens, e.g. 's2-1'")
        return False

    # -- records ----------------------------------------------------------------------
    def entity(self, node: Node, file: str, doc: str | None) -> None:
        self._check_fields(node, ENTITY_FIELDS, file, "entity")
        entity_id = self._text(node, "id", file, "entity")
        type_name = self._text(node, "type", file, "entity")
        if entity_id is None:
            return
        if not ID_PATTERN.fullmatch(entity_id):
            self._problem(file, node.line_of("id"), f"malformed id {entity_id!r}",
                          "use lowercase ASCII letters, digits and single hyphens, "
                          "e.g. 'library-of-congress'")
        labels = self._lang_map(node.get("label"), file, node.line_of("label"), "label")
        if not labels and "label" in node:
            pass  # already reported
        elif not labels:
            self._problem(file, node.line, f"entity '{entity_id}' has no label",
                          "add label: {en: …, zh-Hant: …}")
        broader = node.get("broader") or []
        same_as = node.get("same_as") or []
        entity = Entity(
            id=entity_id, type=type_name or "", labels=labels,
            alt=self._lang_map(node.get("alt"), file, node.line_of("alt"), "alt", lists=True),
            description=self._lang_map(node.get("description"), file,
                                       node.line_of("description"), "description"),
            broader=[str(b) for b in (broader if isinstance(broader, list) else [broader])],
            same_as=[str(s) for s in (same_as if isinstance(same_as, list) else [same_as])],
            former_names=self._lang_map(node.get("former_names"), file,
                                        node.line_of("former_names"), "former_names",
                                        lists=True),
            romanization=self._text(node, "romanization", file, "entity", required=False),
            doc=doc, file=file, line=node.line,
        )
        for iri in entity.same_as:
            if not is_iri(iri):
                self._problem(file, node.line_of("same_as"), f"same_as {iri!r} of "
                              f"'{entity_id}' is not an absolute IRI",
                              "write the full address, e.g. "
                              "https://www.wikidata.org/entity/Q1234, without spaces or <>")
        previous = self.catalog.entities.get(entity_id)
        if previous is not None:
            self._problem(file, node.line_of("id"), f"duplicate id '{entity_id}' (first "
                          f"defined at {previous.file}:{previous.line})",
                          "give one of them another id, or merge the two entries")
            return
        self.catalog.entities[entity_id] = entity

    def relation(self, node: Node, file: str, doc: str) -> None:
        self._check_fields(node, RELATION_FIELDS, file, "relation")
        fields = [self._text(node, key, file, "relation")
                  for key in ("subject", "predicate", "object", "section")]
        if None in fields:
            return
        subject, predicate, obj, section = fields
        self.catalog.relations.append(Relation(
            subject=subject, predicate=predicate, object=obj, section=section, doc=doc,
            implied=self._flag(node, "implied", file),
            uncertain=self._flag(node, "uncertain", file),
            role=self._lang_map(node.get("role"), file, node.line_of("role"), "role"),
            note=self._text(node, "note", file, "relation", required=False),
            at=self._text(node, "at", file, "relation", required=False),
            former=self._flag(node, "former", file),
            valid_from=self._text(node, "valid_from", file, "relation", required=False),
            valid_until=self._text(node, "valid_until", file, "relation", required=False),
            id=self._text(node, "id", file, "relation", required=False),
            replaces=self._replaces(node, file, doc, "statement"),
            file=file, line=node.line))

    def fact(self, node: Node, file: str, doc: str) -> None:
        self._check_fields(node, FACT_FIELDS, file, "fact")
        fields = [self._text(node, key, file, "fact")
                  for key in ("about", "property", "value", "datatype", "section")]
        if None in fields:
            return
        about, prop, value, datatype, section = fields
        fact_id = self._text(node, "id", file, "fact", required=False)
        if fact_id is not None and not self._record_id(fact_id, node, file, "fact"):
            return
        if isinstance(node.get("value"), bool):
            value = "true" if node["value"] else "false"
        self.catalog.facts.append(Fact(
            about=about, property=prop, value=value, datatype=datatype, section=section,
            doc=doc, id=fact_id,
            unit=self._text(node, "unit", file, "fact", required=False),
            qualifier=self._text(node, "qualifier", file, "fact", required=False),
            as_of=self._text(node, "as_of", file, "fact", required=False),
            period=self._lang_map(node.get("period"), file, node.line_of("period"), "period"),
            source=self._text(node, "source", file, "fact", required=False),
            implied=self._flag(node, "implied", file),
            uncertain=self._flag(node, "uncertain", file),
            note=self._text(node, "note", file, "fact", required=False),
            replaces=self._replaces(node, file, doc, "fact"),
            file=file, line=node.line))

    def document(self, top: Node, file: str, folder: Path) -> str | None:
        node = top.get("document")
        if not isinstance(node, Node):
            self._problem(file, top.line_of("document"), "'document' must be a mapping",
                          "see data/README.md for the report.yaml layout")
            return None
        self._check_fields(node, DOCUMENT_FIELDS, file, "document")
        doc_id = self._text(node, "id", file, "document")
        if doc_id is None:
            return None
        if not ID_PATTERN.fullmatch(doc_id):
            self._problem(file, node.line_of("id"), f"malformed document id {doc_id!r}",
                          "use lowercase ASCII letters, digits and hyphens")
        if doc_id in self.catalog.documents:
            other = self.catalog.documents[doc_id]
            self._problem(file, node.line_of("id"), f"duplicate document id '{doc_id}' "
                          f"(also {other.file}:{other.line})", "give each report its own id")
            return None
        document = Document(
            id=doc_id, folder=str(folder), file=file, line=node.line,
            title=self._lang_map(node.get("title"), file, node.line_of("title"), "title"),
            author=self._text(node, "author", file, "document", required=False),
            publisher=self._text(node, "publisher", file, "document", required=False),
            about=self._text(node, "about", file, "document", required=False),
            language=self._text(node, "language", file, "document", required=False) or "zh-Hant",
            issued=self._text(node, "issued", file, "document", required=False),
            source_file=self._text(node, "source_file", file, "document", required=False),
            sha256=self._text(node, "sha256", file, "document", required=False),
        )
        if document.sha256 and not re.fullmatch(r"[0-9a-f]{64}", document.sha256):
            self._problem(file, node.line_of("sha256"), "sha256 is not 64 lowercase hex digits",
                          "paste the output of `sha256sum REPORT.txt`")
        order = 0
        for item in self._items(top, "sections", file):
            self._check_fields(item, SECTION_FIELDS, file, "section")
            notation = self._text(item, "notation", file, "section")
            section_id = self._text(item, "id", file, "section")
            if notation is None or section_id is None:
                continue
            if not self._record_id(section_id, item, file, "section"):
                continue
            order += 1
            document.sections.append(Section(
                id=section_id, notation=notation, order=order, file=file, line=item.line,
                title=self._lang_map(item.get("title"), file, item.line_of("title"), "title"),
                parent=parent_notation(notation)))
        for item in self._items(top, "figures", file):
            self._check_fields(item, FIGURE_FIELDS, file, "figure")
            section_id = self._text(item, "id", file, "figure")
            parent = self._text(item, "in", file, "figure")
            number = item.get("number")
            if section_id is None or parent is None:
                continue
            if not self._record_id(section_id, item, file, "figure"):
                continue
            if not isinstance(number, int) or isinstance(number, bool):
                self._problem(file, item.line_of("number"), "a figure needs its printed "
                              "number as a whole number", "write number: 6")
                continue
            order += 1
            document.sections.append(Section(
                id=section_id, notation=f"{parent} 圖{number}", kind="figure", number=number,
                parent=parent, order=order, file=file, line=item.line,
                title=self._lang_map(item.get("title"), file, item.line_of("title"), "title")))
        self.catalog.documents[doc_id] = document
        return doc_id

    # -- files ------------------------------------------------------------------------
    def read_file(self, path: Path, doc: str | None, shared: bool) -> Node | None:
        display = self._display(path)
        try:
            top = load_yaml_file(path, display)
        except YamlSyntaxError as exc:
            self.problems.append(exc.problem)
            return None
        if top is None:
            return None
        if not isinstance(top, Node):
            self._problem(display, 1, "the file must be a mapping of top-level keys",
                          f"start with one of: {', '.join(sorted(TOP_LEVEL))}")
            return None
        self._check_fields(top, TOP_LEVEL, display, "data file")
        if shared:
            for key in top:
                if key != "entities":
                    self._problem(display, top.line_of(key), f"'{key}' is not allowed under "
                                  "data/shared", "shared files hold only entities; put "
                                  "statements in the report's folder under data/reports/")
        return top

    def _yaml_files(self, folder: Path) -> list[Path]:
        """Every ``*.yaml`` under ``folder``, sorted; an unreadable folder is a problem."""
        found: list[Path] = []

        def walk_error(error: OSError) -> None:
            where = Path(error.filename) if error.filename else folder
            self._problem(self._display(where), 0, f"cannot list the folder: "
                          f"{error.strerror or error}", f"give read permission "
                          f"(chmod a+rx {where}) or move it out of the data folder")

        for base, dirs, files in os.walk(folder, onerror=walk_error, followlinks=False):
            dirs.sort()
            for name in dirs + files:
                if name.endswith(".yaml"):
                    found.append(Path(base) / name)
        return sorted(found)

    def read(self) -> None:
        if not self.root.is_dir():
            self._problem(str(self.root), 0, "data folder not found",
                          "pass --data DIR pointing at a folder like the bundled data/")
            return
        shared_dir = self.root / "shared"
        for path in self._yaml_files(shared_dir) if shared_dir.is_dir() else []:
            top = self.read_file(path, None, shared=True)
            for item in self._items(top, "entities", self._display(path)) if top else []:
                self.entity(item, self._display(path), None)
        reports = self.root / "reports"
        folders: list[Path] = []
        if reports.is_dir():
            try:
                folders = sorted(p for p in reports.iterdir() if p.is_dir())
            except OSError as exc:
                self._problem(self._display(reports), 0, f"cannot list the folder: "
                              f"{exc.strerror or exc}", f"give read permission "
                              f"(chmod a+rx {reports})")
        for folder in folders:
            self.read_report(folder)
        if not self.problems and not self.catalog.entities and not self.catalog.documents:
            self._problem(str(self.root), 0, "the data folder holds no reports and no "
                          "entities (nothing to build; the outputs are left as they are)",
                          "add data/reports/<id>/report.yaml and entities (see "
                          "data/README.md), or pass --data DIR pointing at the curated data")

    def read_report(self, folder: Path) -> None:
        files = self._yaml_files(folder)
        tops = {path: self.read_file(path, None, shared=False) for path in files}
        doc_id = None
        for path, top in tops.items():
            if top is not None and "document" in top:
                if doc_id is not None:
                    self._problem(self._display(path), top.line_of("document"),
                                  "a second 'document' in one report folder",
                                  "one report per folder: move it to a folder of its own")
                    continue
                doc_id = self.document(top, self._display(path), folder)
        if doc_id is None:
            if any(top is not None for top in tops.values()):
                self._problem(self._display(folder), 0, "report folder has no 'document:'",
                              "add a report.yaml with document metadata (see data/README.md)")
            return
        for path, top in tops.items():
            if top is None:
                continue
            display = self._display(path)
            for item in self._items(top, "entities", display):
                self.entity(item, display, doc_id)
            for item in self._items(top, "relations", display):
                self.relation(item, display, doc_id)
            for item in self._items(top, "facts", display):
                self.fact(item, display, doc_id)
            seen: set[str] = set()
            for item in self._items(top, "proposals", display):
                self.proposal(item, display, seen)

    def proposal(self, node: Node, file: str, seen: set[str]) -> None:
        """Check one entry of proposals.yaml (drafted by ``kg ingest``; never built)."""
        self._check_fields(node, PROPOSAL_FIELDS, file, "proposal")
        fix = "proposals.yaml is written by `kg ingest`: re-run it rather than editing the file"
        pid, kind = str(node.get("id", "")), node.get("kind")
        match = PROPOSAL_ID.fullmatch(pid)
        if kind not in PROPOSAL_KINDS:
            self._problem(file, node.line_of("kind"), f"proposal {pid or '?'}: kind must be "
                          f"one of {', '.join(PROPOSAL_KINDS)}, not {kind!r}", fix)
        elif not match or match.group("prefix") != PROPOSAL_KINDS[kind]:
            self._problem(file, node.line_of("id"), f"malformed proposal id {pid!r}",
                          f"a {kind} proposal id is {PROPOSAL_KINDS[kind]}- and 10 hex digits; "
                          + fix)
        elif pid in seen:
            self._problem(file, node.line_of("id"), f"proposal {pid} appears twice", fix)
        seen.add(pid)
        score = node.get("score")
        try:  # the YAML reader keeps decimals as text
            value = float(score) if not isinstance(score, bool) else -1.0
        except (TypeError, ValueError):
            value = -1.0
        if not 0 <= value <= 1:
            self._problem(file, node.line_of("score"), f"proposal {pid}: score must be a "
                          f"number from 0 to 1, not {score!r}", fix)
        spans = {}
        for key in ("evidence", "span"):
            value = node.get(key)
            if value is None and key == "span":
                continue
            if not isinstance(value, dict) or not all(
                    isinstance(value.get(k), int) and not isinstance(value.get(k), bool)
                    and value.get(k) >= 0 for k in ("start", "end")) or \
                    value["start"] > value["end"]:
                self._problem(file, node.line_of(key) if key in node else node.line,
                              f"proposal {pid}: {key} must be {{start: N, end: M}} with "
                              "0 <= N <= M", fix)
                continue
            spans[key] = (value["start"], value["end"])
        if "span" in spans and "evidence" in spans and not (
                spans["evidence"][0] <= spans["span"][0] and
                spans["span"][1] <= spans["evidence"][1]):
            self._problem(file, node.line_of("span"), f"proposal {pid}: the span lies outside "
                          "its evidence sentence", fix)
        if kind in PROPOSAL_KINDS and not isinstance(node.get(kind), dict):
            self._problem(file, node.line, f"proposal {pid}: a {kind} proposal needs a "
                          f"'{kind}:' mapping", fix)
        elif kind == "entity":
            body = node.get("entity")
            if not ID_PATTERN.fullmatch(str(body.get("id", ""))) or not body.get("type") \
                    or not isinstance(body.get("label"), dict):
                self._problem(file, node.line_of("entity"), f"proposal {pid}: the entity "
                              "needs an ASCII id, a type and a label map", fix)
        elif kind == "relation":
            body = node.get("relation")
            missing = [k for k in ("subject", "predicate", "object") if not body.get(k)]
            if missing:
                self._problem(file, node.line_of("relation"), f"proposal {pid}: the relation "
                              f"has no {', '.join(missing)}", fix)


def is_iri(text: str) -> bool:
    """True for an absolute IRI that every RDF writer and parser accepts (Oxigraph's parser).

    >>> is_iri("https://www.wikidata.org/entity/Q42"), is_iri("Q42"), is_iri("http://a b")
    (True, False, False)
    """
    import pyoxigraph

    if not text or any(ch in text for ch in '<>"{}|\\^`') or \
            any(ord(ch) <= 0x20 or 0x7f <= ord(ch) <= 0x9f for ch in text):
        return False
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def parent_notation(notation: str) -> str | None:
    """``"貳.一.(二)"`` -> ``"貳.一"``; top-level sections have no parent."""
    if "." not in notation:
        return None
    return notation.rsplit(".", 1)[0]


def load_catalog(root: str | Path) -> tuple[Catalog, list[Problem]]:
    """Load every YAML file under ``root``; return the catalog and the problems found."""
    reader = _Reader(Path(root))
    reader.read()
    return reader.catalog, reader.problems

"""Cross-reference checks a curator needs, run on a loaded Catalog.

Each check returns Problems with file, line, what is wrong and how to fix it.

>>> from kg.build.loader import load_catalog
>>> catalog, _ = load_catalog("data")                  # doctest: +SKIP
>>> [p.format() for p in check_catalog(catalog)]       # doctest: +SKIP
[]
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from datetime import date

from kg.build.model import Catalog
from kg.namespaces import expand_curie
from kg.problems import Problem
from kg.vocab import DATATYPES, ENTITY_TYPES, Vocabulary, load_vocabulary

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GYEAR = re.compile(r"^-?\d{4}$")
_GYEARMONTH = re.compile(r"^(\d{4})-(\d{2})$")


# A fact's qualifier (kg:qualifier): 約/近 approximate, 逾/超過/餘 lowerBound, 不到/未滿 upperBound.
QUALIFIERS = ("approximate", "lowerBound", "upperBound")

def value_problem(value: str, datatype: str) -> str | None:
    """Why ``value`` is not a valid ``datatype`` literal, or None when it is."""
    if datatype == "xsd:integer" and not _INTEGER.match(value):
        hint = " (write digits only, no thousands separators)" if "," in value else ""
        return f"'{value}' is not an xsd:integer{hint}"
    if datatype == "xsd:decimal" and not _DECIMAL.match(value):
        return f"'{value}' is not an xsd:decimal"
    if datatype == "xsd:gYear" and not _GYEAR.match(value):
        return f"'{value}' is not an xsd:gYear (write a four-digit year)"
    if datatype == "xsd:gYearMonth":
        m = _GYEARMONTH.match(value)
        if not m or not 1 <= int(m.group(2)) <= 12:
            return f"'{value}' is not an xsd:gYearMonth (write YYYY-MM)"
    if datatype == "xsd:date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"'{value}' is not an xsd:date (write YYYY-MM-DD)"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"'{value}' is not an xsd:date (write YYYY-MM-DD)"
    if datatype == "xsd:boolean" and value not in ("true", "false"):
        return f"'{value}' is not an xsd:boolean"
    return None


def _suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=3)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def check_catalog(catalog: Catalog, vocab: Vocabulary | None = None) -> list[Problem]:
    """All cross-reference problems: types, references, predicates, sections, values."""
    vocab = vocab or load_vocabulary()
    problems: list[Problem] = []
    add = problems.append
    entities = catalog.entities

    def ref(entity_id: str | None, file: str, line: int, role: str) -> None:
        if entity_id is not None and entity_id not in entities:
            add(Problem(file, line, f"{role} '{entity_id}' is not a defined entity",
                        _suggest(entity_id, entities) or
                        "define it in an entities: list, or correct the id"))

    for entity in entities.values():
        if entity.type not in ENTITY_TYPES:
            add(Problem(entity.file, entity.line, f"unknown type '{entity.type}' for "
                        f"'{entity.id}'", _suggest(entity.type, ENTITY_TYPES) or
                        f"use one of: {', '.join(ENTITY_TYPES)}"))
        for broader in entity.broader:
            ref(broader, entity.file, entity.line, "broader topic")
            if entity.type != "Topic":
                add(Problem(entity.file, entity.line, f"'{entity.id}' has 'broader' but is "
                            f"a {entity.type}", "only topics have broader topics"))
        if not entity.labels:
            continue
        for lang, forms in entity.alt.items():
            for form in forms:
                if form == entity.labels.get(lang):
                    add(Problem(entity.file, entity.line, f"alt label '{form}' of "
                                f"'{entity.id}' repeats its label", "remove it from alt",
                                "warning"))
    problems.extend(_topic_cycles(catalog))
    problems.extend(_shared_forms(catalog))

    for document in catalog.documents.values():
        for role in ("author", "publisher", "about"):
            ref(getattr(document, role), document.file, document.line, f"document {role}")
        notations = Counter(s.notation for s in document.sections if s.kind == "section")
        ids = Counter(s.id for s in document.sections)
        for section in document.sections:
            if section.kind == "section" and notations[section.notation] > 1:
                add(Problem(section.file, section.line, f"section '{section.notation}' is "
                            "listed twice", "remove the duplicate"))
            if ids[section.id] > 1:
                add(Problem(section.file, section.line, f"section id '{section.id}' is used "
                            "twice", "give each section and figure its own id"))
            if section.parent and not document.section_by_ref(section.parent):
                add(Problem(section.file, section.line, f"'{section.notation}' is inside "
                            f"'{section.parent}', which is not listed",
                            "add the enclosing section to sections:"))
        if document.issued and value_problem(document.issued, "xsd:date") and \
                value_problem(document.issued, "xsd:gYear"):
            add(Problem(document.file, document.line, f"issued '{document.issued}' is not a "
                        "date or year", "write YYYY or YYYY-MM-DD"))

    def section_ok(ref_: str, doc_id: str, file: str, line: int) -> None:
        document = catalog.documents.get(doc_id)
        if document and not document.section_by_ref(ref_):
            refs = [s.notation for s in document.sections if s.kind == "section"] + \
                [s.id for s in document.sections if s.kind == "figure"]
            add(Problem(file, line, f"section '{ref_}' is not in {doc_id}'s report.yaml",
                        _suggest(ref_, refs) or "use a notation such as 貳.一.(二) or a "
                        "figure id listed in report.yaml"))

    seen: dict[tuple, tuple[str, int]] = {}
    for relation in catalog.relations:
        where = (relation.file, relation.line)
        ref(relation.subject, *where, "subject")
        ref(relation.object, *where, "object")
        if relation.at:
            ref(relation.at, *where, "at")
        section_ok(relation.section, relation.doc, *where)
        if expand_curie(relation.predicate) is None:
            add(Problem(*where, f"predicate '{relation.predicate}' is not a CURIE with a known "
                        "prefix", "write e.g. schema:about or kg:heads"))
        elif not vocab.is_object_property(relation.predicate):
            fix = _suggest(relation.predicate, vocab.object_properties) or \
                "declare it in ontology/kg.ttl (labels en + zh-Hant, rdfs:subPropertyOf a " \
                "standard term) or use a declared one"
            if vocab.is_datatype_property(relation.predicate):
                fix = "it is a datatype property: state it under facts: with a value"
            add(Problem(*where, f"unknown predicate '{relation.predicate}'", fix))
        bounds = {}
        for name in ("valid_from", "valid_until"):
            value = getattr(relation, name)
            if value is None:
                continue
            datatype = "xsd:gYear" if len(value) == 4 else "xsd:date"
            if why := value_problem(value, datatype):
                add(Problem(*where, f"malformed {name}: {why}",
                            f"write {name}: YYYY or YYYY-MM-DD"))
            else:
                bounds[name] = value
        if len(bounds) == 2 and bounds["valid_from"][:4] > bounds["valid_until"][:4]:
            add(Problem(*where, f"valid_from {bounds['valid_from']} is after valid_until "
                        f"{bounds['valid_until']}", "swap them, or correct the year"))
        key = (relation.subject, relation.predicate, relation.object, relation.section)
        if key in seen:
            add(Problem(*where, f"statement repeated (also at {seen[key][0]}:{seen[key][1]})",
                        "remove one copy", "warning"))
        seen.setdefault(key, where)
    problems += _iri_collisions(catalog)

    fact_ids: dict[str, tuple[str, int]] = {}
    for fact in catalog.facts:
        where = (fact.file, fact.line)
        ref(fact.about, *where, "fact about")
        if fact.source:
            ref(fact.source, *where, "fact source")
        section_ok(fact.section, fact.doc, *where)
        if not vocab.is_datatype_property(fact.property):
            fix = _suggest(fact.property, vocab.datatype_properties) or \
                "declare it in ontology/kg.ttl as an owl:DatatypeProperty with en and " \
                "zh-Hant labels"
            add(Problem(*where, f"unknown property '{fact.property}'", fix))
        if fact.datatype not in DATATYPES:
            add(Problem(*where, f"unknown datatype '{fact.datatype}'",
                        f"use one of: {', '.join(DATATYPES)}"))
        elif why := value_problem(fact.value, fact.datatype):
            add(Problem(*where, f"malformed value: {why}", f"write a valid {fact.datatype}"))
        if fact.qualifier is not None and fact.qualifier not in QUALIFIERS:
            add(Problem(*where, f"unknown qualifier '{fact.qualifier}'",
                        f"use one of: {', '.join(QUALIFIERS)} (or leave it out for an exact "
                        "figure)"))
        if fact.as_of and (why := value_problem(fact.as_of, "xsd:date")):
            add(Problem(*where, f"malformed as_of: {why}", "write as_of: YYYY-MM-DD"))
        if fact.id:
            if fact.id in fact_ids:
                add(Problem(*where, f"duplicate fact id '{fact.id}' (also at "
                            f"{fact_ids[fact.id][0]}:{fact_ids[fact.id][1]})",
                            "give each fact its own id"))
            fact_ids[fact.id] = where
    return problems


def _iri_collisions(catalog: Catalog) -> list[Problem]:
    """Two different statements (or facts) that would get one IRI -- the IRI leaves out the
    section, note and value so that correcting them keeps it. The later one is given an IRI
    that includes its section (and value), and the curator is told to give it an ``id:``."""
    import hashlib

    from kg.build.rdfbuild import fact_iri, statement_iri

    problems = []
    for items, iri, kind, same in (
            (catalog.relations, statement_iri, "statement", lambda r: (r.section,)),
            (catalog.facts, fact_iri, "fact", lambda f: (f.value, f.section))):
        first: dict[str, object] = {}
        for item in items:
            key = str(iri(item))
            other = first.setdefault(key, item)
            if other is not item and same(other) != same(item) and not item.id:
                extra = hashlib.sha1("\x1f".join(same(item)).encode("utf-8")).hexdigest()[:6]
                item.id = f"{key.rsplit('/', 1)[1]}-{extra}"
                first.setdefault(str(iri(item)), item)
                problems.append(Problem(
                    item.file, item.line, f"this {kind} and the one at {other.file}:"
                    f"{other.line} would share the IRI {key}; this one got {iri(item)}, "
                    "which changes when its section is edited",
                    f"merge the two, or give this one its own id: (e.g. id: {kind}-2)",
                    "warning"))
    return problems


def _topic_cycles(catalog: Catalog) -> list[Problem]:
    problems = []
    for entity in catalog.entities.values():
        seen, stack = set(), list(entity.broader)
        while stack:
            current = stack.pop()
            if current == entity.id:
                problems.append(Problem(entity.file, entity.line, f"topic '{entity.id}' is "
                                        "its own broader topic (a cycle)",
                                        "remove one of the broader links in the cycle"))
                break
            if current in seen or current not in catalog.entities:
                continue
            seen.add(current)
            stack.extend(catalog.entities[current].broader)
    return problems


def _shared_forms(catalog: Catalog) -> list[Problem]:
    """Warn when two entities share a surface form: mentions of it cannot be attributed."""
    owners: dict[str, list] = defaultdict(list)
    for entity in catalog.entities.values():
        for form in entity.surface_forms():
            owners[form].append(entity)
    problems = []
    for form, group in sorted(owners.items()):
        if len(group) > 1:
            first, *others = group
            for other in others:
                problems.append(Problem(other.file, other.line, f"'{form}' names both "
                                        f"'{first.id}' and '{other.id}'", "keep the form on "
                                        "one entity only, so its mentions can be attributed",
                                        "warning"))
    return problems

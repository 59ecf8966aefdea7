"""Propose relations between the entities named in one sentence, with rules that are data.

A sentence is read as a *typed string*: its Simplified text (line breaks undone) where each
entity mention is one placeholder character standing for its class group (PER, ORG, PLACE,
EVENT, AWARD, WORK). A rule (``{"id", "predicate", "pattern", "subject", "object",
"confidence"}``, spaCy span_ruler style) is a regular expression over that string written with
``<PER:s>`` (a person, captured as ``s``), ``<ORG>``, ``<TITLE:role>`` (a job title) … The
rules use general Chinese function words and titles only.

>>> from kg.extract.relations import Mention, propose_relations
>>> text = "国家图书馆副馆长张志清出席会议。"
>>> ms = [Mention(0, 5, "nlc", "Library"), Mention(8, 11, "zhang-zhiqing", "Person")]
>>> [(r.subject, r.predicate, r.object, r.role) for r in propose_relations(text, [(0, 16)], ms)]
[('zhang-zhiqing', 'schema:worksFor', 'nlc', '副馆长')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import combinations

from kg.extract.ner import clean, simplified

__all__ = ["Mention", "Proposed", "propose_relations", "RULES", "TITLES", "HEAD_TITLES",
           "GROUPS"]

# Entity type -> class group used in the patterns.
GROUPS = {
    "Person": "PER",
    "Organization": "ORG", "Library": "ORG", "University": "ORG", "Publisher": "ORG",
    "GovernmentOrganization": "ORG", "Fund": "ORG",
    "City": "PLACE", "Country": "PLACE", "State": "PLACE", "Place": "PLACE",
    "Conference": "EVENT", "Session": "EVENT",
    "Award": "AWARD",
}
_CODES = {"PER": "\ue001", "ORG": "\ue002", "PLACE": "\ue003", "EVENT": "\ue004",
          "AWARD": "\ue005", "WORK": "\ue006"}
# Job titles (Simplified, general vocabulary). Titles that name the head of the unit:
HEAD_TITLES = ("馆长", "主任", "所长", "主席", "处长", "部长", "院长", "校长", "会长", "理事长",
               "董事长", "总裁", "执行长", "局长", "司长", "科长", "组长", "总监", "社长", "署长",
               "总干事", "执行董事", "首席执行官")
TITLES = HEAD_TITLES + ("秘书长", "教授", "副教授", "助理教授", "研究员", "馆员", "讲师", "主编",
                        "总编辑", "经理", "专员", "编审", "顾问", "委员", "理事", "董事", "秘书",
                        "干事", "助理")
_TITLE = "(?:副|代理|前|名誉|荣誉|助理|资深|首席)?(?:" + "|".join(
    sorted(TITLES, key=len, reverse=True)) + ")"

RULES = (
    {"id": "role:unit-title-name", "predicate": "schema:worksFor", "confidence": 0.85,
     "pattern": r"<ORG:o>的?\s?<TITLE:role>\s?<PER:s>", "subject": "s", "object": "o"},
    {"id": "role:name-unit-title", "predicate": "schema:worksFor", "confidence": 0.8,
     "pattern": r"<PER:s>\s?[（(,，]?\s?(?:为|是|担任|任|现任)?\s?<ORG:o>的?\s?<TITLE:role>",
     "subject": "s", "object": "o"},
    {"id": "role:name-of-unit", "predicate": "schema:worksFor", "confidence": 0.6,
     "pattern": r"<ORG:o>(?:的)?\s?<PER:s>\s?<TITLE:role>", "subject": "s", "object": "o"},
    {"id": "sponsor:by-org", "predicate": "schema:sponsor", "confidence": 0.7,
     "pattern": r"<(?:EVENT|WORK):s>[^。；]{0,30}?由\s?<ORG:o>(?:[、和与及]\s?<ORG>)*\s?(?:所|共同|来)?"
                r"(?:赞助|资助|提供经费|出资)", "subject": "s", "object": "o"},
    {"id": "organizer:by-org", "predicate": "schema:organizer", "confidence": 0.7,
     "pattern": r"<(?:EVENT|WORK):s>[^。；]{0,30}?由\s?<ORG:o>\s?(?:所|共同|负责)?(?:主办|举办|筹办|承办)",
     "subject": "s", "object": "o"},
    {"id": "organizer:org-holds", "predicate": "schema:organizer", "confidence": 0.6,
     "pattern": r"<ORG:o>\s?(?:主办|举办|筹办)的?\s?<EVENT:s>", "subject": "s", "object": "o"},
    {"id": "partner:with", "predicate": "kg:partnersWith", "confidence": 0.65,
     "pattern": r"<ORG:s>[^。；]{0,20}?(?:与|和|跟|同)\s?<ORG:o>\s?(?:共同|一起|携手)?\s?"
                r"(?:合作|结盟|签署)", "subject": "s", "object": "o"},
    {"id": "founder:person-founded", "predicate": "schema:founder", "confidence": 0.7,
     "pattern": r"<PER:o>[^。；]{0,12}?(?:创立|创办|创建|创设)(?:了|的)?\s?<ANY:s>",
     "subject": "s", "object": "o"},
    {"id": "founder:founded-by", "predicate": "schema:founder", "confidence": 0.7,
     "pattern": r"<ANY:s>[^。；]{0,12}?由\s?<PER:o>[^。；]{0,8}?(?:创立|创办|创建|创设)",
     "subject": "s", "object": "o"},
    {"id": "location:held-in", "predicate": "schema:location", "confidence": 0.7,
     "pattern": r"<EVENT:s>[^。；]{0,30}?(?:在|于)\s?<PLACE:o>[^。；]{0,12}?(?:召开|举办|举行|开幕)",
     "subject": "s", "object": "o"},
    {"id": "location:in-place-held", "predicate": "schema:location", "confidence": 0.65,
     "pattern": r"(?:在|于)\s?<PLACE:o>[^。；]{0,12}?(?:召开|举办|举行)的?\s?<EVENT:s>",
     "subject": "s", "object": "o"},
    {"id": "place:city-state", "predicate": "schema:containedInPlace", "confidence": 0.6,
     "pattern": r"<PLACE:s>\s?[（(]\s?<PLACE:o>\s?[)）]", "subject": "s", "object": "o"},
    {"id": "attendee:attends", "predicate": "schema:attendee", "confidence": 0.7,
     "pattern": r"<(?:ORG|PER):o>[^。；]{0,16}?(?:派员参加|派员出席|派员|参加|出席|参展|与会|参与)了?"
                r"\s?<EVENT:s>", "subject": "s", "object": "o"},
    {"id": "award:received", "predicate": "kg:receivedAward", "confidence": 0.7,
     "pattern": r"<(?:PER|ORG|WORK):s>[^。；]{0,20}?(?:荣获|获得|获颁|获|赢得|得到)\s?<AWARD:o>",
     "subject": "s", "object": "o"},
)
COOCCURRENCE = {"id": "cooccurrence:sentence", "predicate": "kg:mentionedWith",
                "confidence": 0.2}
SPEAKER = {"id": "speaker:session-section", "predicate": "schema:performerIn",
           "confidence": 0.4}
SECTION_MENTION = {"id": "section:heading-mentions", "predicate": "schema:mentions",
                   "confidence": 0.3}
SECTION_TOPIC = {"id": "section:heading-about", "predicate": "schema:about",
                 "confidence": 0.35}
# Entity types a section heading can be about: its section's names relate to it.
HEADING_TYPES = ("Session", "Conference", "Program", "Poster", "CreativeWork", "Book")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: str
    type: str


@dataclass(frozen=True)
class Proposed:
    subject: str
    predicate: str
    object: str
    source: str
    confidence: float
    evidence: tuple[int, int]
    role: str = ""  # the title as written in the text
    implied: bool = False


def _compile(pattern: str) -> re.Pattern:
    def group(match: re.Match) -> str:
        kinds, name = match.group(1), match.group(2)
        if kinds == "TITLE":
            body = _TITLE
        elif kinds == "ANY":
            body = "[" + "".join(_CODES.values()) + "]"
        else:
            names = re.findall(r"[A-Z]+", kinds)
            body = "[" + "".join(_CODES[n] for n in names) + "]"
        return f"(?P<{name}>{body})" if name else body

    return re.compile(re.sub(r"<((?:\(\?:)?[A-Z|]+\)?)(?::(\w+))?>", group, pattern))


_COMPILED = [(rule, _compile(rule["pattern"])) for rule in RULES]


def _typed(text: str, start: int, end: int, mentions: list[Mention]):
    """The typed string of text[start:end] and, per position, the mention it stands for."""
    piece, index = clean(text, start, end)
    reading = simplified(piece)
    out, owner, offsets = [], [], []
    by_start = {m.start: m for m in mentions}
    position = 0
    while position < len(reading):
        mention = by_start.get(index[position])
        if mention is not None:
            out.append(_CODES[GROUPS.get(mention.type, "WORK")])
            owner.append(mention)
            offsets.append(index[position])
            while position < len(reading) and index[position] < mention.end:
                position += 1
            continue
        out.append(reading[position])
        owner.append(None)
        offsets.append(index[position])
        position += 1
    return "".join(out), owner, offsets


def propose_relations(text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
                      sessions: dict[tuple[int, int], str] | None = None,
                      cooccurrence: bool = True) -> list[Proposed]:
    """Relations stated in each sentence, best rule first; co-occurring pairs at low confidence.

    ``mentions`` must not overlap. ``sessions`` maps a section's body (start, end) to the
    (entity, type) its heading names (a session, a programme, a work): each person in a
    session's section is proposed as its speaker, every other name as mentioned by it (or
    as its topic), all implied.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    found: dict[tuple[str, str, str], Proposed] = {}

    def add(item: Proposed) -> None:
        key = (item.subject, item.predicate, item.object)
        if item.subject == item.object:
            return
        if key not in found or found[key].confidence < item.confidence:
            found[key] = item

    starts = [m.start for m in ordered]

    for start, end in sentences:
        inside = ordered[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
        inside = [m for m in inside if m.end <= end]
        if not inside:
            continue
        typed, owner, offsets = _typed(text, start, end, inside)
        related: set[frozenset] = set()
        for rule, pattern in _COMPILED:
            for match in pattern.finditer(typed):
                subject, obj = owner[match.start(rule["subject"])], \
                    owner[match.start(rule["object"])]
                if subject is None or obj is None or subject.entity == obj.entity:
                    continue
                role = ""
                if "role" in pattern.groupindex and match.group("role"):
                    first, last = match.start("role"), match.end("role")
                    role = re.sub(r"\s+", "", text[offsets[first]:offsets[last - 1] + 1])
                predicate = rule["predicate"]
                if predicate == "schema:worksFor" and role and \
                        simplified(role).endswith(HEAD_TITLES) and \
                        not simplified(role).startswith(("副", "代理", "前", "助理", "名誉", "荣誉")):
                    predicate = "kg:heads"
                add(Proposed(subject.entity, predicate, obj.entity, rule["id"],
                             rule["confidence"], (start, end), role))
                related.add(frozenset((subject.entity, obj.entity)))
        if cooccurrence:
            people_or_orgs = [m for m in inside if GROUPS.get(m.type) in ("PER", "ORG")]
            entities = list(dict.fromkeys(m.entity for m in people_or_orgs))[:6]
            for a, b in combinations(entities, 2):
                if frozenset((a, b)) not in related:
                    add(Proposed(a, COOCCURRENCE["predicate"], b, COOCCURRENCE["id"],
                                 COOCCURRENCE["confidence"], (start, end)))
    sentence_starts = [s for s, _ in sentences]
    for (first, last), (session, type_name) in (sessions or {}).items():
        for mention in ordered:
            if not first <= mention.start < last or mention.entity == session:
                continue
            index = bisect.bisect_right(sentence_starts, mention.start) - 1
            sentence = sentences[index] if index >= 0 and \
                sentences[index][0] <= mention.start < sentences[index][1] else \
                (mention.start, mention.end)
            if mention.type == "Person" and type_name in ("Session", "Conference"):
                add(Proposed(mention.entity, SPEAKER["predicate"], session, SPEAKER["id"],
                             SPEAKER["confidence"], sentence, implied=True))
            else:  # what a section about a session or a work names, it mentions
                rule = SECTION_TOPIC if mention.type == "Topic" else SECTION_MENTION
                add(Proposed(session, rule["predicate"], mention.entity, rule["id"],
                             rule["confidence"], sentence, implied=True))
    return sorted(found.values(), key=lambda p: (p.evidence, p.subject, p.predicate, p.object))

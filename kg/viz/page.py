"""Write one self-contained HTML page for a networkx graph: data as JSON, vis-network inlined.

The page is our own template (not pyvis's, which loads Bootstrap from a CDN): vis-network's
JS and CSS come from the installed pyvis package, our CSS/JS from ``kg/viz/assets``. Node and
edge lists are prepared here and emitted as JSON (pyvis's ``add_edge`` is O(n²)). A Content
Security Policy allows only the page's own scripts (by hash) and no network at all.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", label_en="<b>A</b>", label_zh="甲", **{"class": "Person"})
>>> html = render_page(page_data(G, title_en="Demo"))
>>> "<b>A</b>" in html, "\\\\u003cb\\\\u003eA" in html
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template

import networkx as nx

from kg.explore.palette import FAMILIES, FAMILY_LABELS, border_of, color_of, family_of, shape_of
from kg.files import atomic_write
from kg.text.sentences import display, sentences
from kg.viz.dataset import GraphData
from kg.viz.layout import layout
from kg.viz.passages import passages_for
from kg.viz.units import unit_labels
from kg.viz.views import centrality, communities, edge_curie

__all__ = ["page_data", "render_page", "write_page", "class_colors", "vis_assets",
           "json_for_script", "CLASS_LABELS", "importance"]

CLASS_LABELS: dict[str, tuple[str, str]] = {
    "Person": ("Person", "人物"), "Library": ("Library", "圖書館"),
    "Organization": ("Organization", "組織"), "GovernmentOrganization": ("Government", "政府機關"),
    "University": ("University", "大學"), "Publisher": ("Publisher", "出版社"),
    "Fund": ("Fund", "基金"), "Conference": ("Conference", "研討會"),
    "Session": ("Session", "場次"), "Poster": ("Poster", "海報"), "Program": ("Program", "計畫"),
    "Platform": ("Platform", "平台"), "Book": ("Book", "書籍"), "Game": ("Game", "遊戲"),
    "HashtagCampaign": ("Hashtag campaign", "標籤活動"), "Periodical": ("Periodical", "期刊"),
    "CreativeWork": ("Creative work", "創作"), "Award": ("Award", "獎項"),
    "Country": ("Country", "國家"), "State": ("State", "州"), "City": ("City", "城市"),
    "Place": ("Place", "地點"), "Topic": ("Topic", "主題"), "Thing": ("Other", "其他"),
}

EXTRA_PREDICATES = {"kg:speaksOn": {"en": "speaks on (via session)", "zh": "談及（經由場次）"}}


def class_colors(names) -> dict[str, str]:
    """The fill colour of each class: its family's colour (kg.explore.palette)."""
    return {name: color_of(name) for name in names}


def json_for_script(value) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, ``<!--``, U+2028/9."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _script_safe(code: str) -> str:
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS, read from the installed pyvis package (no CDN)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def _asset(name: str) -> str:
    return resources.files("kg.viz").joinpath("assets", name).read_text(encoding="utf-8")


def _edges(G: nx.Graph):
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, attrs in G.edges(data=True):
            yield u, v, (u, v), attrs


def _names(info: dict) -> list[str]:
    """Every name of an entity (labels, alternative and former names), longest first."""
    names = [info.get("label_en"), info.get("label_zh"), *(info.get("alt_labels") or
             info.get("alt") or []), *(info.get("former_names") or [])]
    return sorted({str(n) for n in names if n}, key=lambda n: (-len(n), n))


def _relation(u, v, attrs, out: bool, G_nodes, section_key) -> dict:
    other = v if out else u
    info = G_nodes[other] if other in G_nodes else {}
    rel = {"p": edge_curie(attrs), "out": out, "o": other,
           "oen": info.get("label_en") or "", "ozh": info.get("label_zh", ""),
           "sec": attrs.get("section", ""), "si": section_key(attrs),
           "ren": attrs.get("role_en", ""), "rzh": attrs.get("role_zh", ""),
           "imp": bool(attrs.get("implied")), "unc": bool(attrs.get("uncertain")),
           "via": attrs.get("via", "")}
    # Shared contracts: the evidence sentence (kg.build.evidence) and history (former links,
    # valid_from/valid_until), as the adapter exposes them with statements=True.
    evidence = display(str(attrs.get("evidence") or ""))
    if evidence:
        rel["ev"], rel["on"] = evidence, _names(info)
    if attrs.get("former"):
        rel["fmr"] = True
    for key, short in (("valid_from", "vf"), ("valid_until", "vu")):
        if attrs.get(key):
            rel[short] = str(attrs[key])
    return rel


def page_data(G: nx.Graph, *, title_en: str = "Knowledge graph", title_zh: str = "知識圖譜",
              lang: str = "zh", size_by: str = "degree", data: GraphData | None = None,
              texts: dict[str, str] | None = None, membership: dict | None = None,
              positions: dict | None = None, embed: bool = False, physics: bool = False,
              view: str = "graph", center: str | None = None, context=(), keep=(),
              theme: str = "auto") -> dict:
    """The JSON the page reads: nodes with x/y, edges, classes, details for the panel.

    ``G``: nodes with ``label_en``, ``label_zh``, ``class`` (optional ``alt``,
    ``description_en``/``_zh``); edges with ``predicate`` and optional ``section``,
    ``section_iri``, ``role_en``/``_zh``, ``implied``, ``uncertain``. ``data`` (the whole
    dataset) adds facts, relations outside the view and section titles; ``texts`` maps a
    report IRI to its text, so each cited section's passage (only those) goes into the page.
    """
    nodes_sorted = sorted(G.nodes, key=str)
    context = {c for c in context if c in G}
    positions = positions if positions is not None else layout(G, context=context)
    sizes = importance(G, size_by, context)
    membership = membership if membership is not None else communities(G)
    class_names = sorted({str(G.nodes[n].get("class", "Thing")) for n in nodes_sorted})
    colors = class_colors(class_names)
    class_index = {name: i for i, name in enumerate(class_names)}
    class_counts = {name: 0 for name in class_names}
    predicates: dict[str, dict[str, str]] = {}
    if data is not None:
        predicates.update(data.predicates)
    predicates.update(EXTRA_PREDICATES)
    sections: dict[str, dict] = {}
    by_notation: dict[str, str] = {}
    if data is not None:
        for iri, info in sorted(data.sections.items(), key=lambda kv: kv[1]["kind"] != "section"):
            by_notation.setdefault(info["notation"], iri)

    def section_key(attrs) -> str:
        notation = str(attrs.get("section", "") or "")
        iri = attrs.get("section_iri") or by_notation.get(notation.split("; ")[0], "")
        if not iri and not notation:
            return ""
        key = iri or notation
        if key not in sections:
            info = data.sections.get(iri, {}) if data is not None else {}
            sections[key] = {"n": info.get("notation") or notation, "kind": info.get("kind",
                             "section"), "id": info.get("id", ""),
                             "ten": info.get("title_en", ""), "tzh": info.get("title_zh", ""),
                             "passage": ""}
        return key

    nodes = []
    for node in nodes_sorted:
        attrs = G.nodes[node]
        cls = str(attrs.get("class", "Thing"))
        class_counts[cls] += 1
        x, y = positions.get(node, (0.0, 0.0))
        # No English label: the English view shows the Chinese name, never the id.
        nodes.append({"id": str(node), "en": str(attrs.get("label_en") or ""),
                      "zh": str(attrs.get("label_zh") or ""), "c": class_index[cls],
                      "m": membership.get(node, -1), "s": round(sizes.get(node, 0.0), 4),
                      **({"ctx": 1} if node in context else {}),
                      **({"focus": 1} if center is not None and node == center else {}),
                      "x": x, "y": y, "alt": [str(a) for a in (attrs.get("alt")
                                                                or attrs.get("alt_labels") or [])]})
    edges = []
    for u, v, _, attrs in sorted(_edges(G), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        predicate = edge_curie(attrs)
        if predicate and predicate not in predicates:
            local = predicate.split(":", 1)[-1]
            predicates[predicate] = {"en": attrs.get("label_en", local),
                                     "zh": attrs.get("label_zh", local)}
        edge = {"f": str(u), "t": str(v), "p": predicate, "sec": attrs.get("section", "")}
        if attrs.get("former"):
            edge["fmr"] = 1
        if attrs.get("implied"):
            edge["imp"] = 1
        if attrs.get("uncertain"):
            edge["unc"] = 1
        edges.append(edge)

    full = data.graph if data is not None else G
    details = {}
    for node in nodes_sorted:
        attrs = full.nodes[node] if node in full else G.nodes[node]
        rels, listed = [], set()
        for graph in (full, G) if full is not G else (G,):
            if node not in graph:
                continue
            for u, v, k, a, out in list(_incident(graph, node)):
                if graph is not full and (u, v, edge_curie(a)) in listed:
                    continue  # the view's merged edge of statements listed one by one above
                if graph is full:
                    listed.add((u, v, edge_curie(a)))
                other = v if out else u
                rels.append(_relation(u, v, a, out, full.nodes if other in full else G.nodes,
                                      section_key))
        rels.sort(key=lambda r: (r["p"], not r["out"], r["o"], r["sec"]))
        facts = []
        for fact in (data.facts.get(node, []) if data is not None else []):
            facts.append({"p": fact["property"], "v": fact["value"], "u": fact["unit"],
                          **unit_labels(fact["unit"], fact["value"]),
                          "d": fact["as_of"], "pen": fact["period_en"],
                          "pzh": fact["period_zh"], "sec": fact["section"],
                          "si": section_key(fact), "imp": fact["implied"],
                          "unc": fact["uncertain"]})
            if fact["property"] not in predicates:
                local = fact["property"].split(":", 1)[-1]
                predicates[fact["property"]] = {"en": local, "zh": local}
        entry = {"den": attrs.get("description_en", ""), "dzh": attrs.get("description_zh", ""),
                 "rel": rels, "facts": facts}
        details[str(node)] = {k: v for k, v in entry.items() if v}

    if texts and data is not None:
        for key, passage in passages_for(data, texts, list(sections)).items():
            sections[key]["passage"] = passage
        _sentences_from_passages(details, sections, full, G)
    s2t = _s2t_map([n["zh"] for n in nodes] + [a for n in nodes for a in n["alt"]])
    count_of = Counter(membership.get(n, -1) for n in nodes_sorted)
    return {
        "meta": {"title_en": title_en, "title_zh": title_zh, "lang": "zh" if lang.startswith(
            "zh") else "en", "embed": bool(embed), "physics": bool(physics), "view": view,
            "keep": sorted(set(keep)), "theme": theme},
        "classes": [{"name": name, "en": CLASS_LABELS.get(name, (name, name))[0],
                     "zh": CLASS_LABELS.get(name, (name, name))[1], "color": colors[name],
                     "border": border_of(colors[name]), "shape": shape_of(name),
                     "fam": family_of(name), "count": class_counts[name]}
                    for name in class_names],
        "families": _families(class_names, class_counts),
        "communities": [[number, count_of[number]] for number in sorted(count_of)],
        "predicates": predicates, "nodes": nodes, "edges": edges, "details": details,
        "sections": sections, "s2t": s2t,
    }


def _sentences_from_passages(details: dict, sections: dict, full: nx.Graph, G: nx.Graph) -> None:
    """For a relation the build gave no evidence sentence, the shortest sentence of its cited
    section that names both ends (marked ``evs: "passage"``), so the panel never shows a whole
    section where one sentence says it."""
    split: dict[str, list[str]] = {}
    for node, entry in details.items():
        own = _names(full.nodes[node] if node in full else G.nodes[node])
        for rel in entry.get("rel", []):
            if rel.get("ev") or not rel.get("si"):
                continue
            passage = sections.get(rel["si"], {}).get("passage", "")
            if not passage:
                continue
            if rel["si"] not in split:
                split[rel["si"]] = [display(passage[x.start:x.end]) for x in sentences(passage)]
            other = rel["o"]
            names = _names(full.nodes[other] if other in full else G.nodes[other]
                           if other in G else {})
            found = [x for x in split[rel["si"]] if any(n in x for n in own if len(n) > 1)
                     and any(n in x for n in names if len(n) > 1)]
            if found:
                rel["ev"], rel["on"], rel["evs"] = min(found, key=len), names, "passage"


def importance(G: nx.Graph, size_by: str = "degree", context=()) -> dict:
    """Node -> importance in [0, 1]: centrality measured without the context hubs (which are
    linked to nearly everything), the hubs themselves at one half.

    >>> importance(nx.star_graph(3), context={0})[0], importance(nx.star_graph(3))[0]
    (0.5, 1.0)
    """
    context = {c for c in context if c in G}
    if not context:
        return centrality(G, size_by)
    rest = G.subgraph([n for n in G if n not in context])
    sizes = centrality(rest, size_by) if rest.number_of_nodes() else {}
    sizes.update({hub: 0.5 for hub in context})
    return sizes


def _families(class_names, class_counts) -> list[dict]:
    """The colour families present, in palette order, each with its classes (legend rows)."""
    rows = []
    for family in FAMILIES:
        members = [i for i, name in enumerate(class_names) if family_of(name) == family]
        if members:
            rows.append({"name": family, "en": FAMILY_LABELS[family][0],
                         "zh": FAMILY_LABELS[family][1], "color": color_of(class_names[
                             members[0]]), "classes": members,
                         "count": sum(class_counts[class_names[i]] for i in members)})
    return rows


def _incident(G: nx.Graph, node):
    """(u, v, key, attrs, outgoing) for every edge touching ``node``."""
    if not G.is_directed():
        for u, v, k, a in (G.edges(node, keys=True, data=True) if G.is_multigraph() else
                           ((u, v, (u, v), a) for u, v, a in G.edges(node, data=True))):
            yield u, v, k, a, True
        return
    if G.is_multigraph():
        outgoing, incoming = G.out_edges(node, keys=True, data=True), \
            G.in_edges(node, keys=True, data=True)
    else:
        outgoing = ((u, v, (u, v), a) for u, v, a in G.out_edges(node, data=True))
        incoming = ((u, v, (u, v), a) for u, v, a in G.in_edges(node, data=True))
    for u, v, k, a in outgoing:
        yield u, v, k, a, True
    for u, v, k, a in incoming:
        yield u, v, k, a, False


def _s2t_map(texts) -> dict[str, str]:
    """Simplified -> Traditional for the characters in the labels (so 国会 finds 國會)."""
    try:
        import opencc
    except ImportError:
        return {}
    t2s = opencc.OpenCC("t2s")
    mapping = {}
    for char in sorted({c for text in texts for c in text if ord(c) > 0x2E7F}):
        simple = t2s.convert(char)
        if len(simple) == 1 and simple != char:
            mapping.setdefault(simple, char)
    return mapping


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() \
        + "'"


def render_page(payload: dict) -> str:
    """The HTML text of one view; everything inlined, nothing fetched."""
    vis_js, vis_css = vis_assets()
    vis_js, app_js = _script_safe(vis_js), _script_safe(_asset("app.js"))
    csp = ("default-src 'none'; script-src " + _csp_hash(vis_js) + " " + _csp_hash(app_js) +
           "; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
           "form-action 'none'")
    meta = payload["meta"]
    title = meta["title_zh"] if meta["lang"] == "zh" else meta["title_en"]
    return Template(_asset("template.html")).substitute(
        lang_tag="zh-Hant" if meta["lang"] == "zh" else "en", csp=csp, title=html.escape(title),
        vis_css=vis_css.replace("</style", "<\\/style"),
        app_css=_asset("app.css"), body_class="embed" if meta["embed"] else "",
        data_json=json_for_script(payload), vis_js=vis_js, app_js=app_js)


def write_page(G: nx.Graph, path: str | Path, **options) -> Path:
    """Render ``G`` (see ``page_data`` for the options) and write it atomically to ``path``."""
    path = Path(path)
    atomic_write(path, render_page(page_data(G, **options)).encode("utf-8"))
    return path

"""Choose a view of the built graph and write it; write the default views and their index.

>>> from kg.viz import write_default_views                            # doctest: +SKIP
>>> paths = write_default_views("out", "out/html", ["../shared/sources"])   # doctest: +SKIP
>>> sorted(paths)                                                     # doctest: +SKIP
['conference', 'graph', 'index', 'people-topics', 'topics']
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import networkx as nx
from rdflib import Dataset, Graph

from kg.namespaces import document_iri
from kg.problems import UserError
from kg.files import atomic_write
from kg.viz import views
from kg.api import load_built
from kg.explore.resolve import resolve
from kg.viz.dataset import GraphData, context_hubs, read_graph_data
from kg.viz.layout import layout
from kg.viz.page import page_data, render_page
from kg.viz.passages import report_texts

__all__ = ["View", "load_graph_data", "select_view", "build_view", "write_default_views",
           "source_texts_for", "VIEW_KINDS"]

VIEW_KINDS = ("graph", "topics", "people-topics")

TITLES = {
    "graph": ("Knowledge graph of the reports", "報告知識圖譜"),
    "topics": ("Topic map: topics and sessions", "主題地圖：主題與場次"),
    "people-topics": ("People and topics", "人物與主題"),
}


@dataclass
class View:
    """A selected subgraph with its titles, ready to render."""

    graph: nx.Graph
    title_en: str
    title_zh: str
    name: str
    center: str | None = None  # the resolved id with --focus
    context: list = field(default_factory=list)  # context hubs (author, conference) in view


def load_graph_data(source) -> GraphData:
    """GraphData from a GraphData, rdflib Dataset/Graph, out/ folder or kg.trig path."""
    if isinstance(source, GraphData):
        return source
    if isinstance(source, (Dataset, Graph)):
        return read_graph_data(source)
    return read_graph_data(load_built(source))


def source_texts_for(data: GraphData, source_texts) -> dict[str, str]:
    """Report IRI -> text from: None; files/folders; or {doc_id: text | Path | Located}."""
    if not source_texts:
        return {}
    if isinstance(source_texts, dict):
        texts, files = {}, []
        for doc_id, value in source_texts.items():
            if isinstance(value, Path):
                files.append(value)
            else:
                text = getattr(value, "text", value)
                iri = doc_id if str(doc_id).startswith("http") else str(document_iri(doc_id))
                texts[iri] = str(text)
        if files:
            texts.update(report_texts(data, files))
        return texts
    if isinstance(source_texts, (str, Path)):
        source_texts = [source_texts]
    return report_texts(data, list(source_texts))


def select_view(data: GraphData, *, kind: str = "graph", focus: str | None = None,
                depth: int = 1, types: Iterable[str] = (), community: int | None = None,
                membership: dict | None = None) -> View:
    """The subgraph for ``kind`` narrowed by focus, types and community (applied in order)."""
    G = data.entity_graph
    if kind == "topics":
        G = views.topic_map(G)
    elif kind == "people-topics":
        G = views.person_topic(G)
    elif kind != "graph":
        raise UserError(f"unknown view {kind!r}; use one of {', '.join(VIEW_KINDS)}")
    title_en, title_zh = TITLES[kind]
    center = None
    if focus:
        center = resolve(G, focus)
        G = views.focus(G, center, depth)
        node = G.nodes[center]
        title_en = f"{node.get('label_en', center)} and its neighbours (depth {depth})"
        title_zh = f"{node.get('label_zh', center)}及其關聯（{depth} 層）"
    types = list(types)
    if types:
        G = views.by_types(G, types)
        title_en += " · " + ", ".join(types)
        title_zh += "・" + "、".join(types)
    if community is not None:
        membership = membership if membership is not None else views.communities(data.entity_graph)
        G = views.by_community(G, community, {n: c for n, c in membership.items() if n in G}
                               if focus or types or kind != "graph" else membership)
        title_en += f" · community {community}"
        title_zh += f"・社群 {community}"
    return View(G, title_en, title_zh, kind, center, context_hubs(data, G, center))


def build_view(source, *, kind: str = "graph", focus: str | None = None, depth: int = 1,
               types: Iterable[str] = (), community: int | None = None, lang: str = "zh",
               size_by: str = "degree", embed: bool = False, physics: bool = False,
               source_texts=None, keep=(), theme: str = "auto") -> tuple[View, str]:
    """Select a view of ``source`` (see ``load_graph_data``) and render it: (view, HTML)."""
    data = load_graph_data(source)
    membership = views.communities(data.entity_graph)
    view = select_view(data, kind=kind, focus=focus, depth=depth, types=types,
                       community=community, membership=membership)
    payload = _payload(data, view, membership, lang=lang, size_by=size_by, embed=embed,
                       physics=physics, texts=source_texts_for(data, source_texts),
                       keep=keep, theme=theme)
    return view, render_page(payload)


def _payload(data: GraphData, view: View, membership: dict, *, texts: dict[str, str],
             **options) -> dict:
    return page_data(view.graph, title_en=view.title_en, title_zh=view.title_zh, data=data,
                     texts=texts, membership={n: membership.get(n, -1)
                                                    for n in view.graph},
                     positions=layout(view.graph, context=view.context), view=view.name,
                     center=view.center, context=view.context, **options)


def _index_html(entries: list[tuple[str, str, str, int, int]]) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(file)}">{html.escape(zh)}</a> · {html.escape(en)} '
        f'<small>({nodes} nodes, {edges} edges; <a href="{html.escape(file)}?embed=1">'
        f'embed</a>)</small></li>' for file, en, zh, nodes, edges in entries)
    return ("<!DOCTYPE html>\n<html lang=\"zh-Hant\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">\n<title>知識圖譜視圖 · Graph views</title>\n"
            "<style>body{font:16px/1.5 'Noto Sans CJK TC',system-ui,sans-serif;margin:2em;"
            "max-width:50em}small{color:#666}</style>\n</head>\n<body>\n"
            "<h1>知識圖譜視圖 · Graph views</h1>\n<ul>\n" + rows + "\n</ul>\n"
            "<p><small>Each page is self-contained and works offline; add <code>?embed=1"
            "</code> to hide the panels in a slide, <code>?lang=en</code> for English "
            "labels.</small></p>\n</body>\n</html>\n")


def write_default_views(dataset_or_out_dir, html_dir: str | Path, source_texts=None, *,
                        lang: str = "zh") -> dict[str, Path]:
    """Write the default views (whole graph, topic map, people–topics, the conference and
    its neighbours) and ``index.html`` into ``html_dir``; return name -> path.

    ``dataset_or_out_dir``: an rdflib Dataset, the out/ folder or kg.trig. ``source_texts``:
    report text files/folders, or ``{doc_id: text}`` (e.g. from ``BuildResult.located``), so
    the panels can show passages.
    """
    data = load_graph_data(dataset_or_out_dir)
    texts = source_texts_for(data, source_texts)
    membership = views.communities(data.entity_graph)
    html_dir = Path(html_dir)
    chosen = [("graph", select_view(data, membership=membership))]
    for kind in ("topics", "people-topics"):
        chosen.append((kind, select_view(data, kind=kind, membership=membership)))
    # Each report's event (schema:about), with its neighbours: the conference view.
    events = sorted({r["about"] for r in data.reports.values()
                     if r.get("about") in data.entity_graph})
    for event in events:
        name = "conference" if len(events) == 1 else f"conference-{event}"
        chosen.append((name, select_view(data, focus=event, depth=1, membership=membership)))
    written, entries = {}, []
    for name, view in chosen:
        if view.graph.number_of_nodes() == 0:
            continue
        payload = _payload(data, view, membership, texts=texts, lang=lang)
        path = html_dir / f"{name}.html"
        atomic_write(path, render_page(payload).encode("utf-8"))
        written[name] = path
        entries.append((path.name, view.title_en, view.title_zh,
                        view.graph.number_of_nodes(), view.graph.number_of_edges()))
    index = html_dir / "index.html"
    atomic_write(index, _index_html(entries).encode("utf-8"))
    return {"index": index, **written}

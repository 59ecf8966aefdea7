"""``kg site DIR``: every resource page, the views, the query library and the dumps as a static
site that works from ``file://`` and from any static host (relative links only).

Layout: ``index.html`` (the dataset, its reports, entities, queries, views, downloads),
``id/<id>.html`` (+ ``.ttl``, ``.nt``, ``.jsonld``), ``doc/<report>.html`` and
``doc/<report>/<section|statement/…|fact/…>.html``, ``dataset.html`` and
``.well-known/void`` / ``void.ttl`` (the dataset description), ``sparql-examples.ttl`` (the
library as SPARQL examples), ``queries/``, ``views/`` (the build's HTML views), ``dumps/``.
Written into a staging folder and swapped in whole; the same build gives the same bytes.

>>> write_site("out", "site")                                # doctest: +SKIP
SiteSummary(pages=712, ...)
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import BASE
from kg.problems import UserError

__all__ = ["write_site", "SiteSummary", "resource_iris"]

_OWNED = ("/position", "/quote", "/evidence", "/target")
DUMP_FILES = ("kg.nt", "kg.ttl", "kg.trig", "kg.jsonld")


@dataclass
class SiteSummary:
    pages: int
    resources: int
    queries: int
    views: int
    folder: Path


def resource_iris(store, publisher) -> list[str]:
    """Every IRI of the dataset that gets its own page (its sub-nodes are shown inside it)."""
    subjects = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(BASE):
            subjects.add(quad.subject.value)
    keep = []
    for iri in sorted(subjects):
        if publisher.path_of(iri) is None:
            continue
        if any(iri.endswith(end) or end + "/" in iri[len(BASE):] for end in _OWNED):
            continue
        keep.append(iri)
    return keep


def _file_of(path: str) -> str:
    """``/id/carla-hayden`` -> ``id/carla-hayden.html``."""
    from urllib.parse import unquote

    return unquote(path.lstrip("/")) + ".html"


def _rel(target: str, page: str) -> str:
    """Relative href from the file ``page`` to the file ``target`` (both site-relative)."""
    from urllib.parse import quote

    rel = os.path.relpath(target, os.path.dirname(page) or ".")
    return quote(rel.replace(os.sep, "/"), safe="/-._~")


def write_site(out_dir: str | Path, site_dir: str | Path, *, base_url: str | None = None,
               library: dict | None = None, progress=None) -> SiteSummary:
    """Write the static site of the build in ``out_dir`` into ``site_dir`` (replaced whole)."""
    from kg.api import load_built
    from kg.site.describe import describe, serialize
    from kg.site.pages import render_index
    from kg.site.publish import Publisher
    from kg.site.service import service_description
    from kg.sparql.engine import load_store
    from kg.sparql.library import load_library
    from kg.viz.dataset import read_graph_data

    out_dir, site_dir = Path(out_dir), Path(site_dir)
    store = load_store(out_dir)
    library = library if library is not None else load_library()
    if site_dir.resolve() == out_dir.resolve() or site_dir.resolve() == (out_dir / "html").resolve():
        raise UserError(f"{site_dir}: write the site to its own folder, not over the build "
                        f"folder {out_dir} or its views")
    publisher = Publisher(store, library=library, base_url=None,
                          graph_data=lambda: read_graph_data(load_built(out_dir)))
    resources = resource_iris(store, publisher)
    files: dict[str, bytes] = {}
    page_of = {iri: _file_of(publisher.path_of(iri)) for iri in resources}
    views_dir = out_dir / "html"
    has_views = (views_dir / "index.html").is_file()

    def nav(page: str) -> dict[str, str]:
        items = {"Dataset · 資料集": _rel("dataset.html", page),
                 "Queries · 查詢": _rel("queries/index.html", page)}
        if has_views:
            items["Views · 視圖"] = _rel("views/index.html", page)
        items["Downloads · 下載"] = _rel("index.html", page) + "#downloads"
        return items

    for number, iri in enumerate(resources):
        page = page_of[iri]

        def link(target: str, page=page) -> str | None:
            found = page_of.get(target)
            return _rel(found, page) if found else None

        triples = describe(store, iri)
        stem = page[:-len(".html")]
        name = os.path.basename(stem)
        formats = {"Turtle": (name + ".ttl", "text/turtle"),
                   "N-Triples": (name + ".nt", "application/n-triples"),
                   "JSON-LD": (name + ".jsonld", "application/ld+json")}
        view_href = _rel("views/index.html", page) if has_views else ""
        files[page] = publisher.page(iri, triples, link=link, formats=formats,
                                     view_href=view_href, home=_rel("index.html", page),
                                     nav=nav(page)).encode("utf-8")
        files[stem + ".ttl"] = serialize(triples, "turtle")
        files[stem + ".nt"] = serialize(triples, "ntriples")
        files[stem + ".jsonld"] = serialize(triples, "jsonld")
        if progress and number % 100 == 0:
            progress(f"{number} of {len(resources)} pages")

    description = publisher.description_triples()
    files["void.ttl"] = serialize(description, "turtle")
    files[".well-known/void"] = files["void.ttl"]
    endpoint = (base_url.rstrip("/") + "/sparql") if base_url else BASE + "sparql"
    files["sparql-examples.ttl"] = serialize(service_description(endpoint, library), "turtle")

    query_items = []
    for query in library.values():
        page = f"queries/{query.name}.html"
        files[f"queries/{query.name}.rq"] = query.text.encode("utf-8")
        files[page] = _static_query_page(query, page, nav(page)).encode("utf-8")
        query_items.append((f"{query.name}.html", query.title, query.question_en))
    files["queries/index.html"] = render_index(
        "Query library · 查詢庫", {"Queries": query_items}, home="../index.html",
        nav=nav("queries/index.html"),
        intro='<p>Each query runs with <code>kg query --name NAME</code> (parameters with '
              '<code>--param name=value</code>) or on the page of <code>kg serve</code>; '
              '<a href="../sparql-examples.ttl">as SPARQL examples</a>.</p>').encode("utf-8")

    labels = publisher.labels
    reports = [(_rel(page_of[i], "index.html"), labels.both(i), "") for i in resources
               if i.startswith(BASE + "doc/") and i.count("/") == BASE.count("/") + 1]
    entities = sorted(((_rel(page_of[i], "index.html"), labels.both(i), i[len(BASE) + 3:])
                       for i in resources if i.startswith(BASE + "id/")),
                      key=lambda item: (item[1].casefold(), item[2]))
    downloads = [(f"dumps/{name}", name, "the whole graph") for name in DUMP_FILES
                 if (out_dir / name).is_file()]
    downloads += [("void.ttl", "void.ttl", "dataset description (VoID, DCAT, schema.org)"),
                  ("sparql-examples.ttl", "sparql-examples.ttl", "the query library")]
    sections = {"Reports · 報告": reports, "Entities · 實體": entities,
                "Queries · 查詢": [("queries/" + h, t, q) for h, t, q in query_items]}
    if has_views:
        sections["Views · 視圖"] = [("views/index.html", "HTML views", "interactive, offline")]
    sections["Downloads · 下載"] = downloads
    from kg.build.description import DESCRIPTION, RIGHTS, TITLE

    intro = (f'<p>{html.escape(DESCRIPTION["en"])}</p><p lang="zh-Hant">'
             f'{html.escape(DESCRIPTION["zh-Hant"])}</p><p class="muted">'
             f'{html.escape(RIGHTS["en"])}</p><p><a href="dataset.html">Dataset description</a>'
             f' · <a href="void.ttl">VoID</a></p><a id="downloads"></a>')
    files["index.html"] = render_index(f'{TITLE["en"]} · {TITLE["zh-Hant"]}', sections,
                                       home="index.html", nav=nav("index.html"), intro=intro,
                                       jsonld=serialize(description, "jsonld").decode("utf-8")
                                       ).encode("utf-8")
    copies = {f"dumps/{name}": out_dir / name for name in DUMP_FILES if (out_dir / name).is_file()}
    view_count = 0
    if has_views:
        for path in sorted(views_dir.rglob("*")):
            if path.is_file():
                copies["views/" + path.relative_to(views_dir).as_posix()] = path
                view_count += path.suffix == ".html"
    _swap_in(site_dir, files, copies)
    return SiteSummary(sum(name.endswith(".html") for name in list(files) + list(copies)),
                       len(resources), len(library), view_count, site_dir)


def _static_query_page(query, page: str, nav: dict) -> str:
    """The query page without the server's form (a static host runs nothing): the
    parameters and how to run it."""
    from kg.site.pages import layout_page

    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    rows = "".join(f"<tr><td>?{e(p.name)}</td><td>{e(p.type)}</td><td>{e(p.default or 'all')}"
                   f"</td><td>{e(p.description)}</td></tr>" for p in query.params)
    params = (f"<h2>Parameters · 參數</h2><table><tr><th>name</th><th>type</th><th>default</th>"
              f"<th>what</th></tr>{rows}</table>" if query.params else "")
    example = " ".join(f'--param {p.name}="…"' for p in query.params)
    content = (f"<h1>{e(query.title)}</h1><p>{e(query.question_en)}</p>"
               f'<p lang="zh-Hant">{e(query.question_zh)}</p><p class="muted">{e(query.returns)}</p>'
               f"{params}<p>Run it: <code>kg query --name {e(query.name)} {e(example)}</code> · "
               f'<a href="{e(query.name)}.rq">{e(query.name)}.rq</a></p>'
               f"<h2>SPARQL</h2><pre>{e(query.text)}</pre>")
    return layout_page(f"{query.title} — kg", content, home=_rel("index.html", page), nav=nav)


def _swap_in(site_dir: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write everything into a staging folder beside ``site_dir``, then swap it in."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))
    try:
        for name in sorted(files):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        for name in sorted(copies):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copies[name], target)
        os.chmod(staging, 0o755)
        old = None
        if site_dir.exists():
            if not site_dir.is_dir():
                raise UserError(f"{site_dir} exists and is not a folder; pick another DIR")
            old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old.", dir=site_dir.parent))
            os.rmdir(old)
            os.replace(site_dir, old)
        os.replace(staging, site_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

"""Dereferencing the dataset's IRIs: one function answers a path with content negotiation, so
any HTTP server can mount it (``kg serve`` does) and ``kg site`` writes the same answers.

``<BASE>id/carla-hayden`` is served at ``/id/carla-hayden``: HTML for people, Turtle,
N-Triples, JSON-LD or RDF/XML for machines (by ``Accept``, or a ``.ttl``/``.nt``/``.jsonld``/
``.rdf``/``.html`` suffix). ``/.well-known/void`` is the dataset description;
``/query/<name>`` a library query with a form for its parameters; ``/view/<id>`` the
interactive view focused on an entity. The base IRI maps onto the server (root-relative
links) or onto ``base_url`` (absolute links to a deployment) in one setting.

>>> publisher = Publisher(store, library=load_library())                 # doctest: +SKIP
>>> response = publisher.answer("/id/carla-hayden", "text/turtle")        # doctest: +SKIP
>>> response.status, response.media                                       # doctest: +SKIP
(200, 'text/turtle')
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from kg.namespaces import BASE, compact_iri
from kg.site.describe import describe, exists, serialize
from kg.site.pages import Labels, layout_page, render_resource

__all__ = ["Publisher", "Response", "negotiate_rdf", "RDF_MEDIA", "SUFFIXES"]

# short name -> media type, and the Accept types read as each
RDF_MEDIA = {"html": "text/html", "turtle": "text/turtle", "ntriples": "application/n-triples",
             "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
_ACCEPTED = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "turtle",
             "application/x-turtle": "turtle", "application/n-triples": "ntriples",
             "text/plain": "ntriples", "application/ld+json": "jsonld",
             "application/json": "jsonld", "application/rdf+xml": "rdfxml"}
SUFFIXES = {".html": "html", ".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld",
            ".rdf": "rdfxml"}
_PREFIXES = ("id/", "doc/", "dataset", "agent/", "query/", "graph/")
DESCRIPTION_GRAPH = BASE + "graph/dataset"


@dataclass
class Response:
    status: int
    media: str
    body: bytes
    headers: dict = field(default_factory=dict)


def negotiate_rdf(accept: str, default: str = "html") -> str | None:
    """The representation for an Accept header: html, turtle, ntriples, jsonld or rdfxml.

    >>> negotiate_rdf("text/turtle;q=0.9, application/ld+json")
    'jsonld'
    >>> negotiate_rdf("image/png") is None
    True
    """
    ranges = []
    for order, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip().lower() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, order, media))
    if not ranges:
        return default
    for _, _, media in sorted(ranges):
        if media in _ACCEPTED:
            return _ACCEPTED[media]
        if media in ("*/*", "text/*", "application/*"):
            return default if media == "*/*" else "html" if media == "text/*" else "turtle"
    return None


def _serialize(triples, fmt: str) -> bytes:
    if fmt == "rdfxml":
        from kg.site.describe import TURTLE_PREFIXES

        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=TURTLE_PREFIXES) or b""
    return serialize(triples, fmt)


class Publisher:
    """Answers paths for one store. ``graph_data``: a callable giving kg.viz GraphData (for
    the neighbourhood drawing and the focused views), loaded once, in the background when
    ``warm()`` is called."""

    def __init__(self, store, *, library: dict | None = None, base_url: str | None = None,
                 graph_data: Callable[[], object] | None = None, endpoint: str = "/sparql"):
        self.store = store
        self.library = library or {}
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.endpoint = endpoint
        self._graph_data_loader = graph_data
        self._graph_data = None
        self._lock = threading.Lock()
        self._labels: Labels | None = None
        self._views: dict[str, bytes] = {}

    # --- shared pieces ------------------------------------------------------------------
    @property
    def labels(self) -> Labels:
        if self._labels is None:
            self._labels = Labels(self.store)
        return self._labels

    def graph_data(self):
        if self._graph_data_loader is None:
            return None
        with self._lock:
            if self._graph_data is None:
                self._graph_data = self._graph_data_loader()
        return self._graph_data

    def warm(self) -> threading.Thread:
        """Load the labels and the graph for the drawings in a background thread."""
        def work():
            _ = self.labels
            self.graph_data()
        thread = threading.Thread(target=work, name="kg-site-warm", daemon=True)
        thread.start()
        return thread

    def path_of(self, iri: str) -> str | None:
        """``/id/x`` for a dataset IRI with a page, else None."""
        if not iri.startswith(BASE) or "#" in iri:
            return None
        rest = iri[len(BASE):]
        if not rest.startswith(_PREFIXES) or "/mention/" in rest:
            return None
        return "/" + quote(rest, safe="/-._~")

    def link(self, iri: str) -> str | None:
        path = self.path_of(iri)
        if path is None:
            return None
        return self.base_url + path[1:] if self.base_url else path

    def nav(self) -> dict[str, str]:
        root = self.base_url or "/"
        return {"Dataset · 資料集": root + ".well-known/void", "Queries · 查詢": root + "query/",
                "Views · 視圖": root + "html/", "SPARQL": root + self.endpoint.lstrip("/")}

    # --- answering ----------------------------------------------------------------------
    def answer(self, path: str, accept: str = "", params: dict | None = None) -> Response | None:
        """The response for ``path`` (already URL-decoded), or None when it is not ours."""
        if path in ("/.well-known/void", "/void"):
            return self._void(accept)
        if path in ("/query", "/query/"):
            return self._query_index()
        if path.startswith("/query/"):
            return self._query(path[len("/query/"):], accept, params or {})
        if path.startswith("/view/"):
            return self._view(path[len("/view/"):])
        rest = path.lstrip("/")
        if not rest.startswith(_PREFIXES):
            return None
        fmt = None
        for suffix, name in SUFFIXES.items():
            if rest.endswith(suffix) and exists(self.store, BASE + rest[:-len(suffix)]):
                rest, fmt = rest[:-len(suffix)], name
                break
        iri = BASE + rest
        if not exists(self.store, iri):
            return Response(404, "text/plain", (f"not found: {iri} is not a resource of this "
                                                "dataset; search names with `kg search`, or "
                                                "browse /.well-known/void\n").encode("utf-8"))
        fmt = fmt or negotiate_rdf(accept)
        if fmt is None:
            return self._not_acceptable(accept)
        return self.resource(iri, fmt)

    def _not_acceptable(self, accept: str) -> Response:
        offered = ", ".join(RDF_MEDIA.values())
        return Response(406, "text/plain", f"cannot answer in {accept}; offered: {offered}\n"
                        .encode("utf-8"))

    def resource(self, iri: str, fmt: str) -> Response:
        """One resource in ``fmt`` (html, turtle, ntriples, jsonld, rdfxml)."""
        triples = describe(self.store, iri)
        headers = {"Vary": "Accept", "Link": self._alternates(iri)}
        if fmt != "html":
            return Response(200, RDF_MEDIA[fmt], _serialize(triples, fmt), headers)
        return Response(200, "text/html", self.page(iri, triples).encode("utf-8"), headers)

    def _alternates(self, iri: str) -> str:
        path = self.link(iri) or ""
        return ", ".join(f'<{path}{suffix}>; rel="alternate"; type="{RDF_MEDIA[name]}"'
                         for suffix, name in SUFFIXES.items() if name != "html")

    def formats(self, iri: str) -> dict[str, tuple[str, str]]:
        path = self.link(iri) or ""
        return {"Turtle": (path + ".ttl", RDF_MEDIA["turtle"]),
                "N-Triples": (path + ".nt", RDF_MEDIA["ntriples"]),
                "JSON-LD": (path + ".jsonld", RDF_MEDIA["jsonld"])}

    def page(self, iri: str, triples, *, link=None, formats=None, view_href=None,
             home=None, nav=None) -> str:
        """The HTML page of ``iri`` (``kg site`` passes its own relative links)."""
        link = link or self.link
        svg = ""
        if iri.startswith(BASE + "id/"):
            data = self.graph_data()
            if data is not None:
                from kg.site.neighbourhood import neighbourhood_svg

                svg = neighbourhood_svg(data.entity_graph, iri[len(BASE) + 3:], link=link)
            if view_href is None and svg:
                view_href = (self.base_url or "/") + "view/" + iri[len(BASE) + 3:]
        jsonld = serialize(triples, "jsonld").decode("utf-8")
        return render_resource(iri, triples, self.labels, link=link,
                               formats=formats if formats is not None else self.formats(iri),
                               view_svg=svg, view_href=view_href or None, jsonld=jsonld,
                               home=home or self.base_url or "/", nav=nav or self.nav())

    def description_triples(self) -> list:
        graph = ox.NamedNode(DESCRIPTION_GRAPH)
        return sorted({ox.Triple(q.subject, q.predicate, q.object)
                       for q in self.store.quads_for_pattern(None, None, None, graph)},
                      key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def _void(self, accept: str) -> Response:
        fmt = negotiate_rdf(accept, default="turtle")
        if fmt is None:
            return self._not_acceptable(accept)
        triples = self.description_triples()
        if not triples:
            return Response(404, "text/plain", b"no dataset description in this build; "
                            b"rebuild with `kg build`\n")
        if fmt == "html":
            return Response(200, "text/html", self.page(BASE + "dataset", describe(
                self.store, BASE + "dataset")).encode("utf-8"))
        return Response(200, RDF_MEDIA[fmt], _serialize(triples, fmt), {"Vary": "Accept"})

    def service(self, endpoint_url: str, fmt: str) -> Response:
        """The SPARQL 1.1 Service Description of the endpoint at ``endpoint_url``."""
        from kg.site.service import service_description

        triples = service_description(endpoint_url, self.library)
        return Response(200, RDF_MEDIA[fmt], _serialize(triples, fmt), {"Vary": "Accept"})

    # --- library queries with parameters -------------------------------------------------
    def _query(self, name: str, accept: str, params: dict) -> Response:
        query = self.library.get(name)
        if query is None:
            return Response(404, "text/plain", f"no query named {name!r} in the library\n"
                            .encode("utf-8"))
        fmt = negotiate_rdf(accept)
        if fmt not in (None, "html"):
            from kg.site.service import example_iri, service_description

            triples = [t for t in service_description(self.endpoint_url(), {name: query})
                       if t.subject.value.startswith(example_iri(name))]
            return Response(200, RDF_MEDIA[fmt], _serialize(triples, fmt), {"Vary": "Accept"})
        status, body = self.query_page(query, params)
        return Response(status, "text/html", body.encode("utf-8"))

    def _query_index(self) -> Response:
        from kg.site.pages import render_index

        root = self.base_url or "/"
        items = [(f"{root}query/{q.name}", q.title,
                  q.question_en + (" · parameters: " + ", ".join(p.name for p in q.params)
                                   if q.params else ""))
                 for q in self.library.values()]
        return Response(200, "text/html", render_index(
            "Query library · 查詢庫", {"Queries": items}, home=root, nav=self.nav()
        ).encode("utf-8"))

    def endpoint_url(self) -> str:
        return (self.base_url or "http://127.0.0.1/") + self.endpoint.lstrip("/")

    def query_page(self, query, params: dict, *, run: bool | None = None) -> tuple[int, str]:
        """(status, HTML): the question, a form for the parameters, and the answer when
        parameters were given (or ``run``)."""
        from kg.problems import UserError
        from kg.sparql.engine import QuerySyntaxError, result_rows, run_query
        from kg.sparql.library import prepare
        from kg.sparql.params import Resolvers

        e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
        given = {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()
                 if k != "run" and (v[0] if isinstance(v, list) else v)}
        run = bool(given) or "run" in params if run is None else run
        inputs = "".join(
            f'<label>{e(p.name)} <span class="muted">({e(p.type)}; {e(p.description)})</span> '
            f'<input name="{e(p.name)}" value="{e(given.get(p.name, ""))}" '
            f'placeholder="{e(p.default or "all")}"></label>' for p in query.params)
        form = (f'<form method="get" action="">{inputs}<input type="hidden" name="run" '
                f'value="1"><button>Run · 執行</button></form>')
        status, answer, text = 200, "", query.text
        if run:
            resolvers = Resolvers(self.store, lambda: getattr(self.graph_data(), "entity_graph"))
            try:
                text = prepare(query, given, resolve_entity=resolvers.entity,
                               resolve_report=resolvers.report)
                result = run_query(self.store, text)
                rows, columns = result_rows(result)
                head = "".join(f"<th>{e(c)}</th>" for c in columns)
                body = "".join("<tr>" + "".join(f"<td>{self._cell(row.get(c, ''))}</td>"
                                                for c in columns) + "</tr>" for row in rows)
                answer = (f"<h2>Answer · 結果 ({len(rows)})</h2><table><tr>{head}</tr>{body}"
                          "</table>")
            except (UserError, QuerySyntaxError) as exc:
                status = 400
                answer = f'<h2>Error</h2><pre class="former">{e(exc)}</pre>'
        body = (f"<h1>{e(query.title)}</h1><p>{e(query.question_en)}</p>"
                f'<p lang="zh-Hant">{e(query.question_zh)}</p><p class="muted">{e(query.returns)}'
                f"</p>{form if query.params else ''}{answer}<h2>SPARQL</h2><pre>{e(text)}</pre>")
        return status, layout_page(f"{query.title} — kg", body, home=self.base_url or "/",
                                   nav=self.nav())

    def _cell(self, value: str) -> str:
        text = str(value)
        if text.startswith("id:") or text.startswith(BASE):
            iri = BASE + "id/" + text[3:] if text.startswith("id:") else text
            href = self.link(iri)
            label = self.labels.both(iri) if iri in self.labels.by_iri else compact_iri(iri)
            if href:
                return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'
        return html.escape(text)

    # --- interactive views ---------------------------------------------------------------
    def _view(self, entity: str) -> Response:
        data = self.graph_data()
        if data is None or entity not in data.entity_graph:
            return Response(404, "text/plain", f"no entity {entity!r} to draw\n".encode("utf-8"))
        if entity not in self._views:
            from kg.viz.defaults import build_view

            _, page = build_view(data, focus=entity, depth=1)
            self._views[entity] = page.encode("utf-8")
        return Response(200, "text/html", self._views[entity])


def form_url(path: str, values: dict) -> str:
    """``path?name=value…`` for a query page link."""
    return path + ("?" + urlencode(values) if values else "")

"""The read-only SPARQL 1.1 Protocol endpoint of ``kg serve``, as a Starlette application.

Routes (``routes()``; add one there, or pass ``extra_routes`` to ``create_app``):
``/sparql`` (GET ``?query=``, POST ``application/sparql-query`` or form-encoded ``query=``,
``default-graph-uri`` / ``named-graph-uri`` honoured; updates refused with 403), ``/`` (the
offline query page), ``/html/…`` (files and folders under ``out/html`` only). Results are
content-negotiated from Accept (or ``format=``): SPARQL JSON, XML, CSV, TSV for SELECT/ASK;
Turtle, N-Triples, JSON-LD, RDF/XML for CONSTRUCT/DESCRIBE.

Each query is checked first (``kg.sparql.guard``: size, depth, SERVICE hosts) and then runs
in a killable worker process (``kg.sparql.pool``). A new route is one ``Route`` in
``routes()``: an ``async def page(request)`` that reaches the graph through
``request.app.state.kg`` (an ``Endpoint``), or answers a query as /sparql would with
``answer_query(request, text)``:

>>> async def void(request):                                      # doctest: +SKIP
...     return await answer_query(request, "CONSTRUCT WHERE { ?d a void:Dataset }")
>>> Route("/.well-known/void", _guarded(void), methods=["GET"])   # doctest: +SKIP
>>> reply = await request.app.state.kg.query("ASK { ?s ?p ?o }", "json", "turtle")  # doctest: +SKIP
>>> reply.status, reply.media                                     # doctest: +SKIP
(200, 'application/sparql-results+json')
"""

from __future__ import annotations

import asyncio
import functools
import html
import mimetypes
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from kg.sparql.engine import GRAPH_FORMATS, RESULT_FORMATS, is_update
from kg.sparql.guard import Limits, QueryRefused, check_query

__all__ = ["Endpoint", "create_app", "routes", "negotiate", "text_response", "answer_query"]

# media type -> short format name (aliases included), for Accept and ?format=
_TABLE_TYPES = {media: name for name, (media, _) in RESULT_FORMATS.items()}
_TABLE_TYPES.update({"application/json": "json", "application/xml": "xml",
                     "text/xml": "xml"})
_GRAPH_TYPES = {media: name for name, (media, _) in GRAPH_FORMATS.items()}
_GRAPH_TYPES.update({"application/x-turtle": "turtle", "text/plain": "ntriples",
                     "application/json": "jsonld", "application/xml": "rdfxml"})


def _accepted(accept: str) -> list[tuple[float, str]]:
    ranges = []
    for order, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((-quality, order, media.lower()))
    return [(-q, media) for q, _, media in sorted(ranges) if q < 0]


def negotiate(accept: str, graph: bool) -> str | None:
    """The short format name for an Accept header; None when nothing acceptable is offered.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", graph=False)
    'xml'
    >>> negotiate("*/*", graph=True)
    'turtle'
    """
    types = _GRAPH_TYPES if graph else _TABLE_TYPES
    default = "turtle" if graph else "json"
    if not accept.strip():
        return default
    for _, media in _accepted(accept):
        if media in types:
            return types[media]
        if media in ("*/*", "application/*", "text/*") or media.endswith("/*") and any(
                t.startswith(media[:-1]) for t in types):
            if media == "text/*":
                return "turtle" if graph else "csv"
            return default
    return None


def query_page(library: dict) -> bytes:
    """The query UI: one HTML page, inline CSS and JS, the library embedded as JSON."""
    queries = [{"name": q.name, "title": q.title, "question": q.question_en,
                "zh": q.question_zh, "text": q.text} for q in library.values()]
    data = json.dumps(queries, ensure_ascii=False).replace("</", "<\\/")
    return (_PAGE.replace("__QUERIES__", data)).encode("utf-8")


@dataclass
class Endpoint:
    """What the routes share: the worker pool, the limits, the page, the HTML folder."""

    pool: object                      # kg.sparql.pool.WorkerPool
    page: bytes = b""
    html_dir: Path | None = None
    limits: Limits = field(default_factory=lambda: Limits(service_hosts=()))
    cors: bool = False
    body_timeout: float = 10.0

    @property
    def max_body(self) -> int:
        return 3 * self.limits.max_bytes + 4096  # a form-encoded query at its size limit

    async def query(self, text: str, table_fmt: str | None, graph_fmt: str | None, *,
                    default_graphs: list[str] | None = None,
                    named_graphs: list[str] | None = None):
        """A pool Reply for a checked query; raises QueryRefused, PoolBusy, WorkerTimeout,
        WorkerDied (kg.sparql.pool)."""
        check_query(text, self.limits)
        return await self.pool.run({
            "query": text, "formats": [table_fmt, graph_fmt],
            "default_graphs": default_graphs, "named_graphs": named_graphs,
            "service_hosts": list(self.limits.service_hosts or ())})


def text_response(status: int, message: str, headers: dict | None = None):
    """A plain-text answer (errors and refusals): one message, never a traceback."""
    from starlette.responses import Response

    return Response((message.rstrip() + "\n").encode("utf-8"), status_code=status,
                    media_type="text/plain; charset=utf-8",
                    headers={"X-Content-Type-Options": "nosniff", **(headers or {})})


def _guarded(endpoint):
    """Any failure inside a route becomes a 500 with one line, on the wire and on stderr."""
    @functools.wraps(endpoint)
    async def wrapper(request):
        try:
            return await endpoint(request)
        except _HTTPRefusal as refusal:
            return text_response(refusal.status, refusal.message, refusal.headers)
        except Exception as exc:  # a traceback in front of a user is a bug: log one line
            print(f"kg serve: {request.method} {request.url.path}: internal error "
                  f"{exc.__class__.__name__}: {exc}", file=sys.stderr)
            return text_response(500, f"internal error ({exc.__class__.__name__}); the "
                                      "endpoint goes on serving")
    return wrapper


class _HTTPRefusal(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


_READ_ONLY = ("this endpoint is read-only: SPARQL Update and Graph Store writes are refused; "
              "change data/ and run `kg build`, or `kg push` the graph to a store that accepts "
              "updates")


def _cors(request, headers: dict | None = None) -> dict:
    headers = dict(headers or {})
    if request.app.state.kg.cors:
        headers["Access-Control-Allow-Origin"] = "*"
    return headers


_DRAIN_LIMIT = 16 * 1024 * 1024   # an over-long body up to this is read and dropped, so the
                                  # client (still sending) gets the 413 instead of a reset


async def _body(request, endpoint: Endpoint) -> bytes:
    """The request body within the size and time limits (chunked bodies included)."""
    length = request.headers.get("content-length")
    limit = endpoint.max_body
    too_big = _HTTPRefusal(413, f"the request body is over {limit:,} bytes; send a smaller "
                                "query", {"Connection": "close"})
    if length is not None and length.isdigit() and int(length) > _DRAIN_LIMIT:
        raise too_big
    parts, size = [], 0

    async def collect():
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > _DRAIN_LIMIT:
                break
            if size <= limit:
                parts.append(chunk)
    try:
        await asyncio.wait_for(collect(), endpoint.body_timeout)
    except (asyncio.TimeoutError, TimeoutError):
        raise _HTTPRefusal(408, f"the request body did not arrive within "
                                f"{endpoint.body_timeout:g} s", {"Connection": "close"}) from None
    if size > limit:
        raise too_big
    return b"".join(parts)


def _one(params: dict, name: str) -> str:
    values = params.get(name) or [""]
    if len(values) > 1:
        raise _HTTPRefusal(400, f"give {name}= once, not {len(values)} times")
    return values[0]


async def sparql(request):
    """/sparql: the SPARQL 1.1 Protocol (query operation only)."""
    endpoint: Endpoint = request.app.state.kg
    method = request.method
    if method == "OPTIONS":
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if endpoint.cors:
            headers.update({"Access-Control-Allow-Origin": "*",
                            "Access-Control-Allow-Methods": "GET, POST",
                            "Access-Control-Allow-Headers": "Content-Type, Accept",
                            "Access-Control-Max-Age": "600"})
        from starlette.responses import Response
        return Response(b"", status_code=204, headers=headers)
    if method not in ("GET", "HEAD", "POST"):
        return text_response(403, _READ_ONLY, _cors(request))
    params = parse_qs(request.url.query, keep_blank_values=True)
    if method in ("GET", "HEAD"):
        if "update" in params:
            return text_response(403, _READ_ONLY, _cors(request))
        if "query" not in params:
            return _page(request)
        return await answer_query(request, _one(params, "query"), params)
    body = await _body(request, endpoint)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media == "application/sparql-update":
        return text_response(403, _READ_ONLY, _cors(request))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return text_response(400, f"the request body is not UTF-8 (byte {exc.start}); send "
                                  "the query in UTF-8", _cors(request))
    if media == "application/sparql-query":
        return await answer_query(request, text, params)
    if media in ("application/x-www-form-urlencoded", ""):
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            return text_response(403, _READ_ONLY, _cors(request))
        if "query" not in form:
            return text_response(400, "no query: send query=... (form-encoded) or the query "
                                      "itself as application/sparql-query", _cors(request))
        merged = {**params}
        for key, values in form.items():
            merged[key] = merged.get(key, []) + values
        return await answer_query(request, _one(form, "query"), merged)
    return text_response(415, f"unsupported Content-Type {media}; use application/sparql-query "
                              "or application/x-www-form-urlencoded", _cors(request))


async def answer_query(request, query: str, params: dict | None = None):
    """The protocol's answer to ``query`` for this request: content negotiation (Accept or
    ``format=``), dataset parameters (``default-graph-uri``/``named-graph-uri`` in ``params``,
    lists as from parse_qs), refusals and errors as plain-text statuses."""
    params = params or {}
    from starlette.responses import Response

    from kg.sparql.pool import PoolBusy, WorkerDied, WorkerTimeout

    endpoint: Endpoint = request.app.state.kg
    cors = _cors(request)
    if is_update(query):
        return text_response(403, _READ_ONLY, cors)
    wanted = _one(params, "format")
    accept = request.headers.get("accept") or ""
    table_fmt = wanted if wanted in RESULT_FORMATS else negotiate(accept, graph=False)
    graph_fmt = wanted if wanted in GRAPH_FORMATS else negotiate(accept, graph=True)
    dataset = {"default_graphs": params.get("default-graph-uri"),
               "named_graphs": params.get("named-graph-uri")}
    for name, iris in (("default-graph-uri", dataset["default_graphs"]),
                       ("named-graph-uri", dataset["named_graphs"])):
        bad = [iri for iri in iris or [] if not _absolute_iri(iri)]
        if bad:
            return text_response(400, f"{name}={bad[0]!r} is not an absolute IRI; pass a graph "
                                      "IRI such as https://w3id.org/nlpi-kg/graph/shared", cors)
    try:
        reply = await endpoint.query(query, table_fmt, graph_fmt, **dataset)
    except QueryRefused as exc:
        return text_response(400, str(exc), cors)
    except PoolBusy:
        pool = endpoint.pool
        return text_response(429, f"all {pool.size} query workers are busy and "
                                  f"{pool.max_waiting} requests are waiting; retry in a moment",
                             {**cors, "Retry-After": "1"})
    except WorkerTimeout:
        return text_response(503, f"the query ran longer than {endpoint.pool.timeout:g} s and "
                                  "was stopped; add a LIMIT or more specific patterns, or "
                                  "start the endpoint with a larger --timeout", cors)
    except WorkerDied as exc:
        return text_response(500, f"the query ended its worker process ({exc}); the endpoint "
                                  "goes on serving; simplify the query", cors)
    if reply.status == 406:
        formats = GRAPH_FORMATS if reply.kind == "graph" else RESULT_FORMATS
        offered = ", ".join(media for media, _ in formats.values())
        return text_response(406, f"cannot answer in {accept}; this result is offered as "
                                  f"{offered}", cors)
    if reply.status != 200:
        return text_response(reply.status, reply.message, cors)
    return Response(reply.body, status_code=200, headers=cors,
                    media_type=f"{reply.media}; charset=utf-8")


def _absolute_iri(text: str) -> bool:
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return ":" in text and not any(c in text for c in " <>\"{}|^`\\")


def _page(request):
    from starlette.responses import Response

    return Response(request.app.state.kg.page, media_type="text/html; charset=utf-8")


async def page(request):
    """/ and /index.html: the offline query page."""
    return _page(request)


async def static(request):
    """/html/…: files and folders under out/html only (never CORS)."""
    from starlette.responses import FileResponse, RedirectResponse, Response

    endpoint: Endpoint = request.app.state.kg
    rest = request.path_params.get("rest", "")
    shown = "/html/" + rest
    if "\x00" in rest:
        return text_response(400, "a path may not contain a NUL character")
    root = endpoint.html_dir
    if root is None:
        return text_response(404, "no HTML views in the build folder (out/html); build them "
                                  "first with `kg build`")
    try:
        base = root.resolve()
        target = (base / rest).resolve()
        inside = target == base or base in target.parents
        if inside and target.is_dir():
            if not request.url.path.endswith("/"):
                return RedirectResponse(request.url.path + "/", status_code=301)
            index = target / "index.html"
            if index.is_file():
                return FileResponse(index, media_type="text/html; charset=utf-8")
            return Response(_listing(base, target), media_type="text/html; charset=utf-8")
        if inside and target.is_file():
            media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if media.startswith("text/") or media in ("application/javascript",
                                                      "application/json", "image/svg+xml"):
                media += "; charset=utf-8"
            return FileResponse(target, media_type=media)
    except (OSError, ValueError, RuntimeError):
        pass
    return text_response(404, f"not found: {html.escape(shown)}")


def _listing(root: Path, folder: Path) -> bytes:
    from urllib.parse import quote

    items = "".join(
        f'<li><a href="/html/{quote(str(p.relative_to(root)))}{"/" if p.is_dir() else ""}">'
        f"{html.escape(p.name)}</a></li>"
        for p in sorted(folder.iterdir()) if not p.name.startswith("."))
    return (f"<!doctype html><meta charset=utf-8><title>HTML views</title>"
            f"<h1>HTML views</h1><ul>{items}</ul>").encode("utf-8")


def routes() -> list:
    """The endpoint's routes. Add a route here (or pass ``extra_routes`` to create_app)."""
    from starlette.routing import Route

    every = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    return [
        Route("/", _guarded(page), methods=["GET"]),
        Route("/index.html", _guarded(page), methods=["GET"]),
        Route("/sparql", _guarded(sparql), methods=every),
        Route("/html", _guarded(static), methods=["GET"]),
        Route("/html/{rest:path}", _guarded(static), methods=["GET"]),
    ]


async def _not_found(request, exc):
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return text_response(405, f"{request.method} is not allowed on {request.url.path}; "
                                  "queries go to /sparql (GET or POST)")
    return text_response(status, f"not found: {html.escape(request.url.path)}; the endpoint "
                                 "is /sparql, the query UI is /")


def create_app(endpoint: Endpoint, extra_routes: list | tuple = ()):
    """The Starlette app; ``extra_routes`` (starlette Route/Mount) are matched first."""
    from starlette.applications import Starlette

    app = Starlette(routes=[*(_wrap(r) for r in extra_routes), *routes()],
                    exception_handlers={404: _not_found, 405: _not_found})
    app.state.kg = endpoint
    return app


def _wrap(route):
    """An extra route gets the same guard (a 500 with one line instead of a traceback)."""
    from starlette.routing import Route

    if isinstance(route, Route) and not getattr(route.endpoint, "__wrapped__", None):
        return Route(route.path, _guarded(route.endpoint), methods=list(route.methods or []),
                     name=route.name)
    return route

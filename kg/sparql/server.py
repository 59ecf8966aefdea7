"""A read-only SPARQL 1.1 Protocol endpoint: pyoxigraph behind the stdlib HTTP server.

Routes: ``/sparql`` (GET ``?query=``, POST ``application/sparql-query`` or form-encoded
``query=``; an update is refused with 403), ``/`` (a self-contained query UI with the query
library in a drop-down; no CDN), ``/html/…`` (the views in ``out/html`` when present).
Results are content-negotiated from the Accept header (or a ``format=`` parameter):
SPARQL JSON, XML, CSV, TSV for SELECT/ASK; Turtle, N-Triples, JSON-LD, RDF/XML for
CONSTRUCT/DESCRIBE.

>>> server = make_server(load_store("out"), port=0)               # doctest: +SKIP
>>> server.server_address                                          # doctest: +SKIP
('127.0.0.1', 40123)
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, unquote

from kg.problems import UserError
from kg.sparql.engine import (DEFAULT_TIMEOUT, GRAPH_FORMATS, RESULT_FORMATS, QuerySyntaxError,
                     QueryTimeout, is_update, load_store, run_query)

__all__ = ["make_server", "SparqlServer", "negotiate", "query_page", "load_store"]

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


class SparqlServer(ThreadingHTTPServer):
    """ThreadingHTTPServer holding the store, the query library and the HTML folder."""

    daemon_threads = True

    def __init__(self, address, store, *, html_dir: Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT, library: dict | None = None):
        self.store = store
        self.html_dir = html_dir if html_dir and html_dir.is_dir() else None
        self.query_timeout = timeout
        self.page = query_page(library or {})
        super().__init__(address, Handler)


def make_server(store, *, host: str = "127.0.0.1", port: int = 0, html_dir: Path | None = None,
                timeout: float = DEFAULT_TIMEOUT, library: dict | None = None) -> SparqlServer:
    """Bind the endpoint (port 0: any free port); UserError if the port is taken."""
    try:
        return SparqlServer((host, port), store, html_dir=html_dir, timeout=timeout,
                            library=library)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} on {host} is already in use; stop the program "
                            "using it or pick another with --port (0 = any free port)") from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES) or isinstance(exc, OSError):
            raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                            "check --host and --port") from None
        raise


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: one line per request would flood tests
        pass

    # --- plumbing -------------------------------------------------------------------
    def _send(self, status: int, body: bytes, media: str, extra: dict | None = None) -> None:
        self.send_response(status)
        charset = "" if media.startswith(("image/", "font/", "application/octet")) \
            else "; charset=utf-8"
        self.send_header("Content-Type", media + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain")

    # --- routes ---------------------------------------------------------------------
    def do_OPTIONS(self):
        self._send(204, b"", "text/plain", {"Access-Control-Allow-Methods": "GET, POST",
                                            "Access-Control-Allow-Headers": "Content-Type"})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path in ("/", "/index.html"):
            return self._send(200, self.server.page, "text/html")
        if path == "/sparql":
            params = parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                return self._refuse_update()
            if "query" not in params:
                return self._send(200, self.server.page, "text/html")
            return self._answer(params["query"][0], params)
        if path == "/html" or path.startswith("/html/"):
            return self._static(path[len("/html"):])
        self._error(404, f"not found: {path}; the endpoint is /sparql, the query UI is /")

    def do_POST(self):
        url = urlsplit(self.path)
        if unquote(url.path) != "/sparql":
            return self._error(404, "not found; POST queries to /sparql")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self._refuse_update()
        if media == "application/sparql-query":
            return self._answer(body, params)
        if media in ("application/x-www-form-urlencoded", ""):
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._refuse_update()
            if "query" not in form:
                return self._error(400, "no query: send query=... (form-encoded) or the query "
                                        "itself as application/sparql-query")
            return self._answer(form["query"][0], {**params, **form})
        self._error(415, f"unsupported Content-Type {media}; use application/sparql-query "
                         "or application/x-www-form-urlencoded")

    def do_PUT(self):
        self._refuse_update()

    do_DELETE = do_PATCH = do_PUT

    def _refuse_update(self):
        self._error(403, "this endpoint is read-only: SPARQL Update and Graph Store writes "
                         "are refused; change data/ and run `kg build`, or `kg push` the "
                         "graph to a store that accepts updates")

    def _answer(self, query: str, params: dict) -> None:
        if is_update(query):
            return self._refuse_update()
        wanted = (params.get("format") or [""])[0]
        accept = self.headers.get("Accept") or ""
        table_fmt = wanted if wanted in RESULT_FORMATS else negotiate(accept, graph=False)
        graph_fmt = wanted if wanted in GRAPH_FORMATS else negotiate(accept, graph=True)
        try:
            result = run_query(self.server.store, query, timeout=self.server.query_timeout,
                               formats=(table_fmt, graph_fmt))
        except QuerySyntaxError as exc:
            return self._error(400, str(exc))
        except QueryTimeout as exc:
            return self._error(503, str(exc))
        except UserError as exc:
            return self._error(400, str(exc))
        if result.data is None:
            return self._not_acceptable(accept, GRAPH_FORMATS if result.kind == "graph"
                                        else RESULT_FORMATS)
        self._send(200, result.data, result.media_type)

    def _not_acceptable(self, accept: str, formats: dict) -> None:
        offered = ", ".join(media for media, _ in formats.values())
        self._error(406, f"cannot answer in {accept}; this result is offered as {offered}")

    def _static(self, rest: str) -> None:
        root = self.server.html_dir
        if root is None:
            return self._error(404, "no HTML views in the build folder (out/html); "
                                    "build them first")
        target = (root / rest.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
            if not target.is_file():
                return self._send(200, _listing(root, target.parent), "text/html")
        if root.resolve() not in target.parents or not target.is_file():
            return self._error(404, f"not found: /html{rest}")
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, target.read_bytes(), media)


def _listing(root: Path, folder: Path) -> bytes:
    items = "".join(f'<li><a href="/html/{html.escape(str(p.relative_to(root.resolve())))}">'
                    f"{html.escape(p.name)}</a></li>"
                    for p in sorted(folder.iterdir()) if not p.name.startswith("."))
    return (f"<!doctype html><meta charset=utf-8><title>HTML views</title>"
            f"<h1>HTML views</h1><ul>{items}</ul>").encode("utf-8")


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kg SPARQL</title>
<style>
body{font-family:system-ui,"Noto Sans CJK TC",sans-serif;margin:1.5rem;max-width:80rem}
textarea{width:100%;height:16rem;font-family:ui-monospace,monospace;font-size:.9rem}
select,button{font-size:1rem;margin:.3rem .3rem .3rem 0}
#question{color:#444;margin:.3rem 0}
table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
#status{margin-top:.5rem;color:#555}
.error{color:#a00;white-space:pre;font-family:ui-monospace,monospace}
</style></head>
<body>
<h1>SPARQL</h1>
<p>Endpoint: <code id="endpoint"></code> · <a href="/html/">HTML views</a></p>
<label>Library: <select id="library"><option value="">— pick a query —</option></select></label>
<p id="question"></p>
<textarea id="query" spellcheck="false">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>
<div><button id="run">Run</button>
<label>as <select id="accept">
<option value="application/sparql-results+json">table</option>
<option value="text/csv">CSV</option><option value="text/tab-separated-values">TSV</option>
<option value="application/sparql-results+xml">XML</option>
<option value="text/turtle">Turtle (CONSTRUCT)</option>
</select></label></div>
<div id="status"></div>
<div id="results"></div>
<script id="queries" type="application/json">__QUERIES__</script>
<script>
"use strict";
const queries = JSON.parse(document.getElementById("queries").textContent);
const pick = document.getElementById("library");
const area = document.getElementById("query");
const endpoint = new URL("/sparql", window.location.href).href;
document.getElementById("endpoint").textContent = endpoint;
for (const q of queries) {
  const option = document.createElement("option");
  option.value = q.name; option.textContent = q.name + " — " + q.title;
  pick.appendChild(option);
}
pick.addEventListener("change", () => {
  const q = queries.find(x => x.name === pick.value);
  if (!q) return;
  area.value = q.text;
  document.getElementById("question").textContent = q.question + (q.zh ? " / " + q.zh : "");
});
function cell(term) {
  if (!term) return "";
  if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
  return term.value;
}
function showTable(data) {
  const out = document.getElementById("results");
  out.textContent = "";
  if ("boolean" in data) { out.textContent = "answer: " + data.boolean; return 1; }
  const table = document.createElement("table");
  const head = table.insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  }
  for (const row of data.results.bindings) {
    const tr = table.insertRow();
    for (const v of data.head.vars) tr.insertCell().textContent = cell(row[v]);
  }
  out.appendChild(table);
  return data.results.bindings.length;
}
async function run() {
  const status = document.getElementById("status");
  const out = document.getElementById("results");
  const accept = document.getElementById("accept").value;
  status.textContent = "running…"; out.textContent = "";
  const started = performance.now();
  try {
    const response = await fetch(endpoint, {method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": accept + ", */*;q=0.1"},
      body: area.value});
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = "HTTP " + response.status;
      const pre = document.createElement("div"); pre.className = "error";
      pre.textContent = text; out.appendChild(pre); return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      const n = showTable(JSON.parse(text));
      status.textContent = n + " result(s) in " + ms + " ms";
    } else {
      const pre = document.createElement("pre"); pre.textContent = text;
      out.appendChild(pre); status.textContent = type.split(";")[0] + " in " + ms + " ms";
    }
  } catch (err) { status.textContent = "failed: " + err; }
}
document.getElementById("run").addEventListener("click", run);
area.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
</script>
</body></html>
"""

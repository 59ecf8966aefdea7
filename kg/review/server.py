"""The review page: a Starlette app on uvicorn, bound to 127.0.0.1, that is not a door.

Every request must name this server in its Host header (``127.0.0.1:PORT`` or
``localhost:PORT``), which stops DNS rebinding. The JSON API (read and write) needs the per-run
secret the page got in a ``<meta>`` tag, sent back as the ``X-KG-Secret`` header — a custom
header, so another origin's fetch needs a CORS preflight, which is never answered. Writes must
also come from this origin (``Origin`` and, when sent, ``Sec-Fetch-Site: same-origin``) with a
JSON body. No response carries CORS headers; the Content-Security-Policy lets the page load only
its own script and style and talk only to itself.

>>> app = ReviewApp(session, text, port=8765)                  # doctest: +SKIP
>>> serve(session, port=0, open_browser=False)                 # doctest: +SKIP
review page: http://127.0.0.1:40123/
"""

from __future__ import annotations

import hmac
import html
import json
import secrets
import socket
import sys
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.problems import DataError, UserError

__all__ = ["ReviewApp", "serve", "report_text"]

ASSETS = Path(__file__).with_name("assets")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; "
       "base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
           "X-Frame-Options": "DENY", "Cross-Origin-Resource-Policy": "same-origin",
           "Cross-Origin-Opener-Policy": "same-origin"}
SECRET_HEADER = "x-kg-secret"


def report_text(session, source: Path | None) -> str:
    """The report's text, from ``source`` or ../shared/sources, its SHA-256 checked."""
    from kg.build.pipeline import find_sources
    from kg.build.provenance import check_checksum, read_source
    from kg.files import default_sources_dir

    document = session.document
    if source is None:
        found = find_sources(session.catalog, [default_sources_dir()]) \
            if default_sources_dir().is_dir() else {}
        source = found.get(document.id)
        if source is None:
            name = document.source_file or "no source_file in report.yaml"
            raise UserError(f"the text of {document.id} ({name}) is not in "
                            f"{default_sources_dir()}; pass --source PATH")
    text = read_source(source)
    mismatch = check_checksum(document, text, str(source))
    if mismatch:
        raise DataError([mismatch])
    return text


class ReviewApp:
    """The page and its JSON API over one Review session (re-read from disk per request)."""

    def __init__(self, session, text: str, port: int, secret: str | None = None):
        from kg.vocab import ENTITY_TYPES, load_vocabulary

        self.session = session
        self.text = text
        self.port = port
        self.secret = secret or secrets.token_urlsafe(32)
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.lock = threading.Lock()
        self.seen: tuple = ()
        vocab = load_vocabulary()
        self.vocabulary = {"types": list(ENTITY_TYPES),
                           "predicates": sorted(vocab.object_properties),
                           "properties": sorted(vocab.datatype_properties)}
        self.app = Starlette(routes=[
            Route("/", self.page),
            Route("/app.js", self.asset),
            Route("/app.css", self.asset),
            Route("/api/state", self.state),
            Route("/api/search", self.search),
            Route("/api/decide", self.decide, methods=["POST"]),
            Route("/api/undo", self.undo, methods=["POST"]),
        ])

    # -- the guard ------------------------------------------------------------------------
    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal is not None:
            response = PlainTextResponse(refusal[1], status_code=refusal[0], headers=HEADERS)
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)

    def refusal(self, request: Request) -> tuple[int, str] | None:
        """Why a request is refused (status, text), or None to let it through."""
        if request.headers.get("host", "") not in self.hosts:
            return 421, "unknown Host: this server answers only 127.0.0.1 and localhost"
        path = request.url.path
        if request.method not in ("GET", "HEAD", "POST"):
            return 405, "method not allowed"
        if path.startswith("/api/"):
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                return 403, "missing or wrong secret"
        if request.method == "POST":
            if request.headers.get("origin") not in self.origins:
                return 403, "cross-origin write refused"
            site = request.headers.get("sec-fetch-site")
            if site is not None and site != "same-origin":
                return 403, "cross-site write refused"
            if request.headers.get("content-type", "").split(";")[0].strip() != \
                    "application/json":
                return 415, "send JSON"
        return None

    # -- pages ----------------------------------------------------------------------------
    async def page(self, request: Request) -> Response:
        template = (ASSETS / "review.html").read_text(encoding="utf-8")
        document = self.session.document
        title = document.title.get("zh-Hant") or document.title.get("en") or document.id
        body = template.replace("{{secret}}", html.escape(self.secret, quote=True)) \
            .replace("{{title}}", html.escape(f"kg review · {title}"))
        return Response(body, media_type="text/html; charset=utf-8", headers=HEADERS)

    async def asset(self, request: Request) -> Response:
        name = request.url.path.lstrip("/")
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return Response((ASSETS / name).read_bytes(), media_type=f"{media}; charset=utf-8",
                        headers=HEADERS)

    # -- the API --------------------------------------------------------------------------
    def _signature(self) -> tuple:
        """Every YAML file's path, size and modification time: has anyone changed the data?"""
        files = sorted(self.session.data_dir.rglob("*.yaml"))
        return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)

    def _fresh(self):
        """The session, re-read from disk when a file changed since our own last write."""
        from kg.review.decisions import Review

        if self._signature() != self.seen:
            self.session = Review(self.session.data_dir, self.session.doc_id)
            self.seen = self._signature()
        return self.session

    def _state(self, session) -> dict:
        from kg.review.proposals import describe, group_of

        decided = session.decided()
        items = []
        for proposal in session.items():
            entry = decided.get(proposal["id"])
            items.append({
                "id": proposal["id"], "kind": proposal["kind"],
                "group": group_of(proposal["kind"]), "score": proposal.get("score"),
                "source": proposal.get("source"), "section": proposal.get("section"),
                "span": proposal.get("span"), "evidence": proposal.get("evidence"),
                "summary": describe(proposal), "body": proposal.get(proposal["kind"]),
                "link": proposal.get("link"),
                "status": entry["decision"] if entry else "pending",
                "into": (entry or {}).get("into"), "edits": (entry or {}).get("edits"),
            })
        done, total = session.progress()
        return {"doc": session.doc_id, "text": self.text, "proposals": items,
                "reviewed": done, "total": total, "vocabulary": self.vocabulary,
                "last": session.log[-1]["proposal"] if session.log else None}

    def _json(self, data: dict, status: int = 200) -> JSONResponse:
        return JSONResponse(data, status_code=status, headers=HEADERS)

    def state(self, request: Request) -> Response:
        with self.lock:
            try:
                return self._json(self._state(self._fresh()))
            except (UserError, DataError) as exc:
                return self._error(exc)

    def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        with self.lock:
            try:
                return self._json({"results": self.session.search(query)})
            except UserError as exc:
                return self._error(exc)

    def _error(self, exc: Exception) -> JSONResponse:
        if isinstance(exc, DataError):
            problems = [p.format() for p in exc.problems if p.is_error]
            return self._json({"error": "refused: the data would not be valid",
                               "problems": problems}, 422)
        return self._json({"error": str(exc), "problems": []}, 400)

    async def decide(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return self._json({"error": "send a JSON object", "problems": []}, 400)
        if not isinstance(body, dict) or not isinstance(body.get("proposal"), str):
            return self._json({"error": "send {proposal, decision, into?, edits?}",
                               "problems": []}, 400)
        edits = body.get("edits") or {}
        if not isinstance(edits, dict):
            return self._json({"error": "edits must be an object", "problems": []}, 400)
        return self._locked(lambda session: session.decide(
            body["proposal"], str(body.get("decision")), into=body.get("into"), edits=edits))

    async def undo(self, request: Request) -> Response:
        return self._locked(lambda session: session.undo())

    def _locked(self, action) -> Response:
        with self.lock:
            try:
                session = self._fresh()
                message = action(session)
            except (UserError, DataError) as exc:
                self.seen = ()  # a refused decision may have staged nothing; re-read anyway
                return self._error(exc)
            self.seen = self._signature()
            return self._json({"message": message, "state": self._state(self.session)})


def serve(session, *, source: Path | None = None, port: int = 0, open_browser: bool = True,
          host: str = "127.0.0.1") -> None:
    """Serve the review page until interrupted (Ctrl-C)."""
    import uvicorn

    text = report_text(session, source)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)  # connections wait in the queue until uvicorn starts accepting
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another "
                        "--port or leave it out for a free one") from None
    port = sock.getsockname()[1]
    app = ReviewApp(session, text, port)
    url = f"http://{host}:{port}/"
    done, total = session.progress()
    print(f"review page: {url}  ({done} of {total} reviewed; Ctrl-C to stop)", flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False,
                            server_header=False, date_header=False)
    uvicorn.Server(config).run(sockets=[sock])
    sys.stdout.flush()

"""Send the built dataset to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of ``out/kg.trig`` (one per report, plus ``graph/shared`` and
``graph/ontology``) is PUT as Turtle to ``<endpoint>?graph=<iri>``, which replaces what the
store held in that graph: pushing twice leaves one copy. All or nothing: before the first PUT
each graph's current content is read (GET); if a PUT fails, the graphs already replaced are
put back as they were (or deleted when they did not exist), and the message says which
graph failed and what state every graph is in. ``prune`` then deletes the graphs under the
project's graph namespace that the build no longer has (listed with a SPARQL query).

Credentials come from the environment, never from the command line: ``KG_PUSH_TOKEN``
(Bearer) or ``KG_PUSH_USER`` and ``KG_PUSH_PASSWORD``: by default (``auth="auto"``) sent
only when the store asks, as Basic or Digest — whichever its challenge names (Virtuoso's
``/sparql-graph-crud-auth`` asks for Digest MD5); ``auth="basic"`` sends Basic at once (for
stores that answer 401 without a challenge); ``auth="digest"`` answers Digest only. A credential holding CR, LF, another control
character or a character outside Latin-1 is refused with a message that never shows it.

>>> push_graphs("out", "http://127.0.0.1:7878/store")            # doctest: +SKIP
[PushedGraph(graph='https://w3id.org/nlpi-kg/graph/ala-2022-report', triples=..., status=204)]

Graph Store endpoints: Oxigraph ``http://host:7878/store``, Fuseki ``http://host:3030/<ds>/data``,
GraphDB ``http://host:7200/repositories/<repo>/rdf-graphs/service``, Virtuoso
``http://host:8890/sparql-graph-crud-auth``.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from kg.problems import UserError
from kg.sparql.engine import load_store

__all__ = ["PushedGraph", "Credentials", "credentials", "graph_payloads", "push_graphs",
           "auth_header", "redact", "store_graphs"]

TOKEN_VAR, USER_VAR, PASSWORD_VAR = "KG_PUSH_TOKEN", "KG_PUSH_USER", "KG_PUSH_PASSWORD"
AUTH_MODES = ("auto", "basic", "digest")


@dataclass(frozen=True)
class PushedGraph:
    graph: str
    triples: int
    status: int
    action: str = "replaced"       # replaced | pruned


@dataclass(frozen=True, repr=False)
class Credentials:
    """What to authenticate with; ``repr`` never shows the secret."""

    token: str | None = None
    user: str | None = None
    password: str = ""
    mode: str = "auto"

    def __repr__(self) -> str:
        kind = "bearer" if self.token else self.mode if self.user else "none"
        return f"Credentials({kind})"


def redact(url: str) -> str:
    """The URL without any user:password part, safe to print."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def _check_secret(name: str, value: str) -> None:
    if re.search(r"[\r\n]", value):
        problem = "holds a line break (CR or LF)"
    elif re.search(r"[\x00-\x1f\x7f]", value):
        problem = "holds a control character"
    else:
        try:
            value.encode("latin-1")
            return
        except UnicodeEncodeError:
            problem = "holds a character outside Latin-1"
    raise UserError(f"{name} {problem}, which an HTTP header cannot carry (a value copied "
                    "with its line end, perhaps); set it again without it — the value is not "
                    "shown here")


def credentials(environ=os.environ, mode: str | None = None) -> Credentials:
    """Credentials from KG_PUSH_TOKEN, or KG_PUSH_USER + KG_PUSH_PASSWORD; checked, never shown."""
    mode = (mode or environ.get("KG_PUSH_AUTH") or "auto").lower()
    if mode not in AUTH_MODES:
        raise UserError(f"unknown auth scheme {mode!r}; use one of: {', '.join(AUTH_MODES)}")
    token = environ.get(TOKEN_VAR)
    if token:
        _check_secret(TOKEN_VAR, token)
        return Credentials(token=token)
    user = environ.get(USER_VAR)
    if user:
        password = environ.get(PASSWORD_VAR, "")
        _check_secret(USER_VAR, user)
        _check_secret(PASSWORD_VAR, password)
        if ":" in user and mode != "digest":
            raise UserError(f"{USER_VAR} holds ':', which Basic authentication cannot carry; "
                            "use a user name without it")
        return Credentials(user=user, password=password, mode=mode)
    return Credentials()


def auth_header(environ=os.environ) -> str | None:
    """The Authorization header sent at once: Bearer for a token, Basic for --auth basic."""
    found = credentials(environ)
    if found.token:
        return "Bearer " + found.token
    if found.user and found.mode == "basic":
        pair = f"{found.user}:{found.password}".encode("latin-1")
        return "Basic " + base64.b64encode(pair).decode("ascii")
    return None


def _select(graphs: list[str], wanted: str) -> str:
    for iri in graphs:
        if wanted == iri or iri.rstrip("/").rsplit("/", 1)[-1] == wanted:
            return iri
    raise UserError(f"no graph {wanted!r} in the build; pass one of: " + ", ".join(graphs))


def graph_payloads(out_dir: str | Path, graph: str | None = None) -> list[tuple[str, int, bytes]]:
    """(graph IRI, triple count, Turtle bytes) for every named graph, or only ``graph``.

    ``graph`` is an IRI or its last segment (``ala-2022-report``, ``shared``, ``ontology``).
    """
    import pyoxigraph

    from kg.namespaces import PREFIXES

    store = load_store(out_dir)
    graphs = sorted(g.value for g in store.named_graphs())
    if graph:
        graphs = [_select(graphs, graph)]
    payloads = []
    for iri in graphs:
        node = pyoxigraph.NamedNode(iri)
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, node)]
        body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE,
                                    prefixes=PREFIXES)
        payloads.append((iri, len(triples), body))
    return payloads


def _target(endpoint: str, graph: str) -> str:
    joiner = "&" if "?" in endpoint else "?"
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


class _Client:
    """HTTP to the store with the credentials; every failure becomes a UserError."""

    def __init__(self, endpoint: str, creds: Credentials, timeout: float,
                 extra_urls: tuple = ()):
        self.endpoint, self.creds, self.timeout = endpoint, creds, timeout
        handlers = []
        self.digest = None
        if creds.user and creds.mode != "basic":   # answer the store's challenge
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {endpoint, *extra_urls}:
                manager.add_password(None, url, creds.user, creds.password)
            self.digest = _DigestHandler(manager)
            handlers.append(self.digest)
            if creds.mode == "auto":
                handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict | None = None, what: str = "") -> tuple[int, bytes, str]:
        """(status, body, content type); 404 is returned, other HTTP errors raise UserError."""
        request = urllib.request.Request(url, data=body, method=method)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        if self.digest is not None and self.digest.challenge and body is not None:
            # a store that refuses an unauthenticated body may close the connection before
            # the body is sent (Virtuoso does): answer the challenge already seen, at once
            header = self.digest.get_authorization(request, self.digest.challenge)
            if header:
                request.add_unredirected_header("Authorization", "Digest " + header)
        if self.creds.token:
            request.add_header("Authorization", "Bearer " + self.creds.token)
        elif self.creds.user and self.creds.mode == "basic":
            pair = f"{self.creds.user}:{self.creds.password}".encode("latin-1")
            request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
        shown = redact(self.endpoint)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(), response.headers.get(
                    "Content-Type", "")
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", errors="replace").strip()
            if exc.code == 404 and method in ("GET", "DELETE"):
                return 404, b"", ""
            first = text.splitlines()[0][:200] if text else "(empty body)"
            raise UserError(f"{shown} refused {what}: HTTP {exc.code} {exc.reason}: "
                            f"{first}{self._hint(exc)}") from None
        except urllib.error.URLError as exc:
            raise UserError(f"cannot reach {shown}: {_reason(exc.reason)}; check --endpoint "
                            "and that the store is running") from None
        except (TimeoutError, socket.timeout):
            raise UserError(f"cannot reach {shown}: no answer within {self.timeout:g} s; "
                            "check --endpoint or raise --timeout") from None
        except (ConnectionError, OSError, http.client.HTTPException, ValueError) as exc:
            raise UserError(f"cannot reach {shown}: {_reason(exc)}; check --endpoint and "
                            "that the store is running") from None

    def _hint(self, exc: urllib.error.HTTPError) -> str:
        if exc.code in (401, 403):
            if self.creds.mode == "basic":
                return (f"; check {USER_VAR} and {PASSWORD_VAR}; if the store wants Digest "
                        "authentication (Virtuoso does), use --auth digest or auto")
            return (f"; set {TOKEN_VAR}, or {USER_VAR} and {PASSWORD_VAR}, to credentials "
                    "the store accepts")
        if exc.code in (404, 405):
            return ("; check that --endpoint is the store's Graph Store Protocol URL "
                    "(Oxigraph: /store, Fuseki: /<dataset>/data, Virtuoso: "
                    "/sparql-graph-crud-auth)")
        return ""


class _DigestHandler(urllib.request.HTTPDigestAuthHandler):
    """urllib's Digest handler that keeps the last challenge, to answer it before a PUT."""

    challenge: dict | None = None

    def retry_http_digest_auth(self, req, auth):
        _, challenge = auth.split(" ", 1)
        self.challenge = urllib.request.parse_keqv_list(
            filter(None, urllib.request.parse_http_list(challenge)))
        return super().retry_http_digest_auth(req, auth)


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host name (DNS lookup failed)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return str(getattr(reason, "strerror", None) or reason or reason.__class__.__name__)


@dataclass
class _Before:
    """A graph's content in the store before the push (None: the graph did not exist)."""

    graph: str
    body: bytes | None
    media: str


def _snapshot(client: _Client, graph: str) -> _Before:
    status, body, media = client.request(
        "GET", _target(client.endpoint, graph), headers={"Accept": "application/n-triples"},
        what=f"reading graph <{graph}> (to restore it if the push fails)")
    if status == 404 or not body.strip():
        return _Before(graph, None, "")
    return _Before(graph, body, media.split(";")[0].strip() or "application/n-triples")


def _restore(client: _Client, before: _Before) -> None:
    url = _target(client.endpoint, before.graph)
    what = f"restoring graph <{before.graph}>"
    if before.body is None:
        client.request("DELETE", url, what=what)
    else:
        client.request("PUT", url, before.body, {"Content-Type": before.media}, what=what)


def push_graphs(out_dir: str | Path, endpoint: str, graph: str | None = None, *,
                timeout: float = 60.0, environ=os.environ, auth: str | None = None,
                prune: bool = False, query_endpoint: str | None = None) -> list[PushedGraph]:
    """PUT each named graph (or only ``graph``) to the Graph Store ``endpoint``, all or nothing.

    ``prune``: afterwards DELETE the store's graphs under the project's graph namespace that
    the build does not have (found with a SELECT on ``query_endpoint``).
    """
    for url, name in ((endpoint, "--endpoint"), (query_endpoint, "--query-endpoint")):
        if url is not None and (urlsplit(url).scheme not in ("http", "https")
                                or not urlsplit(url).netloc):
            raise UserError(f"{redact(url)!r} is not an http(s) URL; pass the store's URL to "
                            f"{name}, e.g. http://127.0.0.1:7878/store")
    if prune and not query_endpoint:
        raise UserError("--prune needs --query-endpoint (the store's SPARQL query URL, e.g. "
                        "Oxigraph http://127.0.0.1:7878/query, Virtuoso http://host:8890/sparql) "
                        "to list the graphs it holds")
    if prune and graph:
        raise UserError("--prune removes every graph the build no longer has; it cannot be "
                        "combined with --graph")
    creds = credentials(environ, auth)
    client = _Client(endpoint, creds, timeout, (query_endpoint,) if query_endpoint else ())
    payloads = graph_payloads(out_dir, graph)
    befores = [_snapshot(client, iri) for iri, _, _ in payloads]   # nothing changed yet
    pushed: list[PushedGraph] = []
    for (iri, count, body), _ in zip(payloads, befores):
        try:
            status, _, _ = client.request("PUT", _target(endpoint, iri), body,
                                          {"Content-Type": "text/turtle; charset=utf-8"},
                                          what=f"graph <{iri}>")
        except UserError as failure:
            raise UserError(_rolled_back(client, failure, befores[:len(pushed) + 1], iri)) \
                from None
        pushed.append(PushedGraph(iri, count, status))
    if prune:
        pushed += _prune(client, query_endpoint, {iri for iri, _, _ in payloads})
    return pushed


def _rolled_back(client: _Client, failure: UserError, touched: list[_Before], failed: str) -> str:
    """Put the touched graphs back; the message says what state each graph is in now."""
    restored, broken = [], []
    for before in touched:
        try:
            _restore(client, before)
            restored.append(before.graph)
        except UserError as exc:
            broken.append((before.graph, str(exc)))
    text = f"{failure}\nthe push stopped at <{failed}>"
    if not broken:
        return text + (f"; the {len(restored)} graph(s) it had touched were put back as they "
                       "were, so the store is unchanged")
    lines = [text + "; the store is now PARTIAL:"]
    lines += [f"  restored: <{g}>" for g in restored]
    lines += [f"  NOT restored (holds new or partial data): <{g}> ({why})" for g, why in broken]
    lines.append("  fix: run the same kg push again once the store answers")
    return "\n".join(lines)


def store_graphs(client: _Client, query_endpoint: str) -> list[str]:
    """The named graphs the store holds, from a SELECT on its query endpoint."""
    from kg.namespaces import BASE

    query = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
             f'"{BASE}graph/")) }}')
    url = query_endpoint + ("&" if "?" in query_endpoint else "?") + urlencode({"query": query})
    status, body, _ = client.request("GET", url,
                                     headers={"Accept": "application/sparql-results+json"},
                                     what="the query listing its graphs")
    try:
        rows = json.loads(body)["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows)
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{redact(query_endpoint)} did not answer the graph list as SPARQL "
                        "JSON; check --query-endpoint") from None


def _prune(client: _Client, query_endpoint: str, built: set[str]) -> list[PushedGraph]:
    pruned = []
    for iri in store_graphs(client, query_endpoint):
        if iri in built:
            continue
        try:
            status, _, _ = client.request("DELETE", _target(client.endpoint, iri),
                                          what=f"deleting graph <{iri}>")
        except UserError as exc:
            done = ", ".join(f"<{p.graph}>" for p in pruned) or "none"
            raise UserError(f"{exc}\nevery built graph was pushed; pruned before the failure: "
                            f"{done}") from None
        pruned.append(PushedGraph(iri, 0, status, "pruned"))
    return pruned

"""Send the built dataset to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of ``out/kg.trig`` (one per report, plus ``graph/shared`` and
``graph/ontology``) is PUT as Turtle to ``<endpoint>?graph=<iri>``, which replaces what the
store held in that graph: pushing twice leaves one copy. Credentials come from the
environment, never from the command line: ``KG_PUSH_TOKEN`` (sent as a Bearer token) or
``KG_PUSH_USER`` and ``KG_PUSH_PASSWORD`` (HTTP Basic).

>>> push_graphs("out", "http://127.0.0.1:7878/store")            # doctest: +SKIP
[PushedGraph(graph='https://w3id.org/nlpi-kg/graph/ala-2022-report', triples=..., status=204)]

Graph Store endpoints: Oxigraph ``http://host:7878/store``, Fuseki ``http://host:3030/<ds>/data``,
GraphDB ``http://host:7200/repositories/<repo>/rdf-graphs/service``, Virtuoso
``http://host:8890/sparql-graph-crud-auth``.
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from kg.problems import UserError
from kg.sparql.engine import load_store

__all__ = ["PushedGraph", "graph_payloads", "push_graphs", "auth_header", "redact"]

TOKEN_VAR, USER_VAR, PASSWORD_VAR = "KG_PUSH_TOKEN", "KG_PUSH_USER", "KG_PUSH_PASSWORD"


@dataclass(frozen=True)
class PushedGraph:
    graph: str
    triples: int
    status: int


def redact(url: str) -> str:
    """The URL without any user:password part, safe to print."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def auth_header(environ=os.environ) -> str | None:
    """The Authorization header from KG_PUSH_TOKEN, or KG_PUSH_USER + KG_PUSH_PASSWORD."""
    if environ.get(TOKEN_VAR):
        return "Bearer " + environ[TOKEN_VAR]
    if environ.get(USER_VAR):
        pair = f"{environ[USER_VAR]}:{environ.get(PASSWORD_VAR, '')}".encode("utf-8")
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


def _put(endpoint: str, graph: str, body: bytes, timeout: float, auth: str | None) -> int:
    request = urllib.request.Request(_target(endpoint, graph), data=body, method="PUT")
    request.add_header("Content-Type", "text/turtle; charset=utf-8")
    if auth:
        request.add_header("Authorization", auth)
    shown = redact(endpoint)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", errors="replace").strip()
        first = text.splitlines()[0][:200] if text else "(empty body)"
        hint = ""
        if exc.code in (401, 403):
            hint = (f"; set {TOKEN_VAR}, or {USER_VAR} and {PASSWORD_VAR}, to credentials "
                    "the store accepts")
        elif exc.code in (404, 405):
            hint = ("; check that --endpoint is the store's Graph Store Protocol URL "
                    "(Oxigraph: /store, Fuseki: /<dataset>/data)")
        raise UserError(f"{shown} refused graph <{graph}>: HTTP {exc.code} {exc.reason}: "
                        f"{first}{hint}") from None
    except urllib.error.URLError as exc:
        raise UserError(f"cannot reach {shown}: {_reason(exc.reason)}; check --endpoint and "
                        "that the store is running") from None
    except (TimeoutError, socket.timeout):
        raise UserError(f"cannot reach {shown}: no answer within {timeout:g} s; check "
                        "--endpoint or raise --timeout") from None
    except (ConnectionError, OSError) as exc:
        raise UserError(f"cannot reach {shown}: {_reason(exc)}; check --endpoint and that "
                        "the store is running") from None


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host name (DNS lookup failed)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return str(getattr(reason, "strerror", None) or reason)


def push_graphs(out_dir: str | Path, endpoint: str, graph: str | None = None, *,
                timeout: float = 60.0, environ=os.environ) -> list[PushedGraph]:
    """PUT each named graph (or only ``graph``) to the Graph Store ``endpoint``."""
    if urlsplit(endpoint).scheme not in ("http", "https") or not urlsplit(endpoint).netloc:
        raise UserError(f"{redact(endpoint)!r} is not an http(s) URL; pass the store's Graph "
                        "Store Protocol URL, e.g. --endpoint http://127.0.0.1:7878/store")
    auth = auth_header(environ)
    pushed = []
    for iri, count, body in graph_payloads(out_dir, graph):
        status = _put(endpoint, iri, body, timeout, auth)
        pushed.append(PushedGraph(iri, count, status))
    return pushed

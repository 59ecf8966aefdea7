"""Check a SPARQL query before the engine parses it: size, nesting depth, SERVICE targets.

pyoxigraph parses and evaluates with recursion on the native stack: 5,000 nested parentheses
or a 160 KB ``true || true || …`` end the process with SIGSEGV, and a ``SERVICE`` clause makes
it send HTTP requests. This module tokenizes the text the way the SPARQL grammar does (strings,
IRIs and comments skipped, so brackets or keywords inside them do not count) and refuses what
is too big, too deep, or names a SERVICE host that was not allowed, with a message that says
how to fix it.

>>> info = check_query("SELECT * FROM <urn:g> WHERE { ?s ?p '(((' }")
>>> info.depth, info.has_dataset
(1, True)
>>> try:
...     check_query("ASK {" + "{" * 500 + "}" * 500 + "}")
... except QueryRefused as refused:
...     print(refused)
the query nests brackets 501 deep; at most 100 levels are accepted (flatten the nested groups or FILTER expressions)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kg.problems import UserError

__all__ = ["QueryRefused", "QueryInfo", "Limits", "check_query", "tokens", "MAX_QUERY_BYTES",
           "MAX_DEPTH", "MAX_TOKENS"]

MAX_QUERY_BYTES = 100_000
MAX_DEPTH = 100
MAX_TOKENS = 20_000


class QueryRefused(UserError):
    """A query refused before evaluation (too big, too deep, or a SERVICE not allowed)."""


@dataclass(frozen=True)
class Limits:
    """What a query may be. ``service_hosts``: None = any SERVICE allowed (``kg query``);
    a tuple of ``host`` or ``host:port`` entries = only those; () = none (``kg serve``)."""

    max_bytes: int = MAX_QUERY_BYTES
    max_depth: int = MAX_DEPTH
    max_tokens: int = MAX_TOKENS
    service_hosts: tuple[str, ...] | None = None


@dataclass
class QueryInfo:
    depth: int = 0
    count: int = 0
    has_dataset: bool = False      # FROM or FROM NAMED in the query
    services: list[str] = field(default_factory=list)


_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_LEXER = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|""" + _UCHAR + r""")*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\.)*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<other>.)
""", re.X | re.S)


def tokens(query: str):
    """(kind, text) pairs of the query, whitespace and comments left out.

    >>> [t for t in tokens('ASK { <a#b> ?p "}" } # }')]
    [('word', 'ASK'), ('open', '{'), ('iri', '<a#b>'), ('var', '?p'), ('string', '"}"'), ('close', '}')]
    """
    for found in _LEXER.finditer(query):
        kind = found.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, found.group()


def _unescape(iri: str) -> str:
    return re.sub(_UCHAR, lambda m: chr(int(m.group()[2:], 16)), iri)


def _service_allowed(target: str, hosts: tuple[str, ...]) -> bool:
    parts = urlsplit(target)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return False
    host = parts.hostname.lower()
    for entry in hosts:
        name, wanted = _host_port(entry)
        if name == host and wanted in (None, port):
            return True
    return False


def _host_port(entry: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6]`` or ``[v6]:port`` → (lower-case host, port or None)."""
    parts = urlsplit("//" + entry.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or entry.strip().lower()), port


def check_query(query: str, limits: Limits = Limits()) -> QueryInfo:
    """Refuse (QueryRefused) a query too large or deep, or with a SERVICE not allowed."""
    size = len(query.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_bytes:
        raise QueryRefused(f"the query is {size:,} bytes; at most {limits.max_bytes:,} are "
                           "accepted (use VALUES with fewer rows, or split it into smaller "
                           "queries)")
    info = QueryInfo()
    prefixes: dict[str, str] = {}
    from kg.namespaces import PREFIXES
    prefixes.update({f"{name}:": iri for name, iri in PREFIXES.items()})
    stream = list(tokens(query))
    info.count = len(stream)
    if info.count > limits.max_tokens:
        raise QueryRefused(f"the query has {info.count:,} tokens; at most "
                           f"{limits.max_tokens:,} are accepted (shorten long chains of "
                           "||, &&, UNION or property paths)")
    depth = 0
    for index, (kind, text) in enumerate(stream):
        if kind == "open":
            depth += 1
            if depth > info.depth:
                info.depth = depth
                if depth > limits.max_depth:
                    raise QueryRefused(
                        f"the query nests brackets {_final_depth(stream, index, depth)} deep; "
                        f"at most {limits.max_depth} levels are accepted (flatten the nested "
                        "groups or FILTER expressions)")
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word":
            word = text.upper()
            if word == "FROM":
                info.has_dataset = True
            elif word == "PREFIX" and index + 2 < len(stream) and stream[index + 1][0] == "pname" \
                    and stream[index + 2][0] == "iri":
                prefixes[stream[index + 1][1]] = _unescape(stream[index + 2][1][1:-1])
            elif word == "SERVICE":
                info.services.append(_service_target(stream, index, prefixes))
    if limits.service_hosts is not None:
        for target in info.services:
            if not _service_allowed(target, limits.service_hosts):
                allowed = ", ".join(limits.service_hosts)
                hint = (f"only these hosts are allowed: {allowed}" if allowed else
                        "start the endpoint with --allow-service HOST to permit one")
                raise QueryRefused(f"SERVICE {target} is refused: this endpoint does not send "
                                   f"requests to other servers unless told to; {hint}")
    return info


def _final_depth(stream, index: int, depth: int) -> int:
    """The deepest nesting of the whole query, for the message (counting goes on past the limit)."""
    deepest = depth
    for kind, _ in stream[index + 1:]:
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return deepest


def _service_target(stream, index: int, prefixes: dict[str, str]) -> str:
    """The IRI a SERVICE names, resolved; '?var' or the raw text when it cannot be resolved."""
    position = index + 1
    if position < len(stream) and stream[position][1].upper() == "SILENT":
        position += 1
    if position >= len(stream):
        return "(nothing)"
    kind, text = stream[position]
    if kind == "iri":
        return _unescape(text[1:-1])
    if kind == "pname":
        prefix, _, local = text.partition(":")
        base = prefixes.get(prefix + ":")
        return base + re.sub(r"\\(.)", r"\1", local) if base is not None else text
    return text

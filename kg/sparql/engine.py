"""SPARQL over the built dataset, on a real engine (pyoxigraph).

The store is loaded from the build output (``out/kg.trig``) or from a dataset built in
process; queries see the union of all named graphs as their default graph, with the
project's prefixes predeclared (``kg.namespaces.PREFIXES``). Results come back as rows for
a table, or serialised in the standard SPARQL 1.1 formats (JSON, XML, CSV, TSV) and, for
CONSTRUCT/DESCRIBE, as Turtle, N-Triples or JSON-LD.

>>> store = load_store("out")                                     # doctest: +SKIP
>>> result = run_query(store, "SELECT ?o WHERE { id:carla-hayden kg:heads ?o }")  # doctest: +SKIP
>>> [row["o"] for row in result_rows(result)]                     # doctest: +SKIP
['id:library-of-congress']

Language tags: Oxigraph lowercases them (``zh-Hant`` comes back as ``zh-hant``), so queries
compare tags with ``langMatches(lang(?label), "zh-Hant")``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.namespaces import PREFIXES, compact_iri
from kg.problems import UserError

__all__ = [
    "QuerySyntaxError", "QueryTimeout", "QueryResult", "RESULT_FORMATS", "GRAPH_FORMATS",
    "load_store", "store_from_dataset", "run_query", "is_update", "result_rows",
    "add_label_columns", "term_text", "format_syntax_error", "query_form", "DEFAULT_TIMEOUT",
    "ResultTooLarge", "QUERY_STACK_BYTES", "lang_warnings",
]

DEFAULT_TIMEOUT = 30.0
# the engine recurses on the calling thread's stack: queries run on a thread with this much
# (reserved address space, touched only as deep as a query goes; the 8 MB default crashed
# on ~3,000 nested braces, 256 MB held 30,000)
QUERY_STACK_BYTES = 256 * 1024 * 1024

# short name -> (media type, pyoxigraph format attribute name)
RESULT_FORMATS = {
    "json": ("application/sparql-results+json", "JSON"),
    "xml": ("application/sparql-results+xml", "XML"),
    "csv": ("text/csv", "CSV"),
    "tsv": ("text/tab-separated-values", "TSV"),
}
GRAPH_FORMATS = {
    "turtle": ("text/turtle", "TURTLE"),
    "ntriples": ("application/n-triples", "N_TRIPLES"),
    "jsonld": ("application/ld+json", "JSON_LD"),
    "rdfxml": ("application/rdf+xml", "RDF_XML"),
}

# a graph result asked for in a result-set format: the nearest graph format
_GRAPH_FOR = {"json": "jsonld", "xml": "rdfxml", "csv": "ntriples", "tsv": "ntriples"}

_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                    "ADD", "WITH"}


class QuerySyntaxError(UserError):
    """A query the engine cannot parse; ``line``/``column`` are 1-based, as the engine says."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.line, self.column = line, column


class QueryTimeout(UserError):
    """A query that ran longer than its time limit."""


class ResultTooLarge(UserError):
    """A result whose serialisation passed its size limit."""


class _CappedWriter:
    """A file-like sink for pyoxigraph's serialisers that stops at ``limit`` bytes."""

    def __init__(self, limit: int | None):
        self.limit, self.size, self.parts = limit, 0, []

    def write(self, data) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise ResultTooLarge(f"the result is larger than {self.limit:,} bytes; add a LIMIT "
                                 "or select fewer variables")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


@dataclass
class QueryResult:
    """What a query returned: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).

    ``data`` holds the serialised result when a format was asked for; otherwise
    ``variables``/``solutions`` (SELECT), ``boolean`` (ASK) or ``triples`` are filled in.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    solutions: list = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    data: bytes | None = None
    media_type: str = ""


# --- loading ---------------------------------------------------------------------------

def load_store(out_dir: str | Path = "out"):
    """A pyoxigraph Store holding ``<out_dir>/kg.trig`` (every named graph, in memory)."""
    import pyoxigraph

    path = Path(out_dir) / "kg.trig"
    if not path.is_file():
        raise UserError(f"{path}: no built dataset; run `kg build` first (or pass --out to "
                        "the folder that holds kg.trig)")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise UserError(f"{path}: not readable as TriG ({exc}); rebuild it with `kg build`")
    return store


def store_from_dataset(dataset):
    """A pyoxigraph Store holding an rdflib Dataset, e.g. ``kg.build.pipeline.build(...).dataset``."""
    import pyoxigraph

    from kg.build.writers import trig_bytes

    store = pyoxigraph.Store()
    store.bulk_load(trig_bytes(dataset), format=pyoxigraph.RdfFormat.TRIG)
    return store


# --- running ---------------------------------------------------------------------------

_TOKENS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*""")


def _strip_prologue(query: str) -> str:
    text = _TOKENS.sub(lambda m: " " if m.group().startswith("#") else m.group(), query)
    return re.sub(r"(?is)^\s*((BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*", "", text)


def is_update(query: str) -> bool:
    """True when the text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...)."""
    words = _strip_prologue(query).split(None, 1)
    return bool(words) and words[0].upper() in _UPDATE_KEYWORDS


def query_form(query: str) -> str:
    """``select``, ``ask``, ``graph`` (CONSTRUCT/DESCRIBE) or ``update`` from the first keyword.

    >>> query_form("PREFIX s: <https://schema.org/> # a comment\\nCONSTRUCT WHERE { ?a s:b ?c }")
    'graph'
    """
    words = _strip_prologue(query).split(None, 1)
    first = words[0].upper() if words else ""
    if first in _UPDATE_KEYWORDS:
        return "update"
    return {"CONSTRUCT": "graph", "DESCRIBE": "graph", "ASK": "ask"}.get(first, "select")


def run_query(store, query: str, *, timeout: float | None = DEFAULT_TIMEOUT,
              fmt: str | None = None, formats: tuple | None = None, limits=None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              max_result_bytes: int | None = None, inline: bool = False) -> QueryResult:
    """Run a SELECT/ASK/CONSTRUCT/DESCRIBE query; serialise it when ``fmt`` is given.

    ``fmt``: json, xml, csv, tsv (SELECT/ASK) or turtle, ntriples, jsonld, rdfxml
    (CONSTRUCT/DESCRIBE); a graph asked for as json/xml/csv/tsv comes as JSON-LD, RDF/XML,
    N-Triples; a table asked for as a graph format is a UserError. ``formats`` =
    (table format, graph format) instead picks by the result's kind, None leaving the result
    unserialised (the endpoint's content negotiation). The query is checked first
    (``kg.sparql.guard``, ``limits``). The default graph is the union of all graphs unless the
    query says FROM / FROM NAMED or ``default_graphs``/``named_graphs`` (the protocol's
    default-graph-uri / named-graph-uri, IRIs) are given, which then win over the query's.
    ``inline``: evaluate on the calling thread (which must have a QUERY_STACK_BYTES stack;
    the endpoint's workers do), without a time limit. Raises QuerySyntaxError, QueryTimeout,
    ResultTooLarge or UserError.
    """
    from kg.sparql.guard import Limits, check_query

    info = check_query(query, limits or Limits())
    if is_update(query):
        raise UserError("this is a SPARQL Update; the dataset is read-only here (rebuild it "
                        "from data/ with `kg build`, or push it to a store that accepts "
                        "updates with `kg push`)")
    if formats is None:
        if fmt in GRAPH_FORMATS:
            formats = ("", fmt)
        else:
            formats = (fmt, _GRAPH_FOR.get(fmt, fmt))
    dataset = _dataset(info.has_dataset, default_graphs, named_graphs)
    box: dict = {}

    def work() -> None:
        try:
            box["result"] = _evaluate(store, query, *formats, dataset=dataset,
                                      max_bytes=max_result_bytes)
        except BaseException as exc:  # handed to the caller's thread
            # without its traceback: the engine's result objects must die on this thread
            box["error"] = exc.with_traceback(None)

    if inline:
        work()
    else:
        previous = threading.stack_size(QUERY_STACK_BYTES)
        try:
            worker = threading.Thread(target=work, name="sparql-query", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous)
        worker.join(timeout)
    if not inline and worker.is_alive():
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was abandoned; add a "
                           "LIMIT or more specific patterns, or raise --timeout")
    if "error" in box:
        error = box["error"]
        if isinstance(error, UserError):
            raise error
        if isinstance(error, SyntaxError):
            raise format_syntax_error(query, str(error)) from None
        if isinstance(error, (OSError, RuntimeError, ValueError, OverflowError, TypeError)):
            raise UserError(f"the query failed: {error}; check the query") from None
        raise error
    return box["result"]


def _dataset(has_from: bool, default_graphs, named_graphs) -> dict:
    """pyoxigraph keyword arguments for the query's dataset (see run_query)."""
    import pyoxigraph

    if default_graphs is None and named_graphs is None:
        return {} if has_from else {"use_default_graph_as_union": True}
    try:
        chosen = {"default_graph": [pyoxigraph.NamedNode(g) for g in default_graphs or []]}
        if named_graphs is not None:
            chosen["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
        elif default_graphs:
            chosen["named_graphs"] = []
    except ValueError as exc:
        raise UserError(f"default-graph-uri / named-graph-uri must be absolute IRIs: {exc}") \
            from None
    return chosen


def _evaluate(store, query: str, table_fmt: str | None, graph_fmt: str | None, *,
              dataset: dict | None = None, max_bytes: int | None = None) -> QueryResult:
    import pyoxigraph

    results = store.query(query, prefixes=PREFIXES,
                          **(dataset if dataset is not None else
                             {"use_default_graph_as_union": True}))
    if isinstance(results, pyoxigraph.QueryTriples):
        if not graph_fmt:
            return QueryResult("graph", triples=list(results))
        result = QueryResult("graph")
        media, name = GRAPH_FORMATS[graph_fmt]
        rdf_format = getattr(pyoxigraph.RdfFormat, name)
        sink = _CappedWriter(max_bytes)
        if rdf_format in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML):
            pyoxigraph.serialize(results, sink, format=rdf_format, prefixes=PREFIXES)
        else:
            pyoxigraph.serialize(results, sink, format=rdf_format)
        result.data, result.media_type = sink.getvalue(), media
        return result
    if table_fmt == "":
        raise UserError(f"a SELECT or ASK result is a table, not a graph; use --format "
                        f"table, json, csv, tsv or xml instead of {graph_fmt}")
    if isinstance(results, pyoxigraph.QueryBoolean):
        result = QueryResult("ask", boolean=bool(results))
    else:
        result = QueryResult("select", variables=[v.value for v in results.variables])
    if table_fmt:
        media, name = RESULT_FORMATS[table_fmt]
        if result.kind == "ask" and table_fmt in ("csv", "tsv"):
            # CSV/TSV define no boolean form: one column named _askResult (as Jena writes it),
            # which rdflib's CSV and TSV result parsers read back
            answer = "true" if result.boolean else "false"
            result.data = (f"_askResult\r\n{answer}\r\n" if table_fmt == "csv"
                           else f"?_askResult\n{answer}\n").encode("utf-8")
        else:
            sink = _CappedWriter(max_bytes)
            results.serialize(sink, format=getattr(pyoxigraph.QueryResultsFormat, name))
            result.data = sink.getvalue()
        result.media_type = media
    elif result.kind == "select":
        result.solutions = list(results)
    return result


_LANG_EQ = re.compile(r"""(?is)\blang\s*\(\s*[?$]\w+\s*\)\s*(=|!=)\s*(["'])([^"']*)\2"""
                      r"""|(["'])([^"']*)\4\s*(=|!=)\s*lang\s*\(""")


def lang_warnings(query: str) -> list[str]:
    """Warnings for ``lang(?x) = "zh-Hant"``: the engine lower-cases language tags, so a
    mixed-case tag compared with ``=`` never matches.

    >>> lang_warnings('SELECT * { ?s ?p ?l FILTER(lang(?l) = "zh-Hant") }')[0][:40]
    'lang() is compared with "zh-Hant" by =: '
    """
    warnings = []
    for found in _LANG_EQ.finditer(query):
        tag = found.group(3) if found.group(3) is not None else found.group(5)
        if tag != tag.lower():
            warnings.append(f'lang() is compared with "{tag}" by =: the engine lower-cases '
                            f'language tags (zh-hant), so this matches nothing; write '
                            f'langMatches(lang(?x), "{tag}") instead')
    return warnings


# --- syntax errors ---------------------------------------------------------------------

_WHERE = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def _expected(text: str) -> str:
    """The engine's 'expected one of …' list without its character-class noise."""
    text = " ".join(text.split())
    head, _, items = text.partition("expected one of ")
    if not items:
        return text
    words = [w.strip() for w in re.split(r",\s*(?=[\"A-Za-z_\[{'])", items)]
    kept = [w for w in words if w and not w.startswith("[") and w != "Prefix not found"]
    if len(kept) > 8:
        kept = kept[:8] + ["…"]
    return "expected one of " + ", ".join(kept) if kept else "unexpected input"


def _token_at(line: str, column: int) -> str:
    """The token at 1-based ``column`` of ``line``, else the last token before it."""
    index = min(max(column - 1, 0), len(line))
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    for start, token in tokens:
        if start <= index < start + len(token):
            return token
    before = [token for start, token in tokens if start < index]
    return before[-1] if before else "end of query" if not line.strip() else tokens[0][1]


def format_syntax_error(query: str, message: str) -> QuerySyntaxError:
    """A QuerySyntaxError quoting the query line with a caret under the engine's column.

    >>> print(format_syntax_error("SELECT ?x WHERE {\\n  ?x ?p\\n}", "error at 3:1: x"))
    SPARQL syntax error at line 3, column 1, near '}': x
        1 | SELECT ?x WHERE {
        2 |   ?x ?p
        3 | }
          | ^
    """
    found = _WHERE.match(message.strip())
    if not found:
        return QuerySyntaxError(f"SPARQL syntax error: {message}; check the query")
    line_no, column, detail = int(found.group(1)), int(found.group(2)), found.group(3)
    from kg.sparql.explain import explain

    cause = explain(query, PREFIXES)
    if cause is not None:  # a common cause, said in the user's terms
        line_no, column = cause.line, cause.column
        detail = cause.message
        if detail.startswith("unknown prefix"):
            detail += " (predeclared: " + ", ".join(PREFIXES) + ")"
    lines = query.split("\n")
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    if cause is not None:
        pass
    elif "Prefix not found" in detail:
        prefix = re.findall(r"([A-Za-z][\w.-]*):", line[:column])
        name = prefix[-1] if prefix else "?"
        detail = (f"unknown prefix '{name}:'; declare it with PREFIX {name}: <…> (predeclared: "
                  + ", ".join(PREFIXES) + ")")
    else:
        detail = _expected(detail)
    token = _token_at(line, column)
    caret_pad = line[:max(column - 1, 0)]
    from kg.output import display_width
    # the engine reports where parsing gave up, which can be just past the mistake:
    # show the two lines before as well
    context = [f"{n:>5} | {lines[n - 1]}" for n in range(max(1, line_no - 2), line_no)
               if lines[n - 1].strip()]
    text = "\n".join([f"SPARQL syntax error at line {line_no}, column {column}, near "
                      f"{token!r}: {detail}", *context, f"{line_no:>5} | {line}",
                      f"      | {' ' * display_width(caret_pad)}^"])
    return QuerySyntaxError(text, line_no, column)


# --- rows for tables -------------------------------------------------------------------

def term_text(term) -> str:
    """A term as a person reads it: CURIE for our IRIs, the lexical form for literals
    (line breaks, which the report's PDF layout puts inside names, become spaces)."""
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        return re.sub(r"\s*\n\s*", " ", term.value)  # one line per table row
    return str(term)


def result_rows(result: QueryResult) -> tuple[list[dict], list[str]]:
    """(rows, columns) for kg.output: SELECT solutions, the ASK answer, or s/p/o triples."""
    if result.kind == "ask":
        return [{"answer": "true" if result.boolean else "false"}], ["answer"]
    if result.kind == "graph":
        rows = [{"subject": term_text(t.subject), "predicate": term_text(t.predicate),
                 "object": term_text(t.object)} for t in result.triples]
        return rows, ["subject", "predicate", "object"]
    rows = [{v: term_text(solution[v]) for v in result.variables}
            for solution in result.solutions]
    return rows, list(result.variables)


def _labels(store, lang: str) -> dict[str, str]:
    """CURIE -> rdfs:label in ``lang`` (``en`` or ``zh-Hant``), else in any other language."""
    rows = store.query("SELECT ?s ?l WHERE { ?s rdfs:label ?l }", prefixes=PREFIXES,
                       use_default_graph_as_union=True)
    best: dict[str, tuple[int, str]] = {}
    want = lang.lower()
    for row in rows:
        key = compact_iri(row["s"].value) if hasattr(row["s"], "value") else str(row["s"])
        tag = (row["l"].language or "").lower()
        rank = 0 if tag == want or tag.startswith(want + "-") else 1 if tag == "en" else 2
        if key not in best or (rank, row["l"].value) < best[key]:
            best[key] = (rank, row["l"].value)
    return {key: label for key, (_, label) in best.items()}


def add_label_columns(store, rows: list[dict], columns: list[str],
                      lang: str = "en") -> tuple[list[dict], list[str]]:
    """After each column holding labelled IRIs, a ``<column>Label`` column in ``lang``.

    ``lang``: ``en`` or ``zh`` (Traditional Chinese, ``zh-Hant``); a label in the other
    language stands in where one is missing.
    """
    labels = _labels(store, "zh-Hant" if lang == "zh" else lang)
    out_columns: list[str] = []
    for column in columns:
        out_columns.append(column)
        if column.endswith("Label") or f"{column}Label" in columns:
            continue
        if any(row.get(column) in labels for row in rows):
            name = f"{column}Label"
            out_columns.append(name)
            for row in rows:
                row[name] = labels.get(row.get(column), "")
    return rows, out_columns

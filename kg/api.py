"""The notebook API: load the built graph, get a networkx view, run SPARQL into rows.

>>> import kg.api
>>> g = kg.api.load("out")                                                  # doctest: +SKIP
>>> G = g.networkx(exclude_classes=["City"])                                # doctest: +SKIP
>>> g.query("SELECT ?l WHERE { id:ala rdfs:label ?l }")                     # doctest: +SKIP
[{'l': 'American Library Association'}, {'l': '美國圖書館學會'}]

Everything reads ``out/kg.trig`` (written by ``kg build``); the RDF dataset stays the source
of truth. SPARQL runs on pyoxigraph, which lowercases language tags: ``lang(?l)`` gives
``zh-hant``, so filter with ``langMatches(lang(?l), "zh-Hant")``.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from kg.namespaces import PREFIXES
from kg.problems import UserError

__all__ = ["load", "load_built", "open_store", "sparql_rows", "KnowledgeGraph", "TRIG_NAME"]

TRIG_NAME = "kg.trig"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + name: int for name in ("integer", "int", "long", "short", "nonNegativeInteger",
                                          "positiveInteger")}
_NUMERIC.update({_XSD + name: float for name in ("decimal", "double", "float")})


def _trig_path(out_dir: str | Path) -> Path:
    path = Path(out_dir) / TRIG_NAME
    if not path.is_file():
        raise UserError(f"{path} not found; run `kg build` first (or pass --out to the folder "
                        "`kg build` wrote)")
    return path


RDF_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt",
               ".jsonld": "json-ld"}


def load_built(out_dir: str | Path = "out"):
    """The rdflib Dataset `kg build` wrote: ``<out_dir>/kg.trig``, or an RDF file given directly
    (format from its suffix); UserError "run `kg build` first" when missing or unreadable."""
    from rdflib import Dataset

    path = Path(out_dir)
    path = path if path.is_file() else _trig_path(path)
    dataset = Dataset()
    try:
        dataset.parse(path, format=RDF_FORMATS.get(path.suffix, "trig"))
    except Exception as exc:  # a half-edited or foreign file: say which, not a traceback
        raise UserError(f"{path}: cannot read it as RDF ({exc}); run `kg build` again") from exc
    return dataset


def open_store(out_dir: str | Path = "out"):
    """A pyoxigraph Store holding ``<out_dir>/kg.trig`` (in memory)."""
    from kg.sparql.engine import load_store

    return load_store(out_dir)


def _python(term):
    """A pyoxigraph term as a plain value: IRI -> str, typed number -> int/float, bool -> bool."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        if datatype in _NUMERIC:
            try:
                return _NUMERIC[datatype](term.value)
            except ValueError:
                return term.value
        if datatype == _XSD + "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def _prologue(query: str) -> str:
    """Our usual prefixes, declared unless the query declares them itself."""
    lowered = query.lower()
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()
             if f"prefix {p}:" not in lowered]
    return "\n".join(lines + [query])


def sparql_rows(store, query: str) -> list[dict]:
    """Run ``query`` on a pyoxigraph Store (default graph = union of all graphs) into rows.

    SELECT gives one dict per solution (variable -> plain value, None when unbound); ASK gives
    ``[{"ask": bool}]``; CONSTRUCT/DESCRIBE give ``{"s", "p", "o"}`` dicts. The project's
    prefixes (``schema:``, ``kg:``, ``id:``, …) are predeclared. A syntax error is a UserError.

    >>> sparql_rows(open_store("out"), "ASK { id:ala ?p ?o }")                 # doctest: +SKIP
    [{'ask': True}]
    """
    import pyoxigraph

    try:
        result = store.query(_prologue(query), use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise UserError(f"SPARQL syntax error: {exc}; check the query") from exc
    if isinstance(result, pyoxigraph.QueryBoolean):
        return [{"ask": bool(result)}]
    if isinstance(result, pyoxigraph.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{name: _python(solution[name]) for name in names} for solution in result]
    return [{"s": _python(t.subject), "p": _python(t.predicate), "o": _python(t.object)}
            for t in result]


class KnowledgeGraph:
    """A built graph: ``.dataset`` (rdflib), ``.store`` (pyoxigraph), views and look-ups."""

    def __init__(self, out_dir: str | Path = "out"):
        self.out_dir = Path(out_dir)
        _trig_path(self.out_dir)  # fail early with the "run kg build" message

    @cached_property
    def dataset(self):
        return load_built(self.out_dir)

    @cached_property
    def store(self):
        return open_store(self.out_dir)

    def networkx(self, **options):
        """The networkx MultiDiGraph view; options as in ``kg.explore.graphview.to_networkx``."""
        from kg.explore.graphview import to_networkx

        return to_networkx(self.dataset, **options)

    def query(self, sparql: str) -> list[dict]:
        """SPARQL (pyoxigraph) into a list of dicts; see ``sparql_rows``."""
        return sparql_rows(self.store, sparql)

    def resolve(self, name: str) -> str:
        """The entity id for an id, IRI, label or alias (either language, either script)."""
        from kg.explore.resolve import resolve

        return resolve(self._entity_view, name)

    def search(self, text: str, limit: int = 10):
        from kg.explore.resolve import search

        return search(self._entity_view, text, limit)

    @cached_property
    def _entity_view(self):
        return self.networkx()

    def __repr__(self) -> str:
        return f"KnowledgeGraph({str(self.out_dir)!r})"


def load(out_dir: str | Path = "out") -> KnowledgeGraph:
    """The graph ``kg build`` wrote into ``out_dir``.

    >>> g = load("out"); G = g.networkx(); rows = g.query("SELECT * { ?s ?p ?o } LIMIT 3")
    ... # doctest: +SKIP
    """
    return KnowledgeGraph(out_dir)

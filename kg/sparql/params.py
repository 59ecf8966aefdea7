"""Parameters of library queries: declared in the ``.rq`` header, bound with ``VALUES``.

A header line ``# param: ?entity entity = carla-hayden | the entity whose mentions to list``
declares a variable, its type and its default (no ``=``: every value, i.e. the variable is
left free). Values become RDF terms (an entity's IRI, a typed literal) and are placed in a
``VALUES`` block at the start of the query's outer ``WHERE`` group: never spliced into the
query text, so a hostile value can only fail to resolve, never change the query.

>>> p = parse_param("?entity entity = carla-hayden | whose mentions")
>>> (p.name, p.type, p.default, p.description)
('entity', 'entity', 'carla-hayden', 'whose mentions')
>>> bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": "<https://example.org/a>"})
'SELECT ?x WHERE {\\n  VALUES ?x { <https://example.org/a> }\\n ?x ?p ?o }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from kg.problems import UserError

__all__ = ["Param", "PARAM_TYPES", "parse_param", "bind_values", "term_for", "parse_assignments"]

# type -> what a user gives
PARAM_TYPES = {
    "entity": "an entity by id, IRI, label or alias (either language or script)",
    "report": "a report by id (e.g. ala-2022-report) or IRI",
    "property": "a property as a CURIE (kg:heads, schema:about) or IRI",
    "string": "any text (compared as a plain literal)",
    "integer": "a whole number",
}

_PARAM = re.compile(r"\?([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)(?:\s*=\s*([^|]*?))?\s*(?:\|\s*(.*))?")
_MASK = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*""")


@dataclass(frozen=True)
class Param:
    """One declared parameter: ``?name``, its type (PARAM_TYPES), default (None: all)."""

    name: str
    type: str
    default: str | None = None
    description: str = ""


def parse_param(text: str) -> Param:
    """A Param from the text after ``# param:``; ValueError says what is malformed."""
    found = _PARAM.fullmatch(text.strip())
    if not found:
        raise ValueError(f"malformed param line {text!r}; write "
                         "'?name TYPE [= default] [| description]'")
    name, kind, default, description = found.groups()
    if kind not in PARAM_TYPES:
        raise ValueError(f"unknown param type {kind!r} for ?{name}; use one of "
                         + ", ".join(PARAM_TYPES))
    return Param(name, kind, (default or "").strip() or None, (description or "").strip())


def parse_assignments(items) -> dict[str, str]:
    """``["entity=Carla Hayden", ...]`` -> {"entity": "Carla Hayden"}; UserError on no ``=``."""
    values: dict[str, str] = {}
    for item in items or ():
        name, sep, value = str(item).partition("=")
        name = name.strip().lstrip("?")
        if not sep or not name:
            raise UserError(f"--param {item!r}: write NAME=VALUE, e.g. --param "
                            "entity=\"Carla Hayden\"")
        values[name] = value.strip()
    return values


def term_for(param: Param, value: str, *, resolve_entity: Callable[[str], str],
             resolve_report: Callable[[str], str]) -> str:
    """The SPARQL term (``<iri>`` or a literal) for one value; UserError when it is not valid.

    ``resolve_entity``/``resolve_report`` turn a user's name into an IRI (or raise UserError).
    """
    import pyoxigraph

    from kg.namespaces import expand_curie

    if param.type == "entity":
        return str(pyoxigraph.NamedNode(resolve_entity(value)))
    if param.type == "report":
        return str(pyoxigraph.NamedNode(resolve_report(value)))
    if param.type == "property":
        iri = expand_curie(value) if not value.startswith(("http://", "https://")) else value
        try:
            return str(pyoxigraph.NamedNode(str(iri or "")))
        except ValueError:
            pass
        raise UserError(f"?{param.name}: {value!r} is not a property; give a CURIE such as "
                        "kg:heads or schema:about, or a full IRI")
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise UserError(f"?{param.name}: {value!r} is not a whole number")
        return str(pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")))
    return str(pyoxigraph.Literal(value))


def _where_brace(query: str) -> int:
    """Index of the ``{`` opening the query's outer group pattern."""
    masked = _MASK.sub(lambda m: " " * len(m.group()), query)
    found = re.search(r"(?i)\bWHERE\s*\{", masked)
    if found:
        return found.end() - 1
    found = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT)\b[^{]*\{", masked)
    if found and found.group(1).upper() != "CONSTRUCT":
        return found.end() - 1
    raise UserError("this query has no WHERE { … } group to bind parameters in; add one")


def bind_values(query: str, terms: dict[str, str]) -> str:
    """``query`` with ``VALUES (?a ?b) { (t1 t2) }`` at the start of its WHERE group.

    ``terms`` maps variable names to SPARQL terms made by ``term_for`` (never raw input).
    """
    if not terms:
        return query
    names = sorted(terms)
    if len(names) == 1:
        block = f"VALUES ?{names[0]} {{ {terms[names[0]]} }}"
    else:
        block = (f"VALUES ({' '.join('?' + n for n in names)}) "
                 f"{{ ({' '.join(terms[n] for n in names)}) }}")
    at = _where_brace(query) + 1
    return query[:at] + "\n  " + block + "\n" + query[at:]


class Resolvers:
    """Name -> IRI for entity and report parameters, answered from the store; a name that is
    not an id is looked up by ``kg.explore.resolve`` on the networkx view (loaded once, only
    then, by ``graph_loader``)."""

    def __init__(self, store, graph_loader: Callable[[], object] | None = None):
        self.store = store
        self.graph_loader = graph_loader
        self._graph = None

    def _ask(self, query: str) -> bool:
        from kg.namespaces import PREFIXES

        return bool(self.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True))

    def entity(self, name: str) -> str:
        from kg.namespaces import BASE

        text = str(name).strip()
        key = text[3:] if text.startswith("id:") else \
            text[len(BASE) + 3:] if text.startswith(BASE + "id/") else text
        if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) and \
                self._ask(f"ASK {{ <{BASE}id/{key}> dcterms:identifier ?id }}"):
            return f"{BASE}id/{key}"
        if self.graph_loader is None:
            raise UserError(f"unknown entity {text!r}; give its id (see `kg search`)")
        from kg.explore.resolve import resolve

        if self._graph is None:
            self._graph = self.graph_loader()
        return f"{BASE}id/{resolve(self._graph, text)}"

    def report(self, name: str) -> str:
        from kg.namespaces import BASE, PREFIXES

        text = str(name).strip()
        reports = {row["id"].value: row["r"].value for row in self.store.query(
            "SELECT ?r ?id WHERE { ?r a schema:Report ; dcterms:identifier ?id }",
            prefixes=PREFIXES, use_default_graph_as_union=True)}
        for key, iri in reports.items():
            if text in (key, iri, f"{BASE}doc/{key}"):
                return iri
        raise UserError(f"unknown report {text!r}; the reports are: "
                        + (", ".join(sorted(reports)) or "none"))

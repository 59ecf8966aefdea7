"""The query library: one documented SPARQL query per ``queries/<name>.rq`` file.

Each file opens with a comment block of ``# key: value`` lines — ``title``, ``en`` (the
question in English), ``zh-Hant`` (the question in Traditional Chinese) and ``returns``
(what each row holds), and ``param`` lines (``kg.sparql.params``: ``?name type = default |
description``) — followed by the query, which declares its own prefixes so it also runs
unchanged in YASGUI, Fuseki or GraphDB (a parameter left free there means every value).

>>> library = load_library()
>>> library["who-leads-library-of-congress"].title      # doctest: +SKIP
'Who leads the Library of Congress'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from kg.files import project_root
from kg.problems import UserError
from kg.sparql.params import Param, bind_values, parse_param, term_for

__all__ = ["LibraryQuery", "library_dir", "load_library", "get_query", "prepare"]

_HEADER = re.compile(r"#\s*([A-Za-z-]+)\s*:\s*(.*)")


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    title: str
    question_en: str
    question_zh: str
    returns: str
    text: str
    path: Path
    params: tuple[Param, ...] = ()


def library_dir() -> Path:
    """``queries/`` in the checkout."""
    return project_root() / "queries"


def _parse(path: Path) -> LibraryQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    key = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        found = _HEADER.match(line)
        if found and found.group(1).lower() == "param":
            try:
                params.append(parse_param(found.group(2)))
            except ValueError as exc:
                raise UserError(f"{path}:{number}: {exc}") from None
            key = None
        elif found and found.group(1).lower() in ("title", "en", "zh-hant", "returns"):
            key = found.group(1).lower()
            fields[key] = found.group(2).strip()
        elif key and line.strip("# "):
            fields[key] += " " + line.lstrip("# ").strip()
    return LibraryQuery(path.stem, fields.get("title", path.stem), fields.get("en", ""),
                        fields.get("zh-hant", ""), fields.get("returns", ""), text, path,
                        tuple(params))


def load_library(folder: str | Path | None = None) -> dict[str, LibraryQuery]:
    """Every ``*.rq`` in ``folder`` (default ``queries/``), by name, in name order."""
    folder = Path(folder) if folder else library_dir()
    return {path.stem: _parse(path) for path in sorted(folder.glob("*.rq"))}


def get_query(name: str, folder: str | Path | None = None) -> LibraryQuery:
    """The library query called ``name``; a UserError naming close matches otherwise."""
    library = load_library(folder)
    if name in library:
        return library[name]
    close = difflib.get_close_matches(name, list(library), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UserError(f"no query named {name!r} in the library; {hint}"
                    "list them with `kg query --list`")


def prepare(query: LibraryQuery, given: dict[str, str], *, resolve_entity,
            resolve_report) -> str:
    """The query's text with its parameters bound (given values, else the defaults).

    >>> prepare(get_query("mentions-of-entity"), {"entity": "Carla Hayden"},
    ...         resolve_entity=..., resolve_report=...)        # doctest: +SKIP
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        have = ", ".join(f"{p.name} ({p.type})" for p in query.params) or "none"
        raise UserError(f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                        f"its parameters: {have}")
    terms = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None or value in ("", "*"):
            continue  # free: every value
        try:
            terms[param.name] = term_for(param, value, resolve_entity=resolve_entity,
                                         resolve_report=resolve_report)
        except UserError as exc:
            raise UserError(f"--param {param.name}: {exc}") from None
    return bind_values(query.text, terms)

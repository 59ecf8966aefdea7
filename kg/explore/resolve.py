"""Find entities by id, IRI, label or alias: either language, Traditional or Simplified Chinese.

Names are compared after normalising both sides: Unicode NFKC, case folded, Chinese
converted to Simplified (OpenCC ``t2s``), and spaces and punctuation dropped — so
``國會圖書館``, ``国会图书馆``, ``Library of Congress`` and ``library-of-congress`` all meet.

>>> from kg.api import load
>>> G = load("out").networkx()                                      # doctest: +SKIP
>>> resolve(G, "国会图书馆")                                          # doctest: +SKIP
'library-of-congress'
>>> search(G, "congress", limit=1)[0].id                            # doctest: +SKIP
'library-of-congress'
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import networkx as nx

from kg.namespaces import BASE
from kg.problems import UserError

__all__ = ["resolve", "resolve_many", "search", "normalize", "Match"]


class Match(NamedTuple):
    id: str
    label_en: str
    label_zh: str
    cls: str
    score: float


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The comparison key of a name.

    >>> normalize("國會 圖書館") == normalize("国会图书馆")
    True
    >>> normalize("Library-of-Congress")
    'libraryofcongress'
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")
    return _converter().convert(kept) if any(ord(ch) > 0x2e7f for ch in kept) else kept


def _graph(view_or_dataset) -> nx.Graph:
    if isinstance(view_or_dataset, nx.Graph):
        return view_or_dataset
    from kg.explore.graphview import to_networkx

    return to_networkx(view_or_dataset)


def _forms(attrs: dict, node_id: str) -> list[str]:
    forms = [node_id, attrs.get("label_en", ""), attrs.get("label_zh", "")]
    forms.extend(attrs.get("alt_labels", ()))
    return [form for form in forms if form]


class _Index:
    """Normalised name -> ids, built once per graph object."""

    def __init__(self, graph: nx.Graph):
        self.graph = graph
        self.by_key: dict[str, set[str]] = {}
        self.keys: dict[str, list[str]] = {}
        for node_id, attrs in graph.nodes(data=True):
            keys = []
            for form in _forms(attrs, node_id):
                key = normalize(form)
                if key:
                    self.by_key.setdefault(key, set()).add(node_id)
                    keys.append(key)
            self.keys[node_id] = list(dict.fromkeys(keys))


_INDEXES: dict[int, tuple[nx.Graph, _Index]] = {}


def _index(graph: nx.Graph) -> _Index:
    cached = _INDEXES.get(id(graph))
    if cached is None or cached[0] is not graph or \
            len(cached[1].keys) != graph.number_of_nodes():
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = (graph, _Index(graph))
        _INDEXES[id(graph)] = cached
    return cached[1]


def _describe(graph: nx.Graph, node_id: str) -> str:
    attrs = graph.nodes[node_id]
    names = " / ".join(dict.fromkeys(n for n in (attrs.get("label_en"), attrs.get("label_zh"))
                                     if n))
    return f"{node_id} ({names or node_id}, {attrs.get('class', '?')})"


def resolve(view_or_dataset, name: str) -> str:
    """The id of the one entity named ``name`` (id, IRI, label or alias).

    Raises UserError listing the candidates when the name is ambiguous, or suggesting the
    closest names when nothing matches.

    >>> resolve(G, "Library of Congress")                             # doctest: +SKIP
    'library-of-congress'
    """
    graph = _graph(view_or_dataset)
    text = str(name).strip()
    if not text:
        raise UserError("empty entity name; give an id, a label or an alias")
    if text in graph:
        return text
    for prefix, replacement in ((BASE + "id/", ""), ("id:", ""), (BASE, "")):
        if text.startswith(prefix) and replacement + text[len(prefix):] in graph:
            return replacement + text[len(prefix):]
    index = _index(graph)
    found = sorted(index.by_key.get(normalize(text), ()))
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(_describe(graph, node_id) for node_id in found)
        raise UserError(f"{text!r} is ambiguous, it names {len(found)} entities: {listed}; "
                        "pass the id instead")
    suggestions = [m.id for m in search(graph, text, limit=5) if m.score >= 0.3]
    if not suggestions:
        close = difflib.get_close_matches(normalize(text), list(index.by_key), n=5, cutoff=0.5)
        suggestions = list(dict.fromkeys(i for key in close for i in sorted(index.by_key[key])))
    hint = ("did you mean: " + "; ".join(_describe(graph, s) for s in suggestions[:5])
            if suggestions else "no similar names")
    raise UserError(f"unknown entity {text!r}; {hint} (`kg search TEXT` lists partial matches)")


def resolve_many(view_or_dataset, names) -> list[str]:
    """``resolve`` for each name, in order."""
    graph = _graph(view_or_dataset)
    return [resolve(graph, name) for name in names]


def _score(query: str, key: str) -> float:
    if not key:
        return 0.0
    if key == query:
        return 1.0
    if key.startswith(query):
        return 0.8 + 0.15 * len(query) / len(key)
    if query in key:
        return 0.5 + 0.3 * len(query) / len(key)
    if len(key) >= 2 and key in query:
        return 0.4 * len(key) / len(query)
    ratio = difflib.SequenceMatcher(None, query, key).ratio()
    return 0.6 * ratio if ratio >= 0.6 else 0.0


def search(view_or_dataset, text: str, limit: int = 10) -> list[Match]:
    """Entities whose id, labels or aliases match ``text``, best first.

    An exact name scores 1.0, a name starting with the text about 0.8–0.95, a name containing
    it 0.5–0.8, a close spelling up to 0.6.

    >>> [m.id for m in search(G, "國會圖書館", limit=2)]                  # doctest: +SKIP
    ['library-of-congress', ...]
    """
    graph = _graph(view_or_dataset)
    query = normalize(text)
    if not query:
        raise UserError("empty search text; give part of a name in English or Chinese")
    index = _index(graph)
    matches = []
    for node_id, keys in index.keys.items():
        score = max((_score(query, key) for key in keys), default=0.0)
        if score > 0:
            attrs = graph.nodes[node_id]
            matches.append(Match(node_id, attrs.get("label_en", ""), attrs.get("label_zh", ""),
                                 attrs.get("class", ""), round(score, 3)))
    matches.sort(key=lambda m: (-m.score, m.label_en or m.label_zh, m.id))
    return matches[:limit] if limit else matches

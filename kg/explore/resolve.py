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
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import networkx as nx

from kg.namespaces import BASE
from kg.problems import UserError

__all__ = ["resolve", "resolve_many", "search", "normalize", "words", "Match"]


class Match(NamedTuple):
    id: str
    label_en: str
    label_zh: str
    cls: str
    score: float
    matched: str = ""   # what matched: label, alias, notation, description, role, figure …


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


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


_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The Latin words of a text, case-folded and stemmed (Snowball English), so ``gaming``
    meets ``Games``; CJK runs are left out (they are compared as substrings).

    >>> words("Games in libraries")
    ('game', 'in', 'librari')
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    found = [w for w in _WORD.findall(folded) if not any(ord(ch) > 0x2e7f for ch in w)]
    return tuple(_stemmer().stemWords(found))


def _has_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2e7f for ch in text)


def _graph(view_or_dataset) -> nx.Graph:
    if isinstance(view_or_dataset, nx.Graph):
        return view_or_dataset
    from kg.explore.graphview import to_networkx

    return to_networkx(view_or_dataset)


def _forms(attrs: dict, node_id: str) -> list[tuple[str, str]]:
    """(form, kind) for every name of a node: labels, aliases, notation, then the id."""
    forms = [(attrs.get("label_en", ""), "label"), (attrs.get("label_zh", ""), "label")]
    forms += [(alt, "alias") for alt in attrs.get("alt_labels", ())]
    forms += [(attrs.get("notation", ""), "notation"), (node_id, "id")]
    return [(form, kind) for form, kind in forms if form]


def _roles(graph: nx.Graph) -> dict[str, set[str]]:
    """Node -> the role names (``schema:roleName``) of the relations it is the subject of."""
    roles: dict[str, set[str]] = {}
    edges = graph.edges(data=True)
    for u, _, data in edges:
        for key in ("role_en", "role_zh"):
            if data.get(key):
                roles.setdefault(u, set()).add(data[key])
    return roles


class _Index:
    """Normalised name -> ids, and each node's searchable fields, built once per graph."""

    def __init__(self, graph: nx.Graph):
        self.graph = graph
        self.by_key: dict[str, set[str]] = {}
        self.keys: dict[str, list[tuple[str, str, tuple]]] = {}
        self.texts: dict[str, list[tuple[str, str, str, tuple]]] = {}
        self.notation: dict[str, set[str]] = {}
        roles = _roles(graph)
        for node_id, attrs in graph.nodes(data=True):
            keys = []
            for form, kind in _forms(attrs, node_id):
                key = normalize(form)
                if key:
                    self.by_key.setdefault(key, set()).add(node_id)
                    keys.append((key, kind, words(form)))
            self.keys[node_id] = list(dict.fromkeys(keys))
            if attrs.get("notation"):
                self.notation.setdefault(attrs["notation"].strip(), set()).add(node_id)
            texts = [("description", attrs.get(k, "")) for k in ("description_en",
                                                                  "description_zh")]
            texts += [("role", role) for role in sorted(roles.get(node_id, ()))]
            self.texts[node_id] = [(kind, text, normalize(text), words(text))
                                   for kind, text in texts if text]


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
    by_notation = sorted(index.notation.get(text, ()))
    if len(by_notation) == 1:
        return by_notation[0]
    found = by_notation or sorted(index.by_key.get(normalize(text), ()))
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


def _name_score(query: str, qwords: tuple, key: str, kwords: tuple) -> float:
    """How well a name matches: 1.0 exact, 0.8–0.95 starts with the text, 0.5–0.8 contains it
    (whole words for Latin text, any run for Chinese), 0.4 a stemmed word match, up to 0.6
    for a close spelling (similarity 0.75 or more)."""
    if not key:
        return 0.0
    if key == query:
        return 1.0
    if key.startswith(query):
        return 0.8 + 0.15 * len(query) / len(key)
    cjk = _has_cjk(query)
    if cjk and query in key:
        return 0.5 + 0.3 * len(query) / len(key)
    if qwords and kwords:
        n = len(qwords)
        runs = [kwords[i:i + n] for i in range(len(kwords) - n + 1)]
        if any(all(k.startswith(q) for q, k in zip(qwords, run)) for run in runs):
            return 0.5 + 0.3 * len(query) / len(key)
        if set(qwords) <= set(kwords):
            return 0.4 + 0.1 * len(qwords) / len(kwords)
    if cjk and len(key) >= 2 and key in query:
        return 0.4 * len(key) / len(query)
    if len(query) >= 4:
        ratio = difflib.SequenceMatcher(None, query, key).ratio()
        return 0.6 * ratio if ratio >= 0.75 else 0.0
    return 0.0


def _text_score(query: str, qwords: tuple, kind: str, key: str, kwords: tuple) -> float:
    """A description or role containing the text (every word, stemmed): 0.3–0.45, below any
    name that contains it; roles (``Librarian of Congress``) above descriptions."""
    top = 0.45 if kind == "role" else 0.4
    if _has_cjk(query):
        hit = query in key
    else:
        hit = bool(qwords) and set(qwords) <= set(kwords)
    if not hit:
        return 0.0
    return top - 0.1 * (1 - min(1.0, len(query) / max(len(key), 1)))


def _figure_matches(graph: nx.Graph, text: str) -> dict[str, str]:
    """Node -> a figure whose value is ``text`` (``2017``, ``7738``, ``2022-07-04``)."""
    wanted = str(text).strip().replace(",", "")
    found = {}
    for node, facts in graph.graph.get("facts", {}).items():
        for fact in facts:
            if wanted and wanted in (fact["value"], fact["as_of"]) and node not in found:
                unit = f" {fact['unit']}" if fact["unit"] else ""
                where = f" ({fact['section']})" if fact["section"] else ""
                found[node] = f"figure: {fact['label_en']} {fact['value']}{unit}{where}"
    return found


def search(view_or_dataset, text: str, limit: int = 10) -> list[Match]:
    """Entities whose id, labels, aliases, notation (sections), descriptions, role names or
    figures match ``text``, best first; ``matched`` says which.

    An exact name scores 1.0; a name starting with the text about 0.8–0.95; a name holding
    it (Latin: whole words, stemmed, so ``gaming`` finds ``Games in libraries``; Chinese: any
    run, Traditional or Simplified) 0.4–0.8; a close spelling up to 0.6; a role name or
    description holding every word 0.3–0.45; a figure with that value 0.5.

    >>> [m.id for m in search(G, "國會圖書館", limit=2)]                  # doctest: +SKIP
    ['library-of-congress', ...]
    """
    graph = _graph(view_or_dataset)
    query = normalize(text)
    if not query:
        raise UserError("empty search text; give part of a name in English or Chinese")
    qwords = words(text)
    index = _index(graph)
    figures = _figure_matches(graph, text)
    matches = []
    for node_id, keys in index.keys.items():
        best, matched = 0.0, ""
        for key, kind, kwords in keys:
            score = _name_score(query, qwords, key, kwords)
            if score > best:
                best, matched = score, kind
        for kind, _, key, kwords in index.texts.get(node_id, ()):
            score = _text_score(query, qwords, kind, key, kwords)
            if score > best:
                best, matched = score, kind
        if node_id in figures and best < 0.5:
            best, matched = 0.5, figures[node_id]
        if best > 0:
            attrs = graph.nodes[node_id]
            matches.append(Match(node_id, attrs.get("label_en", ""), attrs.get("label_zh", ""),
                                 attrs.get("class", ""), round(best, 3), matched))
    matches.sort(key=lambda m: (-m.score, m.label_en or m.label_zh, m.id))
    return matches[:limit] if limit else matches

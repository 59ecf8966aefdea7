"""Options shared by the commands that read the built graph (stats, rank, path, …).

>>> @click.command()
... @graph_options
... def cmd(out_dir, exclude_types, topic_hierarchy, documents): ...     # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click

__all__ = ["graph_options", "load_view", "name_of", "walk_options", "avoided", "context_note"]


def graph_options(func: Callable) -> Callable:
    """``--out DIR`` (the build folder) and the view options (leave out classes, …)."""
    func = click.option("--documents", is_flag=True,
                        help="Add the report, its sections and figures as nodes.")(func)
    func = click.option("--no-topic-hierarchy", "topic_hierarchy", is_flag=True, default=True,
                        flag_value=False,
                        help="Leave out skos:broader links between topics.")(func)
    func = click.option("--exclude-type", "exclude_types", multiple=True, metavar="CLASS",
                        help="Leave out nodes of this class, e.g. City (repeatable).")(func)
    func = click.option("--out", "out_dir", type=click.Path(path_type=Path),
                        default=Path("out"), show_default=True,
                        help="The folder `kg build` wrote (reads kg.trig).")(func)
    return func


_VIEWS: dict = {}  # (file, mtime, size, options) -> view: one parse per file in a process


def _file_key(out_dir) -> tuple | None:
    path = Path(out_dir)
    path = path if path.is_file() else path / "kg.trig"
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)


def load_view(out_dir, exclude_types=(), topic_hierarchy=True, documents=False):
    """The networkx view of ``<out_dir>/kg.trig`` with the chosen options (a fresh copy; the
    parse is kept for the same unchanged file, so a notebook or test asking again is quick)."""
    import copy

    from kg.explore.graphview import check_classes, to_networkx
    from kg.api import load_built

    check_classes(exclude_types)  # a typo fails before the (slower) parse
    file_key = _file_key(out_dir)
    key = file_key and (file_key, tuple(exclude_types), topic_hierarchy, documents)
    if key and key in _VIEWS:
        return copy.deepcopy(_VIEWS[key])
    view = to_networkx(load_built(out_dir), exclude_classes=exclude_types,
                       topic_hierarchy=topic_hierarchy, documents=documents)
    if key:
        if len(_VIEWS) >= 4:
            _VIEWS.clear()
        _VIEWS[key] = copy.deepcopy(view)
    return view


def name_of(G, node: str, lang: str) -> str:
    from kg.explore.analytics import node_name

    return node_name(G, node, lang)


def walk_options(func: Callable) -> Callable:
    """``--keep-context`` and ``--avoid ENTITY`` for the commands that walk the graph."""
    func = click.option("--avoid", multiple=True, metavar="ENTITY",
                        help="Do not pass through this entity, e.g. a hub (repeatable).")(func)
    func = click.option("--keep-context", is_flag=True,
                        help="Keep each report's author and conference, which are left out "
                             "by default: context of every statement, not evidence of "
                             "brokerage.")(func)
    return func


def avoided(G, names) -> tuple:
    """The ids of ``--avoid`` names (UserError for an unknown one)."""
    from kg.explore.resolve import resolve_many

    return tuple(resolve_many(G, names))


def context_note(G, keep_context: bool, lang: str) -> None:
    """Say on standard error which context hubs were left out, so no one wonders."""
    hubs = G.graph.get("context", ())
    if hubs and not keep_context:
        names = ", ".join(name_of(G, n, lang) for n in hubs if n in G)
        click.echo(f"left out as context (--keep-context keeps them): {names}", err=True)

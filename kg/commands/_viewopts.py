"""Options shared by ``kg viz`` and ``kg snapshot``: which view, of which build.

>>> @click.command()
... @view_options
... def cmd(out_dir, kind, focus, depth, types, community, size_by, lang): ...   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click

__all__ = ["view_options", "view_name"]


def view_options(func: Callable) -> Callable:
    """``--out``, ``--view``, ``--focus/--depth``, ``--types``, ``--community``, ``--size-by``,
    ``--lang``."""
    options = [
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Label language (the page has a switch)."),
        click.option("--size-by", type=click.Choice(["degree", "pagerank", "betweenness",
                                                     "eigenvector"]), default="degree",
                     show_default=True, help="Centrality that sizes the nodes."),
        click.option("--community", type=int, default=None, metavar="N",
                     help="Only community N, numbered as `kg communities` prints them."),
        click.option("--types", multiple=True, metavar="CLASS",
                     help="Only nodes of these classes, e.g. --types Person --types Library."),
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
                     help="With --focus: how many links away to go."),
        click.option("--focus", metavar="ENTITY", default=None,
                     help="Centre on an entity: id or label, English or Chinese."),
        click.option("--view", "kind", type=click.Choice(["graph", "topics", "people-topics"]),
                     default="graph", show_default=True,
                     help="The whole graph, the topic map (SKOS + sessions) or people–topics."),
        click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
                     show_default=True, help="The folder `kg build` wrote (reads kg.trig)."),
    ]
    for option in options:
        func = option(func)
    return func


def view_name(kind: str, focus: str | None, depth: int, types, community) -> str:
    """A file name stem for a view: ``graph``, ``focus-carla-hayden-1``, ``graph-person``…"""
    import re

    parts = [kind]
    if focus:
        parts = [f"focus-{focus}-{depth}"] if kind == "graph" else parts + [f"focus-{focus}"]
    parts += [t.lower() for t in types]
    if community is not None:
        parts.append(f"community-{community}")
    stem = "-".join(parts)
    return re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-") or "view"

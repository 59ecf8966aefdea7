"""Views on slides: the ``<iframe>`` snippet for a deck and the reveal.js plugin beside it.

The snippet's ``src`` is relative to the deck's own folder, so the deck and its views can move
together; without a deck the view is inlined as ``srcdoc``. The plugin (``reveal-kg.js``)
passes the slide keys pressed inside a view on to the deck and sizes each view to the room
left on its slide; docs/decks.md has the recipe.

>>> snippet("Topics", page=Path("talk/views/topics.html"), deck=Path("talk/index.html"))
'<iframe data-kg-view src="views/topics.html?embed=1" title="Topics" style="display:block;width:100%;height:520px;border:0"></iframe>'
"""

from __future__ import annotations

import html
import os
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from kg.files import atomic_write

__all__ = ["snippet", "write_plugin", "plugin_source", "PLUGIN_NAME"]

PLUGIN_NAME = "reveal-kg.js"
_STYLE = "display:block;width:100%;height:520px;border:0"


def _deck_dir(deck: Path) -> Path:
    deck = Path(deck)
    return deck if deck.is_dir() or not deck.suffix else deck.parent


def snippet(title: str, *, page: Path | None = None, deck: Path | None = None,
            srcdoc: str | None = None, keep=(), theme: str = "auto") -> str:
    """An ``<iframe data-kg-view>`` for a slide: ``src`` relative to ``deck``, or ``srcdoc``."""
    attrs = 'data-kg-view'
    if srcdoc is not None:
        attrs += f' srcdoc="{html.escape(srcdoc, quote=True)}"'
    else:
        rel = os.path.relpath(Path(page).resolve(), _deck_dir(deck).resolve())
        query = "embed=1" + (f"&keep={','.join(sorted(set(keep)))}" if keep else "") + \
            (f"&theme={theme}" if theme and theme != "auto" else "")
        src = quote(Path(rel).as_posix()) + "?" + query
        attrs += f' src="{html.escape(src, quote=True)}"'
    return (f'<iframe {attrs} title="{html.escape(title, quote=True)}" style="{_STYLE}">'
            '</iframe>')


def plugin_source() -> str:
    """The text of the reveal.js plugin (``KgViews``)."""
    return resources.files("kg.viz").joinpath("assets", PLUGIN_NAME).read_text(encoding="utf-8")


def write_plugin(deck: Path) -> Path | None:
    """Write reveal-kg.js beside the deck unless the same file is there; its path, or None."""
    target = _deck_dir(deck) / PLUGIN_NAME
    source = plugin_source().encode("utf-8")
    if target.is_file() and target.read_bytes() == source:
        return None
    atomic_write(target, source)
    return target

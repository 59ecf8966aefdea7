"""``kg viz``: write one interactive, self-contained HTML view of the built graph."""

from __future__ import annotations

from pathlib import Path

import click

from kg.files import default_sources_dir
from kg.commands._viewopts import view_name, view_options


@click.command(help="""Write an interactive graph view: one HTML file with everything inlined
(works offline and from file://), laid out in Python so it is still at first paint. Click a
node for its labels, facts and relations with the report section (and passage) each comes
from; search in English or Chinese; switch languages; filter by class and community.

\b
Examples:
  kg viz                                   # out/html/graph.html
  kg viz --focus carla-hayden --depth 2 --lang en
  kg viz --view topics --out-file slides/topics.html --embed
  kg viz --types Person --types Library --size-by pagerank
  kg viz --community 2 --snippet           # print an <iframe> with the view inlined
  kg viz --focus nlc --out-file talk/views/nlc.html --snippet --deck talk/index.html
  kg viz --view topics --embed --keep title --keep legend --theme dark

In a deck, a view re-fits whenever its slide is shown or resized, and the slide keys pressed
inside it go on to the deck (see docs/decks.md for the reveal.js recipe and plugin).
""")
@view_options
@click.option("--out-file", type=click.Path(path_type=Path), default=None,
              help="HTML file to write.  [default: <out>/html/<view>.html]")
@click.option("--embed", is_flag=True, help="No header or panels (for slides); "
              "any page also takes ?embed=1.")
@click.option("--keep", type=click.Choice(["title", "legend"]), multiple=True,
              help="In embed mode, keep the title and/or the legend (page: ?keep=title,legend).")
@click.option("--theme", type=click.Choice(["auto", "light", "dark"]), default="auto",
              show_default=True, help="Colours; auto follows the reader's prefers-color-scheme "
              "(page: ?theme=dark).")
@click.option("--physics", is_flag=True, help="Start with physics on (layout keeps moving).")
@click.option("--snippet", is_flag=True, help="Print an <iframe> for a slide: with --deck its "
              "src is relative to the deck, else the view is inlined (srcdoc).")
@click.option("--deck", type=click.Path(path_type=Path), default=None,
              help="The deck's HTML file (or folder): the snippet's src is relative to it, "
                   "and reveal-kg.js (the deck plugin) is written beside it if missing.")
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="Report text (file or folder) for the passages in the panel.  "
                   "[default: ../shared/sources next to the checkout, if present]")
@click.option("--no-source", is_flag=True, help="Leave the report passages out.")
def viz(out_dir, kind, focus, depth, types, community, size_by, lang, out_file, embed, keep,
        theme, physics, snippet, deck, sources, no_source):
    from kg.viz.defaults import build_view
    from kg.files import atomic_write

    if not sources and not no_source and default_sources_dir().is_dir():
        sources = (default_sources_dir(),)
    view, page = build_view(out_dir, kind=kind, focus=focus, depth=depth, types=types,
                            community=community, lang=lang, size_by=size_by, embed=embed,
                            physics=physics, source_texts=() if no_source else sources,
                            keep=keep, theme=theme)
    stem = view_name(kind, view.center, depth, types, community)
    target = out_file or Path(out_dir) / "html" / f"{stem}.html"
    atomic_write(target, page.encode("utf-8"))
    click.echo(f"wrote {target} ({view.graph.number_of_nodes()} nodes, "
               f"{view.graph.number_of_edges()} edges)", err=True)
    if snippet:
        from kg.viz.deck import snippet as make_snippet

        title = view.title_zh if lang == "zh" else view.title_en
        if deck is None:
            _, inline = build_view(out_dir, kind=kind, focus=focus, depth=depth, types=types,
                                   community=community, lang=lang, size_by=size_by, embed=True,
                                   physics=physics, keep=keep, theme=theme,
                                   source_texts=() if no_source else sources)
            click.echo(make_snippet(title, srcdoc=inline))
        else:
            from kg.viz.deck import write_plugin

            click.echo(make_snippet(title, page=target, deck=deck, keep=keep,
                                    theme=theme))
            plugin = write_plugin(deck)
            if plugin is not None:
                click.echo(f"wrote {plugin} (load it in the deck: see docs/decks.md)", err=True)

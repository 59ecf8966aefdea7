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
  kg viz --community 2 --snippet           # also print an <iframe> for a slide deck
""")
@view_options
@click.option("--out-file", type=click.Path(path_type=Path), default=None,
              help="HTML file to write.  [default: <out>/html/<view>.html]")
@click.option("--embed", is_flag=True, help="No header or panels (for slides); "
              "any page also takes ?embed=1.")
@click.option("--physics", is_flag=True, help="Start with physics on (layout keeps moving).")
@click.option("--snippet", is_flag=True, help="Print an <iframe> snippet for the page.")
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="Report text (file or folder) for the passages in the panel.  "
                   "[default: ../shared/sources next to the checkout, if present]")
@click.option("--no-source", is_flag=True, help="Leave the report passages out.")
def viz(out_dir, kind, focus, depth, types, community, size_by, lang, out_file, embed, physics,
        snippet, sources, no_source):
    from kg.viz.defaults import build_view
    from kg.files import atomic_write

    if not sources and not no_source and default_sources_dir().is_dir():
        sources = (default_sources_dir(),)
    view, page = build_view(out_dir, kind=kind, focus=focus, depth=depth, types=types,
                            community=community, lang=lang, size_by=size_by, embed=embed,
                            physics=physics, source_texts=() if no_source else sources)
    stem = view_name(kind, view.center, depth, types, community)
    target = out_file or Path(out_dir) / "html" / f"{stem}.html"
    atomic_write(target, page.encode("utf-8"))
    click.echo(f"wrote {target} ({view.graph.number_of_nodes()} nodes, "
               f"{view.graph.number_of_edges()} edges)", err=True)
    if snippet:
        import html

        src = html.escape(target.as_posix() + ("" if embed else "?embed=1"), quote=True)
        title = html.escape(view.title_zh if lang == "zh" else view.title_en, quote=True)
        click.echo(f'<iframe src="{src}" title="{title}" style="width:100%;aspect-ratio:16/9;'
                   f'border:0" loading="lazy"></iframe>')

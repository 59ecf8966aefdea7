"""``kg snapshot``: PNG and SVG images of a view for slides, with readable Chinese labels."""

from __future__ import annotations

from pathlib import Path

import click

from kg.commands._viewopts import view_name, view_options


@click.command(help="""Draw a view as PNG and SVG for slides (16:9, 1920x1080 by default), with
the same layout, colours and sizes as `kg viz`. Chinese labels need a CJK font (Debian:
fonts-noto-cjk); without one the command stops and says how to install it.

\b
Examples:
  kg snapshot                               # out/html/graph.png and graph.svg
  kg snapshot --view topics --lang en --format png
  kg snapshot --focus 國會圖書館 --depth 2 --out-file slides/loc --size 1280x720
  kg snapshot --view topics --theme dark    # for a black slide
""")
@view_options
@click.option("--out-file", type=click.Path(path_type=Path), default=None,
              help="Path without extension; .png/.svg are added.  [default: <out>/html/<view>]")
@click.option("--format", "formats", type=click.Choice(["png", "svg"]), multiple=True,
              help="Image formats (repeatable).  [default: png and svg]")
@click.option("--size", default="1920x1080", show_default=True, metavar="WxH",
              help="Image size in pixels.")
@click.option("--labels", "max_labels", type=click.IntRange(min=0), default=60,
              show_default=True, help="Label at most this many nodes (the most central); "
              "labels never overlap, so a crowded picture may label fewer.")
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light",
              show_default=True, help="Dark: light text on black, for a dark projector slide.")
def snapshot(out_dir, kind, focus, depth, types, community, size_by, lang, out_file, formats,
             size, max_labels, theme):
    from kg.problems import UserError
    from kg.viz.defaults import load_graph_data, select_view
    from kg.viz.snapshot import snapshot as draw

    try:
        width, height = (int(x) for x in size.lower().split("x"))
    except ValueError:
        raise UserError(f"--size {size!r} is not WIDTHxHEIGHT; write e.g. 1920x1080") from None
    view = select_view(load_graph_data(out_dir), kind=kind, focus=focus, depth=depth,
                       types=types, community=community)
    base = out_file or Path(out_dir) / "html" / view_name(kind, view.center, depth, types, community)
    for suffix in (".png", ".svg"):
        if str(base).endswith(suffix):
            base = Path(str(base)[: -len(suffix)])
    result = draw(view.graph, base, title=view.title_zh if lang == "zh" else view.title_en,
                  lang=lang, size_by=size_by, formats=formats or ("png", "svg"), width=width,
                  height=height, max_labels=max_labels, context=view.context,
                  center=view.center, theme=theme)
    for path in result.paths.values():
        click.echo(f"wrote {path} ({width}x{height}, font {result.font.name}, "
                   f"{len(result.labels)} labels)")
    if result.unplaced:
        click.echo(f"note: {len(result.unplaced)} label(s) had no free place and were left "
                   f"out (use --size for a larger image or a narrower view): "
                   + ", ".join(result.unplaced[:5]) + (" …" if len(result.unplaced) > 5 else ""),
                   err=True)
    if result.missing:
        click.echo(f"warning: no installed font has {result.missing!r}; those characters are "
                   "drawn as boxes", err=True)

"""``kg site DIR``: the linked-data pages, views, query library and dumps as a static site."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["site"]


@click.command(help="""Write the built graph as a static site that works offline and on any host.

One page per resource of the dataset (entities, reports, sections, figures, statements,
facts), each with its Turtle, N-Triples and JSON-LD beside it and schema.org JSON-LD
embedded; the dataset description (VoID/DCAT, also at .well-known/void); the query library
(with the SPARQL examples); the HTML views of the build; the dumps. Links are relative,
so the folder opens from file:// and from any static host. DIR is replaced whole, only
once everything is written.

\b
Examples:
  kg site site/
  kg site /var/www/kg --base-url https://kg.example.org/
  python -m http.server -d site/ 8000
""")
@click.argument("site_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Build folder holding kg.trig, the dumps and html/.")
@click.option("--base-url", default=None, metavar="URL",
              help="Where the site will be deployed (used for the SPARQL examples' endpoint).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
def site(site_dir, out_dir, base_url, quiet):
    from kg.site.static import write_site

    def progress(text: str) -> None:
        if not quiet:
            click.echo(text, err=True)

    summary = write_site(out_dir, site_dir, base_url=base_url, progress=progress)
    click.echo(f"wrote {summary.pages} pages ({summary.resources} resources, "
               f"{summary.queries} queries, {summary.views} views) to {summary.folder}")
    click.echo(f"open {summary.folder / 'index.html'}")

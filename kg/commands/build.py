"""``kg build``: data/ -> out/ (Turtle, TriG, JSON-LD, N-Triples)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.files import default_data_dir, default_sources_dir


def progress_printer(quiet: bool):
    stages = {"load": 1, "check": 2, "text": 3, "rdf": 4, "shacl": 5, "write": 6, "html": 7}

    def show(stage: str, detail: str) -> None:
        if not quiet:
            click.echo(f"[{stages.get(stage, '?')}/7] {stage:<6} {detail}", err=True)
    return show


@click.command(help="""Build the knowledge graph from the curated data.

Checks the data (refusing to write anything if it has errors), finds each report's text,
checks its SHA-256, attaches section offsets and entity mentions, and writes kg.ttl,
kg.trig (one named graph per report, plus the ontology and shared entities), kg.jsonld
and kg.nt into --out, plus warnings.txt and the default HTML views in OUT/html/.

\b
Examples:
  kg build
  kg build --source ../shared/sources/ala-2022-report.zh-Hant.txt --out out/
  kg build --no-source --quiet
""")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated data folder.  [default: ./data]")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Output folder.")
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="Report text file or folder of them (repeatable).  "
                   "[default: ../shared/sources next to the checkout, if present]")
@click.option("--no-source", is_flag=True, help="Build without the report texts (no spans).")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL check (faster).")
@click.option("--no-html", is_flag=True, help="Skip the HTML views in OUT/html.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
def build(data_dir, out_dir, sources, no_source, no_shacl, no_html, quiet):
    from kg.build.pipeline import build as run_build

    data_dir = data_dir or default_data_dir()
    if not sources and not no_source and default_sources_dir().is_dir():
        sources = (default_sources_dir(),)
    if no_source:
        sources = ()
    views = None
    if not no_html:
        from kg.viz import write_default_views as views
    result = run_build(data_dir, out_dir, sources=sources, shacl=not no_shacl,
                       views=views, progress=progress_printer(quiet), quiet=quiet)
    s = result.summary
    click.echo(f"built {s['triples']} triples: {s['entities']} entities, {s['statements']} "
               f"statements ({s['statements_implied']} implied, {s['statements_uncertain']} "
               f"uncertain), {s['facts']} facts, {s['mentions']} mentions")
    click.echo("entities by class: " + ", ".join(f"{k} {v}" for k, v in
                                                 s["entities_by_class"].items()))
    if s.get("evidence_by_status"):
        click.echo("statements and facts by evidence: " + ", ".join(
            f"{k} {v}" for k, v in s["evidence_by_status"].items()))
    click.echo("labels by language: " + ", ".join(f"{k} {v}" for k, v in
                                                  s["labels_by_language"].items()))
    if result.unattached:
        from kg.build.pipeline import some_of

        click.echo(f"note: {some_of(result.unattached)} built without the report text: spans "
                   "not attached (pass --source PATH)")
    click.echo(f"{len(result.warnings)} warning(s), listed in {Path(out_dir) / 'warnings.txt'}")

"""``kg validate``: every problem in the data, with file, line, what and how to fix."""

from __future__ import annotations

from pathlib import Path

import click

from kg.files import default_data_dir


@click.command(help="""Check the curated data and list every problem.

Runs the curator's checks (YAML syntax, unknown or duplicate ids, dangling references,
missing labels, wrong language tags, malformed dates and numbers, unknown predicates and
sections) and then the SHACL shapes in ontology/shapes.ttl. Exits 1 if there are errors.

\b
Examples:
  kg validate
  kg validate --data data/ --no-warnings
  kg validate --source ../shared/sources   # also check the data against the report texts
""")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated data folder.  [default: ./data]")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes.")
@click.option("--no-warnings", is_flag=True, help="Show errors only.")
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="A report text (or folder of them) to check the data against: checksum, "
                   "sections, aliases, statements without an evidence sentence.")
def validate(data_dir, no_shacl, no_warnings, sources):
    from kg.cli import report_problems
    from kg.build.pipeline import check

    data_dir = data_dir or default_data_dir()
    catalog, problems, _ = check(data_dir, shacl=not no_shacl, sources=sources)
    if no_warnings:
        problems = [p for p in problems if p.is_error]
    report_problems(problems)
    if any(p.is_error for p in problems):
        raise SystemExit(1)
    click.echo(f"{data_dir}: valid ({len(catalog.entities)} entities, "
               f"{len(catalog.relations)} statements, {len(catalog.facts)} facts)")

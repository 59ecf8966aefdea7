"""``kg ingest``: a new report's text -> a draft data folder for curation."""

from __future__ import annotations

from pathlib import Path

import click

from kg.output import emit, output_options
from kg.files import default_data_dir


@click.command(help="""Draft a data folder for a new report.

Reads the report's plain text (UTF-8; Simplified Chinese is converted with OpenCC),
finds its sections (摘要; 壹、; 一、; (一); 1.) and figure captions (圖 N：) with
character offsets, the entities data/ already knows (every label and alias, PDF line
breaks ignored), and candidate new names (Latin-script names, 《titles》, 「quotes」,
#hashtags, names ending in 圖書館, 協會, 大學, 基金會, 學院 …). Writes
DATA/reports/ID/report.yaml, candidates.yaml and mentions.yaml, and lists the
candidates. Never overwrites a curated file; re-running on the same text does nothing.

\b
Examples:
  kg ingest ../shared/sources/ala-2023-report.zh-Hant.txt --id ala-2023
  kg ingest report.txt --id ala-2023 --data /tmp/data --json
""")
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--id", "doc_id", required=True,
              help="Id for the new report: its folder under data/reports/ and document id.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated data folder.  [default: ./data]")
@click.option("--quiet", "-q", is_flag=True, help="Do not list the candidates.")
@output_options
def ingest(report, doc_id, data_dir, quiet, fmt, lang):
    from kg.extract.ingest import ingest as run_ingest

    result = run_ingest(report, doc_id, data_dir or default_data_dir())
    sections, figures = len(result.sections), len(result.figures)
    known = result.mentioned()
    click.echo(f"{report}: {sections} sections, {figures} figures, {len(known)} known "
               f"entities ({sum(known.values())} mentions), {len(result.candidates)} "
               f"candidates{' (converted from Simplified)' if result.simplified else ''}",
               err=True)
    for path in result.written:
        click.echo(f"wrote {path}", err=True)
    for path in result.unchanged:
        click.echo(f"unchanged {path}", err=True)
    if not quiet:
        rows = [{"form": c.form, "kind": c.kind, "type": c.type, "count": c.count,
                 "sections": c.sections} for c in result.candidates]
        emit(rows, ["form", "kind", "type", "count", "sections"], fmt)

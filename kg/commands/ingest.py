"""``kg ingest``: a new report's text -> a draft data folder for curation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from kg.output import emit, output_options
from kg.files import default_data_dir


@click.command(help="""Draft a data folder for a new report, with proposals to review.

Reads the report's plain text (UTF-8; Traditional, Simplified or mixed), finds its
sections and figure captions with character offsets, its sentences, the entities
data/ already knows (every label and alias, in either script), new names (Baidu's LAC
model for Chinese people, organisations and places; rules for Latin-script names,
《titles》, #hashtags and institutions), the relations its sentences state (roles,
sponsors, partners, founders, places, attendance, awards) and co-occurring pairs.
Writes DATA/reports/ID/report.yaml (kept once curated), proposals.yaml and
mentions.yaml (regenerated: the same text gives the same bytes), and lists the
proposals. Proposals with a decision in decisions.yaml are not proposed again.
--json prints every proposal as in proposals.yaml plus its evidence sentence's text.

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
@click.option("--quiet", "-q", is_flag=True, help="Do not list the proposals.")
@output_options
def ingest(report, doc_id, data_dir, quiet, fmt, lang):
    import json

    from kg.extract.ingest import ingest as run_ingest
    from kg.extract.proposals import to_json_rows

    result = run_ingest(report, doc_id, data_dir or default_data_dir())
    sections, figures = len(result.sections), len(result.figures)
    known = result.mentioned()
    kinds = Counter(p.kind for p in result.proposals)
    click.echo(f"{report}: {sections} sections, {figures} figures, {len(known)} known "
               f"entities ({sum(known.values())} mentions), "
               f"{', '.join(f'{kinds[k]} {k} proposals' for k in ('entity', 'relation', 'fact'))}"
               f"{' (Simplified text)' if result.simplified else ''}", err=True)
    for path in result.written:
        click.echo(f"wrote {path}", err=True)
    for path in result.unchanged:
        click.echo(f"unchanged {path}", err=True)
    if quiet:
        return
    rows = to_json_rows(result.proposals, result.text)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    emit([_summary(row) for row in rows],
         ["id", "kind", "score", "source", "section", "what", "evidence"], fmt)


def _summary(row: dict) -> dict:
    if row["kind"] == "entity":
        entity = row["entity"]
        what = f"{entity['type']} {next(iter(entity['label'].values()))} ({entity['id']})"
        if "link" in row:
            what += f" ~ {row['link']['id']}?"
    elif row["kind"] == "relation":
        rel = row["relation"]
        what = f"{rel['subject']} {rel['predicate']} {rel['object']}"
    else:
        fact = row["fact"]
        what = f"{fact.get('about', '?')} {fact.get('property', '?')} {fact.get('value')}"
    text = row["evidence"]["text"]
    return {**row, "what": what, "evidence": text if len(text) <= 40 else text[:39] + "…"}

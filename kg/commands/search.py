"""``kg search TEXT``: entities whose names match, partial matches ranked."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import graph_options, load_view


@click.command(help="""Search ids, labels, aliases, descriptions, role names and figures in
English and Chinese (Traditional or Simplified, case-insensitive; English words are
stemmed, so "gaming" finds "Games in libraries"). Exact names first (1.0), then names
starting with the text (0.8-0.95), names holding it (0.4-0.8), close spellings (up to 0.6),
figures with that value (0.5), role names and descriptions (0.3-0.45); the `matched`
column says which. With --documents, sections are found by notation (肆.二).

\b
Examples:
  kg search 國會圖書館
  kg search 国会图书馆
  kg search gaming
  kg search 2017
  kg search "library of congress" --limit 3 --json
""")
@click.argument("text")
@graph_options
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many matches to show.")
@output_options
def search(text, out_dir, exclude_types, topic_hierarchy, documents, limit, fmt, lang):
    from kg.explore.resolve import search as find

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    rows = [m._asdict() for m in find(G, text, limit)]
    for row in rows:
        row["class"] = row.pop("cls")
        row["name"] = (row["label_zh"] if lang == "zh" else row["label_en"]) or \
            row["label_en"] or row["label_zh"] or row["id"]
    if not rows:
        click.echo(f"nothing matches {text!r}", err=True)
        raise SystemExit(1)
    emit(rows, ["score", "id", "label_en", "label_zh", "class", "matched"], fmt)

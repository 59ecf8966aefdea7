"""``kg brokers --between SET --and SET``: who lies on the shortest paths between two groups."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import (avoided, context_note, graph_options, load_view, walk_options)


@click.command(help="""Find the entities that broker between two groups: for every pair
(one from each set), the shortest paths between them give each entity inside them the
share of that pair's paths it lies on; brokers are ranked by the sum, and each is shown
with one path, every hop citing its section (and marked implied, uncertain or former).
Each report's author and conference are not passed through unless --keep-context.

\b
A SET is comma-separated terms (united); & inside a term intersects:
  class:Session            every entity of a class
  topic:"Social media"     what is about the topic or (--rollup) a narrower one
  carla-hayden, 國會圖書館   entities by id or any name

\b
Examples:
  kg brokers --between "class:Session&topic:social media" --and "class:Session&topic:EDI"
  kg brokers --between carla-hayden --and "class:Library" --top 5 --json
""")
@graph_options
@click.option("--between", "first", required=True, metavar="SET", help="The first group.")
@click.option("--and", "second", required=True, metavar="SET", help="The second group.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many brokers to show.")
@click.option("--rollup", type=click.IntRange(min=0), default=1, show_default=True,
              help="topic: terms include what is about narrower topics, this many levels.")
@walk_options
@output_options
def brokers(out_dir, exclude_types, topic_hierarchy, documents, first, second, top, rollup,
            keep_context, avoid, fmt, lang):
    from kg.explore.brokers import brokers as compute, select

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    a, b = select(G, first, rollup=rollup), select(G, second, rollup=rollup)
    click.echo(f"between {len(a)} and {len(b)} entities", err=True)
    rows = compute(G, a, b, top=top, keep_context=keep_context, avoid=avoided(G, avoid),
                   lang=lang)
    if not rows:
        click.echo("no entity lies between the two groups (they are not connected, or only "
                   "directly)", err=True)
        raise SystemExit(1)
    columns = ["rank", "id", "name", "class", "score", "pairs", "path"]
    if fmt != "table":
        columns += ["from", "to", "sections", "hops"]
    emit(rows, columns, fmt)
    context_note(G, keep_context, lang)

"""``kg communities``: Louvain communities with their central members and topics."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import graph_options, load_view, name_of


@click.command(help="""Find communities (Louvain, fixed seed, so results repeat) and
describe each by its most central members (PageRank) and its topics. The modularity is
printed to standard error.

\b
Examples:
  kg communities
  kg communities --exclude-type City --members 8 --lang zh
  kg communities --resolution 1.5 --json
""")
@graph_options
@click.option("--members", type=click.IntRange(min=1), default=5, show_default=True,
              help="Central members listed per community.")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="Louvain resolution: above 1 gives smaller communities.")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@output_options
def communities(out_dir, exclude_types, topic_hierarchy, documents, members, resolution, seed,
                fmt, lang):
    from kg.explore.analytics import communities as compute

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    found = compute(G, seed=seed, resolution=resolution, members=members)
    rows = [{"community": c["community"], "size": c["size"],
             "members": [name_of(G, n, lang) for n in c["members"]],
             "member_ids": c["members"],
             "topics": [name_of(G, t, lang) for t in c["topics"]],
             "topic_ids": c["topics"]} for c in found["communities"]]
    columns = ["community", "size", "members", "topics"]
    if fmt != "table":
        columns += ["member_ids", "topic_ids"]
    emit(rows, columns, fmt)
    click.echo(f"{len(rows)} communities, modularity {found['modularity']:.4f} "
               f"(Louvain, seed {seed}, resolution {resolution})", err=True)

"""``kg communities``: Leiden communities with their central members and topics."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import (avoided, context_note, graph_options, load_view, name_of,
                                walk_options)


@click.command(help="""Find communities (Leiden with igraph, modularity objective, fixed
seed, so results repeat; networkx's Louvain before it found a partition of lower
modularity) and describe each by its most central members (PageRank) and its topics,
rolled up along skos:broader (↑N: N levels up). Each report's author and conference take
no part unless --keep-context. The modularity is printed to standard error.

\b
Examples:
  kg communities
  kg communities --exclude-type City --members 8 --lang zh
  kg communities --resolution 1.5 --rollup 0 --json
""")
@graph_options
@click.option("--members", type=click.IntRange(min=1), default=5, show_default=True,
              help="Central members listed per community.")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="Leiden resolution: above 1 gives smaller communities.")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--rollup", type=click.IntRange(min=0), default=1, show_default=True,
              help="Count topics as their broader topics too, this many levels up.")
@walk_options
@output_options
def communities(out_dir, exclude_types, topic_hierarchy, documents, members, resolution, seed,
                rollup, keep_context, avoid, fmt, lang):
    from kg.explore.analytics import communities as compute
    from kg.explore.topics import rollup_label

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    found = compute(G, seed=seed, resolution=resolution, members=members, rollup=rollup,
                    keep_context=keep_context, avoid=avoided(G, avoid))
    rows = [{"community": c["community"], "size": c["size"],
             "members": [name_of(G, n, lang) for n in c["members"]],
             "member_ids": c["members"],
             "topics": [rollup_label(name_of(G, t, lang), c["topic_depths"][t])
                        for t in c["topics"]],
             "topic_ids": c["topics"], "topic_depths": c["topic_depths"]}
            for c in found["communities"]]
    columns = ["community", "size", "members", "topics"]
    if fmt != "table":
        columns += ["member_ids", "topic_ids", "topic_depths"]
    emit(rows, columns, fmt)
    click.echo(f"{len(rows)} communities, modularity {found['modularity']:.4f} "
               f"(Leiden, seed {seed}, resolution {resolution})", err=True)
    context_note(G, keep_context, lang)

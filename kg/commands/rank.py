"""``kg rank``: entities ranked by a centrality."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import graph_options, load_view, name_of


@click.command(help="""Rank entities by degree, betweenness, PageRank or eigenvector
centrality (on the undirected graph; betweenness is sampled above 2,000 nodes).

\b
Examples:
  kg rank --by pagerank --top 10
  kg rank --by betweenness --type Person --lang zh
  kg rank --by degree --type Library --csv
""")
@graph_options
@click.option("--by", type=click.Choice(["degree", "betweenness", "pagerank", "eigenvector"]),
              default="degree", show_default=True, help="Which centrality.")
@click.option("--type", "cls", metavar="CLASS", default=None,
              help="Only entities of this class, e.g. Person, Library, Session.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many entities to show.")
@output_options
def rank(out_dir, exclude_types, topic_hierarchy, documents, by, cls, top, fmt, lang):
    from kg.explore.analytics import rank as compute
    from kg.explore.graphview import check_classes

    if cls:
        check_classes([cls])
    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    rows = compute(G, by, cls=cls, top=top)
    for row in rows:
        row["name"] = name_of(G, row["id"], lang)
    emit(rows, ["rank", "id", "name", "class", "score", "degree"], fmt)

"""``kg rank``: entities ranked by a centrality."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import (avoided, context_note, graph_options, load_view, name_of,
                                walk_options)


@click.command(help="""Rank entities by degree, betweenness, PageRank or eigenvector
centrality (on the undirected graph, computed with igraph; betweenness is sampled from 256
seeded sources above 2,000 nodes). Each report's author and conference are left out
(context of every statement, not evidence of brokerage) unless --keep-context. The marks
column counts each entity's implied, uncertain and former relations.

\b
Examples:
  kg rank --by pagerank --top 10
  kg rank --by betweenness --type Person --lang zh
  kg rank --by betweenness --keep-context
  kg rank --by degree --type Library --csv
""")
@graph_options
@click.option("--by", type=click.Choice(["degree", "betweenness", "pagerank", "eigenvector"]),
              default="degree", show_default=True, help="Which centrality.")
@click.option("--type", "cls", metavar="CLASS", default=None,
              help="Only entities of this class, e.g. Person, Library, Session.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many entities to show.")
@walk_options
@output_options
def rank(out_dir, exclude_types, topic_hierarchy, documents, by, cls, top, keep_context, avoid,
         fmt, lang):
    from kg.explore.analytics import rank as compute
    from kg.explore.graphview import check_classes

    if cls:
        check_classes([cls])
    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    rows = compute(G, by, cls=cls, top=top, keep_context=keep_context,
                   avoid=avoided(G, avoid))
    for row in rows:
        row["name"] = name_of(G, row["id"], lang)
    columns = ["rank", "id", "name", "class", "score", "degree", "marks"]
    if fmt != "table":
        columns += ["implied_links", "uncertain_links", "former_links"]
    emit(rows, columns, fmt)
    context_note(G, keep_context, lang)

"""``kg export``: the graph as GraphML, GEXF (Gephi), CSV (neo4j-admin) or node-link JSON."""

from __future__ import annotations

from pathlib import Path

import click

from kg.commands._graph import graph_options, load_view


@click.command(help="""Export the entity graph for Gephi (GraphML, GEXF 1.3 with colours by
class), Neo4j (CSV files for `neo4j-admin database import full`), igraph or pandas
(GraphML, node-link JSON). Labels in each language are separate attributes; degree,
betweenness, PageRank, eigenvector centrality and the Louvain community are added to the
nodes unless --no-metrics. (--format here names the export format, so this command has
no table/JSON/CSV output switch: it prints the files it wrote.) --out is the build folder (as for every command); --to is where
the export goes (default: <out>/export/kg.<format>, for csv the folder <out>/export/neo4j).

\b
Examples:
  kg export --format gexf
  kg export --format graphml --to kg.graphml --exclude-type City
  kg export --format csv --to neo4j-import/
  neo4j-admin database import full --nodes=neo4j-import/nodes.csv \\
      --relationships=neo4j-import/relationships.csv neo4j
""")
@graph_options
@click.option("--format", "export_format", type=click.Choice(["graphml", "gexf", "csv", "json"]),
              required=True, help="Export format.")
@click.option("--to", "target", type=click.Path(path_type=Path), default=None,
              help="File (csv: folder) to write.  [default: <out>/export/…]")
@click.option("--no-metrics", is_flag=True, help="Do not add centralities and communities.")
def export(out_dir, exclude_types, topic_hierarchy, documents, export_format, target,
           no_metrics):
    from kg.explore import analytics
    from kg.explore.exports import default_path, export as write

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    if not no_metrics:
        for by in analytics.CENTRALITIES:
            analytics.centrality(G, by)
        analytics.communities(G)
    written = write(G, export_format, target or default_path(out_dir, export_format))
    for path in written:
        click.echo(f"wrote {path} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")

"""``kg stats``: counts by class and predicate, components, density, degrees, hubs."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import graph_options, load_view, name_of


@click.command(help="""Summarise the graph: nodes and relations by class and predicate,
connected components, density, degree distribution, and the most connected entities of
each class.

\b
Examples:
  kg stats
  kg stats --exclude-type City --exclude-type State --lang zh
  kg stats --json
""")
@graph_options
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many most-connected entities to list per class.")
@output_options
def stats(out_dir, exclude_types, topic_hierarchy, documents, top, fmt, lang):
    from kg.explore.analytics import stats as compute
    from kg.explore.graphview import predicate_label

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    s = compute(G, top=top)
    rows = [{"group": "graph", "name": key, "value": s[key]}
            for key in ("nodes", "edges", "linked_pairs", "density", "components",
                        "largest_component", "isolated")]
    rows += [{"group": "class", "name": cls, "value": n} for cls, n in s["by_class"].items()]
    rows += [{"group": "predicate", "name": f"{p} ({predicate_label(p, lang)})", "value": n}
             for p, n in s["by_predicate"].items()]
    rows += [{"group": "degree", "name": str(d), "value": n}
             for d, n in s["degree_distribution"].items()]
    rows += [{"group": "most connected", "name": cls,
              "value": ", ".join(f"{name_of(G, node, lang)} ({deg})" for node, deg in hubs)}
             for cls, hubs in s["most_connected"].items()]
    emit(rows, ["group", "name", "value"], fmt)

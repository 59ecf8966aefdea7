"""``kg neighbors X``: the ego network of an entity, grouped by relation."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import graph_options, load_view, name_of


@click.command(help="""List the entities within --depth links of one entity, grouped by the
relation that links them (→ the entity points at the neighbour, ← the neighbour points at
it), with the section each relation is cited from.

\b
Examples:
  kg neighbors session-climate-justice
  kg neighbors 國會圖書館 --lang zh
  kg neighbors ala --depth 2 --exclude-type City --csv
""")
@click.argument("entity")
@graph_options
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many links away.")
@output_options
def neighbors(entity, out_dir, exclude_types, topic_hierarchy, documents, depth, fmt, lang):
    from kg.explore.analytics import ego_network
    from kg.explore.resolve import resolve

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    center = resolve(G, entity)
    rows = []
    for row in ego_network(G, center, depth):
        label = row["label_zh" if lang == "zh" else "label_en"] or row["relation"]
        arrow = f"—{label}—" if row["symmetric"] else (f"—{label}→" if row["forward"]
                                                       else f"←{label}—")
        rows.append({"depth": row["depth"], "via": name_of(G, row["via"], lang),
                     "relation": arrow, "neighbor": name_of(G, row["id"], lang),
                     "id": row["id"], "class": row["class"], "section": row["section"],
                     "via_id": row["via"], "predicate": row["relation"]})
    columns = ["depth", "via", "relation", "neighbor", "id", "class", "section"]
    if fmt != "table":
        columns += ["via_id", "predicate"]
    if depth == 1 and fmt == "table":
        columns.remove("via")
    emit(rows, columns, fmt)

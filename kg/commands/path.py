"""``kg path A B``: the shortest paths between two entities, each hop citing its section."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import context_note, graph_options, load_view, name_of, walk_options


@click.command(help="""Show how two entities are connected: every shortest path (up to
--max), each hop as a sentence citing the section it comes from, e.g.
"Carla Hayden —nominated by→ Barack Obama (貳.一.(二))". A hop read against the direction of
the relation is drawn with ←; implied, uncertain, former and dated relations say so, and
the JSON/CSV rows carry the curator's note and the evidence sentence. Paths do not pass
through each report's author and conference (context, not a connection) unless
--keep-context. Entities are given by id, IRI, or any label or alias, in English or Chinese
(Traditional or Simplified).

\b
Examples:
  kg path nlpi ukrainian-library-association
  kg path 國立公共資訊圖書館 "Ukrainian Library Association" --lang zh
  kg path carla-hayden ala --avoid library-of-congress --avoid-type Topic --max 3
  kg path nlpi ala --keep-context
""")
@click.argument("source")
@click.argument("target")
@graph_options
@click.option("--max", "max_paths", type=click.IntRange(min=1), default=5, show_default=True,
              help="At most this many shortest paths.")
@click.option("--avoid-type", "avoid_types", multiple=True, metavar="CLASS",
              help="Do not pass through entities of this class (repeatable).")
@click.option("--max-degree", type=click.IntRange(min=1), default=None,
              help="Do not pass through entities with more links than this (hubs).")
@walk_options
@output_options
def path(source, target, out_dir, exclude_types, topic_hierarchy, documents, max_paths,
         avoid_types, max_degree, keep_context, avoid, fmt, lang):
    from kg.explore.analytics import one_line, render_hop, shortest_paths
    from kg.explore.graphview import check_classes
    from kg.explore.resolve import resolve, resolve_many

    check_classes(avoid_types)
    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    a, b = resolve(G, source), resolve(G, target)
    found = shortest_paths(G, a, b, max_paths=max_paths, avoid=tuple(resolve_many(G, avoid)),
                           avoid_classes=avoid_types, max_degree=max_degree,
                           keep_context=keep_context)
    context_note(G, keep_context, lang)
    if not found:
        click.echo(f"no path between {name_of(G, a, lang)} and {name_of(G, b, lang)}"
                   + (" with these --avoid options" if avoid or avoid_types or max_degree
                      else " (the report's author and conference were left out; "
                      "--keep-context keeps them)" if not keep_context else ""), err=True)
        raise SystemExit(1)
    rows = []
    for number, hops in enumerate(found, start=1):
        for step, hop in enumerate(hops, start=1):
            rows.append({"path": number, "hop": step, "text": render_hop(G, hop, lang),
                         "from": hop["from"], "to": hop["to"], "relation": hop["relation"],
                         "direction": "forward" if hop["forward"] else "backward",
                         "section": hop["section"], "implied": hop["implied"],
                         "uncertain": hop["uncertain"], "former": hop["former"],
                         "valid_from": hop["valid_from"], "valid_until": hop["valid_until"],
                         "note": hop["note"], "evidence": hop["evidence"],
                         "evidence_start": hop["evidence_start"],
                         "evidence_end": hop["evidence_end"],
                         "evidence_status": hop["evidence_status"]})
    columns = ["path", "hop", "text", "note", "evidence"]
    if fmt == "table":
        for row in rows:
            row["evidence"] = one_line(row["evidence"]) or (
                f"({row['evidence_status']} only)" if row["evidence_status"] else "")
        columns = [c for c in columns if any(row[c] for row in rows) or c in ("path", "hop",
                                                                                "text")]
    else:
        columns += ["from", "relation", "direction", "to", "section", "implied", "uncertain",
                    "former", "valid_from", "valid_until", "evidence_start", "evidence_end",
                    "evidence_status"]
    emit(rows, columns, fmt)

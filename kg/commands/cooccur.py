"""``kg cooccur``: who shares which topics (person–topic, library–topic projections)."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import (avoided, context_note, graph_options, load_view, name_of,
                                walk_options)


@click.command(help="""Project the graph onto people (or libraries) and the topics they are
linked to — directly, or through the sessions, posters and programmes they take part in —
and list the pairs that share topics, weighted by how many they share. Topics roll up
along skos:broader (--rollup levels; "Social media (↑1)" was reached one level up from a
narrower topic). Each report's author (who attended every session) and conference take
no part unless --keep-context. --links lists the entity–topic links instead.

\b
Examples:
  kg cooccur
  kg cooccur --rollup 0
  kg cooccur --kind library-topic --lang zh
  kg cooccur --kind person-topic --links --csv
""")
@graph_options
@click.option("--kind", type=click.Choice(["person-topic", "library-topic"]),
              default="person-topic", show_default=True, help="Which projection.")
@click.option("--links", is_flag=True, help="List entity–topic links instead of pairs.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N.")
@click.option("--rollup", type=click.IntRange(min=0), default=1, show_default=True,
              help="Count topics as their broader topics too, this many levels up.")
@walk_options
@output_options
def cooccur(out_dir, exclude_types, topic_hierarchy, documents, kind, links, top, rollup,
            keep_context, avoid, fmt, lang):
    from kg.explore.analytics import cooccurrence
    from kg.explore.topics import rollup_label

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    found = cooccurrence(G, kind, rollup=rollup, keep_context=keep_context,
                         avoid=avoided(G, avoid))
    if links:
        rows = [{"entity": name_of(G, r["entity"], lang),
                 "topic": rollup_label(name_of(G, r["topic"], lang), r["depth"]),
                 "weight": r["weight"], "depth": r["depth"], "entity_id": r["entity"],
                 "topic_id": r["topic"]}
                for r in found["links"]]
        columns = ["entity", "topic", "weight"]
        ids = ["depth", "entity_id", "topic_id"]
    else:
        rows = [{"a": name_of(G, p["a"], lang), "b": name_of(G, p["b"], lang),
                 "weight": p["weight"],
                 "topics": [rollup_label(name_of(G, t, lang), max(p["topic_depths"][t]))
                            for t in p["topics"]],
                 "a_id": p["a"], "b_id": p["b"], "topic_ids": p["topics"],
                 "topic_depths": p["topic_depths"]}
                for p in found["pairs"]]
        columns = ["a", "b", "weight", "topics"]
        ids = ["a_id", "b_id", "topic_ids", "topic_depths"]
    emit(rows[:top] if top else rows, columns + (ids if fmt != "table" else []), fmt)
    context_note(G, keep_context, lang)

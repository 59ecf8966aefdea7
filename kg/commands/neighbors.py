"""``kg neighbors X``: the ego network of an entity, grouped by relation, with its figures."""

from __future__ import annotations

import click

from kg.output import emit, output_options
from kg.commands._graph import (avoided, context_note, graph_options, load_view, name_of,
                                walk_options)


def _figure_value(fact: dict, lang: str) -> str:
    """``2017``, ``7738 person``, ``5000 USD``."""
    return " ".join(part for part in (fact["value"], fact["unit"]) if part)


@click.command(help="""List the entities within --depth links of one entity, grouped by the
relation that links them (→ the entity points at the neighbour, ← the neighbour points at
it), with the section each relation is cited from, its marks (implied, uncertain, former,
valid dates, curator's note) and, when the build has it, the evidence sentence. The
entity's figures (counts, dates, money) are listed too, with unit, as-of date and section.
The report's author and conference are listed but not walked through at --depth 2 and more
unless --keep-context. For a topic, --rollup N adds what is about its narrower topics. A
section or figure is found by its notation with --documents (`kg neighbors 肆.二
--documents`).

\b
Examples:
  kg neighbors session-climate-justice
  kg neighbors 國會圖書館 --lang zh
  kg neighbors social-media --rollup 1
  kg neighbors ala --depth 2 --exclude-type City --csv
""")
@click.argument("entity")
@graph_options
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many links away.")
@click.option("--rollup", type=click.IntRange(min=0), default=0, show_default=True,
              help="For a topic: also what is about its narrower topics, this many levels.")
@click.option("--no-figures", is_flag=True, help="Leave out the entity's figures.")
@walk_options
@output_options
def neighbors(entity, out_dir, exclude_types, topic_hierarchy, documents, depth, rollup,
              no_figures, keep_context, avoid, fmt, lang):
    from kg.explore.analytics import edge_marks, ego_network, figures, one_line
    from kg.explore.resolve import resolve

    G = load_view(out_dir, exclude_types, topic_hierarchy, documents)
    center = resolve(G, entity)
    rows = []
    for row in ego_network(G, center, depth, keep_context=keep_context,
                           avoid=avoided(G, avoid), rollup=rollup):
        label = row["label_zh" if lang == "zh" else "label_en"] or row["relation"]
        arrow = f"—{label}—" if row["symmetric"] else (f"—{label}→" if row["forward"]
                                                       else f"←{label}—")
        marks = edge_marks(row, lang)
        if row["rollup"]:
            marks.insert(0, f"rolled up {row['rollup']} from {name_of(G, row['via'], lang)}")
        rows.append({"kind": "relation", "depth": row["depth"],
                     "via": name_of(G, row["via"], lang), "relation": arrow,
                     "neighbor": name_of(G, row["id"], lang), "id": row["id"],
                     "class": row["class"], "section": row["section"],
                     "marks": "; ".join(marks), "evidence": row["evidence"],
                     "via_id": row["via"], "predicate": row["relation"],
                     "implied": row["implied"], "uncertain": row["uncertain"],
                     "note": row["note"], "former": row["former"],
                     "valid_from": row["valid_from"], "valid_until": row["valid_until"],
                     "rollup": row["rollup"], "evidence_start": row["evidence_start"],
                     "evidence_end": row["evidence_end"],
                     "evidence_status": row["evidence_status"], "as_of": "", "unit": "",
                     "value": ""})
    if not no_figures:
        for fact in figures(G, center):
            label = fact["label_zh" if lang == "zh" else "label_en"] or fact["property"]
            marks = edge_marks(fact, lang)
            value = _figure_value(fact, lang)
            if fact.get("about") and fact["about"] != center:  # center is the figure's source
                value = f"{name_of(G, fact['about'], lang)}: {value}"
                marks.insert(0, "來源" if lang == "zh" else "as its source")
            elif fact.get("source"):
                marks.insert(0, f"{'來源' if lang == 'zh' else 'source'}: "
                                f"{name_of(G, fact['source'], lang)}")
            if fact["as_of"]:
                marks.insert(0, f"{'截至' if lang == 'zh' else 'as of'} {fact['as_of']}")
            period = fact["period_zh" if lang == "zh" else "period_en"] or fact["period_en"]
            if period:
                marks.insert(0, period)
            rows.append({"kind": "figure", "depth": 1, "via": name_of(G, center, lang),
                         "relation": f"—{label}→", "neighbor": value,
                         "id": fact["fact"], "class": fact["datatype"],
                         "section": fact["section"], "marks": "; ".join(marks),
                         "evidence": fact["evidence"], "via_id": center,
                         "predicate": fact["property"], "implied": fact["implied"],
                         "uncertain": fact["uncertain"], "note": fact["note"],
                         "former": False, "valid_from": "", "valid_until": "", "rollup": 0,
                         "evidence_start": fact["evidence_start"],
                         "evidence_end": fact["evidence_end"],
                         "evidence_status": fact["evidence_status"], "as_of": fact["as_of"],
                         "unit": fact["unit"], "value": fact["value"]})
    if fmt == "table":
        for row in rows:
            row["evidence"] = one_line(row["evidence"]) or (
                f"({row['evidence_status']} only)" if row["evidence_status"] else "")
    if depth > 1:
        context_note(G, keep_context, lang)
    columns = ["depth", "via", "relation", "neighbor", "id", "class", "section", "marks",
               "evidence"]
    if fmt != "table":
        columns = ["kind"] + columns + ["via_id", "predicate", "implied", "uncertain", "note",
                                        "former", "valid_from", "valid_until", "rollup",
                                        "evidence_start", "evidence_end", "evidence_status",
                                        "value", "unit", "as_of"]
    else:
        if not any(r["evidence"] for r in rows):
            columns.remove("evidence")
        if depth == 1 and not rollup:
            columns.remove("via")
    emit(rows, columns, fmt)

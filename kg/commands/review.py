"""``kg review``: decide a report's proposals in a local page, or from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from kg.files import default_data_dir
from kg.output import emit, output_options


@click.command(help="""Review the proposals `kg ingest` drafted for report ID.

Without decision options, starts a local page (127.0.0.1 only, offline) with the
report's text, every proposal highlighted in place and listed by kind and score.
Keys: a accept, r reject, e edit, m merge into an existing entity, j/↓ next,
k/↑ previous, u undo. Each decision is checked (loader + checks) and saved at once
to the report's entities.yaml, relations.yaml, facts.yaml (comments and order kept)
and to decisions.yaml; ingest will not bring decided proposals back. A relation or
figure whose end is an undecided entity proposal is refused until that entity is
decided.

With --accept/--reject/--edit/--merge/--decisions the same decisions are made from
the command line as one batch (entities first): if one is refused, nothing is written.

\b
Examples:
  kg review ala-2023                              # open the page
  kg review ala-2023 --list                       # the pending proposals
  kg review ala-2023 --accept e-3f9a1c02b7,e-51c0aa9e21 --reject e-07d2b1f3aa
  kg review ala-2023 --edit e-9a1 type=Library --edit e-9a1 label.en="Chicago PL"
  kg review ala-2023 --merge e-5b2=library-of-congress --decisions decided.yaml
  kg review ala-2023 --undo
""")
@click.argument("doc_id", metavar="ID")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Curated data folder.  [default: ./data]")
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help="The report's text.  [default: found in ../shared/sources by name]")
@click.option("--port", type=int, default=0, help="Port on 127.0.0.1.  [default: a free one]")
@click.option("--no-browser", is_flag=True, help="Print the URL; do not open a browser.")
@click.option("--list", "list_", is_flag=True, help="List the pending proposals and exit.")
@click.option("--all", "show_all", is_flag=True, help="With --list: decided ones too.")
@click.option("--accept", multiple=True, metavar="P[,P…]", help="Accept proposals.")
@click.option("--reject", multiple=True, metavar="P[,P…]", help="Reject proposals.")
@click.option("--edit", nargs=2, multiple=True, metavar="P KEY=VALUE",
              help="Accept P with a change: type, id, label.en, label.zh-Hant, predicate, "
                   "role.en, role.zh-Hant, value, unit, …")
@click.option("--merge", multiple=True, metavar="P=ENTITY",
              help="Merge entity proposal P into an existing entity (id or any name).")
@click.option("--decisions", "decisions_file", type=click.Path(path_type=Path), default=None,
              help="A YAML/JSON list of {proposal, decision, into, edits}.")
@click.option("--undo", is_flag=True, help="Undo the last decision.")
@output_options
def review(doc_id, data_dir, source, port, no_browser, list_, show_all, accept, reject, edit,
           merge, decisions_file, undo, fmt, lang):
    from kg.review.batch import apply, plan, read_decisions_file
    from kg.review.decisions import Review
    from kg.review.proposals import describe, group_of

    session = Review(data_dir or default_data_dir(), doc_id)
    steps = read_decisions_file(decisions_file) if decisions_file else []
    steps += plan(accept, reject, edit, merge)
    if undo:
        click.echo(session.undo(), err=True)
    if steps:
        written = apply(session, steps, lambda message: click.echo(message, err=True))
        for rel in written:
            click.echo(f"wrote {session.data_dir / rel}", err=True)
    if list_:
        decided = session.decided()
        items = session.items() if show_all else session.pending()
        order = {"entities": 0, "relations": 1, "figures": 2}
        rows = [{"id": p["id"], "kind": p["kind"], "score": p.get("score"),
                 "proposal": describe(p), "section": p.get("section"),
                 "source": p.get("source"),
                 "status": decided[p["id"]]["decision"] if p["id"] in decided else "pending"}
                for p in sorted(items, key=lambda p: (order.get(group_of(p["kind"]), 3),
                                                      -(p.get("score") or 0)))]
        emit(rows, ["id", "kind", "score", "proposal", "section", "source", "status"], fmt)
        done, total = session.progress()
        click.echo(f"{done} of {total} reviewed", err=True)
    if steps or list_ or undo:
        return
    from kg.review.server import serve

    serve(session, source=source, port=port, open_browser=not no_browser)

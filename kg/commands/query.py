"""``kg query``: run SPARQL on the built dataset (pyoxigraph), or list the query library."""

from __future__ import annotations

from pathlib import Path

import click

from kg.output import emit, output_options

__all__ = ["query"]

GRAPH_CHOICES = ("tsv", "xml", "turtle", "ntriples", "jsonld")


@click.command(help="""Run a SPARQL query on the built knowledge graph.

The query comes from the argument, a file (--file) or the query library (--name; see
--list). It runs on pyoxigraph over out/kg.trig, with every named graph as the default
graph and these prefixes predeclared: rdf rdfs owl xsd schema skos prov dcterms oa kg id.

\b
Formats:
  table                 aligned table; --lang en|zh adds a <column>Label column (label in
                        that language) after every column holding IRIs
  json, xml, csv, tsv   the SPARQL 1.1 result formats, as the engine writes them
  turtle, ntriples, jsonld  for CONSTRUCT and DESCRIBE (json/xml/csv/tsv give JSON-LD,
                        RDF/XML, N-Triples)

\b
Examples:
  kg query --list
  kg query --name who-leads-library-of-congress
  kg query --name mentions-of-entity --param entity="Carla Hayden"
  kg query --name attendance-figures --param report=ala-2022-report
  kg query --name entity-labels-both-languages --lang zh
  kg query 'SELECT ?org WHERE { id:carla-hayden kg:heads ?org }'
  kg query --file my.rq --format csv > answer.csv
  kg query 'DESCRIBE id:carla-hayden' --format turtle
""")
@click.argument("sparql", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(path_type=Path),
              help="Read the query from this file ('-' for standard input).")
@click.option("--name", "-n", help="Run this query from the library (see --list).")
@click.option("--list", "list_library", is_flag=True, help="List the query library.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a --name query (repeatable); --list shows them. Entities "
                   "are taken by id, label or alias, as every command does.")
@output_options(formats=GRAPH_CHOICES,
                lang_help="Language of the label columns in the table (and of --list).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Give up after this many seconds.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Build folder holding kg.trig.")
def query(sparql, query_file, name, list_library, params, fmt, lang, timeout, out_dir):
    from kg.problems import UserError
    from kg.sparql.library import get_query, load_library
    from kg.sparql.params import parse_assignments

    if list_library:
        rows = [{"name": q.name, "title": q.title,
                 "question": q.question_zh if lang == "zh" and q.question_zh else q.question_en,
                 "params": " ".join(f"{p.name}={p.default or '*'}" for p in q.params)}
                for q in load_library().values()]
        emit(rows, ["name", "title", "question", "params"],
             fmt if fmt in ("json", "csv") else "table")
        return
    values = parse_assignments(params)
    if values and not name:
        raise UserError("--param binds the parameters of a library query: use it with "
                        "--name NAME (see `kg query --list`)")
    given = [x for x in (sparql, query_file, name) if x]
    if len(given) != 1:
        raise UserError("give exactly one query: as an argument, with --file PATH or with "
                        "--name NAME (see `kg query --list`)")
    store = None
    if name:
        from kg.sparql.engine import load_store
        from kg.sparql.library import prepare
        from kg.sparql.params import Resolvers

        library_query = get_query(name)
        store = load_store(out_dir)
        resolvers = Resolvers(store, lambda: _entity_view(out_dir))
        text = prepare(library_query, values, resolve_entity=resolvers.entity,
                       resolve_report=resolvers.report)
    elif query_file:
        text = _read_file(query_file)
    else:
        text = sparql
    _run(text, fmt, lang, timeout, out_dir, store)


def _entity_view(out_dir: Path):
    from kg.api import load_built
    from kg.explore.graphview import to_networkx

    return to_networkx(load_built(out_dir))


def _read_file(path: Path) -> str:
    import sys

    from kg.problems import UserError

    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the query ({exc.__class__.__name__}); "
                        "pass a UTF-8 .rq file") from None


def _run(text: str, fmt: str, lang: str, timeout: float, out_dir: Path, store=None) -> None:
    from kg.sparql.engine import (add_label_columns, lang_warnings, load_store, result_rows,
                                  run_query)

    for warning in lang_warnings(text):
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    store = store if store is not None else load_store(out_dir)
    if fmt == "table":
        result = run_query(store, text, timeout=timeout)
        rows, columns = result_rows(result)
        if result.kind != "ask":
            rows, columns = add_label_columns(store, rows, columns, lang)
        emit(rows, columns, "table")
        if result.kind != "ask":
            click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)
        return
    result = run_query(store, text, timeout=timeout, fmt=fmt)
    stream = click.get_binary_stream("stdout")
    stream.write(result.data)
    if not result.data.endswith(b"\n"):
        stream.write(b"\n")
    stream.flush()

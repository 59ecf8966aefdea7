"""``kg push``: PUT the built graphs into a triple store (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.output import emit, output_options

__all__ = ["push"]


@click.command(help="""Send the built graphs to a triple store.

Each named graph of out/kg.trig (one per report, plus shared and ontology) is PUT to
ENDPOINT?graph=<iri> with the SPARQL 1.1 Graph Store HTTP Protocol, replacing what the
store held in that graph, so pushing twice leaves one copy. All or nothing: the graphs'
current content is read first, and if a PUT fails the graphs already replaced are put back
(the message lists any graph that could not be). --prune then deletes the store's graphs
under the project's namespace that the build no longer has.

\b
Credentials come from the environment only: KG_PUSH_TOKEN (Bearer), or KG_PUSH_USER and
KG_PUSH_PASSWORD, sent as Basic or Digest when the store asks (Virtuoso asks for
Digest; --auth basic sends Basic at once). A value with a line break or a character
outside Latin-1 is refused without being shown.

\b
Examples:
  kg push --endpoint http://127.0.0.1:7878/store                 # Oxigraph
  kg push --endpoint http://localhost:3030/kg/data --graph shared  # Fuseki, one graph
  KG_PUSH_USER=dba KG_PUSH_PASSWORD=... kg push \\
      --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth       # Virtuoso (Digest)
  kg push --endpoint http://127.0.0.1:7878/store --prune --query-endpoint http://127.0.0.1:7878/query
""")
@click.option("--endpoint", required=True, help="The store's Graph Store Protocol URL.")
@click.option("--graph", help="Push only this graph: its IRI or last segment "
                              "(ala-2022-report, shared, ontology).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Build folder holding kg.trig.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for the store on each request.")
@click.option("--auth", type=click.Choice(["auto", "basic", "digest"]), default=None,
              help="How to send KG_PUSH_USER/KG_PUSH_PASSWORD: auto answers the store's "
                   "Basic or Digest challenge (default, or $KG_PUSH_AUTH); basic sends it "
                   "at once; digest only as Digest.")
@click.option("--prune", is_flag=True,
              help="Delete the store's project graphs that the build no longer has.")
@click.option("--query-endpoint", help="The store's SPARQL query URL (needed by --prune).")
@output_options
def push(endpoint, graph, out_dir, timeout, auth, prune, query_endpoint, fmt, lang):
    from kg.sparql.push import push_graphs, redact

    pushed = push_graphs(out_dir, endpoint, graph, timeout=timeout, auth=auth, prune=prune,
                         query_endpoint=query_endpoint)
    emit([{"graph": p.graph, "triples": p.triples, "status": p.status, "action": p.action}
          for p in pushed], ["graph", "triples", "status", "action"], fmt)
    if fmt == "table":
        replaced = [p for p in pushed if p.action == "replaced"]
        pruned = len(pushed) - len(replaced)
        click.echo(f"pushed {sum(p.triples for p in replaced)} triples in {len(replaced)} "
                   f"graph(s) to {redact(endpoint)}" + (f"; pruned {pruned}" if pruned else ""),
                   err=True)

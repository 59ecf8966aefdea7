"""``kg push``: PUT the built graphs into a triple store (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.output import emit, output_options

__all__ = ["push"]


@click.command(help="""Send the built graphs to a triple store.

Each named graph of out/kg.trig (one per report, plus shared and ontology) is PUT to
ENDPOINT?graph=<iri> with the SPARQL 1.1 Graph Store HTTP Protocol, replacing what the
store held in that graph, so pushing twice leaves one copy. Credentials come from the
environment only: KG_PUSH_TOKEN (Bearer), or KG_PUSH_USER and KG_PUSH_PASSWORD (Basic).

\b
Examples:
  kg push --endpoint http://127.0.0.1:7878/store                 # Oxigraph
  kg push --endpoint http://localhost:3030/kg/data --graph shared  # Fuseki, one graph
  KG_PUSH_USER=admin KG_PUSH_PASSWORD=... kg push --endpoint https://store.example.org/gsp
""")
@click.option("--endpoint", required=True, help="The store's Graph Store Protocol URL.")
@click.option("--graph", help="Push only this graph: its IRI or last segment "
                              "(ala-2022-report, shared, ontology).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Build folder holding kg.trig.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for the store on each request.")
@output_options
def push(endpoint, graph, out_dir, timeout, fmt, lang):
    from kg.sparql.push import push_graphs, redact

    pushed = push_graphs(out_dir, endpoint, graph, timeout=timeout)
    emit([{"graph": p.graph, "triples": p.triples, "status": p.status} for p in pushed],
         ["graph", "triples", "status"], fmt)
    if fmt == "table":
        click.echo(f"pushed {sum(p.triples for p in pushed)} triples in {len(pushed)} "
                   f"graph(s) to {redact(endpoint)}", err=True)

"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the build output."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["serve"]


@click.command(help="""Serve the built graph as a read-only SPARQL endpoint, with a query UI.

Loads out/kg.trig into pyoxigraph (the same engine as `kg query`) and answers the SPARQL
1.1 Protocol at /sparql: GET ?query=..., POST application/sparql-query or form-encoded
query=...; JSON, XML, CSV, TSV for SELECT/ASK and Turtle, N-Triples, JSON-LD for
CONSTRUCT/DESCRIBE, chosen by the Accept header. Updates are refused (HTTP 403). The
page at / runs queries from the library without internet; out/html/ is served at /html/.
Stop it with Ctrl-C.

\b
Examples:
  kg serve                      # http://127.0.0.1:7878/
  kg serve --port 0             # any free port; the URL is printed
  kg serve --host 0.0.0.0 --port 8080
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
       http://127.0.0.1:7878/sparql
""")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Build folder holding kg.trig (and html/).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Give up on a query after this many seconds (HTTP 503).")
def serve(out_dir, host, port, timeout):
    import signal

    from kg.sparql.library import load_library
    from kg.sparql.server import make_server
    from kg.sparql.engine import load_store

    store = load_store(out_dir)
    server = make_server(store, host=host, port=port, html_dir=out_dir / "html",
                         timeout=timeout, library=load_library())
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    base = f"http://{shown}:{bound_port}"
    click.echo(f"SPARQL endpoint: {base}/sparql")
    if server.html_dir:
        click.echo(f"HTML views:      {base}/html/")
    click.echo(f"query UI:        {base}/")
    click.echo(f"{len(store)} quads from {out_dir / 'kg.trig'}; read-only; Ctrl-C to stop",
               err=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo("stopped", err=True)

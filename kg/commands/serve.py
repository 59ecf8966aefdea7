"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the build output."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["serve"]


@click.command(help="""Serve the built graph as a read-only SPARQL endpoint, with a query UI.

Loads out/kg.trig into an on-disk Oxigraph store (the same engine as `kg query`) and
answers the SPARQL 1.1 Protocol at /sparql: GET ?query=..., POST application/sparql-query
or form-encoded query=...; default-graph-uri / named-graph-uri and FROM / FROM NAMED choose
the graphs (otherwise every graph is the default graph); JSON, XML, CSV, TSV for
SELECT/ASK and Turtle, N-Triples, JSON-LD for CONSTRUCT/DESCRIBE, chosen by the Accept
header. Updates are refused (HTTP 403). The page at / runs queries from the library without
internet; out/html/ is served at /html/. Every IRI of the dataset is dereferenceable:
/id/<entity>, /doc/<report>/... in HTML for browsers and Turtle, N-Triples, JSON-LD for RDF
clients; /.well-known/void describes the dataset; GET /sparql with an RDF Accept type gives
the service description; /query/<name> runs a library query with a form for its parameters.

\b
Each query runs in one of --workers processes; past --timeout it is stopped (HTTP 503) and
its worker replaced. Refused with HTTP 400: queries over --max-query-bytes, nested deeper
than --max-depth, or with SERVICE to a host not named by --allow-service. All workers busy
and --queue requests waiting: HTTP 429. Results over --max-result-mb: HTTP 413.
Stop it with Ctrl-C.

\b
Examples:
  kg serve                      # http://127.0.0.1:7878/
  kg serve --port 0             # any free port; the URL is printed
  kg serve --cors --workers 4   # let web pages on other origins query /sparql
  kg serve --allow-service query.wikidata.org
  kg serve --base-url https://kg.example.org/   # page links point at the deployment
  curl -H 'Accept: text/turtle' http://127.0.0.1:7878/id/carla-hayden
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
       http://127.0.0.1:7878/sparql
""")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Build folder holding kg.trig (and html/).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; a warning is printed).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Stop a query after this many seconds (HTTP 503).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Query worker processes (queries answered at the same time).")
@click.option("--queue", "max_waiting", type=click.IntRange(0, 10_000), default=16,
              show_default=True, help="Queries that may wait for a worker; more get HTTP 429.")
@click.option("--max-query-bytes", type=click.IntRange(100, 10_000_000), default=100_000,
              show_default=True, help="Longest query text accepted (HTTP 400 above).")
@click.option("--max-depth", type=click.IntRange(2, 1000), default=100, show_default=True,
              help="Deepest bracket nesting accepted (HTTP 400 above).")
@click.option("--max-result-mb", type=click.FloatRange(min=0.001), default=100.0,
              show_default=True, help="Largest serialised result (HTTP 413 above).")
@click.option("--max-memory-mb", type=click.IntRange(0, 1_000_000), default=4096,
              show_default=True, help="Address-space cap of each worker (0: none); a query "
                                      "past it ends its worker (HTTP 500) and no other.")
@click.option("--allow-service", "service_hosts", multiple=True, metavar="HOST[:PORT]",
              help="Allow SERVICE calls to this host (repeatable); none by default.")
@click.option("--cors", is_flag=True,
              help="Send Access-Control-Allow-Origin: * on /sparql (never on /html).")
@click.option("--idle-timeout", type=click.FloatRange(min=1), default=5.0, show_default=True,
              help="Close a keep-alive connection idle this many seconds.")
@click.option("--socket-timeout", type=click.FloatRange(min=1), default=10.0,
              show_default=True, help="Seconds a client has to send a request head or body.")
@click.option("--base-url", default=None, metavar="URL",
              help="Public address the dataset's IRIs (https://w3id.org/nlpi-kg/…) map onto "
                   "in page links, e.g. https://kg.example.org/ behind a proxy; default: "
                   "this server.")
def serve(out_dir, host, port, timeout, workers, max_waiting, max_query_bytes, max_depth,
          max_result_mb, max_memory_mb, service_hosts, cors, idle_timeout, socket_timeout,
          base_url):
    from kg.sparql.guard import Limits
    from kg.sparql.library import load_library
    from kg.sparql.listen import bind, run
    from kg.sparql.page import query_page
    from kg.sparql.pool import WorkerPool
    from kg.sparql.server import Endpoint, create_app

    sock = bind(host, port)
    try:
        pool = WorkerPool.from_trig(out_dir / "kg.trig", size=workers, max_waiting=max_waiting,
                                    timeout=timeout,
                                    max_result_bytes=int(max_result_mb * 1_000_000),
                                    max_memory_mb=max_memory_mb)
    except BaseException:
        sock.close()
        raise
    try:
        pool.start()
        html_dir = out_dir / "html"
        endpoint = Endpoint(pool, page=query_page(load_library()),
                            html_dir=html_dir if html_dir.is_dir() else None,
                            limits=Limits(max_bytes=max_query_bytes, max_depth=max_depth,
                                          service_hosts=tuple(service_hosts)),
                            cors=cors, body_timeout=socket_timeout)
        publisher = _publisher(pool, out_dir, base_url)
        from kg.site.routes import linked_routes

        app = create_app(endpoint, extra_routes=linked_routes(publisher))
    except BaseException:
        pool.close()
        sock.close()
        raise
    import signal

    def early(signum, frame):  # a stop while starting still removes the store copy
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, early)
    try:
        _announce(sock, host, out_dir, endpoint, pool, workers, timeout)
        run(app, sock, idle_timeout=idle_timeout, header_timeout=socket_timeout,
            max_head_bytes=3 * max_query_bytes + 16 * 1024, on_stop=pool.close)
    except KeyboardInterrupt:
        pool.close()
        sock.close()
    click.echo("stopped", err=True)


def _announce(sock, host, out_dir, endpoint, pool, workers, timeout) -> None:
    import sys

    from kg.sparql.listen import is_loopback

    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    base = f"http://{shown}:{bound_port}"
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, reachable from other machines: anyone who "
                   "can reach this address can query the graph; use --host 127.0.0.1 to keep "
                   "it local", err=True)
    click.echo(f"SPARQL endpoint: {base}/sparql")
    if endpoint.html_dir:
        click.echo(f"HTML views:      {base}/html/")
    click.echo(f"resources:       {base}/id/…, {base}/doc/… (HTML, Turtle, N-Triples, "
               f"JSON-LD); dataset: {base}/.well-known/void")
    click.echo(f"query UI:        {base}/", nl=True)
    click.echo(f"{pool.quads} quads from {out_dir / 'kg.trig'}; read-only; {workers} "
               f"worker(s), {timeout:g} s per query; Ctrl-C to stop", err=True)
    sys.stdout.flush()


def _publisher(pool, out_dir, base_url):
    """The linked-data pages over the pool's on-disk store, opened read-only here."""
    import pyoxigraph

    from kg.site.publish import Publisher
    from kg.sparql.library import load_library

    def graph_data():
        from kg.api import load_built
        from kg.viz.dataset import read_graph_data

        return read_graph_data(load_built(out_dir))

    publisher = Publisher(pyoxigraph.Store.read_only(str(pool.store)), library=load_library(),
                          base_url=base_url, graph_data=graph_data)
    publisher.warm()
    return publisher

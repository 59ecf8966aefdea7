#!/usr/bin/env python3
"""One benchmark stage in one process, so its peak memory is its own.

    python bench/stages.py STAGE IMPL DATA.nq      -> one JSON line: seconds, peak_mb, detail

STAGE: load, validate, serialize, queries, networkx, html.
IMPL:  kg (kg.fastio: Oxigraph under rdflib), rdflib (rdflib's default store and writers),
       oxigraph (pyoxigraph doing the same work alone).
Only the stage itself is timed; loading the data for later stages is not.
"""

from __future__ import annotations

import io
import json
import resource
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = "https://w3id.org/nlpi-kg/"
# The SHACL shapes' core constraints as SPARQL: every row is a violation.
VALIDATION_QUERIES = {
    "entity-without-label": f"""
        SELECT ?e WHERE {{ ?e <http://purl.org/dc/terms/identifier> ?id .
          FILTER(STRSTARTS(STR(?e), "{BASE}id/"))
          FILTER NOT EXISTS {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}""",
    "statement-without-source": """
        SELECT ?st WHERE { ?st a <https://w3id.org/nlpi-kg/ontology#Statement> .
          FILTER NOT EXISTS { ?st <http://www.w3.org/ns/prov#wasDerivedFrom> ?s } }""",
    "bad-chinese-tag": """
        SELECT ?s ?o WHERE { ?s ?p ?o . FILTER(isLiteral(?o) && LANGMATCHES(LANG(?o), "zh")
          && !LANGMATCHES(LANG(?o), "zh-Hant") && !LANGMATCHES(LANG(?o), "zh-Hans")) }""",
    "statement-object-undefined": f"""
        SELECT ?st WHERE {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o .
          FILTER NOT EXISTS {{ ?o <http://purl.org/dc/terms/identifier> ?id }} }}""",
}


QUERY_CAP = 5.0  # seconds per library query; slower ones count as 5 s (a lower bound)


class TimedOut(Exception):
    pass


def _alarm(signum, frame):
    raise TimedOut()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def library_queries() -> dict[str, str]:
    from kg.sparql.library import load_library

    return {name: q.text for name, q in sorted(load_library().items())}


# -- loading ---------------------------------------------------------------------------------
def load(impl: str, path: str):
    if impl == "kg":
        from kg.build.fastio import load_dataset

        return load_dataset(path)
    if impl == "oxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
        return store
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    return dataset


def _store(data):
    from kg.build.fastio import oxigraph_store

    return oxigraph_store(data)


# -- stages ----------------------------------------------------------------------------------
def run_sparql(impl: str, data, text: str) -> int:
    if impl == "rdflib":
        result = data.query(text)
    elif impl == "kg":
        from kg.build.fastio import query

        result = query(data, text)
    else:
        result = data.query(text, use_default_graph_as_union=True)
    if type(result).__name__ == "QueryBoolean" or getattr(result, "type", "") == "ASK":
        return int(bool(result))
    return len(list(result))


def stage_validate(impl, data):
    return {name: run_sparql(impl, data, q) for name, q in VALIDATION_QUERIES.items()}


def stage_serialize(impl, data):
    import tempfile

    if impl == "kg":
        from kg.build.fastio import write_large

        with tempfile.TemporaryDirectory() as folder:
            return {k: v.stat().st_size for k, v in write_large(data, folder).items()}
    if impl == "oxigraph":
        import pyoxigraph as ox

        from kg.namespaces import PREFIXES

        union = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        sizes = {}
        with tempfile.TemporaryDirectory() as folder:
            for name, fmt in (("kg.nt", ox.RdfFormat.N_TRIPLES),
                              ("kg.ttl", ox.RdfFormat.TURTLE)):
                path = Path(folder) / name
                ox.serialize(data.query(union, use_default_graph_as_union=True), str(path), fmt,
                             prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)
                sizes[name] = path.stat().st_size
            for name, fmt in (("kg.trig", ox.RdfFormat.TRIG),
                              ("kg.jsonld", ox.RdfFormat.JSON_LD)):
                path = Path(folder) / name
                data.dump(str(path), fmt)
                sizes[name] = path.stat().st_size
        return sizes
    from rdflib import Graph

    from kg.namespaces import PREFIXES

    union = Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns)
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return {"kg.ttl": len(union.serialize(format="turtle", encoding="utf-8")),
            "kg.trig": len(data.serialize(format="trig", encoding="utf-8")),
            "kg.nt": len(union.serialize(format="nt", encoding="utf-8")),
            "kg.jsonld": len(union.serialize(format="json-ld", encoding="utf-8"))}


def stage_queries(impl, data, timeout: float):
    times = {}
    for name, text in library_queries().items():
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            rows = run_sparql(impl, data, text)
            times[name] = (time.perf_counter() - start, rows)
        except TimedOut:
            times[name] = (None, None)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    done = [t for t, _ in times.values() if t is not None]
    timed_out = [n for n, (t, _) in times.items() if t is None]
    median = statistics.median([t if t is not None else timeout for t, _ in times.values()])
    return {"median_s": median, "queries": len(times), "timed_out": timed_out,
            "total_s": sum(done)}


def nx_view(impl, data):
    """The one adapter: a Python pass on rdflib's store, two SPARQL queries on Oxigraph."""
    from kg.explore.graphview import to_networkx

    return to_networkx(data)


def stage_networkx(impl, data):
    import networkx as nx

    G = nx_view(impl, data)
    H = nx.Graph(G)
    ranks = nx.pagerank(H)
    degree = dict(H.degree())
    top = max(ranks, key=ranks.get)
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "top": top,
            "max_degree": max(degree.values())}


def stage_html(impl, G, out: Path):
    from bench_html import focused_html

    return focused_html(G, out, pyvis=(impl == "rdflib"))


def main(argv: list[str]) -> None:
    stage, impl, path = argv[:3]
    timeout = float(argv[3]) if len(argv) > 3 else 600.0
    signal.signal(signal.SIGALRM, _alarm)
    detail = {}
    if stage == "load":
        start = time.perf_counter()
        data = load(impl, path)
        seconds = time.perf_counter() - start
        detail = {"quads": len(_store(data)) if impl != "rdflib" else len(data)}
    else:
        if impl == "oxigraph" and stage in ("networkx", "html"):
            print(json.dumps({"seconds": None, "peak_mb": None, "detail": "n/a"}))
            return
        data = load(impl, path)
        G = nx_view(impl, data) if stage == "html" else None
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout) if stage != "queries" else None
        try:
            if stage == "validate":
                detail = stage_validate(impl, data)
            elif stage == "serialize":
                detail = stage_serialize(impl, data)
            elif stage == "queries":
                detail = stage_queries(impl, data, QUERY_CAP)
            elif stage == "networkx":
                detail = stage_networkx(impl, data)
            elif stage == "html":
                detail = stage_html(impl, G, Path(path).with_suffix(f".{impl}.html"))
            seconds = time.perf_counter() - start
        except TimedOut:
            seconds, detail = None, f"timed out after {timeout:.0f} s"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if stage == "queries" and isinstance(detail, dict):
            seconds = detail["median_s"]
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "detail": detail},
                     ensure_ascii=False, default=str))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])

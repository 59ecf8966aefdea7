#!/usr/bin/env python3
"""Median latency of every library query: pyoxigraph (what `kg query`/`kg serve` run on)
against rdflib's default in-memory store, on the bundled graph and on a synthetic
1-million-triple graph, in the same run. Prints one table with the ratios.

    python bench/sparql.py                      # out/kg.trig + 1M synthetic triples
    python bench/sparql.py --size 100000        # a smaller synthetic graph
    python bench/sparql.py --out /tmp/out --rdflib-timeout 5

The large graph is the bundled build plus ``bench/synthetic.py``'s report-shaped triples, so
the library's queries about real ids still have answers. Each query runs ``--repeat`` times
(median); a query slower than 1 s runs once. rdflib runs each query in a forked child that
is killed after ``--rdflib-timeout`` seconds (shown as ``>N``), which keeps the 1M run to a
few minutes; pyoxigraph gets ``--oxigraph-timeout``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kg.output import render_table  # noqa: E402
from kg.sparql.library import load_library  # noqa: E402


def _timed(run, repeat: int) -> tuple[float, int]:
    """(median seconds, rows) of ``run()``; once only when the first run is slow."""
    times, rows = [], 0
    for index in range(repeat):
        start = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - start)
        if index == 0 and times[0] > 1.0:
            break
    return statistics.median(times), rows


def oxigraph_store(paths: list[tuple[Path, str]]):
    import pyoxigraph

    store = pyoxigraph.Store()
    for path, fmt in paths:
        store.bulk_load(path=str(path), format=getattr(pyoxigraph.RdfFormat, fmt))
    return store


def time_oxigraph(store, text: str, repeat: int, timeout: float) -> tuple[float | None, int]:
    from kg.problems import UserError
    from kg.sparql.engine import run_query

    def run() -> int:
        result = run_query(store, text, timeout=timeout)
        return len(result.solutions) or len(result.triples) or int(bool(result.boolean))
    try:
        return _timed(run, repeat)
    except UserError:
        return None, 0


def rdflib_dataset(paths: list[tuple[Path, str]]):
    from rdflib import Dataset

    dataset = Dataset(default_union=True)  # rdflib's default in-memory store
    for path, fmt in paths:
        dataset.parse(str(path), format={"TRIG": "trig", "N_QUADS": "nquads"}[fmt])
    return dataset


def time_rdflib(dataset, text: str, repeat: int, timeout: float) -> tuple[float | None, int]:
    """Run in a forked child (it inherits the loaded graph) and kill it after ``timeout``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            def run() -> int:
                result = dataset.query(text)
                if result.type == "ASK":
                    return int(bool(result.askAnswer))
                return sum(1 for _ in result)
            payload = pickle.dumps(_timed(run, repeat))
        except Exception as exc:  # report, don't hang the parent
            payload = pickle.dumps((None, f"error: {exc.__class__.__name__}"))
        os.write(write, payload)
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
        return None, 0
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    return pickle.loads(data)


def fmt_ms(seconds: float | None, limit: float) -> str:
    return f">{limit * 1000:.0f}" if seconds is None else f"{seconds * 1000:.1f}"


def ratio(ox: float | None, rd: float | None, limit: float) -> str:
    if ox is None:
        return "?"
    if rd is None:
        return f">{limit / ox:.0f}x"
    return f"{rd / ox:.1f}x"


def bench(graph_name: str, paths, library, args) -> list[dict]:
    started = time.perf_counter()
    store = oxigraph_store(paths)
    ox_load = time.perf_counter() - started
    started = time.perf_counter()
    dataset = rdflib_dataset(paths)
    rd_load = time.perf_counter() - started
    print(f"[{graph_name}] {len(store)} quads; load: pyoxigraph {ox_load:.1f} s, "
          f"rdflib {rd_load:.1f} s", file=sys.stderr)
    rows = []
    for query in library.values():
        ox, ox_rows = time_oxigraph(store, query.text, args.repeat, args.oxigraph_timeout)
        rd, rd_rows = time_rdflib(dataset, query.text, args.repeat, args.rdflib_timeout)
        check = "" if rd is None or ox is None or ox_rows == rd_rows else f"rdflib {rd_rows}"
        rows.append({"query": query.name, "graph": graph_name, "rows": ox_rows,
                     "oxigraph ms": fmt_ms(ox, args.oxigraph_timeout),
                     "rdflib ms": fmt_ms(rd, args.rdflib_timeout),
                     "rdflib/oxigraph": ratio(ox, rd, args.rdflib_timeout),
                     "differs": check, "_ox": ox, "_rd": rd})
        print(f"  {query.name}: {rows[-1]['oxigraph ms']} ms vs {rows[-1]['rdflib ms']} ms",
              file=sys.stderr)
    del dataset
    return rows


def summary(rows: list[dict], limit: float) -> str:
    ox = [r["_ox"] for r in rows if r["_ox"] is not None]
    both = [(r["_ox"], r["_rd"]) for r in rows if r["_ox"] and r["_rd"] is not None]
    timed_out = sum(r["_rd"] is None for r in rows)
    ratios = [rd / o for o, rd in both]
    text = (f"{rows[0]['graph']}: median oxigraph {statistics.median(ox) * 1000:.1f} ms, ")
    if ratios:
        text += (f"median rdflib/oxigraph ratio {statistics.median(ratios):.1f}x over "
                 f"{len(ratios)} queries")
    if timed_out:
        text += f"; rdflib over {limit:g} s on {timed_out} queries"
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="build folder (kg.trig)")
    parser.add_argument("--size", type=int, default=1_000_000, help="synthetic triples (0: skip)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=10.0)
    parser.add_argument("--oxigraph-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    trig = args.out / "kg.trig"
    if not trig.is_file():
        sys.exit(f"{trig}: missing; run `kg build` first (or pass --out)")
    library = load_library()
    rows = bench("bundled", [(trig, "TRIG")], library, args)
    summaries = [summary(rows, args.rdflib_timeout)]
    if args.size:
        from synthetic import generate

        with tempfile.TemporaryDirectory() as tmp:
            nq = Path(tmp) / "synthetic.nq"
            started = time.perf_counter()
            count = generate(args.size, nq)
            print(f"generated {count} synthetic quads in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            large = bench(f"{count // 1000}k+bundled", [(trig, "TRIG"), (nq, "N_QUADS")],
                          library, args)
        rows += large
        summaries.append(summary(large, args.rdflib_timeout))
    columns = ["query", "graph", "rows", "oxigraph ms", "rdflib ms", "rdflib/oxigraph",
               "differs"]
    print(render_table(rows, columns))
    print()
    for line in summaries:
        print(line)


if __name__ == "__main__":
    main()

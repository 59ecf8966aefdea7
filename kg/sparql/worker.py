"""A query worker process for ``kg serve``: answers one query at a time from a read-only store.

A running pyoxigraph query cannot be cancelled from another thread, so the endpoint runs each
query in a worker process it can kill: its CPU and memory are released the moment it dies.
The worker opens the on-disk store the server made at start (``Store.read_only``, shared by
all workers) and speaks a line protocol on stdin/stdout:

    request  (one JSON line): {"query": "...", "formats": ["json", "turtle"],
                               "default_graphs": null, "named_graphs": null}
    reply    (one JSON line, then ``length`` raw bytes):
             {"status": 200, "media": "...", "kind": "select", "length": 123}
             {"status": 400, "message": "SPARQL syntax error at line 1 …", "length": 0}

    python -m kg.sparql.worker STORE_DIR --max-result-bytes 100000000 --max-memory-mb 4096
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main", "answer"]


def answer(store, request: dict, max_result_bytes: int | None) -> tuple[dict, bytes]:
    """(reply header, body) for one request; every failure is a status and a message."""
    from kg.problems import UserError
    from kg.sparql.engine import QuerySyntaxError, ResultTooLarge, run_query
    from kg.sparql.guard import Limits

    try:
        result = run_query(store, request["query"], timeout=None,
                           formats=tuple(request.get("formats") or (None, None)),
                           limits=Limits(service_hosts=tuple(request.get("service_hosts") or ())),
                           default_graphs=request.get("default_graphs"),
                           named_graphs=request.get("named_graphs"),
                           max_result_bytes=max_result_bytes, inline=True)
    except ResultTooLarge as exc:
        return {"status": 413, "message": str(exc)}, b""
    except (QuerySyntaxError, UserError) as exc:
        return {"status": 400, "message": str(exc)}, b""
    except MemoryError:
        return {"status": 503, "message": "the query needed more memory than a worker may "
                                          "use; add a LIMIT or more specific patterns"}, b""
    except Exception as exc:  # an engine failure is the query's answer, not the worker's end
        return {"status": 500, "message": f"the engine failed on this query "
                                          f"({exc.__class__.__name__}: {exc})"}, b""
    if result.data is None:
        return {"status": 406, "kind": result.kind}, b""
    return {"status": 200, "media": result.media_type, "kind": result.kind}, result.data


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.sparql.worker")
    parser.add_argument("store")
    parser.add_argument("--max-result-bytes", type=int, default=0)
    parser.add_argument("--max-memory-mb", type=int, default=0)
    args = parser.parse_args(argv)
    import pyoxigraph

    store = pyoxigraph.Store.read_only(args.store)
    import kg.sparql.engine  # noqa: F401  (imported before the memory cap and the first query)

    _limit_memory(args.max_memory_mb)
    # the engine recurses on the native stack: serve from a thread with a large one
    import threading

    from kg.sparql.engine import QUERY_STACK_BYTES

    threading.stack_size(QUERY_STACK_BYTES)
    loop = threading.Thread(target=_loop, args=(store, args.max_result_bytes or None),
                            name="sparql-worker")
    loop.start()
    loop.join()
    return 0


def _loop(store, max_result_bytes: int | None) -> None:
    reader, writer = sys.stdin.buffer, sys.stdout.buffer
    writer.write(b'{"status": "ready"}\n')
    writer.flush()
    for line in reader:
        try:
            request = json.loads(line)
        except ValueError:
            header, body = {"status": 500, "message": "worker got a malformed request"}, b""
        else:
            header, body = answer(store, request, max_result_bytes)
        header["length"] = len(body)
        writer.write(json.dumps(header).encode("utf-8") + b"\n")
        writer.write(body)
        writer.flush()


if __name__ == "__main__":
    sys.exit(main())

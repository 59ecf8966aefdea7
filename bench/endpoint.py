"""Latency of `kg serve`: one persistent HTTP/1.1 connection against a new connection per request.

Starts `kg serve --port 0` on a build folder, sends the same small SELECT N times over one
keep-alive connection and N times on fresh connections, and prints median milliseconds
and their ratio (persistent / fresh). Nagle's algorithm on a keep-alive connection shows as a
persistent median near 40 ms, far above the fresh one.

    python bench/endpoint.py --out out --n 200
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

QUERY = "SELECT ?org WHERE { id:carla-hayden kg:heads ?org }"


def start(out: str) -> tuple[subprocess.Popen, str, int]:
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", out, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        found = re.search(r"http://([\d.]+):(\d+)/sparql", line)
        if found:
            return process, found.group(1), int(found.group(2))
    raise SystemExit("kg serve printed no endpoint")


def timed(connection: http.client.HTTPConnection, path: str, body: bytes | None) -> float:
    started = time.perf_counter()
    if body is None:
        connection.request("GET", path, headers={"Accept": "text/csv"})
    else:
        connection.request("POST", "/sparql", body=body,
                           headers={"Accept": "text/csv",
                                    "Content-Type": "application/sparql-query"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    process, host, port = start(args.out)
    try:
        path = "/sparql?" + urllib.parse.urlencode({"query": QUERY})
        for method, body in (("GET", None), ("POST", QUERY.encode())):
            keep = http.client.HTTPConnection(host, port, timeout=30)
            timed(keep, path, body)  # warm up
            persistent = [timed(keep, path, body) for _ in range(args.n)]
            keep.close()
            fresh = []
            for _ in range(args.n):
                one = http.client.HTTPConnection(host, port, timeout=30)
                fresh.append(timed(one, path, body))
                one.close()
            p, f = statistics.median(persistent), statistics.median(fresh)
            print(f"{method:4}  persistent {p:7.2f} ms  fresh {f:7.2f} ms  "
                  f"ratio persistent/fresh {p / f:5.2f}")
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()

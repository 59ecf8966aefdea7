#!/usr/bin/env python3
"""`kg build` from curated YAML at scale: N copies of the bundled report (own entities and
statements renamed per copy, shared entities kept), built with kg's large-dataset path
(Oxigraph under rdflib, streamed writers) against the same build forced through rdflib's
default store and writers, each in its own process. SHACL and HTML views are off in both.

    python bench/build_yaml.py --copies 200        # about 1M triples
    python bench/build_yaml.py --copies 20 --keep /tmp/yaml-20
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

RUN = """
import json, resource, sys, time
import kg.build.fastio
from kg.build.pipeline import build
if sys.argv[3] == "rdflib":
    kg.build.fastio.LARGE_DATASET = 10**12   # never switch: rdflib's store and writers throughout
started = time.perf_counter()
result = build(sys.argv[1], sys.argv[2], shacl=False)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "triples": result.summary["triples"]}))
"""


def make_copies(copies: int, target: Path) -> None:
    """data/ plus ``copies - 1`` renamed copies of the ala-2022 report folder."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / "data", target)
    report = target / "reports" / "ala-2022"
    own = [e["id"] for e in yaml.safe_load((report / "entities.yaml").read_text())["entities"]]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(
        map(re.escape, sorted(own, key=len, reverse=True))) + r")(?![\w-])")
    for index in range(1, copies):
        folder = target / "reports" / f"copy-{index}"
        folder.mkdir()
        for path in report.glob("*.yaml"):
            text = pattern.sub(lambda m: f"{m.group(1)}-c{index}", path.read_text())
            text = text.replace("id: ala-2022-report", f"id: copy-{index}-report")
            text = text.replace("sha256: ", "# sha256: ").replace("source_file: ", "# source_file: ")
            (folder / path.name).write_text(text)


def run(data: Path, out: Path, impl: str, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", RUN, str(data), str(out), impl],
                              capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mb": None, "triples": None}
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--keep", type=Path, help="write the YAML folder here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = args.keep or Path(work) / "data"
        make_copies(args.copies, data)
        results = {impl: run(data, Path(work) / f"out-{impl}", impl, args.timeout)
                   for impl in ("kg", "rdflib")}
    kg, base = results["kg"], results["rdflib"]
    print(f"{kg['triples']} triples from {args.copies} report folders")
    print(f"{'path':<8} {'seconds':>9} {'peak MB':>9}")
    for impl, row in results.items():
        seconds = f"{row['seconds']:.1f}" if row["seconds"] else f">{args.timeout:.0f}"
        peak = f"{row['peak_mb']:.0f}" if row["peak_mb"] else "—"
        print(f"{impl:<8} {seconds:>9} {peak:>9}")
    if kg["seconds"] and base["seconds"]:
        print(f"rdflib / kg: {base['seconds'] / kg['seconds']:.1f}x time, "
              f"{base['peak_mb'] / kg['peak_mb']:.1f}x memory")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""YAML parse time of kg's loader (libyaml events, YAML 1.2 values, bounded) against PyYAML's
CSafeLoader (YAML 1.1, the loader kg used before) and ruamel.yaml's pure YAML 1.2 loader, on
the bundled data/ and on bench/build_yaml.py's copies. Ratios only; same process, same files.

    python bench/yaml_load.py                 # bundled data and 20 copies
    python bench/yaml_load.py --copies 200
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))


def best_of(fn, texts, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def measure(label: str, folder: Path, repeat: int, ruamel: bool) -> None:
    from kg.build.yamlread import load_yaml_text

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("**/*.yaml"))]
    size = sum(len(t.encode()) for t in texts)
    base = best_of(lambda t: yaml.load(t, Loader=yaml.CSafeLoader), texts, repeat)  # noqa: S506
    ours = best_of(lambda t: load_yaml_text(t, "x.yaml"), texts, repeat)
    line = (f"{label}: {len(texts)} files, {size / 1e6:.2f} MB; PyYAML CSafeLoader (1.1) "
            f"{base:.3f} s; kg yamlread {ours:.3f} s = {ours / base:.2f}x")
    if ruamel:
        from ruamel.yaml import YAML

        pure = YAML(typ="safe", pure=True)
        slow = best_of(pure.load, texts, 1)
        line += f"; ruamel.yaml pure 1.2 {slow:.3f} s = {slow / base:.2f}x"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    measure("bundled data/", REPO / "data", 5, True)
    from build_yaml import make_copies

    with tempfile.TemporaryDirectory() as work:
        make_copies(args.copies, Path(work) / "data")
        measure(f"{args.copies} copies", Path(work) / "data", 2, args.copies <= 50)


if __name__ == "__main__":
    main()

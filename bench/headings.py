#!/usr/bin/env python3
"""Ingest against the number of headings: synthetic reports with 2,500 … 20,000 headings
(第N章 chapters, numbered sections, figure captions, a sentence under each), drafted with
``kg.extract.ingest.draft`` against an empty data folder. Prints the time per heading as a
ratio to the smallest size (1.0 everywhere = linear) and each draft against the time to read
the same file, all measured in this run.

    python bench/headings.py
    python bench/headings.py --sizes 1000 4000 16000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def synthetic(headings: int) -> str:
    """A report with ``headings`` headings: chapters of nine numbered sections each."""
    lines = ["合成測試報告", ""]
    count = chapter = 0
    while count < headings:
        chapter += 1
        lines += [f"第{chapter}章 第{chapter}部分", f"本章說明第{chapter}部分的內容。"]
        count += 1
        for number in range(1, 10):
            if count >= headings:
                break
            lines += [f"{number}. 小節標題", "這一節有一句說明，約有三十個字元左右。",
                      f"圖 {number}：示意圖"]
            count += 1
    return "\n\n".join(lines) + "\n"


def main() -> None:
    from kg.extract.ingest import draft

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "shared").mkdir(parents=True)
        (data / "shared" / "places.yaml").write_text(
            "entities:\n  - {id: taipei, type: City, label: {en: Taipei, zh-Hant: 臺北}}\n",
            encoding="utf-8")
        base = None
        print(f"{'headings':>9} {'chars':>9} {'read s':>8} {'draft s':>8} {'draft/read':>10} "
              f"{'per heading vs first':>21}")
        for size in args.sizes:
            source = Path(tmp) / f"report-{size}.txt"
            source.write_text(synthetic(size), encoding="utf-8")
            started = time.perf_counter()
            text = source.read_text(encoding="utf-8")
            read = time.perf_counter() - started
            started = time.perf_counter()
            result = draft(source, f"bench-{size}", data)
            took = time.perf_counter() - started
            found = len(result.sections)
            assert found >= size, (found, size)
            per = took / size
            base = base or per
            print(f"{size:>9} {len(text):>9} {read:>8.4f} {took:>8.3f} {took / read:>10.0f} "
                  f"{per / base:>21.2f}")


if __name__ == "__main__":
    main()

"""A progress bar for steps that can take more than a second: counts, rate, and quiet mode.

Draws on standard error only when it is a terminal and ``quiet`` is false, so scripts and
pipes see nothing (and ``--quiet`` silences it everywhere).

>>> with Progress(3, "reports", quiet=True) as bar:
...     for _ in range(3):
...         bar.advance()
>>> bar.done
3
"""

from __future__ import annotations

import sys
import time

__all__ = ["Progress", "progress_enabled"]


def progress_enabled(quiet: bool = False, stream=None) -> bool:
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


class Progress:
    """``with Progress(total, "triples") as bar: bar.advance(n)`` -> ``[####  ] 40/100 …``."""

    def __init__(self, total: int | None, unit: str = "items", *, quiet: bool = False,
                 stream=None, width: int = 30, every: float = 0.1):
        self.total, self.unit, self.width, self.every = total, unit, width, every
        self.stream = stream or sys.stderr
        self.enabled = progress_enabled(quiet, self.stream)
        self.done = 0
        self.started = time.perf_counter()
        self._drawn = 0.0
        self.label = ""

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, n: int = 1, label: str = "") -> None:
        self.done += n
        self.label = label or self.label
        if self.enabled:
            self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._drawn < self.every:
            return
        self._drawn = now
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            filled = int(self.width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"[{bar}] {self.done:,}/{self.total:,} {self.unit}"
        else:
            text = f"{self.done:,} {self.unit}"
        self.stream.write(f"\r{text} {rate:,.1f}/s {elapsed:.0f}s {self.label}"[:120].ljust(80))
        self.stream.flush()

"""Data problems as values: where, what is wrong, how to fix it.

>>> p = Problem("data/a.yaml", 3, "unknown type 'Libary'", "use one of: Library, …")
>>> p.format()
"data/a.yaml:3: error: unknown type 'Libary'\\n    fix: use one of: Library, …"
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    what: str
    fix: str = ""
    severity: str = "error"  # "error" or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.what}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class DataError(Exception):
    """Raised to stop a command when the data has errors; carries the problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in the data")


class UserError(Exception):
    """A mistake in how a command was called (missing file, bad option): shown without traceback."""

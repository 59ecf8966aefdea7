"""One way to format results across commands: an aligned table, JSON or CSV.

Every command that prints rows takes the same options through ``@output_options``
(``--format table|json|csv``, the short forms ``--json`` and ``--csv``, and ``--lang en|zh``)
and prints through ``emit``. Tables align CJK text, which is two columns wide.

>>> print(render_table([{"name": "國會圖書館", "n": 3}, {"name": "ALA", "n": 12}], ["name", "n"]))
name        n
----------  --
國會圖書館  3
ALA         12
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Callable, Iterable

import click


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide and full-width chars count 2."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def render_table(rows: list[dict], columns: list[str]) -> str:
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [max([display_width(col)] + [display_width(r[i]) for r in cells])
              for i, col in enumerate(columns)]
    lines = ["  ".join(_pad(col, widths[i]) for i, col in enumerate(columns)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(_pad(v, widths[i]) for i, v in enumerate(row)).rstrip())
    return "\n".join(lines)


def render(rows: list[dict], columns: list[str], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{c: row.get(c) for c in columns} for row in rows],
                          ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return buffer.getvalue().rstrip("\n")
    return render_table(rows, columns)


def emit(rows: Iterable[dict], columns: list[str], fmt: str = "table") -> None:
    """Print rows in the chosen format to standard output (flushed, so a count or note that
    follows on standard error never lands inside or before the table)."""
    click.echo(render(list(rows), columns, fmt))
    click.get_text_stream("stdout").flush()


def output_options(func: Callable | None = None, *, formats: tuple[str, ...] = (),
                   lang_help: str = "Language of labels in the output.") -> Callable:
    """Add ``--format/--json/--csv`` and ``--lang`` to a command; it receives ``fmt``, ``lang``.

    ``formats`` adds choices after table, json and csv (``kg query`` adds tsv, xml, turtle…):
    ``@output_options(formats=("tsv",))``.
    """
    def decorate(func: Callable) -> Callable:
        func = click.option("--lang", type=click.Choice(["en", "zh"]), default="en",
                            show_default=True, help=lang_help)(func)
        func = click.option("--csv", "fmt", flag_value="csv",
                            help="Shorthand for --format csv.")(func)
        func = click.option("--json", "fmt", flag_value="json",
                            help="Shorthand for --format json.")(func)
        func = click.option("--format", "fmt",
                            type=click.Choice(["table", "json", "csv", *formats]),
                            default="table", show_default=True, help="Output format.")(func)
        return func
    return decorate(func) if func is not None else decorate

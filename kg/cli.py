"""The ``kg`` command line: a thin layer that parses options and calls one function.

Commands are imported only when run, so ``kg --help`` stays fast (no rdflib, networkx, pyvis).
Each command lives in ``kg/commands/<name>.py``; add it to ``COMMANDS`` to register it.
"""

from __future__ import annotations

import importlib
import sys

import click

from kg import __version__
from kg.problems import DataError, UserError

# name -> (module, function, one-line help). The help is here so `kg --help` imports nothing.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("kg.commands.build", "build", "Build the knowledge graph from data/ into out/."),
    "ingest": ("kg.commands.ingest", "ingest", "Draft a data folder for a new report's text."),
    "review": ("kg.commands.review", "review", "Accept, edit, merge or reject a report's proposals."),
    "validate": ("kg.commands.validate", "validate", "Check the curated data; list every problem."),
    "stats": ("kg.commands.stats", "stats", "Counts by class and predicate, components, hubs."),
    "rank": ("kg.commands.rank", "rank", "Rank entities by degree, betweenness, PageRank, …"),
    "communities": ("kg.commands.communities", "communities", "Leiden communities and their topics."),
    "path": ("kg.commands.path", "path", "How two entities connect, citing sections."),
    "neighbors": ("kg.commands.neighbors", "neighbors", "An entity's neighbours, by relation."),
    "search": ("kg.commands.search", "search", "Find entities by name, in English or Chinese."),
    "cooccur": ("kg.commands.cooccur", "cooccur", "Who shares which topics."),
    "brokers": ("kg.commands.brokers", "brokers", "Who lies between two groups, ranked."),
    "export": ("kg.commands.export", "export", "Export to GraphML, GEXF, Neo4j CSV or JSON."),
    "query": ("kg.commands.query", "query", "Run SPARQL on the graph; list the query library."),
    "serve": ("kg.commands.serve", "serve", "Start a read-only SPARQL endpoint with a query UI."),
    "site": ("kg.commands.site", "site", "Write the graph as a static linked-data site."),
    "push": ("kg.commands.push", "push", "Send the graphs to a triple store (Graph Store Protocol)."),
    "viz": ("kg.commands.viz", "viz", "Write an interactive, offline HTML view of the graph."),
    "snapshot": ("kg.commands.snapshot", "snapshot", "Draw a view as PNG/SVG for slides."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DataError as exc:
            report_problems(exc.problems)
            ctx.exit(1)
        except UserError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


def report_problems(problems) -> None:
    """Print problems (errors first) and a one-line count to standard error."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for problem in errors + warnings:
        color = "red" if problem.is_error else "yellow"
        click.secho(problem.format(), fg=color, err=True)
    click.secho(f"{len(errors)} error(s), {len(warnings)} warning(s)",
                fg="red" if errors else "green", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli():
    """kg: build, check, explore and show a knowledge graph of library-conference reports.

    \b
    Start with:
      kg build                  # data/ -> out/kg.ttl, kg.trig, kg.jsonld, kg.nt
      kg validate               # list every problem in data/ with file and line
    """


def main() -> None:
    cli(prog_name="kg")

"""The command line as a new user meets it: help, version, examples, start-up cost."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import COMMANDS, cli


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"kg {name} --help shows no example"
    assert f"kg {name}" in result.output


def test_help_imports_no_heavy_library():
    code = ("import sys\nfrom kg.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rdflib', 'networkx', 'pyvis', 'pyshacl', 'pyoxigraph')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("[]"), out


def test_unknown_command_suggests_help():
    result = CliRunner().invoke(cli, ["buld"])
    assert result.exit_code == 2
    assert "No such command" in result.output

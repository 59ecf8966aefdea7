"""Shared fixtures: the repository, the report text, and one build of the bundled data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources"
REPORT = SOURCES / "ala-2022-report.zh-Hant.txt"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def report_path() -> Path:
    if not REPORT.is_file():
        pytest.fail(f"the source report is missing: {REPORT} (tests read it from "
                    "../shared/sources next to the checkout)")
    return REPORT


@pytest.fixture(scope="session")
def report_text(report_path) -> str:
    return report_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def build_result(tmp_path_factory, report_path):
    """One full build of data/ with the report text, shared by every test that reads out/."""
    from kg.build.pipeline import build
    from kg.viz import write_default_views

    out = tmp_path_factory.mktemp("out")
    return build(REPO / "data", out, sources=[report_path], views=write_default_views)


@pytest.fixture(scope="session")
def built_out(build_result) -> Path:
    """The folder holding kg.ttl, kg.trig, kg.jsonld and kg.nt of the bundled data."""
    return next(iter(build_result.written.values())).parent


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break or extend it."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


def require_browser() -> bool:
    """Browser tests fail instead of skipping when KG_REQUIRE_BROWSER=1 (as in CI)."""
    return os.environ.get("KG_REQUIRE_BROWSER") == "1"


# --- explore (issue 3): the networkx view of the built graph and counts read independently ---

@pytest.fixture(scope="session")
def built_dataset(built_out):
    """The rdflib Dataset read back from the built kg.trig (as `kg stats` etc. read it)."""
    from kg.api import load_built

    return load_built(built_out)


@pytest.fixture()
def view(built_dataset):
    """A fresh networkx view of the built graph (tests may annotate it)."""
    from kg.explore.graphview import to_networkx

    return to_networkx(built_dataset)


@pytest.fixture(scope="session")
def counts(built_out) -> dict:
    """Entity and relation counts straight from the TriG via pyoxigraph SPARQL."""
    from kg.api import open_store, sparql_rows

    store = open_store(built_out)
    base = "https://w3id.org/nlpi-kg/id/"
    entities = sparql_rows(store, f"""
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
          ?e dcterms:identifier ?id . FILTER(STRSTARTS(STR(?e), "{base}")) }}""")[0]["n"]
    relations = sparql_rows(store, f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT DISTINCT ?s ?p ?o WHERE {{
          ?s ?p ?o . ?s dcterms:identifier ?a . ?o dcterms:identifier ?b .
          FILTER(STRSTARTS(STR(?s), "{base}") && STRSTARTS(STR(?o), "{base}"))
          {{ GRAPH <https://w3id.org/nlpi-kg/graph/ontology> {{ ?p a owl:ObjectProperty }} }}
          UNION {{ VALUES ?p {{ skos:broader }} }}
        }} }} }}""")[0]["n"]
    sessions = sparql_rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kg:Session }")
    return {"entities": entities, "relations": relations, "sessions": sessions[0]["n"]}


# --- headless Chromium, shared by every browser test ------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright; fails instead of skipping when
    KG_REQUIRE_BROWSER=1 (as in CI)."""
    if not CHROMIUM.exists():
        if require_browser():
            pytest.fail(f"{CHROMIUM} is missing and KG_REQUIRE_BROWSER=1; install Debian chromium")
        pytest.skip("no /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if require_browser():
            pytest.fail("playwright is not installed and KG_REQUIRE_BROWSER=1")
        pytest.skip("playwright is not installed")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


def run_cli(*args):
    """``kg ARGS`` in process (click's runner); fails on a traceback or an uncaught error."""
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result

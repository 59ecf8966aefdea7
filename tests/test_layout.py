"""The package layout: stages as subpackages, no import circle, one RDF → networkx adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[1] / "kg"


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(KG.parent).with_suffix("").parts)
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def import_graph() -> dict[str, set[str]]:
    """Module -> the kg modules it imports, at the top or inside functions (lazy imports count)."""
    modules = {module_name(p): p for p in KG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
                targets = subs or [base]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_in_kg():
    cycles = find_cycles(import_graph())
    assert cycles == [], "import circles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_cycle_finder_finds_a_planted_cycle():
    planted = {"kg.a": {"kg.b"}, "kg.b": {"kg.c"}, "kg.c": {"kg.a"}, "kg.d": {"kg.a"}}
    assert find_cycles(planted) == [["kg.a", "kg.b", "kg.c"]]


def test_at_most_ten_modules_at_the_top():
    top = sorted(p.name for p in KG.glob("*.py"))
    assert len(top) <= 10, top


@pytest.mark.parametrize("stage", ["build", "extract", "explore", "sparql", "viz", "commands",
                                   "text"])
def test_stages_are_packages(stage):
    assert (KG / stage / "__init__.py").is_file()


def test_build_stage_imports_no_later_stage():
    """The build stage is below exploration, SPARQL and the views: it imports none of them."""
    later = ("kg.explore", "kg.sparql", "kg.viz", "kg.extract", "kg.commands", "kg.cli")
    graph = import_graph()
    for module, targets in graph.items():
        if module.startswith("kg.build"):
            bad = sorted(t for t in targets if t.startswith(later))
            assert not bad, f"{module} imports {bad}"


def test_one_module_turns_rdf_into_networkx():
    """Only kg.explore.graphview builds a networkx graph from RDF (MultiDiGraph + rdflib or
    Oxigraph); views and analytics take its graph."""
    builders = []
    for path in KG.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        reads_rdf = ("rdflib" in source or "pyoxigraph" in source or ".query(" in source)
        if reads_rdf and "nx.MultiDiGraph()" in source:
            builders.append(module_name(path))
    assert builders == ["kg.explore.graphview"]


def test_views_and_analytics_use_the_adapter():
    graph = import_graph()
    assert "kg.explore.graphview" in graph["kg.viz.dataset"]
    assert "kg.explore.graphview" in graph["kg.explore.analytics"]

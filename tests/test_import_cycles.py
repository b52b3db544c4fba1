"""No module of the package imports itself back, not even through an import inside a function.

A cycle hidden in a function-local import works until the order of imports changes; the layout by
domain (DEVELOPERS.md) keeps every dependency one way.
"""

import ast
from pathlib import Path

import sdmi_pipeline

PACKAGE = Path(sdmi_pipeline.__file__).parent


def module_imports() -> dict[str, set[str]]:
    """Each module of sdmi_pipeline → the modules of sdmi_pipeline it imports, anywhere in it."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    imports: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
                found |= {f"{node.module}.{alias.name}" for alias in node.names} & modules.keys() or {
                    node.module
                }
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names} & modules.keys()
        imports[name] = found - {name}
    return imports


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while not component or node not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_the_package_imports_itself_back_nowhere():
    imports = module_imports()
    assert "sdmi_pipeline.ingest.rejects" in imports["sdmi_pipeline.ingest.validation"]
    assert cycles(imports) == []


def domain(module: str) -> str:
    """The folder of a module under sdmi_pipeline, or the module itself at the root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else module


# Domains that import each other today (each pair through a few modules); none may be added.
# warehouse.resource takes the build lock and heals dead runs (runs), publish records the build's
# inputs (runs.up_to_date); the ingest assets use the monthly partitions (runs.partitions) and the
# warehouse resource; contracts.checks runs in the warehouse's own steps.
KNOWN_MUTUAL = {
    frozenset({"contracts", "warehouse"}),
    frozenset({"ingest", "runs"}),
    frozenset({"ingest", "warehouse"}),
    frozenset({"runs", "warehouse"}),
}


def test_no_new_pair_of_domains_imports_each_other():
    imports = module_imports()
    edges = {
        (domain(source), domain(target))
        for source, targets in imports.items()
        for target in targets
        if domain(source) != domain(target)
    }
    mutual = {frozenset(edge) for edge in edges if edge[::-1] in edges}
    assert ("release", "runs") not in edges  # the release writer asks the root's processes.py
    assert mutual == KNOWN_MUTUAL

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


# The layers, lowest first: a module imports only from a lower layer, never from its own layer's
# other domains or from above. The warehouse (its resource, build lock and SQL assets) sits under
# ingest, which loads into it; runs (the schedule, sensor, up-to-date, publish) drives both and
# the release; definitions and cli assemble everything.
LAYERS = [
    {"paths", "digests", "processes", "dagster_internals", "reference"},
    {"settings"},
    {"contracts"},
    {"warehouse"},
    {"ingest", "release"},
    {"runs", "samples"},
    {"definitions"},
    {"cli"},
]


def layer(name: str) -> int:
    return next(index for index, names in enumerate(LAYERS) if name in names)


def test_every_import_across_domains_goes_down_a_layer():
    imports = module_imports()
    upward = {
        f"{source} -> {target}"
        for source, targets in imports.items()
        for target in targets
        if domain(source) != domain(target) and layer(domain(source)) <= layer(domain(target))
    }
    assert upward == set()


def test_the_layer_check_sees_an_import_going_up():
    assert layer(domain("sdmi_pipeline.warehouse.resource")) < layer(domain("sdmi_pipeline.runs.healing"))
    assert layer(domain("sdmi_pipeline.ingest.assets")) == layer(domain("sdmi_pipeline.release.asset"))

"""No import circles in chathq_cli, type-only ones included.

A circle hidden under TYPE_CHECKING or inside a function still ties the modules together: each
can only be understood, moved or tested with the others, and the day one of those imports moves
to module level the package stops importing. So the graph is built from the source with `ast`,
counting every import wherever it sits, and must have no strongly connected component.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import chathq_cli

ROOT = Path(chathq_cli.__file__).resolve().parent

# Circles outside client/, sandbox/ and api/ that are known and left to the modules' owners, one
# entry per circle: the set of modules in it. None were found when this test was written; an
# entry added while a circle is being taken apart must go once the circle is gone (the test
# fails on a stale entry, so the list cannot outlive its reason).
ALLOWED_CYCLES: tuple[frozenset[str], ...] = ()

# module -> {imported module: line of the first such import}
Graph = dict[str, dict[str, int]]


def build_graph(root: Path) -> Graph:
    """The import graph of the package in `root` (a directory holding an `__init__.py`).

    Only edges between modules of the package are kept. `from pkg import name` is an edge to
    the module `pkg.name` when there is one, else to `pkg`; relative imports are resolved.
    """
    modules: dict[str, tuple[Path, bool]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    graph: Graph = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        edges: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, package, modules):
                if target != name:
                    edges.setdefault(target, node.lineno)
        graph[name] = edges
    return graph


def _targets(
    node: ast.Import | ast.ImportFrom, package: str, modules: dict[str, tuple[Path, bool]]
) -> list[str]:
    if isinstance(node, ast.Import):
        found = []
        for alias in node.names:
            # `import a.b.c` runs a.b.c; an outside module (`import httpx`) has no prefix here.
            target = alias.name
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target:
                found.append(target)
        return found
    if node.level:
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    found = []
    for alias in node.names:
        if f"{source}.{alias.name}" in modules:
            found.append(f"{source}.{alias.name}")
        elif source in modules:
            found.append(source)
    return found


def strongly_connected(graph: Graph) -> list[list[str]]:
    """The components of more than one module (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def one_cycle(graph: Graph, component: list[str]) -> str:
    """A shortest circle through the component's first module, with where each import is."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node]):
                if target not in members or target in came_from:
                    continue
                came_from[target] = node
                following.append(target)
        if start in came_from:
            break
        frontier = following
    chain = []  # the modules between start and start, walked backwards
    node = came_from[start]
    while node != start:
        chain.append(node)
        node = came_from[node]
    steps = [start, *reversed(chain), start]
    return (
        " -> ".join(
            f"{node} (line {graph[node][target]})" for node, target in itertools.pairwise(steps)
        )
        + f" -> {start}"
    )


def describe(graph: Graph, components: list[list[str]]) -> str:
    return "\n".join(f"  {one_cycle(graph, component)}" for component in components)


def test_the_package_has_no_import_cycle() -> None:
    graph = build_graph(ROOT)
    assert len(graph) > 50, "the source of chathq_cli was not found"
    components = strongly_connected(graph)
    new = [c for c in components if not any(set(c) <= allowed for allowed in ALLOWED_CYCLES)]
    assert not new, (
        "import circles (counting imports in functions and under TYPE_CHECKING); move the "
        f"shared part to a module below both sides:\n{describe(graph, new)}"
    )
    stale = [a for a in ALLOWED_CYCLES if not any(set(c) & a for c in components)]
    assert not stale, f"these circles are gone; remove them from ALLOWED_CYCLES: {stale}"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_type_only_and_function_level_imports_count(tmp_path: Path) -> None:
    # The sandbox's old circle in miniature: the app imports the routes, which import the
    # dependencies, which take the app's state type under TYPE_CHECKING.
    root = _package(
        tmp_path,
        {
            "app.py": "def make():\n    from pkg.routes import me\n",
            "routes/__init__.py": "",
            "routes/me.py": "from .. import deps\n",
            "deps.py": (
                "from typing import TYPE_CHECKING\nimport httpx\n"
                "if TYPE_CHECKING:\n    from pkg.app import Sandbox\n"
            ),
            "leaf.py": "import pkg.deps\n",
        },
    )
    graph = build_graph(root)
    assert graph["pkg.routes.me"] == {"pkg.deps": 1}
    assert graph["pkg.leaf"] == {"pkg.deps": 1}
    assert strongly_connected(graph) == [["pkg.app", "pkg.deps", "pkg.routes.me"]]
    assert one_cycle(graph, ["pkg.app", "pkg.deps", "pkg.routes.me"]) == (
        "pkg.app (line 2) -> pkg.routes.me (line 1) -> pkg.deps (line 4) -> pkg.app"
    )


def test_an_acyclic_package_passes(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {"state.py": "", "deps.py": "from pkg.state import Sandbox\n", "app.py": "import pkg.deps"},
    )
    assert strongly_connected(build_graph(root)) == []

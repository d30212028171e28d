"""No module of `readiness/` imports from a layer above its own, and no import cycle.

The layers, lowest first, are the ones ARCHITECTURE.md draws; packages of one layer do not
import each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "readiness"

LAYERS: list[set[str]] = [
    {"errors", "clock", "collector"},
    {"config", "access"},
    {"rules", "models", "db", "backup"},
    {"migrate", "migrations"},
    {"policy", "audit"},
    {"checklist", "compliance"},
    {"services"},
    {"importing", "views", "export", "reminders", "demo"},
    {"commands"},
    {"cli"},
]
LAYER_OF = {area: number for number, areas in enumerate(LAYERS) for area in areas}


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imported(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Dotted names of readiness modules (or names within them) that a file imports."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "readiness":
                found |= {f"readiness.{alias.name}" for alias in node.names}
            elif node.module.startswith("readiness."):
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("readiness.")}
    return found


def area(dotted: str) -> str:
    return dotted.split(".")[1]


def test_the_table_names_every_package_and_root_module() -> None:
    areas = {area(name) for name, _ in modules() if name != "readiness"}
    assert areas <= set(LAYER_OF), f"add to LAYERS: {sorted(areas - set(LAYER_OF))}"


@pytest.mark.parametrize("name,path", list(modules()), ids=lambda v: str(v))
def test_no_import_runs_up_a_layer(name: str, path: Path) -> None:
    if name == "readiness":
        return
    mine = LAYER_OF[area(name)]
    upward = sorted(
        target
        for target in imported(path)
        if area(target) in LAYER_OF and LAYER_OF[area(target)] > mine
    )
    assert not upward, f"{name} (layer {mine}) imports from above: {upward}"


def test_same_layer_imports_stay_inside_their_package() -> None:
    crossings = sorted(
        f"{name} -> {target}"
        for name, path in modules()
        if name != "readiness"
        for target in imported(path)
        if area(target) in LAYER_OF
        and area(target) != area(name)
        and LAYER_OF[area(target)] == LAYER_OF[area(name)]
    )
    assert crossings == [], crossings


def test_module_level_imports_have_no_cycle() -> None:
    known = dict(modules())
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for target in imported(path, top_level_only=True):
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name and not name.startswith(target + "."):
                targets.add(target)
        graph[name] = targets
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_package_root_holds_only_the_kernel() -> None:
    root = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert len(root) <= 12, root


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            # A package __init__ importing its own submodules is not a cycle of layers.
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None

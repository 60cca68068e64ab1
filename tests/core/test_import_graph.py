"""The import graph of ``src/ece`` (every ``import``/``from`` statement, read with ``ast``,
``TYPE_CHECKING`` blocks included): no cycle among modules, none among packages.

``.importlinter`` (run by ``make lint``) holds the finer contracts; this test is the same
promise written without the tool, so a cycle fails the suite too.

A domain's HTTP and worker faces (``router``, ``deps``, ``jobs``) sit in a higher layer than its
services: they use ``ece.runtime`` (dependency getters, the job registry), which holds the chain
and the ledger's account-id cache. So the package view counts each of them as its own node."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import ece

SRC = Path(ece.__file__).parent.parent

# Package cycles allowed: none. (Kept as a set so that a temporary exception would be explicit.)
KNOWN_PACKAGE_CYCLES: set[frozenset[str]] = set()
# A domain's faces above its services (see the module docstring).
ENTRY_MODULES = frozenset({"router", "deps", "jobs"})


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "ece").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                yield target if target in modules else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def module_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {t for t in _imports(path, modules) if t in modules and t != name}
        for name, path in modules.items()
    }


def package_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] != "runtime" and parts[-1] in ENTRY_MODULES:
        return module
    return ".".join(parts[:2])


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in module_graph().items():
        package = package_of(module)
        graph[package] |= {package_of(t) for t in targets} - {package}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in graph), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _names(groups: Iterable[frozenset[str]]) -> list[list[str]]:
    return sorted(sorted(group) for group in groups)


def test_cycles_finds_a_cycle_and_only_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _names(cycles(graph)) == [["a", "b", "c"]]


def test_no_module_imports_itself_back() -> None:
    assert _names(cycles(module_graph())) == []


def test_package_cycles_are_only_the_known_ones() -> None:
    assert _names(cycles(package_graph())) == _names(KNOWN_PACKAGE_CYCLES)


def test_core_imports_only_core() -> None:
    graph = package_graph()
    assert graph["ece.core"] <= {"ece.core"}


def test_entry_points_core_and_runtime_are_in_no_package_cycle() -> None:
    in_cycles = set().union(*cycles(package_graph()))
    assert {"ece.app", "ece.worker", "ece.runtime", "ece.core", "ece.config"}.isdisjoint(in_cycles)

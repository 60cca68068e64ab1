"""Every dependency of every API route is ``async``: FastAPI runs a plain ``def`` dependency in
its thread pool, a thread hop per request that costs latency under load for no work."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

import ece


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        if inner is not None and hasattr(inner, "routes"):
            yield from _api_routes(inner.routes)


def _sync_calls(dependant: Dependant) -> Iterator[str]:
    for sub in dependant.dependencies:
        call = sub.call
        if call is not None and not (
            inspect.iscoroutinefunction(call)
            or inspect.iscoroutinefunction(getattr(call, "__call__", None))  # noqa: B004
        ):
            yield getattr(call, "__qualname__", repr(call))
        yield from _sync_calls(sub)


def test_route_dependencies_are_async(app: FastAPI) -> None:
    routes = list(_api_routes(app.routes))
    assert len(routes) > 50  # the walk reached the API, not just the top-level routes
    sync = {f"{route.path}: {name}" for route in routes for name in _sync_calls(route.dependant)}
    assert sync == set()


def _reads_app_state(path: Path) -> bool:
    """Whether the module touches ``<something>.app.state`` or ``app.state``."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr == "state":
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id == "app") or (
                isinstance(owner, ast.Attribute) and owner.attr == "app"
            ):
                return True
    return False


def test_only_the_runtime_dependencies_touch_app_state() -> None:
    """Routes, jobs and the app factory reach the services through ``ece.runtime.deps``."""
    root = Path(ece.__file__).parent
    touching = {str(p.relative_to(root)) for p in root.rglob("*.py") if _reads_app_state(p)}
    assert touching == {"runtime/deps.py"}

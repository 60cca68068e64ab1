"""Every dependency of every API route is ``async``: FastAPI runs a plain ``def`` dependency in
its thread pool, a thread hop per request that costs latency under load for no work."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute


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

"""Make the OpenAPI document say what the API really answers on errors.

FastAPI documents validation failures with its own ``HTTPValidationError`` shape; ECE answers
every error with a problem document. This rewrites each operation's error responses to the
``Problem`` schema and adds the ones every route can give (422 with inputs, 429, 500).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ece.core.errors import PROBLEM_JSON, Problem

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_METHODS = {"get", "post", "put", "patch", "delete"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}}}


def install_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for name, definition in list(components["Problem"].pop("$defs", {}).items()):
            components.setdefault(name, definition)
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                if method not in _METHODS:
                    continue
                responses: dict[str, Any] = operation.setdefault("responses", {})
                for status, response in list(responses.items()):
                    if status.startswith(("4", "5")):
                        responses[status] = _problem(response.get("description", "Error"))
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("422", _problem("Invalid input"))
                if path.startswith("/api/"):
                    responses.setdefault("429", _problem("Too many requests"))
                responses.setdefault("500", _problem("Unexpected error"))
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]

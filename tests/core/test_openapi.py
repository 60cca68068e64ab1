"""The OpenAPI document describes every route, its models and its problem responses."""

from __future__ import annotations

from typing import Any

import httpx

METHODS = {"get", "post", "put", "patch", "delete"}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        for value in node.values():
            found += _refs(value)
        return found
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


async def test_every_api_operation_is_documented(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    schemas = spec["components"]["schemas"]
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS and path.startswith("/api/v1/")
    ]
    assert len(operations) >= 10
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary") or op.get("description"), where
        assert op.get("tags"), where
        responses = op["responses"]
        success = [s for s in responses if s.startswith("2")]
        assert success, where
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                content = answer["content"]["application/problem+json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Problem"}, where
        assert "429" in responses and "500" in responses, where
        if op.get("requestBody") or op.get("parameters"):
            assert "422" in responses, where
        if "security" in op or any(
            p.get("name") == "Authorization" for p in op.get("parameters", [])
        ):
            assert "401" in responses, where
    for ref in _refs(spec):
        assert ref.split("/")[-1] in schemas, ref
    assert "HTTPValidationError" not in schemas


VALUE_MOVING_POSTS = [
    "/api/v1/withdrawals",
    "/api/v1/deposits",
    "/api/v1/listings/{listing_id}/buy",
    "/api/v1/sweeps",
    "/api/v1/offers",
    "/api/v1/offers/{offer_id}/accept",
    "/api/v1/trades",
    "/api/v1/trades/{offer_id}/accept",
    "/api/v1/trades/{offer_id}/counter",
]


async def test_value_moving_posts_accept_an_idempotency_key(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path in VALUE_MOVING_POSTS:
        assert path in spec["paths"], path
        headers = [
            p["name"]
            for p in spec["paths"][path]["post"].get("parameters", [])
            if p["in"] == "header"
        ]
        assert "Idempotency-Key" in headers, path

"""The OpenAPI document describes every route, its models and its problem responses."""

from __future__ import annotations

import re
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


async def test_every_schema_has_one_name_that_clients_can_use(client: httpx.AsyncClient) -> None:
    # Two models of one name become `module__Name` keys whose titles collide: generated clients
    # then drop one of them (a stats call parsed to None).
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    titles = [schema.get("title", name) for name, schema in schemas.items()]
    assert not [name for name in schemas if "__" in name]
    assert [name for name, title in zip(schemas, titles, strict=True) if name != title] == []
    assert len(set(titles)) == len(titles)


async def test_options_and_405_name_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    checked = 0
    for path, item in spec["paths"].items():
        documented = {m.upper() for m in item if m in METHODS}
        url = path.replace("{", "x").replace("}", "")
        answer = await client.options(url)
        assert answer.status_code == 204, (path, answer.text)
        allowed = {m.strip() for m in answer.headers["allow"].split(",")}
        assert allowed - {"HEAD"} == documented | {"OPTIONS"}, path
        unserved = sorted({"PUT", "PATCH", "DELETE", "POST"} - documented)
        # `/listings/batch` is also `/listings/{listing_id}`, whose DELETE is served.
        overlapping = [
            other
            for other in spec["paths"]
            if other != path and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", other), url)
        ]
        if unserved and not overlapping:
            refused = await client.request(unserved[0], url)
            assert refused.status_code == 405, (path, refused.text)
            assert refused.headers["allow"] == answer.headers["allow"], path
            assert refused.json()["code"] == "method_not_allowed"
        checked += 1
    assert checked >= 60


async def test_a_body_that_is_not_even_text_is_answered_422_like_bad_json(
    client: httpx.AsyncClient,
) -> None:
    for content in (b"\xb86k", b"{not json"):
        answer = await client.post(
            "/api/v1/auth/challenge", content=content, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "validation_error"


async def test_operation_ids_are_the_route_names(client: httpx.AsyncClient) -> None:
    # Generated clients name each call after its operationId: short, unique, stable.
    spec = (await client.get("/openapi.json")).json()
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert "buy_listing" in ids and "challenge" in ids
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) and "_api_v1_" not in i for i in ids), ids

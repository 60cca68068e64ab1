"""Plain builders for pause tests: pause and resume through the API, and the refusal's shape."""

from __future__ import annotations

from typing import Any

import httpx

from tests.builders import SignedInUser


async def pause(
    client: httpx.AsyncClient, admin: SignedInUser, scope: str, reason: str = "incident 42"
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/admin/pause", json={"scope": scope, "reason": reason}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def resume(client: httpx.AsyncClient, admin: SignedInUser, scope: str) -> httpx.Response:
    return await client.post("/api/v1/admin/resume", json={"scope": scope}, headers=admin.headers)


def refused(response: httpx.Response, scope: str) -> bool:
    """The answer of a paused action: 503 problem ``paused`` naming the scope."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "paused" and body["scope"] == scope, body
    return True


async def status(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/v1/status")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

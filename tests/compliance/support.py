"""Builders for the compliance tests: officers, KYC submissions and decisions, limits."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from ece.auth.models import Role
from tests.builders import SignedInUser, grant, sign_in

NAME = "Johanna Doevenbrink"
DOCUMENT = "XK4471903QZ"
BIRTH = "1987-04-12"


async def officer(client: httpx.AsyncClient, app: FastAPI) -> SignedInUser:
    """A signed-in compliance officer."""
    user = await sign_in(client)
    await grant(app, user.address, Role.compliance)
    return await sign_in(client, user.keypair)


def kyc_body(level: str = "basic", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "level": level,
        "full_name": NAME,
        "country": "DE",
        "date_of_birth": BIRTH,
    }
    if level == "full":
        body["document_number"] = DOCUMENT
    return {**body, **changes}


async def submit(
    client: httpx.AsyncClient, user: SignedInUser, level: str = "basic", **changes: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/users/me/kyc", json=kyc_body(level, **changes), headers=user.headers
    )


async def decide(
    client: httpx.AsyncClient, by: SignedInUser, user_id: str, decision: str = "verify"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/compliance/kyc/{user_id}/decision",
        json={"decision": decision, "note": "checked"},
        headers=by.headers,
    )


async def verified(
    client: httpx.AsyncClient, by: SignedInUser, user: SignedInUser, level: str = "basic"
) -> None:
    """``user`` submits ``level`` and ``by`` verifies it."""
    response = await submit(client, user, level)
    assert response.status_code == 202, response.text
    response = await decide(client, by, user.user["id"])
    assert response.status_code == 200, response.text
    assert response.json()["level"] == level


async def my_kyc(client: httpx.AsyncClient, user: SignedInUser) -> dict[str, Any]:
    response = await client.get("/api/v1/users/me/kyc", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

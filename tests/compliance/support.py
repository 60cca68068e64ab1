"""Builders for compliance tests: officers, deny-list entries, review decisions, audit reads,
KYC submissions and decisions, limits."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import select

from ece.audit.models import AuditEntry
from ece.auth.models import Role
from tests.builders import SignedInUser, grant, sign_in


async def officer(client: httpx.AsyncClient, app: FastAPI) -> SignedInUser:
    """A signed-in compliance officer."""
    keypair = Keypair()
    await grant(app, str(keypair.pubkey()), Role.compliance)
    return await sign_in(client, keypair)


async def deny(
    client: httpx.AsyncClient, staff: SignedInUser, address: str, reason: str = "OFAC SDN"
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/compliance/denylist",
        json={"address": address, "reason": reason},
        headers=staff.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def decide(
    client: httpx.AsyncClient,
    staff: SignedInUser,
    review_id: str,
    decision: str,
    *,
    key: str | None = None,
) -> httpx.Response:
    headers = {**staff.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        f"/api/v1/compliance/reviews/{review_id}/decision",
        json={"decision": decision, "note": "checked the source of funds"},
        headers=headers,
    )


async def staff_get(client: httpx.AsyncClient, staff: SignedInUser, path: str) -> Any:
    response = await client.get(path, headers=staff.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def audit_entries(app: FastAPI, object_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(actor, action, details) of the audit entries about ``object_id``, oldest first."""
    async with app.state.services.db.unit_of_work(write=False) as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == object_id).order_by(AuditEntry.seq)
        )
        return [(row.actor, row.action, dict(row.details)) for row in rows]


NAME = "Johanna Doevenbrink"
DOCUMENT = "XK4471903QZ"
BIRTH = "1987-04-12"


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


async def decide_kyc(
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
    response = await decide_kyc(client, by, user.user["id"])
    assert response.status_code == 200, response.text
    assert response.json()["level"] == level


async def my_kyc(client: httpx.AsyncClient, user: SignedInUser) -> dict[str, Any]:
    response = await client.get("/api/v1/users/me/kyc", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

"""Builders for compliance tests: officers, deny-list entries, review decisions, audit reads."""

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

"""KYB: compliance sets a company's status (audited), staff see it listed; the treasury reads
it through ``compliance.service.kyb_status``."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from ece.compliance import service as compliance
from tests.builders import make_admin, sign_in
from tests.cards.cards_builders import make_company
from tests.compliance.support import officer


async def test_compliance_sets_kyb_and_staff_see_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    company = await make_company(client, admin, ticker="KYBX")
    other = await make_company(client, admin, ticker="KYBY")
    staff = await officer(client, app)
    db = app.state.services.db
    async with db.unit_of_work(write=False) as session:
        assert (
            await compliance.kyb_status(session, company["id"]) is compliance.KybStatus.unverified
        )
    response = await client.put(
        "/api/v1/compliance/companies/KYBX/kyb",
        json={"status": "verified", "note": "registry extract checked"},
        headers=staff.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["company_id"] == company["id"]
    assert response.json()["status"] == "verified"
    async with db.unit_of_work(write=False) as session:
        assert await compliance.kyb_status(session, company["id"]) is compliance.KybStatus.verified
        statuses = await compliance.kyb_statuses(session, [company["id"], other["id"]])
        entry = (
            await session.execute(
                text("SELECT actor, details FROM audit_log WHERE action = 'kyb.status_set'")
            )
        ).one()
    assert statuses == {
        company["id"]: compliance.KybStatus.verified,
        other["id"]: compliance.KybStatus.unverified,
    }
    assert entry.actor == staff.user["id"]
    listed = await client.get("/api/v1/compliance/companies?q=KYB", headers=admin.headers)
    assert listed.status_code == 200, listed.text
    assert {(c["ticker"], c["status"]) for c in listed.json()["items"]} == {
        ("KYBX", "verified"),
        ("KYBY", "unverified"),
    }
    again = await client.put(
        f"/api/v1/compliance/companies/{company['id']}/kyb",
        json={"status": "rejected"},
        headers=staff.headers,
    )
    assert again.json()["status"] == "rejected"


async def test_only_compliance_and_admins_set_kyb(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await make_admin(client, app)
    await make_company(client, admin, ticker="KYBZ")
    user = await sign_in(client)
    body = {"status": "verified"}
    response = await client.put(
        "/api/v1/compliance/companies/KYBZ/kyb", json=body, headers=user.headers
    )
    assert response.status_code == 403
    assert (
        await client.get("/api/v1/compliance/companies", headers=user.headers)
    ).status_code == 403
    missing = await client.put(
        "/api/v1/compliance/companies/NOPE/kyb", json=body, headers=admin.headers
    )
    assert missing.status_code == 404
    bad = await client.put(
        "/api/v1/compliance/companies/KYBZ/kyb", json={"status": "maybe"}, headers=admin.headers
    )
    assert bad.status_code == 422

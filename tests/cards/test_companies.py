"""Companies: admin-managed issuers with payable ledger accounts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from ece.ledger.models import LedgerAccount
from tests.builders import make_admin, sign_in
from tests.cards.cards_builders import company_body, make_company


async def test_create_get_list_and_patch(app: FastAPI, client: httpx.AsyncClient) -> None:
    admin = await make_admin(client, app)
    acme = await make_company(client, admin, color=None)
    await make_company(client, admin, ticker="HELX", name="Helix Bio", sector="Biotech")
    await make_company(client, admin, ticker="GENE", name="Genera", sector="biotech")
    assert acme["color"].startswith("#") and len(acme["color"]) == 7  # derived from the ticker

    by_ticker = await client.get("/api/v1/companies/acme")
    by_id = await client.get(f"/api/v1/companies/{acme['id']}")
    assert by_ticker.json() == by_id.json() == acme
    assert (await client.get("/api/v1/companies/NOPE")).json()["code"] == "company_not_found"

    biotech = (await client.get("/api/v1/companies", params={"sector": "Biotech"})).json()
    assert [c["ticker"] for c in biotech["items"]] == ["GENE", "HELX"]
    found = (await client.get("/api/v1/companies", params={"q": "hel"})).json()
    assert [c["ticker"] for c in found["items"]] == ["HELX"]
    assert (await client.get("/api/v1/companies", params={"q": "%"})).json()["items"] == []
    first = (await client.get("/api/v1/companies", params={"limit": 2})).json()
    rest = (
        await client.get("/api/v1/companies", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [c["ticker"] for c in first["items"] + rest["items"]] == ["ACME", "GENE", "HELX"]

    patched = await client.patch(
        "/api/v1/companies/ACME",
        json={"royalty_bps": 500, "color": "#ABCDEF"},
        headers=admin.headers,
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["royalty_bps"], patched.json()["color"]) == (500, "#abcdef")
    assert patched.json()["name"] == acme["name"]


async def test_company_opens_payable_accounts(app: FastAPI, client: httpx.AsyncClient) -> None:
    admin = await make_admin(client, app)
    acme = await make_company(client, admin)
    async with app.state.services.db.unit_of_work(write=False) as session:
        accounts = (
            await session.scalars(select(LedgerAccount).where(LedgerAccount.owner_id == acme["id"]))
        ).all()
    assert {(a.owner_type, a.asset, a.purpose) for a in accounts} == {
        ("company", asset, purpose)
        for asset in ("ECE", "USDC")
        for purpose in ("royalties", "sales")
    }
    assert all(a.debits_must_not_exceed_credits for a in accounts)


async def test_duplicate_ticker_is_a_409(app: FastAPI, client: httpx.AsyncClient) -> None:
    admin = await make_admin(client, app)
    await make_company(client, admin)
    again = await client.post(
        "/api/v1/companies", json=company_body(name="Other"), headers=admin.headers
    )
    assert again.status_code == 409
    assert again.json()["code"] == "ticker_taken"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ticker": "acme"}, "ticker"),
        ({"ticker": "TOOLONGTICKER"}, "ticker"),
        ({"ticker": "AC-ME"}, "ticker"),
        ({"country": "XX"}, "country"),
        ({"country": "usa"}, "country"),
        ({"royalty_bps": 1001}, "royalty_bps"),
        ({"royalty_bps": -1}, "royalty_bps"),
        ({"payout_address": "not-a-pubkey"}, "payout_address"),
        ({"website": "not a url"}, "website"),
        ({"color": "blue"}, "color"),
        ({"name": ""}, "name"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_bad_company_input_is_a_422_problem(
    app: FastAPI, client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    admin = await make_admin(client, app)
    response = await client.post(
        "/api/v1/companies", json=company_body(**change), headers=admin.headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [p["name"] for p in response.json()["invalid_params"]]
    assert (await client.get("/api/v1/companies")).json()["items"] == []


async def test_patch_refuses_nulls_the_ticker_and_non_admins(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    await make_company(client, admin)
    for body in ({"name": None}, {"ticker": "NEW"}):
        response = await client.patch("/api/v1/companies/ACME", json=body, headers=admin.headers)
        assert response.status_code == 422, body
    forbidden = await client.patch(
        "/api/v1/companies/ACME", json={"name": "Mine"}, headers=user.headers
    )
    assert forbidden.status_code == 403
    missing = await client.patch("/api/v1/companies/NOPE", json={}, headers=admin.headers)
    assert missing.status_code == 404

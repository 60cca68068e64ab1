"""Plain builders for card tests: companies and real mints through the API, and a served app."""

from __future__ import annotations

from typing import Any

import httpx
from solders.keypair import Keypair

from tests.builders import SignedInUser

STATS = {"power": 50, "valuation": 40, "growth": 30, "innovation": 20, "influence": 10}


def company_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Acme Rockets",
        "ticker": "ACME",
        "sector": "Aerospace",
        "country": "US",
        "website": "https://acme.example.com",
        "description": "Rockets for everyone.",
        "royalty_bps": 250,
        "payout_address": str(Keypair().pubkey()),
        "color": "#1f6feb",
    }
    body.update(overrides)
    return body


async def make_company(
    client: httpx.AsyncClient, admin: SignedInUser, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/companies", json=company_body(**overrides), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def card_body(company_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "company_id": company_id,
        "name": "Acme Founders",
        "rarity": "rare",
        "attributes": dict(STATS),
    }
    body.update(overrides)
    return body


async def mint(
    client: httpx.AsyncClient, admin: SignedInUser, company_id: str, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/cards", json=card_body(company_id, **overrides), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body

"""Builders for market-data tests: real sales through the market's API."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from ece.settlement.models import Sale
from tests.builders import SignedInUser
from tests.market.support import list_card


async def sell(
    client: httpx.AsyncClient,
    seller: SignedInUser,
    buyer: SignedInUser,
    card_id: str,
    price: str,
    currency: str = "USDC",
) -> str:
    """List ``card_id`` and buy it: a real sale. Returns the sale id."""
    listing = await list_card(client, seller, card_id, price, currency)
    bought = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", json={}, headers=buyer.headers
    )
    assert bought.status_code == 201, bought.text
    sale_id: str = bought.json()["trade_id"]
    return sale_id


async def suspect(app: FastAPI, sale_id: str) -> bool:
    """Whether the buy flagged its sale as a suspected wash trade (``settle_sale`` does)."""
    async with app.state.services.db.unit_of_work(write=False) as session:
        sale = await session.get(Sale, sale_id)
        assert sale is not None
        return sale.wash_suspect


async def stats(client: httpx.AsyncClient, company_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/market/companies/{company_id}/stats")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

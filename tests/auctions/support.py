"""Plain builders for auction tests: an auction through the API, bids, the settlement job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ece.auctions import service as auctions
from ece.core.clock import utcnow
from tests.builders import SignedInUser, sign_in
from tests.market.support import open_market, quick_card


def iso(delta: timedelta) -> str:
    return (utcnow() + delta).isoformat()


async def open_auction(
    client: httpx.AsyncClient,
    seller: SignedInUser,
    card_id: str,
    *,
    hours: float = 2,
    **terms: Any,
) -> dict[str, Any]:
    body = {
        "type": "english",
        "card_id": card_id,
        "currency": "USDC",
        "start_price": "10",
        "ends_at": iso(timedelta(hours=hours)),
        **terms,
    }
    response = await client.post("/api/v1/auctions", json=body, headers=seller.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def seller_auction(
    client: httpx.AsyncClient, app: FastAPI, **terms: Any
) -> tuple[SignedInUser, dict[str, Any]]:
    """A signed-in seller and a live English auction of a fresh card of theirs."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    return seller, await open_auction(client, seller, card_id, **terms)


async def bid(
    client: httpx.AsyncClient,
    bidder: SignedInUser,
    auction_id: str,
    max_amount: str,
    **headers: str,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/auctions/{auction_id}/bids",
        json={"max_amount": max_amount},
        headers={**bidder.headers, **headers},
    )


async def ok_bid(
    client: httpx.AsyncClient, bidder: SignedInUser, auction_id: str, max_amount: str
) -> dict[str, Any]:
    response = await bid(client, bidder, auction_id, max_amount)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def shown(client: httpx.AsyncClient, auction_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/auctions/{auction_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def settle(app: FastAPI) -> int:
    services = app.state.services
    return await auctions.settle_due(services.db, services.settings)

"""Builders for notification tests: an auction where one bidder outbids another, the relay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from ece.notifications.jobs import relay_outbox
from tests.auctions.support import ok_bid, open_auction
from tests.builders import SignedInUser, sign_in
from tests.market.support import buyer, open_market, quick_card


@dataclass
class Outbid:
    seller: SignedInUser
    alice: SignedInUser  # bid first, then outbid by bob
    bob: SignedInUser
    auction: dict[str, Any]


async def outbid(client: httpx.AsyncClient, app: FastAPI) -> Outbid:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id)
    alice, bob = await buyer(client, app, "100"), await buyer(client, app, "100")
    await ok_bid(client, alice, auction["id"], "20")
    await ok_bid(client, bob, auction["id"], "40")
    return Outbid(seller, alice, bob, auction)


async def relay(app: FastAPI) -> int:
    """One run of the outbox relay job, as the worker runs it."""
    return await relay_outbox(app.state.services)


async def notifications(
    client: httpx.AsyncClient, user: SignedInUser, query: str = ""
) -> dict[str, Any]:
    response = await client.get(f"/api/v1/notifications{query}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

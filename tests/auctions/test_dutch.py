"""Dutch auctions: the price at an instant by the server clock, exact, and the buy at it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ece.core.clock import clock, utcnow
from tests.auctions.support import bid, open_auction, settle, shown
from tests.builders import SignedInUser, sign_in
from tests.market.support import (
    buyer,
    card_row,
    ledger_ok,
    open_market,
    quick_card,
    usdc,
    user_balance,
)


async def dutch(
    client: httpx.AsyncClient, app: FastAPI
) -> tuple[dict[str, Any], SignedInUser, str]:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    clock.freeze(utcnow().replace(microsecond=0))
    start = utcnow() + timedelta(minutes=1)
    auction = await open_auction(
        client,
        seller,
        card_id,
        type="dutch",
        start_price="100",
        end_price="40",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=1)).isoformat(),
    )
    return auction, seller, card_id


async def test_the_dutch_price_at_t_is_exact_and_paid(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    auction, _, card_id = await dutch(client, app)
    alice = await buyer(client, app, "100")
    early = await client.post(f"/api/v1/auctions/{auction['id']}/buy", headers=alice.headers)
    assert (early.status_code, early.json()["code"]) == (409, "auction_not_started")
    assert (await shown(client, auction["id"]))["status"] == "upcoming"

    clock.advance(timedelta(minutes=1, seconds=1))  # one second after the start
    assert (await shown(client, auction["id"]))["current_price"] == "99.983334"
    clock.advance(timedelta(minutes=29, seconds=59))  # half way
    view = await shown(client, auction["id"])
    assert (view["status"], view["current_price"], view["min_next_bid"]) == ("live", "70", None)
    refused = await bid(client, alice, auction["id"], "80")
    assert refused.json()["code"] == "auction_not_english"

    bought = await client.post(f"/api/v1/auctions/{auction['id']}/buy", headers=alice.headers)
    assert bought.status_code == 201, bought.text
    assert bought.json()["price"] == "70"
    assert (await user_balance(app, alice.user["id"])).total == usdc("30")
    assert (await card_row(app, card_id)).owner_user_id == alice.user["id"]
    assert (await shown(client, auction["id"]))["result"] == "sold"
    assert await ledger_ok(app)


async def test_an_unsold_dutch_auction_returns_the_card(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    auction, seller, card_id = await dutch(client, app)
    own = await client.post(f"/api/v1/auctions/{auction['id']}/buy", headers=seller.headers)
    assert own.status_code == 409
    clock.advance(timedelta(hours=2))
    assert (await shown(client, auction["id"]))["current_price"] == "40"
    assert await settle(app) == 1
    assert (await shown(client, auction["id"]))["result"] == "unsold"
    assert (await card_row(app, card_id)).lock_kind is None

"""English auctions through the HTTP API: proxy bidding, soft close, reserve, buy-now,
settlement at the end and cancelling."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import clock
from tests.auctions.support import ok_bid, open_auction, settle, shown
from tests.builders import sign_in
from tests.market.support import (
    buyer,
    card_row,
    events,
    ledger_ok,
    open_market,
    platform_fees,
    quick_card,
    usdc,
    user_balance,
)


async def test_proxy_bidding_to_a_sale_at_the_second_max_plus_one_increment(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id)
    assert (await card_row(app, card_id)).lock_kind == "auction"
    alice, bob = await buyer(client, app, "100"), await buyer(client, app, "100")

    first = await ok_bid(client, alice, auction["id"], "50")
    assert (first["status"], first["current_price"], first["min_next_bid"]) == (
        "winning",
        "10",
        "11",
    )
    assert (await user_balance(app, alice.user["id"])).held == usdc("50")

    second = await ok_bid(client, bob, auction["id"], "30")
    assert (second["status"], second["current_price"]) == ("outbid", "31")
    assert (await user_balance(app, bob.user["id"])).held == 0

    third = await ok_bid(client, bob, auction["id"], "60")
    assert (third["status"], third["current_price"], third["min_next_bid"]) == (
        "winning",
        "51",
        "52",
    )
    assert (await user_balance(app, alice.user["id"])).held == 0  # outbid: released at once
    assert (await user_balance(app, bob.user["id"])).held == usdc("60")
    assert len(await events(app, "auction.outbid")) == 1

    view = await shown(client, auction["id"])
    assert (view["current_price"], view["bid_count"], view["high_bidder"]) == ("51", 3, bob.address)
    history = (await client.get(f"/api/v1/auctions/{auction['id']}/bids")).json()["items"]
    assert [b["price"] for b in history] == ["51", "31", "10"]
    assert all("max" not in str(b) for b in history)

    clock.advance(timedelta(hours=3))
    assert (await shown(client, auction["id"]))["status"] == "ended"
    assert await settle(app) == 1
    assert await settle(app) == 0
    view = await shown(client, auction["id"])
    assert (view["result"], view["winner"], view["current_price"]) == ("sold", bob.address, "51")
    card = await card_row(app, card_id)
    assert card.owner_user_id == bob.user["id"] and card.lock_kind is None
    paid = await user_balance(app, bob.user["id"])
    assert (paid.total, paid.held) == (usdc("49"), 0)  # the price, not the max
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")
    assert await platform_fees(app) == usdc("1.275")
    mine = (await client.get("/api/v1/users/me/bids", headers=bob.headers)).json()["items"]
    assert [(b["max_amount"], b["status"]) for b in mine] == [("60", "won"), ("30", "raised")]
    assert await ledger_ok(app)

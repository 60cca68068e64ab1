"""English auctions through the HTTP API: proxy bidding, soft close, reserve, buy-now,
settlement at the end and cancelling."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from ece.cards.models import Card
from ece.core.clock import clock
from tests.auctions.support import bid, ok_bid, open_auction, seller_auction, settle, shown
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
    # The public history never shows a max: no field is named for one, no value is one.
    assert not any("max" in key for b in history for key in b)
    assert not {"30", "50", "60"} & {value for b in history for value in b.values()}

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
    for kind, count in (("created", 1), ("bid", 3), ("outbid", 1), ("won", 1), ("sold", 1)):
        assert len(await events(app, f"auction.{kind}")) == count, kind
    [won] = await events(app, "auction.won")
    assert won.payload == {"user_id": bob.user["id"], "price": "51"}
    assert await ledger_ok(app)


async def test_a_bid_one_second_before_the_end_extends_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, auction = await seller_auction(client, app)
    alice, bob = await buyer(client, app), await buyer(client, app)
    await ok_bid(client, alice, auction["id"], "20")
    end = datetime.fromisoformat(auction["ends_at"])
    clock.freeze(end - timedelta(seconds=1))

    answer = await ok_bid(client, bob, auction["id"], "30")

    assert datetime.fromisoformat(answer["ends_at"]) == end + timedelta(seconds=299)
    assert datetime.fromisoformat(
        (await shown(client, auction["id"]))["ends_at"]
    ) == end + timedelta(seconds=299)
    assert len(await events(app, "auction.extended")) == 1
    clock.freeze(end + timedelta(seconds=1))  # past the first end: still live, the job waits
    assert await settle(app) == 0
    assert (await shown(client, auction["id"]))["status"] == "live"
    late = await ok_bid(client, alice, auction["id"], "40")  # extends again: no cap
    assert datetime.fromisoformat(late["ends_at"]) == end + timedelta(seconds=301)
    clock.freeze(end + timedelta(seconds=301))
    refused = await bid(client, bob, auction["id"], "60")  # the end passed, job or not
    assert (refused.status_code, refused.json()["code"]) == (409, "auction_ended")
    assert await settle(app) == 1
    view = await shown(client, auction["id"])
    assert (view["winner"], view["current_price"]) == (alice.address, "31")


async def test_reserve_not_met_no_sale_and_every_hold_released(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id, reserve_price="80")
    assert "reserve_price" not in auction and auction["has_reserve"]
    bidders = [await buyer(client, app) for _ in range(3)]
    for who, amount in zip(bidders, ("30", "50", "70"), strict=True):
        await ok_bid(client, who, auction["id"], amount)
    view = await shown(client, auction["id"])
    assert (view["reserve_met"], view["current_price"]) == (False, "51")

    clock.advance(timedelta(hours=3))
    assert await settle(app) == 1

    view = await shown(client, auction["id"])
    assert (view["status"], view["result"], view["winner"]) == ("ended", "unsold", None)
    card = await card_row(app, card_id)
    assert card.owner_user_id == seller.user["id"] and card.lock_kind is None
    for who in bidders:
        balance = await user_balance(app, who.user["id"])
        assert (balance.available, balance.held) == (usdc("100"), 0)
    assert await platform_fees(app) == 0
    [unsold] = await events(app, "auction.unsold")
    assert unsold.payload["reason"] == "reserve_not_met"
    assert await ledger_ok(app)


async def test_no_bids_the_card_goes_back(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id)
    clock.advance(timedelta(hours=3))
    assert await settle(app) == 1
    assert (await shown(client, auction["id"]))["result"] == "unsold"
    assert (await card_row(app, card_id)).lock_kind is None


async def test_buy_now_disappears_once_the_reserve_is_met(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id, reserve_price="50", buy_now_price="90")
    alice, bob = await buyer(client, app), await buyer(client, app)
    await ok_bid(client, alice, auction["id"], "40")  # below the reserve: buy-now stays
    assert (await shown(client, auction["id"]))["buy_now_available"] is True
    await ok_bid(client, alice, auction["id"], "60")  # meets it
    view = await shown(client, auction["id"])
    assert (view["buy_now_available"], view["reserve_met"], view["current_price"]) == (
        False,
        True,
        "50",
    )
    refused = await client.post(f"/api/v1/auctions/{auction['id']}/buy", headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "buy_now_unavailable")


async def test_buy_now_ends_the_auction_and_releases_every_hold(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id, reserve_price="50", buy_now_price="90")
    alice, bob = await buyer(client, app), await buyer(client, app)
    await ok_bid(client, alice, auction["id"], "40")
    bought = await client.post(f"/api/v1/auctions/{auction['id']}/buy", headers=bob.headers)
    assert bought.status_code == 201, bought.text
    assert (bought.json()["price"], bought.json()["source"]) == ("90", "auction")
    assert (await card_row(app, card_id)).owner_user_id == bob.user["id"]
    assert (await user_balance(app, alice.user["id"])).held == 0
    assert (await user_balance(app, bob.user["id"])).total == usdc("10")
    view = await shown(client, auction["id"])
    assert (view["status"], view["result"], view["winner"]) == ("ended", "sold", bob.address)
    assert (await bid(client, alice, auction["id"], "95")).json()["code"] == "auction_ended"
    assert await settle(app) == 0
    assert await ledger_ok(app)


async def test_cancel_only_before_the_first_bid(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    cards = [await quick_card(app, market.company_id, seller.user["id"]) for _ in range(2)]
    quiet = await open_auction(client, seller, cards[0])
    busy = await open_auction(client, seller, cards[1])
    alice = await buyer(client, app)
    await ok_bid(client, alice, busy["id"], "20")

    stranger = await client.delete(f"/api/v1/auctions/{quiet['id']}", headers=alice.headers)
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_auction_owner")
    cancelled = await client.delete(f"/api/v1/auctions/{quiet['id']}", headers=seller.headers)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert (await card_row(app, cards[0])).lock_kind is None
    refused = await client.delete(f"/api/v1/auctions/{busy['id']}", headers=seller.headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "auction_has_bids")
    by_admin = await client.delete(f"/api/v1/auctions/{busy['id']}", headers=market.admin.headers)
    assert (by_admin.status_code, by_admin.json()["code"]) == (409, "auction_has_bids")
    assert (await user_balance(app, alice.user["id"])).held == usdc("20")


async def test_an_admin_cancels_and_auctions_issuer_inventory(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    card_id = await quick_card(app, market.company_id, None)
    auction = await open_auction(client, market.admin, card_id)
    assert auction["seller_address"] is None
    alice = await buyer(client, app)
    await ok_bid(client, alice, auction["id"], "20")
    clock.advance(timedelta(hours=3))
    assert await settle(app) == 1
    assert (await card_row(app, card_id)).owner_user_id == alice.user["id"]
    assert await ledger_ok(app)


async def test_a_settlement_that_is_refused_holds_up_no_other(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    broken_card = await quick_card(app, market.company_id, seller.user["id"])
    fine_card = await quick_card(app, market.company_id, seller.user["id"])
    broken = await open_auction(client, seller, broken_card, hours=1.5)
    fine = await open_auction(client, seller, fine_card, hours=2)
    alice = await buyer(client, app)
    await ok_bid(client, alice, broken["id"], "20")
    await ok_bid(client, alice, fine["id"], "20")
    async with app.state.services.db.unit_of_work() as session:  # corrupt one on purpose
        await session.execute(
            update(Card).where(Card.id == broken_card).values(withdrawn_at=clock.now())
        )
    clock.advance(timedelta(hours=3))

    assert await settle(app) == 1  # the other one, once; the refused one is left open
    assert (await shown(client, fine["id"]))["result"] == "sold"
    assert (await shown(client, broken["id"]))["result"] is None
    assert (await user_balance(app, alice.user["id"])).held == usdc("20")
    assert await ledger_ok(app)

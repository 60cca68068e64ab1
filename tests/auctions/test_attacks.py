"""What an attacker tries against auctions: bad amounts, other users' cards and auctions,
bidding on their own auction, replays, bids after the end, cancelling after bids, and
auctioning a card that is listed, withdrawn or not theirs."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from ece.auctions.models import AuctionBid
from ece.cards.models import Card
from ece.core.clock import clock, utcnow
from tests.auctions.support import bid, iso, ok_bid, open_auction
from tests.builders import sign_in
from tests.market.support import buyer, list_card, open_market, quick_card, usdc, user_balance


async def bid_rows(app: FastAPI) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(AuctionBid)) or 0)


@pytest.mark.parametrize(
    "amount", ["0", "0.0000001", "-5", "1e3", " 20", "NaN", "20.000", "99999999999999999999"]
)
async def test_bad_amounts_are_refused(
    app: FastAPI, client: httpx.AsyncClient, amount: str
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    auction = await open_auction(
        client, seller, await quick_card(app, market.company_id, seller.user["id"])
    )
    alice = await buyer(client, app)
    response = await bid(client, alice, auction["id"], amount)
    if amount == "20.000":  # trailing zeros are exact: a valid 20
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.text
    assert await bid_rows(app) == 0
    assert (await user_balance(app, alice.user["id"])).held == 0


async def test_bad_auction_terms_are_refused(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    base = {
        "type": "english",
        "card_id": card_id,
        "currency": "USDC",
        "ends_at": iso(timedelta(hours=2)),
    }
    for extra in (
        {"start_price": "0"},
        {"start_price": "-1"},
        {"start_price": "0.0000001"},
        {"start_price": "10", "ends_at": iso(timedelta(minutes=30))},
        {"start_price": "10", "ends_at": iso(timedelta(days=31))},
        {"start_price": "10", "reserve_price": "5"},
        {"start_price": "10", "seller_id": "someone"},
        {"start_price": "10", "type": "dutch"},
    ):
        response = await client.post(
            "/api/v1/auctions", json={**base, **extra}, headers=seller.headers
        )
        assert response.status_code == 422, (extra, response.text)


async def test_no_bidding_on_your_own_auction_nor_beyond_your_funds(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await buyer(client, app)
    auction = await open_auction(
        client, seller, await quick_card(app, market.company_id, seller.user["id"])
    )
    own = await bid(client, seller, auction["id"], "20")
    assert (own.status_code, own.json()["code"]) == (403, "own_auction")
    poor = await buyer(client, app, "15")
    broke = await bid(client, poor, auction["id"], "20")
    assert (broke.status_code, broke.json()["code"]) == (409, "insufficient_funds")
    low = await bid(client, poor, auction["id"], "9.99")
    assert (low.status_code, low.json()["code"]) == (409, "bid_too_low")
    await ok_bid(client, poor, auction["id"], "12")
    again = await bid(client, poor, auction["id"], "12")  # a "raise" to the same max
    assert (again.status_code, again.json()["code"]) == (409, "bid_too_low")
    missing = await bid(client, poor, "nope", "20")
    assert (missing.status_code, missing.json()["code"]) == (404, "auction_not_found")


async def test_a_replayed_bid_is_placed_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    auction = await open_auction(
        client, seller, await quick_card(app, market.company_id, seller.user["id"])
    )
    alice = await buyer(client, app)
    first = await bid(client, alice, auction["id"], "20", **{"Idempotency-Key": "bid-1"})
    second = await bid(client, alice, auction["id"], "20", **{"Idempotency-Key": "bid-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await bid_rows(app) == 1
    assert (await user_balance(app, alice.user["id"])).held == usdc("20")
    other = await bid(client, alice, auction["id"], "30", **{"Idempotency-Key": "bid-1"})
    assert other.status_code == 422  # the same key with another body


async def test_a_bid_after_the_end_is_refused_before_the_worker_runs(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    auction = await open_auction(
        client, seller, await quick_card(app, market.company_id, seller.user["id"])
    )
    alice = await buyer(client, app)
    clock.advance(timedelta(hours=2, seconds=1))
    late = await bid(client, alice, auction["id"], "20")
    assert (late.status_code, late.json()["code"]) == (409, "auction_ended")
    assert await bid_rows(app) == 0


async def test_cards_that_cannot_be_auctioned(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller, other = await sign_in(client), await sign_in(client)
    theirs = await quick_card(app, market.company_id, other.user["id"])
    listed = await quick_card(app, market.company_id, seller.user["id"])
    withdrawn = await quick_card(app, market.company_id, seller.user["id"])
    auctioned = await quick_card(app, market.company_id, seller.user["id"])
    await list_card(client, seller, listed)
    async with app.state.services.db.unit_of_work() as session:
        await session.execute(
            update(Card).where(Card.id == withdrawn).values(withdrawn_at=utcnow())
        )
    body = {
        "type": "english",
        "currency": "USDC",
        "start_price": "10",
        "ends_at": iso(timedelta(hours=2)),
    }
    for card_id, expected in (
        (theirs, (403, "not_card_owner")),
        (listed, (409, "card_locked")),
        (withdrawn, (409, "card_unavailable")),
        ("no-such-card", (404, "card_not_found")),
    ):
        response = await client.post(
            "/api/v1/auctions", json={**body, "card_id": card_id}, headers=seller.headers
        )
        assert (response.status_code, response.json()["code"]) == expected, card_id
    await open_auction(client, seller, auctioned)
    twice = await client.post(
        "/api/v1/auctions", json={**body, "card_id": auctioned}, headers=seller.headers
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "card_locked")
    listing = await client.post(
        "/api/v1/listings",
        json={"card_id": auctioned, "price": "5", "currency": "USDC"},
        headers=seller.headers,
    )
    assert (listing.status_code, listing.json()["code"]) == (409, "card_locked")
    card = (await client.get(f"/api/v1/cards/{auctioned}")).json()
    assert card["status"] == "in_auction"


async def test_my_bids_are_mine_only_and_maxes_stay_private(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    auction = await open_auction(
        client, seller, await quick_card(app, market.company_id, seller.user["id"])
    )
    alice, bob = await buyer(client, app), await buyer(client, app)
    await ok_bid(client, alice, auction["id"], "77.5")
    await ok_bid(client, bob, auction["id"], "20")
    assert [
        b["max_amount"]
        for b in (await client.get("/api/v1/users/me/bids", headers=bob.headers)).json()["items"]
    ] == ["20"]
    public = [
        (await client.get(f"/api/v1/auctions/{auction['id']}")).text,
        (await client.get(f"/api/v1/auctions/{auction['id']}/bids")).text,
        (await client.get("/api/v1/auctions?status=live")).text,
    ]
    assert all("77.5" not in page for page in public)
    assert (await client.get("/api/v1/users/me/bids")).status_code == 401

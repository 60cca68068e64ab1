"""Listings: create, read, search, change, cancel, expire; private listings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.core.clock import clock, utcnow
from ece.market.jobs import expire_due
from tests.builders import sign_in
from tests.market.support import (
    buyer,
    card_row,
    events,
    list_card,
    open_market,
    quick_card,
    usdc,
    user_balance,
)


async def test_listing_locks_the_card_and_shows_its_price(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])

    listing = await list_card(client, seller, card_id, "12.5")

    assert listing["status"] == "active" and listing["price"] == "12.5"
    assert listing["seller"] == {"kind": "user", "id": seller.user["id"], "address": seller.address}
    card = await card_row(app, card_id)
    assert (card.lock_kind, card.lock_ref) == ("listing", listing["id"])
    assert (card.list_price, card.list_asset) == (usdc("12.5"), "USDC")
    assert (await client.get(f"/api/v1/listings/{listing['id']}")).json() == listing
    page = (await client.get("/api/v1/listings")).json()
    assert [x["id"] for x in page["items"]] == [listing["id"]]
    [created] = await events(app, "listing.created")
    assert created.aggregate_id == listing["id"] and created.payload["price"] == "12.5"

    twice = await client.post(
        "/api/v1/listings",
        json={"card_id": card_id, "price": "13", "currency": "USDC"},
        headers=seller.headers,
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "card_locked")
    stranger = await sign_in(client)
    other = await quick_card(app, market.company_id, seller.user["id"])
    theirs = await client.post(
        "/api/v1/listings",
        json={"card_id": other, "price": "13", "currency": "USDC"},
        headers=stranger.headers,
    )
    assert (theirs.status_code, theirs.json()["code"]) == (403, "not_card_owner")


@pytest.mark.parametrize(
    "change",
    [
        {"price": "1e3"},
        {"price": "-1"},
        {"price": "0"},
        {"price": "1.0000001"},  # USDC has 6 decimals
        {"price": " 1"},
        {"price": 5},
        {"currency": "BTC"},
        {"expires_at": "2001-01-01T00:00:00Z"},
        {"expires_at": "2099-01-01T00:00:00"},  # no time zone
        {"taker": "not-an-address"},
        {"surprise": True},
    ],
)
async def test_bad_listings_are_422_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient, change: dict[str, Any]
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    body = {"card_id": card_id, "price": "25", "currency": "USDC", **change}

    response = await client.post("/api/v1/listings", json=body, headers=seller.headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/v1/listings")).json()["items"] == []
    assert (await card_row(app, card_id)).lock_kind is None


async def test_search_filters_sorts_and_pages(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    other = await open_market(client, app)
    seller = await sign_in(client)
    made: dict[str, str] = {}
    for name, company, rarity, price, currency in [
        ("a", market, "rare", "5", "USDC"),
        ("b", market, "epic", "50", "USDC"),
        ("c", market, "rare", "20", "USDC"),
        ("d", market, "rare", "7", "ECE"),
        ("e", other, "rare", "1", "USDC"),
    ]:
        card_id = await quick_card(app, company.company_id, seller.user["id"], rarity=rarity)
        made[name] = (await list_card(client, seller, card_id, price, currency))["id"]
        clock.advance(timedelta(seconds=1))  # distinct created_at for "newest"

    async def ids(**query: Any) -> list[str]:
        response = await client.get("/api/v1/listings", params=query)
        assert response.status_code == 200, response.text
        names = {v: k for k, v in made.items()}
        return [names[x["id"]] for x in response.json()["items"]]

    assert await ids() == ["d", "e", "a", "c", "b"]  # ECE first, then USDC by price
    assert await ids(company=market.company["ticker"], currency="USDC") == ["a", "c", "b"]
    assert await ids(company=market.company_id, rarity="rare", sort="price_desc") == [
        "d",
        "c",
        "a",
    ]
    assert await ids(currency="USDC", min_price="5", max_price="20") == ["a", "c"]
    assert await ids(sort="newest") == ["e", "d", "c", "b", "a"]
    assert await ids(company="NOPE") == []

    first = (await client.get("/api/v1/listings", params={"limit": 2, "currency": "USDC"})).json()
    second = (
        await client.get(
            "/api/v1/listings",
            params={"limit": 2, "currency": "USDC", "cursor": first["next_cursor"]},
        )
    ).json()
    paged = [x["price"] for x in first["items"] + second["items"]]
    assert paged == ["1", "5", "20", "50"] and second["next_cursor"] is None

    no_currency = await client.get("/api/v1/listings", params={"min_price": "5"})
    assert no_currency.status_code == 422
    bad_cursor = await client.get("/api/v1/listings", params={"cursor": "!!"})
    assert (bad_cursor.status_code, bad_cursor.json()["code"]) == (422, "invalid_cursor")


async def test_owner_changes_and_cancels(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    stranger = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "25")
    url = f"/api/v1/listings/{listing['id']}"

    not_yours = await client.patch(url, json={"price": "1"}, headers=stranger.headers)
    assert (not_yours.status_code, not_yours.json()["code"]) == (403, "not_listing_owner")
    empty = await client.patch(url, json={}, headers=seller.headers)
    assert empty.status_code == 422
    later = (utcnow() + timedelta(days=2)).isoformat()
    changed = await client.patch(
        url, json={"price": "19.99", "expires_at": later}, headers=seller.headers
    )
    assert changed.status_code == 200
    assert changed.json()["price"] == "19.99"
    assert (await card_row(app, card_id)).list_price == usdc("19.99")

    assert (await client.delete(url, headers=stranger.headers)).status_code == 403
    cancelled = await client.delete(url, headers=seller.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    card = await card_row(app, card_id)
    assert (card.lock_kind, card.list_price) == (None, None)
    again = await client.delete(url, headers=seller.headers)
    assert (again.status_code, again.json()["code"]) == (409, "listing_unavailable")
    assert len(await events(app, "listing.cancelled")) == 1
    assert (await client.get("/api/v1/listings")).json()["items"] == []


async def test_an_expired_listing_is_gone_before_any_job_runs(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    soon = (utcnow() + timedelta(minutes=5)).isoformat()
    listing = await list_card(client, seller, card_id, "25", expires_at=soon)
    alice = await buyer(client, app, "100")

    clock.advance(timedelta(minutes=5))  # expires_at <= now: over, to the microsecond

    assert (await client.get("/api/v1/listings")).json()["items"] == []
    assert (await client.get(f"/api/v1/listings/{listing['id']}")).json()["status"] == "expired"
    late = await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers)
    assert (late.status_code, late.json()["code"]) == (409, "listing_unavailable")
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")
    # The seller lists again at once: the stale lock is tidied on the way.
    relisted = await list_card(client, seller, card_id, "20")
    assert (await card_row(app, card_id)).lock_ref == relisted["id"]
    assert [e.aggregate_id for e in await events(app, "listing.expired")] == [listing["id"]]


async def test_the_expiry_job_releases_cards(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    cards = [await quick_card(app, market.company_id, seller.user["id"]) for _ in range(3)]
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    for card_id in cards[:2]:
        await list_card(client, seller, card_id, "5", expires_at=soon)
    kept = await list_card(client, seller, cards[2], "5")

    assert await expire_due(app.state.services.db) == 0
    clock.advance(timedelta(hours=1, seconds=1))
    assert await expire_due(app.state.services.db) == 2
    assert await expire_due(app.state.services.db) == 0  # idempotent

    locks = [(await card_row(app, c)).lock_ref for c in cards]
    assert locks == [None, None, kept["id"]]
    assert [(await card_row(app, c)).list_price for c in cards[:2]] == [None, None]


async def test_a_private_listing_is_only_for_its_taker(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    taker = await buyer(client, app, "100")
    other = await buyer(client, app, "100")
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "25", taker=taker.address)
    assert listing["taker"] == taker.address

    assert (await client.get("/api/v1/listings")).json()["items"] == []
    seen_by_taker = (await client.get("/api/v1/listings", headers=taker.headers)).json()
    assert [x["id"] for x in seen_by_taker["items"]] == [listing["id"]]
    seen_by_seller = (await client.get("/api/v1/listings", headers=seller.headers)).json()
    assert len(seen_by_seller["items"]) == 1

    buy = f"/api/v1/listings/{listing['id']}/buy"
    refused = await client.post(buy, headers=other.headers)
    assert (refused.status_code, refused.json()["code"]) == (404, "listing_not_found")
    assert (await client.post(buy, headers=taker.headers)).status_code == 201

    self_taker = await client.post(
        "/api/v1/listings",
        json={
            "card_id": await quick_card(app, market.company_id, seller.user["id"]),
            "price": "1",
            "currency": "USDC",
            "taker": seller.address,
        },
        headers=seller.headers,
    )
    assert (self_taker.status_code, self_taker.json()["code"]) == (422, "invalid_taker")
    unknown_wallet = str(Keypair().pubkey())  # a taker need not have signed in yet
    assert (
        await list_card(
            client,
            seller,
            await quick_card(app, market.company_id, seller.user["id"]),
            "1",
            taker=unknown_wallet,
        )
    )["taker"] == unknown_wallet

"""Offers on a card and collection offers: funds held, filled unit by unit, released."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ece.core.clock import clock, utcnow
from ece.core.money import Asset
from ece.market.jobs import expire_due
from tests.builders import SignedInUser, sign_in
from tests.market.support import (
    buyer,
    card_row,
    events,
    fund,
    ledger_ok,
    list_card,
    open_market,
    quick_card,
    usdc,
    user_balance,
)


async def offer(
    client: httpx.AsyncClient, who: SignedInUser, expect: int = 201, **body: Any
) -> dict[str, Any]:
    body.setdefault("currency", "USDC")
    response = await client.post("/api/v1/offers", json=body, headers=who.headers)
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def accept(
    client: httpx.AsyncClient, offer_id: str, who: SignedInUser, card_id: str | None = None
) -> httpx.Response:
    body = {"card_id": card_id} if card_id else {}
    return await client.post(f"/api/v1/offers/{offer_id}/accept", json=body, headers=who.headers)


async def test_an_offer_on_a_card_holds_funds_until_accepted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    owner = await sign_in(client)
    card_id = await quick_card(app, market.company_id, owner.user["id"])
    bidder = await buyer(client, app, "100")

    made = await offer(client, bidder, card_id=card_id, price="30")

    assert (made["kind"], made["status"], made["held"], made["remaining"]) == (
        "card",
        "active",
        "30",
        1,
    )
    held = await user_balance(app, bidder.user["id"])
    assert (held.available, held.held) == (usdc("70"), usdc("30"))
    own = await offer(client, owner, 409, card_id=card_id, price="1")
    assert own["code"] == "own_card"

    stranger = await sign_in(client)
    not_owner = await accept(client, made["id"], stranger)
    assert (not_owner.status_code, not_owner.json()["code"]) == (403, "not_card_owner")
    self_accept = await accept(client, made["id"], bidder)
    assert (self_accept.status_code, self_accept.json()["code"]) == (409, "own_offer")

    sold = await accept(client, made["id"], owner)

    assert sold.status_code == 201, sold.text
    trade = sold.json()
    assert (trade["source"], trade["price"], trade["fee"], trade["royalty"]) == (
        "offer",
        "30",
        "0.75",
        "1.5",
    )
    after = await user_balance(app, bidder.user["id"])
    assert (after.available, after.held, after.total) == (usdc("70"), 0, usdc("70"))
    assert (await user_balance(app, owner.user["id"])).available == usdc("27.75")
    assert (await card_row(app, card_id)).owner_user_id == bidder.user["id"]
    shown = (await client.get(f"/api/v1/offers/{made['id']}")).json()
    assert (shown["status"], shown["filled"], shown["held"]) == ("filled", 1, "0")
    again = await accept(client, made["id"], bidder)
    assert again.status_code == 409
    assert [e.aggregate_id for e in await events(app, "offer.accepted")] == [made["id"]]
    assert await ledger_ok(app)


async def test_a_collection_offer_of_three_fills_from_three_sellers_then_is_exhausted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    bidder = await buyer(client, app, "100")
    sellers = [await sign_in(client) for _ in range(4)]
    cards = [
        await quick_card(app, market.company_id, s.user["id"], rarity="epic", power=80)
        for s in sellers
    ]
    weak = await quick_card(app, market.company_id, sellers[0].user["id"], rarity="epic", power=10)
    common = await quick_card(app, market.company_id, sellers[0].user["id"], power=90)

    made = await offer(
        client,
        bidder,
        company_id=market.company_id,
        price="10",
        quantity=3,
        filter={"rarity": "epic", "min_power": 50},
    )
    assert made["held"] == "30"
    assert (await user_balance(app, bidder.user["id"])).held == usdc("30")

    for card_id in (weak, common):
        refused = await accept(client, made["id"], sellers[0], card_id)
        assert (refused.status_code, refused.json()["code"]) == (409, "card_not_eligible")
    no_card = await accept(client, made["id"], sellers[0])
    assert (no_card.status_code, no_card.json()["code"]) == (422, "card_required")

    for n, (seller, card_id) in enumerate(zip(sellers[:3], cards[:3], strict=True), start=1):
        sold = await accept(client, made["id"], seller, card_id)
        assert sold.status_code == 201, sold.text
        assert sold.json()["source"] == "collection_offer"
        state = (await client.get(f"/api/v1/offers/{made['id']}")).json()
        assert (state["filled"], state["held"]) == (n, str(10 * (3 - n)))
        balance = await user_balance(app, bidder.user["id"])
        assert (balance.held, balance.total) == (usdc(str(10 * (3 - n))), usdc(str(100 - 10 * n)))
        assert (await user_balance(app, seller.user["id"])).available == usdc("9.25")

    exhausted = await accept(client, made["id"], sellers[3], cards[3])
    assert (exhausted.status_code, exhausted.json()["code"]) == (409, "offer_unavailable")
    assert (await client.get(f"/api/v1/offers/{made['id']}")).json()["status"] == "filled"
    assert [(await card_row(app, c)).owner_user_id for c in cards[:3]] == [bidder.user["id"]] * 3
    assert len(await events(app, "offer.filled")) == 1
    assert await ledger_ok(app)


async def test_cancel_releases_what_is_left(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    bidder = await buyer(client, app, "100")
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    made = await offer(client, bidder, company_id=market.company_id, price="20", quantity=3)
    assert (await accept(client, made["id"], seller, card_id)).status_code == 201

    stranger = await sign_in(client)
    url = f"/api/v1/offers/{made['id']}"
    assert (await client.delete(url, headers=stranger.headers)).status_code == 403
    cancelled = await client.delete(url, headers=bidder.headers)

    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["held"]) == ("cancelled", "0")
    balance = await user_balance(app, bidder.user["id"])
    assert (balance.available, balance.held) == (usdc("80"), 0)
    assert (await client.delete(url, headers=bidder.headers)).status_code == 409
    [event] = await events(app, "offer.cancelled")
    assert event.payload["released"] == "40"


async def test_an_offer_beyond_the_balance_holds_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    bidder = await buyer(client, app, "50")
    refused = await offer(client, bidder, 409, company_id=market.company_id, price="20", quantity=3)
    assert refused["code"] == "insufficient_funds"
    assert refused["missing"] == "10"  # 3 x 20 held against 50
    assert "offer:" not in refused["detail"] and "10 USDC more" in refused["detail"]
    assert (await user_balance(app, bidder.user["id"])).held == 0
    listed = (await client.get("/api/v1/offers", params={"company": market.company_id})).json()
    assert listed["items"] == []
    for bad in (
        {"company_id": market.company_id, "price": "1", "quantity": 0},
        {"company_id": market.company_id, "price": "1.0000001"},
        {"card_id": "x", "company_id": market.company_id, "price": "1"},
        {"card_id": "x", "price": "1", "quantity": 2},
        {"company_id": market.company_id, "price": "1", "filter": {"min_power": 101}},
        {"company_id": market.company_id, "price": "1", "expires_at": "2099-01-01T00:00:00Z"},
    ):
        response = await client.post(
            "/api/v1/offers", json={"currency": "USDC", **bad}, headers=bidder.headers
        )
        assert response.status_code == 422, (bad, response.text)
    assert (await user_balance(app, bidder.user["id"])).available == usdc("50")


async def test_expired_offers_stop_counting_and_the_job_releases_holds(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    bidder = await buyer(client, app, "100")
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    made = await offer(client, bidder, card_id=card_id, price="40", expires_at=soon)

    clock.advance(timedelta(hours=1))

    late = await accept(client, made["id"], seller)
    assert (late.status_code, late.json()["code"]) == (409, "offer_unavailable")
    assert (await client.get("/api/v1/offers", params={"card": card_id})).json()["items"] == []
    best = (await client.get("/api/v1/offers/best", params={"card": card_id})).json()
    assert best["items"] == []
    expired = (
        await client.get("/api/v1/offers", params={"card": card_id, "status": "expired"})
    ).json()
    assert [x["status"] for x in expired["items"]] == ["expired"]
    assert (await user_balance(app, bidder.user["id"])).held == usdc("40")  # until tidied

    assert await expire_due(app.state.services.db) == 1

    balance = await user_balance(app, bidder.user["id"])
    assert (balance.available, balance.held) == (usdc("100"), 0)
    assert [e.aggregate_id for e in await events(app, "offer.expired")] == [made["id"]]
    assert await ledger_ok(app)


async def test_accepting_an_offer_on_a_listed_card_ends_the_listing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "50")
    bidder = await buyer(client, app, "100")
    made = await offer(client, bidder, card_id=card_id, price="45")

    assert (await accept(client, made["id"], seller)).status_code == 201

    assert (await client.get(f"/api/v1/listings/{listing['id']}")).json()["status"] == "cancelled"
    card = await card_row(app, card_id)
    assert (card.owner_user_id, card.lock_kind, card.list_price) == (bidder.user["id"], None, None)


async def test_best_offers_and_my_offers(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    owner = await sign_in(client)
    card_id = await quick_card(app, market.company_id, owner.user["id"], rarity="epic")
    low = await buyer(client, app, "100")
    high = await buyer(client, app, "200")
    ece = await sign_in(client)
    await fund(app, ece.user["id"], "1000", Asset.ECE)
    a = await offer(client, low, card_id=card_id, price="10")
    b = await offer(
        client, high, company_id=market.company_id, price="12", filter={"rarity": "epic"}
    )
    c = await offer(client, ece, company_id=market.company_id, price="500", currency="ECE")
    await offer(client, high, company_id=market.company_id, price="99", filter={"rarity": "common"})

    best = (await client.get("/api/v1/offers/best", params={"card": card_id})).json()["items"]
    assert [(x["id"], x["currency"]) for x in best] == [(c["id"], "ECE"), (b["id"], "USDC")]
    for_company = (
        await client.get("/api/v1/offers/best", params={"company": market.company_id})
    ).json()["items"]
    assert [x["price"] for x in for_company] == ["500", "99"]
    for_card = (await client.get("/api/v1/offers", params={"card": card_id})).json()["items"]
    assert {x["id"] for x in for_card} == {a["id"], b["id"], c["id"]}

    received = await client.get(
        "/api/v1/offers", params={"mine": "received"}, headers=owner.headers
    )
    assert {x["id"] for x in received.json()["items"]} == {a["id"], b["id"], c["id"]}
    made = await client.get("/api/v1/offers", params={"mine": "made"}, headers=low.headers)
    assert [x["id"] for x in made.json()["items"]] == [a["id"]]
    anonymous = await client.get("/api/v1/offers", params={"mine": "made"})
    assert anonymous.status_code == 401
    neither = await client.get("/api/v1/offers/best")
    assert neither.status_code == 422

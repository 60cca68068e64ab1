"""Trade offers: locks and holds on create, counter chains, atomic accept, clean refusals."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import clock, utcnow
from ece.core.money import Asset
from ece.trades import service
from tests.builders import sign_in
from tests.market.support import (
    buyer,
    events,
    fund,
    ledger_ok,
    list_card,
    open_market,
    platform_fees,
    quick_card,
    usdc,
    user_balance,
)
from tests.trades.support import (
    act,
    ece,
    offer,
    offer_count,
    owner_of,
    royalties,
    trade_history,
)


async def test_counter_chain_moves_exactly_the_accepted_version(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "100")
    bob = await sign_in(client)
    await fund(app, bob.user["id"], "50", Asset.ECE)
    a1, a2 = [await quick_card(app, market.company_id, alice.user["id"]) for _ in range(2)]
    b1, b2 = [await quick_card(app, market.company_id, bob.user["id"]) for _ in range(2)]

    # A → B: a1 and 10 USDC for b1.
    first = await offer(
        client, alice, bob.address, {"cards": [a1], "USDC": "10"}, {"cards": [b1]},
        message="a1 and ten for b1?",
    )  # fmt: skip
    assert first["status"] == "active" and first["taker"]["user_id"] == bob.user["id"]
    assert await owner_of(app, a1) == (alice.user["id"], "trade")
    held = await user_balance(app, alice.user["id"])
    assert (held.available, held.held) == (usdc("90"), usdc("10"))

    # B counters: b1 and 20 ECE for a1 and a2 (no USDC). The parent ends and releases.
    countered = await act(
        client, bob, first["id"], "counter",
        json={"give": {"cards": [b1], "ECE": "20"}, "want": {"cards": [a1, a2]}},
    )  # fmt: skip
    assert countered.status_code == 201, countered.text
    second = countered.json()
    assert second["parent_id"] == first["id"] and second["root_id"] == first["id"]
    assert second["maker"]["user_id"] == bob.user["id"]
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")
    assert await owner_of(app, a1) == (alice.user["id"], None)
    assert await owner_of(app, b1) == (bob.user["id"], "trade")
    assert (await user_balance(app, bob.user["id"], Asset.ECE)).held == ece("20")
    late = await act(client, bob, first["id"], "accept")
    assert (late.status_code, late.json()["code"]) == (409, "trade_offer_not_active")
    stale = await act(client, alice, first["id"], "cancel")
    assert (stale.status_code, stale.json()["code"]) == (409, "trade_offer_not_active")

    # A accepts the counter: exactly its items move, the original terms are gone.
    accepted = await act(client, alice, second["id"], "accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert await owner_of(app, a1) == (bob.user["id"], None)
    assert await owner_of(app, a2) == (bob.user["id"], None)
    assert await owner_of(app, b1) == (alice.user["id"], None)
    assert await owner_of(app, b2) == (bob.user["id"], None)
    # Bob's 20 ECE buy a1 and a2 (no reference price: 10 each); each share pays the 2.5%
    # trade fee and the company's 5% royalty out of what Alice gets.
    alice_ece = await user_balance(app, alice.user["id"], Asset.ECE)
    bob_ece = await user_balance(app, bob.user["id"], Asset.ECE)
    assert (alice_ece.total, bob_ece.total, bob_ece.held) == (ece("18.5"), ece("30"), 0)
    assert await platform_fees(app, Asset.ECE) == ece("0.5")
    assert await royalties(app, market.company_id, Asset.ECE) == ece("1")
    assert (await user_balance(app, alice.user["id"])).total == usdc("100")
    assert await platform_fees(app) == 0
    assert await trade_history(app, a2) == [("mint", "mint"), ("sale", "trade_offer")]
    assert await trade_history(app, b1) == [("mint", "mint"), ("transfer", "trade")]

    # The chain is the same from either version, oldest first.
    for version in (first["id"], second["id"]):
        detail = (await client.get(f"/api/v1/trades/{version}", headers=bob.headers)).json()
        assert [(v["id"], v["status"]) for v in detail["chain"]] == [
            (first["id"], "countered"),
            (second["id"], "accepted"),
        ]
    created = await events(app, "trade_offer.created")
    assert [e.aggregate_id for e in created] == [first["id"], second["id"]]
    assert len(await events(app, "trade_offer.countered")) == 1
    assert [e.aggregate_id for e in await events(app, "trade_offer.accepted")] == [second["id"]]
    assert await ledger_ok(app)


async def test_an_unavailable_item_makes_accept_fail_cleanly(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "100")
    bob = await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, market.company_id, bob.user["id"])
    trade = await offer(client, alice, bob.user["id"], {"cards": [a1], "USDC": "10"},
                        {"cards": [b1]})  # fmt: skip

    # Bob lists the wanted card: accepting must fail and move nothing.
    listing = await list_card(client, bob, b1, "5")
    refused = await act(client, bob, trade["id"], "accept")
    assert refused.status_code == 409
    assert refused.json()["code"] == "trade_item_unavailable"
    assert refused.json()["card_id"] == b1
    assert await owner_of(app, a1) == (alice.user["id"], "trade")
    assert await owner_of(app, b1) == (bob.user["id"], "listing")
    assert (await user_balance(app, alice.user["id"])).held == usdc("10")
    assert (await user_balance(app, bob.user["id"])).total == 0
    shown = (await client.get(f"/api/v1/trades/{trade['id']}", headers=alice.headers)).json()
    assert shown["status"] == "active"

    # The card is free again: the same offer now goes through.
    cancelled = await client.delete(f"/api/v1/listings/{listing['id']}", headers=bob.headers)
    assert cancelled.status_code in (200, 204), cancelled.text
    assert (await act(client, bob, trade["id"], "accept")).status_code == 200
    assert await owner_of(app, b1) == (alice.user["id"], None)
    # Alice's 10 USDC buy b1: 2.5% fee and 5% royalty come out of Bob's 10.
    assert (await user_balance(app, bob.user["id"])).total == usdc("9.25")
    assert await ledger_ok(app)


async def test_the_receivers_missing_tokens_refuse_accept(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await sign_in(client)
    bob = await buyer(client, app, "5")
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    trade = await offer(client, alice, bob.address, {"cards": [a1]}, {"USDC": "6"})
    refused = await act(client, bob, trade["id"], "accept")
    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_funds")
    assert await owner_of(app, a1) == (alice.user["id"], "trade")
    assert (await user_balance(app, bob.user["id"])).total == usdc("5")
    assert await platform_fees(app) == 0


async def test_decline_cancel_and_visibility(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "100")
    bob, eve = await sign_in(client), await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    one = await offer(client, alice, bob.address, {"cards": [a1], "USDC": "10"})

    # Nobody else can see or touch it; the wrong party is refused.
    for method, path in (("GET", ""), ("POST", "/accept"), ("POST", "/cancel")):
        response = await client.request(
            method, f"/api/v1/trades/{one['id']}{path}", headers=eve.headers
        )
        assert (response.status_code, response.json()["code"]) == (404, "trade_offer_not_found")
    assert (await act(client, alice, one["id"], "accept")).json()["code"] == "not_trade_taker"
    assert (await act(client, bob, one["id"], "cancel")).json()["code"] == "not_trade_maker"
    assert (await act(client, alice, one["id"], "counter", json={})).status_code == 403

    sent = await client.get("/api/v1/trades?box=sent", headers=alice.headers)
    received = await client.get("/api/v1/trades?box=received&status=active", headers=bob.headers)
    assert [t["id"] for t in sent.json()["items"]] == [one["id"]]
    assert [t["id"] for t in received.json()["items"]] == [one["id"]]
    assert (await client.get("/api/v1/trades", headers=eve.headers)).json()["items"] == []

    declined = await act(client, bob, one["id"], "decline")
    assert declined.json()["status"] == "declined"
    assert await owner_of(app, a1) == (alice.user["id"], None)
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")

    two = await offer(client, alice, bob.address, {"cards": [a1], "USDC": "10"})
    assert (await act(client, alice, two["id"], "cancel")).json()["status"] == "cancelled"
    again = await act(client, alice, two["id"], "cancel")
    assert (again.status_code, again.json()["code"]) == (409, "trade_offer_not_active")
    assert await owner_of(app, a1) == (alice.user["id"], None)
    assert (await user_balance(app, alice.user["id"])).held == 0
    by_status = await client.get("/api/v1/trades?status=declined", headers=bob.headers)
    assert [t["id"] for t in by_status.json()["items"]] == [one["id"]]
    assert len(await events(app, "trade_offer.declined")) == 1
    assert len(await events(app, "trade_offer.cancelled")) == 1
    assert await ledger_ok(app)


async def test_an_offer_stops_at_its_expiry_and_the_job_releases_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "100")
    bob = await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    expires = (utcnow() + timedelta(hours=1)).isoformat()
    trade = await offer(client, alice, bob.address, {"cards": [a1], "USDC": "10"},
                        expires_at=expires)  # fmt: skip

    clock.advance(timedelta(hours=1, seconds=1))
    late = await act(client, bob, trade["id"], "accept")
    assert (late.status_code, late.json()["code"]) == (409, "trade_offer_expired")
    shown = (await client.get(f"/api/v1/trades/{trade['id']}", headers=bob.headers)).json()
    assert shown["status"] == "expired"
    expired = await client.get("/api/v1/trades?status=expired", headers=alice.headers)
    assert [t["id"] for t in expired.json()["items"]] == [trade["id"]]
    assert await owner_of(app, a1) == (alice.user["id"], "trade")  # until the job runs

    async with app.state.services.db.unit_of_work() as session:
        assert await service.expire_swaps(session) == 1
    async with app.state.services.db.unit_of_work() as session:
        assert await service.expire_swaps(session) == 0
    assert await owner_of(app, a1) == (alice.user["id"], None)
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")
    assert len(await events(app, "trade_offer.expired")) == 1
    assert await ledger_ok(app)


async def test_bad_offers_are_refused_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "10")
    bob = await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, market.company_id, bob.user["id"])
    to = bob.address
    cases = [
        ({"to": to, "give": {"USDC": "1.0000001"}}, 422, "validation_error"),
        ({"to": to, "give": {"USDC": "-1"}}, 422, "validation_error"),
        ({"to": to, "give": {"cards": [a1], "SOL": "1"}}, 422, "validation_error"),
        ({"to": to, "give": {}, "want": {}}, 422, "empty_trade_offer"),
        ({"to": to, "give": {"cards": [a1]}, "want": {"cards": [a1]}}, 422, "duplicate_card"),
        ({"to": alice.address, "give": {"cards": [a1]}}, 422, "cannot_trade_with_self"),
        ({"to": to, "give": {"cards": [a1]}, "want": {"cards": ["0" * 32]}}, 422,
         "wanted_card_not_held"),
        ({"to": to, "give": {"cards": [a1]}, "expires_at": "2020-01-01T00:00:00Z"}, 422,
         "invalid_expiry"),
        ({"to": to, "give": {"cards": [a1]}, "expires_at": "2099-01-01T00:00:00"}, 422,
         "validation_error"),
        ({"to": "nobody", "give": {"cards": [a1]}}, 404, "recipient_not_found"),
        ({"to": to, "give": {"cards": [b1]}}, 403, "not_card_owner"),
        ({"to": to, "give": {"cards": [a1], "USDC": "11"}}, 409, "insufficient_funds"),
    ]  # fmt: skip
    for body, status, code in cases:
        response = await client.post("/api/v1/trades", json=body, headers=alice.headers)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert await offer_count(app) == 0
    assert await owner_of(app, a1) == (alice.user["id"], None)
    assert (await user_balance(app, alice.user["id"])).available == usdc("10")


async def test_create_and_accept_are_idempotent(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "100")
    bob = await buyer(client, app, "100")
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    body = {"to": bob.address, "give": {"cards": [a1]}, "want": {"USDC": "10"}}
    key = {**alice.headers, "Idempotency-Key": "trade-1"}
    first = await client.post("/api/v1/trades", json=body, headers=key)
    again = await client.post("/api/v1/trades", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and await offer_count(app) == 1

    accept = {**bob.headers, "Idempotency-Key": "accept-1"}
    done = await act(client, bob, first.json()["id"], "accept", headers=accept)
    replay = await act(client, bob, first.json()["id"], "accept", headers=accept)
    assert done.status_code == replay.status_code == 200
    assert (await user_balance(app, bob.user["id"])).total == usdc("90")
    assert (await user_balance(app, alice.user["id"])).total == usdc("109.25")


async def test_the_value_hint_prices_cards_at_the_floor(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    other = await open_market(client, app)
    alice = await buyer(client, app, "100")
    bob, carol = await sign_in(client), await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, other.company_id, bob.user["id"])
    for_sale = await quick_card(app, market.company_id, carol.user["id"])
    await list_card(client, carol, for_sale, "40")
    trade = await offer(client, alice, bob.address, {"cards": [a1], "USDC": "10"},
                        {"cards": [b1], "ECE": "3"})  # fmt: skip
    hint = (await client.get(f"/api/v1/trades/{trade['id']}", headers=bob.headers)).json()[
        "value_hint"
    ]
    assert hint["give"]["USDC"] == "50" and hint["give"]["ECE"] == "0"
    assert hint["give"]["unpriced_cards"] == {"ECE": [a1], "USDC": []}
    assert hint["want"]["ECE"] == "3" and hint["want"]["USDC"] == "0"
    assert hint["want"]["unpriced_cards"] == {"ECE": [b1], "USDC": [b1]}
    assert "lowest live public listing" in hint["method"]

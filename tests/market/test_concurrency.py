"""Only one can win: truly concurrent requests through the HTTP API, each its own transaction.

Runs in both passes: SQLite (writers serialized by BEGIN IMMEDIATE) and PostgreSQL (row locks
and conditional updates under READ COMMITTED).
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.config import Settings
from ece.core.outbox import OutboxEvent
from ece.settlement.models import Sale
from tests.builders import api_client, served, sign_in
from tests.market.support import (
    buyer,
    card_row,
    ledger_ok,
    list_card,
    open_market,
    platform_fees,
    quick_card,
    usdc,
    user_balance,
)
from tests.market.support import (
    buyers as many_buyers,
)


async def sales_of(app: FastAPI, card_id: str) -> list[Sale]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return list(await session.scalars(select(Sale).where(Sale.card_id == card_id)))


async def test_twenty_buyers_one_listing_one_trade(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "25")
    buyers = await many_buyers(client, app, 20, "30")

    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/listings/{listing['id']}/buy",
                headers={**b.headers, "Idempotency-Key": f"race-{i}"},
            )
            for i, b in enumerate(buyers)
        )
    )

    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(201, None): 1, (409, "listing_unavailable"): 19}, outcomes
    [winner] = [b for b, r in zip(buyers, responses, strict=True) if r.status_code == 201]
    assert (await card_row(app, card_id)).owner_user_id == winner.user["id"]
    for b in buyers:
        expected = usdc("5") if b is winner else usdc("30")
        assert (await user_balance(app, b.user["id"])).available == expected
    assert (await user_balance(app, seller.user["id"])).available == usdc("23.125")
    assert await platform_fees(app) == usdc("0.625")
    [sale] = await sales_of(app, card_id)
    # The sale's one event, naming the listing it filled.
    assert [(e.type, e.payload["ref"]) for e in await events_of(app, sale.id)] == [
        ("trade.executed", listing["id"])
    ]
    assert "card.sale" not in [e.type for e in await events_of(app, card_id)]
    assert "listing.filled" not in [e.type for e in await events_of(app, listing["id"])]
    assert await ledger_ok(app)


async def events_of(app: FastAPI, aggregate_id: str) -> list[OutboxEvent]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        query = select(OutboxEvent).where(OutboxEvent.aggregate_id == aggregate_id)
        return list(await session.scalars(query))


async def test_buy_cancel_and_accept_on_one_card_have_one_outcome(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    listing_buyer = await buyer(client, app, "500")
    bidder = await buyer(client, app, "500")
    winners: Counter[str] = Counter()
    for round_ in range(6):
        card_id = await quick_card(app, market.company_id, seller.user["id"])
        listing = await list_card(client, seller, card_id, "25")
        made = await client.post(
            "/api/v1/offers",
            json={"card_id": card_id, "price": "20", "currency": "USDC"},
            headers=bidder.headers,
        )
        assert made.status_code == 201
        offer_id = made.json()["id"]
        calls = [
            client.post(f"/api/v1/listings/{listing['id']}/buy", headers=listing_buyer.headers),
            client.delete(f"/api/v1/listings/{listing['id']}", headers=seller.headers),
            client.post(f"/api/v1/offers/{offer_id}/accept", headers=seller.headers),
        ]
        if round_ % 2:
            calls.reverse()  # vary who reaches the database first
        responses = await asyncio.gather(*calls)
        assert all(r.status_code in (200, 201, 403, 409) for r in responses), [
            r.text for r in responses
        ]

        [sale] = await sales_of(app, card_id)  # exactly one sale of the card, never two
        winners[sale.source] += 1
        card = await card_row(app, card_id)
        assert card.owner_user_id == sale.buyer_user_id and card.lock_kind is None
        offer = (await client.get(f"/api/v1/offers/{offer_id}")).json()
        if sale.source == "offer":
            assert (offer["status"], offer["held"]) == ("filled", "0")
        else:
            assert (offer["status"], offer["held"]) == ("active", "20")
            await client.delete(f"/api/v1/offers/{offer_id}", headers=bidder.headers)
        shown = (await client.get(f"/api/v1/listings/{listing['id']}")).json()
        assert shown["status"] == ("filled" if sale.source == "listing" else "cancelled")
        # The bidder's held funds are exactly their open offers: none left open now.
        assert (await user_balance(app, bidder.user["id"])).held == 0
        assert await ledger_ok(app)
    assert sum(winners.values()) == 6


async def test_concurrent_accepts_fill_a_collection_offer_exactly(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    bidder = await buyer(client, app, "100")
    sellers = [await sign_in(client) for _ in range(6)]
    cards = [await quick_card(app, market.company_id, s.user["id"]) for s in sellers]
    made = await client.post(
        "/api/v1/offers",
        json={"company_id": market.company_id, "price": "10", "currency": "USDC", "quantity": 3},
        headers=bidder.headers,
    )
    offer_id = made.json()["id"]

    responses = await asyncio.gather(
        *(
            client.post(f"/api/v1/offers/{offer_id}/accept", json={"card_id": c}, headers=s.headers)
            for s, c in zip(sellers, cards, strict=True)
        )
    )

    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 3
    balance = await user_balance(app, bidder.user["id"])
    assert (balance.total, balance.held) == (usdc("70"), 0)
    async with app.state.services.db.unit_of_work(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Sale)) == 3
    assert await ledger_ok(app)


async def test_a_burst_of_buyers_beyond_the_pool_gets_clean_answers_on_sqlite(
    settings: Settings,
) -> None:
    """A drop on SQLite: more buyers at once than pooled connections, and a busy timeout far
    shorter than the burst. Writing requests take turns in the process without holding a
    connection, so none waits out the pool or SQLite's busy handler into a 500."""
    if not settings.is_sqlite:
        pytest.skip("the in-process writer gate is SQLite's (PostgreSQL writers run together)")
    tight = {"db_pool_size": 2, "db_max_overflow": 0, "sqlite_busy_timeout_ms": 20}
    async with served(settings.model_copy(update=tight)) as app, api_client(app) as client:
        market = await open_market(client, app)
        seller = await sign_in(client)
        cards = [await quick_card(app, market.company_id, seller.user["id"]) for _ in range(2)]
        listings = [await list_card(client, seller, card_id, "5") for card_id in cards]
        buyers = await many_buyers(client, app, 24, "10")

        responses = await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/listings/{listings[i % 2]['id']}/buy",
                    headers={**b.headers, "Idempotency-Key": f"drop-{i}"},
                )
                for i, b in enumerate(buyers)
            )
        )

        outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
        assert outcomes == {(201, None): 2, (409, "listing_unavailable"): 22}, outcomes
        assert [len(await sales_of(app, card_id)) for card_id in cards] == [1, 1]
        assert await ledger_ok(app)

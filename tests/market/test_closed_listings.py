"""A drop's losers: once a process knows a listing is closed, a buy of it is refused from one
read transaction (no write, no writer gate), and never where the full path would answer
otherwise (a replayed key, a reused key, a private listing, a sale that rolled back)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ece.market import closed
from ece.market import service as market_service
from ece.runtime.routing import turns as routing_turns
from tests.builders import recorded_commits, recorded_statements, sign_in
from tests.market.support import (
    buyer,
    fresh_listing,
    list_card,
    open_market,
    quick_card,
    usdc,
    user_balance,
)
from tests.market.support import buyers as many_buyers


async def _sold_listing(app: FastAPI, client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    """A listing bought by a first buyer with key ``won``: its buy URL and the winner's
    headers."""
    listing = await fresh_listing(client, app, "10")
    winner = await buyer(client, app, "100")
    headers = {**winner.headers, "Idempotency-Key": "won"}
    url = f"/api/v1/listings/{listing['id']}/buy"
    assert (await client.post(url, headers=headers)).status_code == 201
    return url, headers


async def test_a_sold_listing_is_learnt_from_the_first_refusal_then_refused_without_a_write(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    url, _ = await _sold_listing(app, client)
    listing_id = url.split("/")[-2]
    # The winner's committed fill teaches SQLite's statement-by-statement path; PostgreSQL's
    # one call returns no more than the sale, so there the first refusal reads it.
    assert closed.known(listing_id) == app.state.services.db.is_sqlite
    first = await buyer(client, app, "100")
    refused = await client.post(url, headers={**first.headers, "Idempotency-Key": "a"})
    assert (refused.status_code, refused.json()["code"]) == (409, "listing_unavailable")
    assert closed.known(listing_id)

    late = await buyer(client, app, "100")
    with (
        recorded_statements(app.state.services.db) as statements,
        recorded_commits(app.state.services.db) as commits,
    ):
        again = await client.post(url, headers={**late.headers, "Idempotency-Key": "b"})
    assert (again.status_code, again.json()["code"]) == (409, "listing_unavailable")
    assert again.headers["content-type"] == "application/problem+json"
    # (The pause cache's own periodic read of ``pauses`` may fall in the window: not counted.)
    verbs = [s.split(None, 1)[0].upper() for s in statements if "FROM pauses" not in s]
    # Answered before routing from one read (on SQLite on a read-only connection of its own,
    # tests/market/test_closed_buys.py counts it): nothing written on the app's pool.
    assert [v for v in verbs if v != "BEGIN"] in ([], ["SELECT"]), statements
    assert not any("IMMEDIATE" in s.upper() for s in statements), statements
    assert len(commits) <= 1
    assert (await user_balance(app, late.user["id"])).available == usdc("100")


async def test_the_winner_still_replays_and_a_reused_key_is_still_refused(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    url, winner = await _sold_listing(app, client)
    loser = await buyer(client, app, "100")
    await client.post(url, headers=loser.headers)  # teaches the process the listing is closed
    assert closed.known(url.split("/")[-2])

    replay = await client.post(url, headers=winner)
    assert replay.status_code == 201 and replay.headers.get("Idempotent-Replayed") == "true"
    # The winner's key sent with another body: the full path's 422, not a 409 from memory.
    reused = await client.post(url, headers=winner, json={"max_price": "10"})
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    # No bearer token: the full path's 401.
    anonymous = await client.post(url)
    assert anonymous.status_code == 401


async def test_twenty_buyers_at_once_make_one_sale_and_nineteen_409s(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    listing = await fresh_listing(client, app, "10")
    url = f"/api/v1/listings/{listing['id']}/buy"
    buyers = await many_buyers(client, app, 20, "100")

    answers = await asyncio.gather(
        *(
            client.post(url, headers={**b.headers, "Idempotency-Key": f"k{i}"})
            for i, b in enumerate(buyers)
        )
    )
    codes = sorted((a.status_code, a.json().get("code")) for a in answers)
    assert codes == [(201, None)] + [(409, "listing_unavailable")] * 19, codes
    paid = [usdc("100") - (await user_balance(app, b.user["id"])).available for b in buyers]
    assert sorted(paid) == [0] * 19 + [usdc("10")]
    # A second wave, answered from memory, still sells nothing.
    wave = await asyncio.gather(*(client.post(url, headers=b.headers) for b in buyers))
    assert {(a.status_code, a.json()["code"]) for a in wave} == {(409, "listing_unavailable")}


async def test_a_private_listing_is_never_remembered(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    taker = await buyer(client, app, "100")
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "10", taker=taker.address)
    url = f"/api/v1/listings/{listing['id']}/buy"
    assert (await client.post(url, headers=taker.headers)).status_code == 201
    other = await buyer(client, app, "100")
    hidden = await client.post(url, headers=other.headers)
    assert hidden.status_code == 404
    assert not closed.known(listing["id"])


async def test_a_fill_that_rolls_back_teaches_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    listing = await fresh_listing(client, app, "10")
    url = f"/api/v1/listings/{listing['id']}/buy"
    poor = await buyer(client, app, "1")  # takes the listing, then the ledger refuses
    short = await client.post(url, headers=poor.headers)
    assert (short.status_code, short.json()["code"]) == (409, "insufficient_funds")
    assert not closed.known(listing["id"])
    rich = await buyer(client, app, "100")
    assert (await client.post(url, headers=rich.headers)).status_code == 201


async def test_twenty_buyers_at_once_take_the_full_path_one_at_a_time(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buys of one listing take turns in the process: the winner's full path first, then on
    PostgreSQL one refusal that learns the listing is closed; every other buyer is refused
    from memory, never reaching the settlement (nor the row lock, the pool or the writer)."""
    listing = await fresh_listing(client, app, "10")
    url = f"/api/v1/listings/{listing['id']}/buy"
    buyers = await many_buyers(client, app, 20, "100")
    settled = 0
    buy_listing = market_service.buy_listing

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal settled
        settled += 1
        return await buy_listing(*args, **kwargs)

    monkeypatch.setattr(market_service, "buy_listing", counted)
    answers = await asyncio.gather(
        *(
            client.post(url, headers={**b.headers, "Idempotency-Key": f"k{i}"})
            for i, b in enumerate(buyers)
        )
    )
    codes = sorted((a.status_code, a.json().get("code")) for a in answers)
    assert codes == [(201, None)] + [(409, "listing_unavailable")] * 19, codes
    # SQLite's winner teaches the process at its commit; PostgreSQL's first refusal does.
    assert settled == (1 if app.state.services.db.is_sqlite else 2), settled
    assert len(routing_turns()) == 0  # no lock kept once the buyers are answered

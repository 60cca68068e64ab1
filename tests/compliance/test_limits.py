"""Limits by KYC level on the USDC-equivalent of purchases and of withdrawals over 24 h: past
the limit → 403 ``kyc_required`` with ``level_required``, nothing bought or held, balances
unchanged; after verification it passes; the window slides; ECE counts at its set price."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.config import Settings
from ece.core.clock import clock
from ece.core.money import Asset
from tests.auctions.support import bid, open_auction
from tests.builders import SignedInUser, recorded_statements
from tests.compliance.support import decide_kyc, officer, submit, verified
from tests.market.support import buyer, fund, list_card, open_market, quick_card, user_balance


@pytest.fixture(autouse=True)
def small_limits(settings: Settings) -> None:
    """Limits small enough for test amounts: none 30, basic 50 USDC, full unlimited."""
    settings.kyc_limit_none_usdc = "30"
    settings.kyc_limit_basic_usdc = "50"


async def listed(
    client: httpx.AsyncClient, app: FastAPI, price: str, currency: str = "USDC"
) -> str:
    market = await open_market(client, app)
    seller = await buyer(client, app, "0")
    card = await quick_card(app, market.company_id, seller.user["id"])
    return str((await list_card(client, seller, card, price, currency))["id"])


async def buy(client: httpx.AsyncClient, user: SignedInUser, listing_id: str) -> httpx.Response:
    return await client.post(f"/api/v1/listings/{listing_id}/buy", json={}, headers=user.headers)


def refused(response: httpx.Response, level: str) -> None:
    assert response.status_code == 403, response.text
    problem = response.json()
    assert problem["code"] == "kyc_required" and problem["level_required"] == level


async def test_over_the_basic_limit_needs_full_then_passes(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    staff = await officer(client, app)
    user = await buyer(client, app, "200")
    await verified(client, staff, user, "basic")
    listing = await listed(client, app, "60")
    before = await user_balance(app, user.user["id"])
    refused(await buy(client, user, listing), "full")
    after = await user_balance(app, user.user["id"])
    assert (after.available, after.held) == (before.available, before.held)
    assert (await client.get(f"/api/v1/listings/{listing}")).json()["status"] == "active"

    assert (await submit(client, user, "full")).status_code == 202
    refused(await buy(client, user, listing), "full")  # pending is not verified
    assert (await decide_kyc(client, staff, user.user["id"])).status_code == 200
    response = await buy(client, user, listing)
    assert response.status_code == 201, response.text
    assert (await user_balance(app, user.user["id"])).available == before.available - 60_000_000


async def test_purchases_add_up_over_a_sliding_24_hours(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await buyer(client, app, "200")
    first, second = await listed(client, app, "20"), await listed(client, app, "10.000001")
    assert (await buy(client, user, first)).status_code == 201
    refused(await buy(client, user, second), "basic")  # 20 + 10.000001 > 30
    clock.advance(timedelta(hours=23, minutes=59))
    refused(await buy(client, user, second), "basic")
    clock.advance(timedelta(minutes=2))
    assert (await buy(client, user, second)).status_code == 201


async def test_ece_counts_at_its_set_price(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    user = await buyer(client, app, "0")
    await fund(app, user.user["id"], "1000", Asset.ECE)
    listing = await listed(client, app, "300.000000001", "ECE")  # 30.0000001 USDC at 0.10
    refused(await buy(client, user, listing), "basic")
    settings.ece_price_usdc = "0.05"
    assert (await buy(client, user, listing)).status_code == 201


async def test_offers_and_bids_count_when_placed_and_hold_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    seller = await buyer(client, app, "0")
    card = await quick_card(app, market.company_id, seller.user["id"])
    user = await buyer(client, app, "200")
    offer = await client.post(
        "/api/v1/offers",
        json={"company_id": market.company_id, "price": "11", "currency": "USDC", "quantity": 3},
        headers=user.headers,
    )
    refused(offer, "basic")  # 3 x 11 = 33
    auction = await open_auction(client, seller, card)
    refused(await bid(client, user, auction["id"], "31"), "basic")
    balance = await user_balance(app, user.user["id"])
    assert balance.held == 0 and balance.available == 200_000_000
    assert (await bid(client, user, auction["id"], "30")).status_code == 201


async def test_a_sweep_past_the_limit_buys_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    user = await buyer(client, app, "200")
    listings = [await listed(client, app, "12") for _ in range(3)]
    response = await client.post(
        "/api/v1/sweeps",
        json={
            "listing_ids": listings,
            "currency": "USDC",
            "max_total": "100",
            "mode": "best_effort",
        },
        headers=user.headers,
    )
    refused(response, "basic")  # the third passes 30
    assert (await user_balance(app, user.user["id"])).available == 200_000_000
    for listing in listings:
        assert (await client.get(f"/api/v1/listings/{listing}")).json()["status"] == "active"


async def test_full_reads_no_purchase_history(client: httpx.AsyncClient, app: FastAPI) -> None:
    staff = await officer(client, app)
    user = await buyer(client, app, "500")
    await verified(client, staff, user, "full")
    listing = await listed(client, app, "400")
    other = await buyer(client, app, "500")
    cheap = await listed(client, app, "1")
    db = app.state.services.db
    with recorded_statements(db) as statements:
        assert (await buy(client, other, cheap)).status_code == 201
    assert [s for s in statements if "sum(sales.price)" in s.lower()]  # a limited level reads it
    with recorded_statements(db) as statements:
        assert (await buy(client, user, listing)).status_code == 201
    assert not [s for s in statements if "sum(sales.price)" in s.lower()]


async def withdraw(
    client: httpx.AsyncClient, user: SignedInUser, amount: str, asset: str = "USDC"
) -> httpx.Response:
    return await client.post(
        "/api/v1/withdrawals",
        json={"asset": asset, "amount": amount, "destination": str(Keypair().pubkey())},
        headers=user.headers,
    )


async def test_withdrawals_over_the_limit_hold_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    staff = await officer(client, app)
    user = await buyer(client, app, "200")
    await fund(app, user.user["id"], "1000", Asset.ECE)
    refused(await withdraw(client, user, "30.000001"), "basic")
    assert (await withdraw(client, user, "20")).status_code == 201
    refused(await withdraw(client, user, "101", "ECE"), "basic")  # 10.1 USDC: 30.1 > 30
    assert (await withdraw(client, user, "100", "ECE")).status_code == 201
    listed_ = (await client.get("/api/v1/withdrawals", headers=user.headers)).json()["items"]
    assert len(listed_) == 2
    balance = await user_balance(app, user.user["id"])
    assert balance.held == 20_000_000 and balance.available == 180_000_000
    await verified(client, staff, user, "basic")
    refused(await withdraw(client, user, "20.000001"), "full")  # 50 for basic
    assert (await withdraw(client, user, "20")).status_code == 201


async def test_two_withdrawals_at_once_cannot_both_fit(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await buyer(client, app, "200")
    first, second = await asyncio.gather(withdraw(client, user, "20"), withdraw(client, user, "20"))
    assert sorted([first.status_code, second.status_code]) == [201, 403]
    assert (await user_balance(app, user.user["id"])).held == 20_000_000

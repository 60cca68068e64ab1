"""A trade offer that swaps cards for tokens is a sale: royalty paid, price recorded, market data
and wash checks fed (the royalty-free side door through trade offers is closed)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ece.core.errors import Conflict
from ece.core.money import Asset
from ece.marketdata import service as marketdata
from ece.trades import service
from tests.builders import SignedInUser, sign_in
from tests.cards.cards_builders import make_company
from tests.market.support import (
    Market,
    buyer,
    fund,
    ledger_ok,
    list_card,
    open_market,
    platform_fees,
    quick_card,
    usdc,
    user_balance,
)
from tests.marketdata.support import sell, stats, suspect
from tests.trades.support import act, ece, offer, royalties


async def swap(
    client: httpx.AsyncClient,
    maker: SignedInUser,
    taker: SignedInUser,
    give: dict[str, Any],
    want: dict[str, Any] | None = None,
) -> str:
    """``maker`` offers ``give`` for ``want`` and ``taker`` accepts. Returns the offer id."""
    made = await offer(client, maker, taker.address, give, want)
    accepted = await act(client, taker, made["id"], "accept")
    assert accepted.status_code == 200, accepted.text
    return str(made["id"])


async def sales_of(client: httpx.AsyncClient, **query: str) -> list[dict[str, Any]]:
    feed = await client.get("/api/v1/market/activity", params={"type": "sale", **query})
    assert feed.status_code == 200, feed.text
    items: list[dict[str, Any]] = feed.json()["items"]
    return items


async def candles(client: httpx.AsyncClient, company_id: str) -> list[dict[str, Any]]:
    url = f"/api/v1/market/companies/{company_id}/candles?currency=USDC&interval=1h"
    found: list[dict[str, Any]] = (await client.get(url)).json()["candles"]
    return found


@pytest.mark.parametrize("maker_sells", [True, False], ids=["card_for_tokens", "tokens_for_card"])
async def test_a_card_swapped_for_500_usdc_pays_the_royalty_and_is_a_sale(
    app: FastAPI, client: httpx.AsyncClient, maker_sells: bool
) -> None:
    market = await open_market(client, app)  # 5% royalty, 2.5% trade fee
    seller, purchaser = await sign_in(client), await buyer(client, app, "600")
    card = await quick_card(app, market.company_id, seller.user["id"])
    if maker_sells:
        await swap(client, seller, purchaser, {"cards": [card]}, {"USDC": "500"})
    else:
        await swap(client, purchaser, seller, {"USDC": "500"}, {"cards": [card]})

    assert await royalties(app, market.company_id) == usdc("25")
    assert await platform_fees(app) == usdc("12.5")
    assert (await user_balance(app, seller.user["id"])).total == usdc("462.5")
    bought = await user_balance(app, purchaser.user["id"])
    assert (bought.total, bought.held) == (usdc("100"), 0)

    sales = await sales_of(client, card=card)
    assert [(s["price"], s["currency"], s["source"]) for s in sales] == [
        ("500", "USDC", "trade_offer")
    ]
    assert (sales[0]["from_user_id"], sales[0]["to_user_id"], sales[0]["wash_suspect"]) == (
        seller.user["id"],
        purchaser.user["id"],
        False,
    )
    numbers = await stats(client, market.company_id)
    assert numbers["last_sale"]["price"] == "500"
    assert (numbers["volume_24h"], numbers["sales_24h"]) == ({"USDC": "500"}, 1)
    assert [
        (c["close"], c["volume"], c["sales"]) for c in await candles(client, market.company_id)
    ] == [("500", "500", 1)]
    history = (await client.get(f"/api/v1/cards/{card}/history")).json()["items"]
    assert sorted((e["kind"], e["reason"]) for e in history) == [
        ("mint", "mint"),
        ("sale", "trade_offer"),
    ]
    assert await ledger_ok(app)


async def test_a_price_over_several_cards_is_split_by_floor_and_each_company_paid(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    acme = await open_market(client, app)  # 5% royalty
    zeta = Market(acme.admin, await make_company(client, acme.admin, ticker="ZZ", royalty_bps=1000))
    carol, alice = await sign_in(client), await sign_in(client)
    bob = await buyer(client, app, "200")
    # Floors: Acme 30 USDC, Zeta 10 USDC; Alice's two cards get 3/4 and 1/4 of the price.
    await list_card(client, carol, await quick_card(app, acme.company_id, carol.user["id"]), "30")
    await list_card(client, carol, await quick_card(app, zeta.company_id, carol.user["id"]), "10")
    a1 = await quick_card(app, acme.company_id, alice.user["id"])
    z1 = await quick_card(app, zeta.company_id, alice.user["id"])
    await swap(client, alice, bob, {"cards": [a1, z1]}, {"USDC": "100"})

    prices = {s["card_id"]: s["price"] for s in await sales_of(client, user=bob.address)}
    assert prices == {a1: "75", z1: "25"}
    assert await royalties(app, acme.company_id) == usdc("3.75")  # 5% of 75
    assert await royalties(app, zeta.company_id) == usdc("2.5")  # 10% of 25
    assert await platform_fees(app) == usdc("2.5")
    assert (await user_balance(app, alice.user["id"])).total == usdc("91.25")
    assert await ledger_ok(app)


async def test_mixed_swaps_price_what_the_net_tokens_buy_and_card_swaps_price_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await buyer(client, app, "50"), await sign_in(client)
    await fund(app, bob.user["id"], "10", Asset.ECE)
    a1, a2 = [await quick_card(app, market.company_id, alice.user["id"]) for _ in range(2)]
    b1, b2 = [await quick_card(app, market.company_id, bob.user["id"]) for _ in range(2)]

    # Cards for cards: trades, no sale, no royalty.
    await swap(client, alice, bob, {"cards": [a1]}, {"cards": [b1]})
    assert await sales_of(client) == []
    assert await royalties(app, market.company_id) == 0

    # a2 + 10 USDC for b2 + 4 ECE: Alice's 10 USDC buy b2, Bob's 4 ECE buy a2.
    await swap(client, alice, bob, {"cards": [a2], "USDC": "10"}, {"cards": [b2], "ECE": "4"})
    sold = {
        (s["card_id"], s["price"], s["currency"], s["to_user_id"]) for s in await sales_of(client)
    }
    assert sold == {(b2, "10", "USDC", alice.user["id"]), (a2, "4", "ECE", bob.user["id"])}
    assert (await user_balance(app, bob.user["id"])).total == usdc("9.25")
    assert (await user_balance(app, alice.user["id"], Asset.ECE)).total == ece("3.7")
    assert await royalties(app, market.company_id) == usdc("0.5")
    assert await royalties(app, market.company_id, Asset.ECE) == ece("0.2")
    assert await ledger_ok(app)


async def test_dust_prices_never_lose_a_base_unit(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    alice, bob = await sign_in(client), await buyer(client, app, "1")
    cards = [await quick_card(app, market.company_id, alice.user["id"]) for _ in range(3)]
    # 2 base units over 3 unpriced cards: 0, 0 and 2 (the remainder to the last card by id).
    await swap(client, alice, bob, {"cards": cards}, {"USDC": "0.000002"})
    sales = await sales_of(client)
    assert [(s["card_id"], s["price"]) for s in sales] == [(max(cards), "0.000002")]
    assert (await user_balance(app, alice.user["id"])).total == 2  # no cut of 2 base units
    assert await royalties(app, market.company_id) == 0
    assert await ledger_ok(app)


async def test_self_dealing_swaps_between_linked_wallets_are_flagged_as_wash_trades(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    # Eve funds Frank with a gift, then "sells" him a card for it through a trade offer.
    eve, frank = await buyer(client, app, "600"), await sign_in(client)
    await swap(client, eve, frank, {"USDC": "550"})
    card = await quick_card(app, market.company_id, eve.user["id"])
    await swap(client, eve, frank, {"cards": [card]}, {"USDC": "500"})
    [funded] = await sales_of(client, card=card)
    assert (funded["price"], funded["wash_suspect"]) == ("500", True)

    # Alice and Bob bounce a card through two swaps: both legs are suspect.
    alice, bob = await buyer(client, app, "300"), await buyer(client, app, "300")
    bounced = await quick_card(app, market.company_id, alice.user["id"])
    await swap(client, alice, bob, {"cards": [bounced]}, {"USDC": "200"})
    await swap(client, bob, alice, {"cards": [bounced]}, {"USDC": "210"})
    legs = await sales_of(client, card=bounced)
    assert [(s["price"], s["wash_suspect"]) for s in legs] == [("210", True), ("200", True)]

    # None of it counts; the royalty was still paid on every sale.
    numbers = await stats(client, market.company_id)
    assert (numbers["volume_24h"], numbers["sales_24h"], numbers["last_sale"]) == ({}, 0, None)
    assert await candles(client, market.company_id) == []
    assert await royalties(app, market.company_id) == usdc("45.5")  # 5% of 500 + 200 + 210
    assert await ledger_ok(app)


async def test_paying_for_a_card_in_a_swap_is_not_funding(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await buyer(client, app, "100"), await buyer(client, app, "100")
    x = await quick_card(app, market.company_id, alice.user["id"])
    y = await quick_card(app, market.company_id, bob.user["id"])
    # Bob pays Alice for x in a swap, then sells her y on the market: an honest pair of sales.
    await swap(client, alice, bob, {"cards": [x]}, {"USDC": "40"})
    assert await suspect(app, await sell(client, bob, alice, y, "30")) is False
    assert (await stats(client, market.company_id))["sales_24h"] == 2


async def test_racing_accepts_and_a_cancel_record_at_most_one_sale(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await sign_in(client), await buyer(client, app, "100")
    card = await quick_card(app, market.company_id, alice.user["id"])
    made = await offer(client, alice, bob.address, {"cards": [card]}, {"USDC": "40"})

    async def attempt(user_id: str, action: str) -> str:
        try:
            async with app.state.services.db.unit_of_work() as session:
                if action == "accept":
                    await service.accept_swap(
                        session,
                        user_id,
                        made["id"],
                        fee_bps=250,
                        prices=marketdata.swap_reference_prices,
                    )
                else:
                    await service.cancel_offer(session, user_id, made["id"])
        except Conflict as exc:
            return exc.instance_code
        return action

    results = await asyncio.gather(
        attempt(bob.user["id"], "accept"),
        attempt(alice.user["id"], "cancel"),
        attempt(bob.user["id"], "accept"),
    )
    winners = [r for r in results if r in ("accept", "cancel")]
    assert len(winners) == 1, results
    sold = winners == ["accept"]
    assert [s["price"] for s in await sales_of(client)] == (["40"] if sold else [])
    assert await royalties(app, market.company_id) == (usdc("2") if sold else 0)
    assert (await user_balance(app, bob.user["id"])).total == usdc("60" if sold else "100")
    assert await ledger_ok(app)

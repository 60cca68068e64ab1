"""Neither party of a swap can steer how its price is split over several cards (and so which
company is paid what royalty): the split's reference prices ignore the parties' own listings
and sales, swap prices, private listings and suspected wash trades, and one odd sale cannot
move them (the median of the latest market sales)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ece.core.money import Asset
from tests.builders import SignedInUser, sign_in
from tests.market.support import (
    Market,
    buyer,
    fund,
    ledger_ok,
    list_card,
    open_market,
    quick_card,
    usdc,
)
from tests.marketdata.support import sell
from tests.trades.support import act, ece, offer, royalties
from tests.trades.test_swap_sales import sales_of, swap


async def cards_of(app: FastAPI, market: Market, owner: SignedInUser, count: int) -> list[str]:
    return [await quick_card(app, market.company_id, owner.user["id"]) for _ in range(count)]


def prices(sales: list[dict[str, Any]]) -> dict[str, str]:
    return {s["card_id"]: s["price"] for s in sales}


@pytest.mark.parametrize("steerer", ["seller", "buyer"])
async def test_a_party_cannot_steer_the_split_with_its_own_listings(
    app: FastAPI, client: httpx.AsyncClient, steerer: str
) -> None:
    koru = await open_market(client, app, ticker="KORU")
    tndr = await open_market(client, app, ticker="TNDR")
    dave, erin = await sign_in(client), await sign_in(client)
    await fund(app, erin.user["id"], "1000", Asset.ECE)
    # Dave sells Erin a KORU card and an epic TNDR card for 1,000 ECE. Whoever steers first
    # lists a KORU card at a fortune and a TNDR card at dust, to set both floors.
    steering = dave if steerer == "seller" else erin
    koru_1, tndr_1 = (
        (await cards_of(app, koru, steering, 1))[0],
        (await cards_of(app, tndr, steering, 1))[0],
    )
    await list_card(client, steering, koru_1, "1000000", "ECE")
    await list_card(client, steering, tndr_1, "0.000000001", "ECE")
    koru_2 = (await cards_of(app, koru, dave, 1))[0]
    tndr_epic = await quick_card(app, tndr.company_id, dave.user["id"], rarity="epic")

    made = await offer(client, dave, erin.address, {"cards": [tndr_epic, koru_2]}, {"ECE": "1000"})
    accepted = await act(client, erin, made["id"], "accept")
    assert accepted.status_code == 200, accepted.text

    # No independent reference: an equal split, each company paid its 5% on 500 ECE.
    assert prices(await sales_of(client, user=erin.address)) == {tndr_epic: "500", koru_2: "500"}
    assert await royalties(app, tndr.company_id, Asset.ECE) == ece("25")
    assert await royalties(app, koru.company_id, Asset.ECE) == ece("25")
    # The value hint the two parties see goes by the same evidence: their listings price nothing.
    hint = (await client.get(f"/api/v1/trades/{made['id']}", headers=erin.headers)).json()
    assert hint["value_hint"]["give"]["ECE"] == "0"
    assert sorted(hint["value_hint"]["give"]["unpriced_cards"]["ECE"]) == sorted(
        [tndr_epic, koru_2]
    )
    assert await ledger_ok(app)


async def test_independent_floors_still_weigh_the_split_and_party_floors_do_not(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    koru = await open_market(client, app, ticker="KORU")
    tndr = await open_market(client, app, ticker="TNDR")
    carol, dave, erin = await sign_in(client), await sign_in(client), await sign_in(client)
    await fund(app, erin.user["id"], "1000", Asset.ECE)
    # Carol, a stranger to the swap, sets the floors at 30 and 10 ECE; Dave undercuts TNDR's
    # with dust and lists KORU high (no effect on the floor: Carol's is lower).
    await list_card(client, carol, (await cards_of(app, koru, carol, 1))[0], "30", "ECE")
    await list_card(client, carol, (await cards_of(app, tndr, carol, 1))[0], "10", "ECE")
    await list_card(client, dave, (await cards_of(app, tndr, dave, 1))[0], "0.000000001", "ECE")
    koru_2, tndr_2 = (
        (await cards_of(app, koru, dave, 1))[0],
        (await cards_of(app, tndr, dave, 1))[0],
    )
    await swap(client, dave, erin, {"cards": [koru_2, tndr_2]}, {"ECE": "1000"})
    assert prices(await sales_of(client, user=erin.address)) == {koru_2: "750", tndr_2: "250"}
    assert await royalties(app, koru.company_id, Asset.ECE) == ece("37.5")
    assert await royalties(app, tndr.company_id, Asset.ECE) == ece("12.5")
    assert await ledger_ok(app)


async def test_dust_sales_do_not_become_the_reference(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    acme = await open_market(client, app)
    zeta = await open_market(client, app)
    carol, frank = await sign_in(client), await buyer(client, app, "100")
    gina, hank = await sign_in(client), await buyer(client, app, "1")
    alice, bob = await sign_in(client), await buyer(client, app, "101")
    # The market, without Alice and Bob: Acme sold at 30 twice, Zeta at 10.
    for card in await cards_of(app, acme, carol, 2):
        await sell(client, carol, frank, card, "30")
    await sell(client, carol, frank, (await cards_of(app, zeta, carol, 1))[0], "10")
    # Dust: a stranger's odd market sale (one of three: the median ignores it), a private sale
    # and a swap between strangers (a price two parties agreed), and Alice's own sale to Bob.
    await sell(client, carol, frank, (await cards_of(app, acme, carol, 1))[0], "0.000001")
    private = await list_card(
        client, carol, (await cards_of(app, acme, carol, 1))[0], "0.000001", taker=frank.address
    )
    bought = await client.post(
        f"/api/v1/listings/{private['id']}/buy", json={}, headers=frank.headers
    )
    assert bought.status_code == 201, bought.text
    await swap(
        client, gina, hank, {"cards": (await cards_of(app, acme, gina, 1))}, {"USDC": "0.000001"}
    )
    await sell(client, alice, bob, (await cards_of(app, acme, alice, 1))[0], "0.000001")

    a1, z1 = (await cards_of(app, acme, alice, 1))[0], (await cards_of(app, zeta, alice, 1))[0]
    await swap(client, alice, bob, {"cards": [a1, z1]}, {"USDC": "100"})
    sold = [s for s in await sales_of(client, user=bob.address) if s["source"] == "trade_offer"]
    assert prices(sold) == {a1: "75", z1: "25"}
    assert await royalties(app, zeta.company_id) == usdc("0.5") + usdc("1.25")  # 5% of 10, 25
    assert await ledger_ok(app)

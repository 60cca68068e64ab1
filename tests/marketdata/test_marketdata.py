"""Market data: floors from live listings only, wash trades out of the numbers, candles,
rankings and the activity feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ece.core.clock import clock, utcnow
from tests.builders import sign_in
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.marketdata.support import sell, stats, suspect
from tests.trades.support import act, offer


async def test_floor_and_stats_are_right_the_moment_a_listing_expires(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    carol = await sign_in(client)
    cheap, dear, private = [
        await quick_card(app, market.company_id, carol.user["id"]) for _ in range(3)
    ]
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    await list_card(client, carol, cheap, "10", expires_at=soon)
    await list_card(client, carol, dear, "20")
    await list_card(client, carol, private, "5", taker=(await sign_in(client)).address)
    primary = await quick_card(app, market.company_id, None)  # the issuer's own card
    await list_card(client, market.admin, primary, "7", "ECE")

    before = await stats(client, market.company_id)
    assert before["floor"] == {"ECE": "7", "USDC": "10"}  # a private listing sets no floor
    assert before["listed_count"] == 3  # nor counts as listed
    assert before["holders"] == 1

    clock.advance(timedelta(hours=1, seconds=1))  # no expiry job runs
    after = await stats(client, market.company_id)
    assert after["floor"] == {"ECE": "7", "USDC": "20"}
    assert after["listed_count"] == 2
    summary = (await client.get("/api/v1/market/summary")).json()["items"]
    assert summary[0]["floor"] == {"ECE": "7", "USDC": "20"}


async def test_wash_trades_are_flagged_and_left_out_of_the_numbers(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await buyer(client, app, "500"), await buyer(client, app, "500")
    carol, dave = await buyer(client, app, "500"), await buyer(client, app, "500")
    bounced = await quick_card(app, market.company_id, alice.user["id"])
    honest = await quick_card(app, market.company_id, carol.user["id"])
    dave_card = await quick_card(app, market.company_id, dave.user["id"])

    # Alice → Bob → Alice within 7 days: both legs of the bounce are suspect.
    first = await sell(client, alice, bob, bounced, "100")
    assert await suspect(app, first) is False
    second = await sell(client, bob, alice, bounced, "120")
    assert await suspect(app, second) is True

    # Dave sells to Carol, then Carol to Dave: payment for a card is not funding.
    await sell(client, dave, carol, dave_card, "10")
    normal = await sell(client, carol, dave, honest, "30")
    assert await suspect(app, normal) is False

    # Self-funded: Eve gives Frank 50 USDC in a trade offer, then sells him a card.
    eve, frank = await buyer(client, app, "100"), await sign_in(client)
    funded = await quick_card(app, market.company_id, eve.user["id"])
    gift = await offer(client, eve, frank.address, {"USDC": "50"})
    assert (await act(client, frank, gift["id"], "accept")).status_code == 200
    assert await suspect(app, await sell(client, eve, frank, funded, "40")) is True

    numbers = await stats(client, market.company_id)
    assert numbers["volume_24h"] == {"USDC": "40"}  # 10 + 30; the bounce and Eve's sale are out
    assert numbers["sales_24h"] == 2
    assert numbers["last_sale"]["price"] == "30"
    feed = (await client.get(f"/api/v1/market/activity?type=sale&card={bounced}")).json()
    assert [(i["ref"], i["wash_suspect"]) for i in feed["items"]] == [
        (second, True),
        (first, True),
    ]
    candles = (
        await client.get(f"/api/v1/market/companies/{market.company_id}/candles?currency=USDC")
    ).json()["candles"]
    assert sum(c["sales"] for c in candles) == 2

    clock.advance(timedelta(days=8))  # outside the window: a fresh bounce is suspectd afresh
    assert (await stats(client, market.company_id))["volume_7d"] == {}
    alice, bob = await sign_in(client, alice.keypair), await sign_in(client, bob.keypair)
    assert await suspect(app, await sell(client, alice, bob, bounced, "90")) is False


async def test_candles_summary_and_change(app: FastAPI, client: httpx.AsyncClient) -> None:
    clock.freeze(datetime(2026, 11, 20, 10, 5, tzinfo=UTC))
    acme = await open_market(client, app)
    zeta = await open_market(client, app)
    seller, shopper = await buyer(client, app, "0"), await buyer(client, app, "1000")

    async def sale_of(market: Any, price: str) -> None:
        card = await quick_card(app, market.company_id, seller.user["id"])
        await sell(client, seller, shopper, card, price)

    await sale_of(acme, "10")  # yesterday, 10:05
    clock.advance(timedelta(days=1))
    await sale_of(acme, "14")  # 10:05 and 10:15 today
    clock.advance(timedelta(minutes=10))
    await sale_of(acme, "9")
    clock.advance(timedelta(hours=1))
    await sale_of(acme, "12")  # 11:15
    await sale_of(zeta, "100")

    url = f"/api/v1/market/companies/{acme.company_id}/candles?currency=USDC"
    hourly = (await client.get(url + "&interval=1h&limit=2")).json()["candles"]
    assert [
        (c["start"][:16], c["open"], c["high"], c["low"], c["close"], c["volume"], c["sales"])
        for c in hourly
    ] == [
        ("2026-11-21T10:00", "14", "14", "9", "9", "23", 2),
        ("2026-11-21T11:00", "12", "12", "12", "12", "12", 1),
    ]
    daily = (await client.get(url + "&interval=1d")).json()["candles"]
    assert [(c["start"][:10], c["open"], c["close"], c["sales"]) for c in daily] == [
        ("2026-11-20", "10", "10", 1),
        ("2026-11-21", "14", "12", 3),
    ]
    assert (await client.get(url + "&interval=5m")).status_code == 422
    assert (await client.get(url.replace("USDC", "SOL"))).status_code == 422

    acme_stats = await stats(client, acme.company_id)
    assert acme_stats["volume_24h"] == {"USDC": "35"} and acme_stats["sales_24h"] == 3
    assert acme_stats["volume_7d"] == {"USDC": "45"}
    assert acme_stats["change_24h"] == {"USDC": "20.00"}  # 10 a day ago, 12 now
    ranked = (await client.get("/api/v1/market/summary?currency=USDC")).json()["items"]
    assert [(r["rank"], r["company_id"]) for r in ranked] == [
        (1, zeta.company_id),
        (2, acme.company_id),
    ]
    assert (await client.get("/api/v1/market/companies/nope/stats")).status_code == 404


async def test_activity_feed_filters_and_pages_across_sources(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await buyer(client, app, "100"), await buyer(client, app, "100")
    sold, kept, traded, gifted = [
        await quick_card(app, market.company_id, alice.user["id"]) for _ in range(4)
    ]
    await sell(client, alice, bob, sold, "10")
    listing = await list_card(client, alice, kept, "50")
    assert (
        await client.delete(f"/api/v1/listings/{listing['id']}", headers=alice.headers)
    ).status_code in (200, 204)
    bid = await client.post(
        "/api/v1/offers",
        json={"card_id": kept, "price": "5", "currency": "USDC"},
        headers=bob.headers,
    )
    assert bid.status_code == 201, bid.text
    # A card for tokens is a trade and a sale; a card for nothing, a trade and a transfer.
    swap = await offer(client, alice, bob.address, {"cards": [traded]}, {"USDC": "1"})
    assert (await act(client, bob, swap["id"], "accept")).status_code == 200
    gift = await offer(client, alice, bob.address, {"cards": [gifted]})
    assert (await act(client, bob, gift["id"], "accept")).status_code == 200

    everything = (await client.get("/api/v1/market/activity")).json()["items"]
    kinds = [i["type"] for i in everything]
    assert sorted(kinds) == sorted(
        ["sale", "sale", "listing", "listing", "cancel", "offer", "trade", "trade", "transfer"]
    )
    trade = next(i for i in everything if i["type"] == "trade" and i["ref"] == swap["id"])
    assert trade["to_user_id"] == bob.user["id"]

    by_card = (await client.get(f"/api/v1/market/activity?card={kept}")).json()["items"]
    assert [i["type"] for i in by_card] == ["offer", "cancel", "listing"]
    by_trade_card = (await client.get(f"/api/v1/market/activity?card={traded}")).json()["items"]
    assert sorted(i["type"] for i in by_trade_card) == ["sale", "trade"]
    by_gift_card = (await client.get(f"/api/v1/market/activity?card={gifted}")).json()["items"]
    assert sorted(i["type"] for i in by_gift_card) == ["trade", "transfer"]
    cancels = (await client.get("/api/v1/market/activity?type=cancel")).json()["items"]
    assert [i["ref"] for i in cancels] == [listing["id"]]
    mine = (await client.get(f"/api/v1/market/activity?user={bob.address}&type=offer")).json()
    assert len(mine["items"]) == 1
    stranger = await client.get("/api/v1/market/activity?user=nobody")
    assert stranger.json()["items"] == []
    by_company = await client.get(f"/api/v1/market/activity?company={market.company_id}")
    assert len(by_company.json()["items"]) == len(everything)

    # Pages of 2 walk the same feed, nothing repeated or skipped.
    walked: list[tuple[str, str]] = []
    cursor = None
    while True:
        query = "/api/v1/market/activity?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(query)).json()
        walked += [(i["type"], i["ref"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == [(i["type"], i["ref"]) for i in everything]
    bad = await client.get("/api/v1/market/activity?cursor=WzEsMiwzXQ")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")

"""Reading auctions: the list by status, company, currency and sort, with cursors."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import clock
from tests.auctions.support import iso, ok_bid, open_auction, settle
from tests.builders import sign_in
from tests.market.support import buyer, open_market, quick_card


async def ids(client: httpx.AsyncClient, query: str) -> list[str]:
    response = await client.get(f"/api/v1/auctions?{query}")
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["items"]]


async def test_the_list_by_status_company_currency_and_sort(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app, ticker="AUCR")
    seller = await sign_in(client)
    cards = [await quick_card(app, market.company_id, seller.user["id"]) for _ in range(4)]
    soon = await open_auction(client, seller, cards[0], hours=1.5, start_price="30")
    later = await open_auction(client, seller, cards[1], hours=5, start_price="5")
    upcoming = await open_auction(
        client, seller, cards[2], starts_at=iso(timedelta(hours=1)), ends_at=iso(timedelta(hours=3))
    )
    cancelled = await open_auction(client, seller, cards[3], currency="ECE")
    await client.delete(f"/api/v1/auctions/{cancelled['id']}", headers=seller.headers)
    alice = await buyer(client, app)
    await ok_bid(client, alice, later["id"], "8")

    assert await ids(client, "status=live&sort=ending") == [soon["id"], later["id"]]
    assert await ids(client, "status=live&sort=price") == [later["id"], soon["id"]]
    assert await ids(client, "status=upcoming") == [upcoming["id"]]
    assert await ids(client, "status=cancelled") == [cancelled["id"]]
    assert cancelled["id"] not in await ids(client, "sort=newest")
    assert await ids(client, "company=AUCR&currency=ECE") == []
    assert len(await ids(client, f"company={market.company_id}")) == 3
    first = (await client.get("/api/v1/auctions?sort=ending&limit=2")).json()
    rest = await ids(client, f"sort=ending&limit=2&cursor={first['next_cursor']}")
    assert [a["id"] for a in first["items"]] + rest == [soon["id"], upcoming["id"], later["id"]]

    clock.advance(timedelta(hours=2))  # soon has ended: ended before the job settles it
    assert await ids(client, "status=ended") == [soon["id"]]
    assert await settle(app) == 1
    assert await ids(client, "status=ended") == [soon["id"]]
    assert (await client.get("/api/v1/auctions?status=over")).status_code == 422
    assert (await client.get("/api/v1/auctions?cursor=nope")).status_code == 422

"""Watchlists and price alerts through the API and the job: once per crossing, delivered as a
notification, fired once by two workers at once; other users' ids are 404; limits and dust."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from ece.portfolio import jobs as portfolio_jobs
from ece.portfolio import service
from tests.builders import SignedInUser, sign_in
from tests.market.support import events, list_card, open_market, quick_card
from tests.notifications.support import notifications, relay


async def alert(
    client: httpx.AsyncClient, user: SignedInUser, expect: int = 201, **body: Any
) -> dict[str, Any]:
    response = await client.post("/api/v1/users/me/alerts", json=body, headers=user.headers)
    assert response.status_code == expect, response.text
    found: dict[str, Any] = response.json()
    return found


async def run_job(app: FastAPI) -> int:
    return await portfolio_jobs.check_price_alerts(app.state.services)


async def fired(app: FastAPI) -> int:
    return len(await events(app, "price_alert.triggered"))


async def test_an_alert_fires_once_per_crossing_and_notifies_its_user(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me, seller = await sign_in(client), await sign_in(client)
    made = await alert(
        client, me, company_id=market.company_id, condition="floor_below", price="50",
        currency="USDC",
    )  # fmt: skip
    assert (made["armed"], made["fired_count"], made["price"]) == (True, 0, "50")
    assert await run_job(app) == 0  # nothing listed: no floor

    card = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card, "40")
    assert await run_job(app) == 1
    assert await run_job(app) == 0  # still below: not again
    assert await fired(app) == 1
    await relay(app)
    inbox = await notifications(client, me)
    (note,) = [n for n in inbox["items"] if n["type"] == "price_alert"]
    assert (note["data"]["price"], note["data"]["floor"], note["data"]["company_id"]) == (
        "50",
        "40",
        market.company_id,
    )
    assert not [
        n for n in (await notifications(client, seller))["items"] if n["type"] == "price_alert"
    ]

    # The floor crosses back (50 is not below 50), then below again: a second firing.
    changed = await client.patch(
        f"/api/v1/listings/{listing['id']}", json={"price": "50"}, headers=seller.headers
    )
    assert changed.status_code == 200, changed.text
    assert await run_job(app) == 0
    listed = (await client.get("/api/v1/users/me/alerts", headers=me.headers)).json()["items"]
    assert (listed[0]["armed"], listed[0]["fired_count"]) == (True, 1)
    await client.patch(
        f"/api/v1/listings/{listing['id']}", json={"price": "49.999999"}, headers=seller.headers
    )
    assert await run_job(app) == 1
    assert await fired(app) == 2


async def test_a_card_alert_watches_the_cards_own_listing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me, seller = await sign_in(client), await sign_in(client)
    card = await quick_card(app, market.company_id, seller.user["id"])
    other = await quick_card(app, market.company_id, seller.user["id"])
    await alert(client, me, card_id=card, condition="listed_below", price="10", currency="USDC")
    await list_card(client, seller, other, "1")  # another card's listing: not this alert
    assert await run_job(app) == 0
    await list_card(client, seller, card, "10")
    assert await run_job(app) == 1


async def test_two_workers_checking_at_once_fire_an_alert_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me, seller = await sign_in(client), await sign_in(client)
    for price in ("20", "30", "40"):
        await alert(
            client, me, company_id=market.company_id, condition="floor_below", price=price,
            currency="USDC",
        )  # fmt: skip
    await list_card(
        client, seller, await quick_card(app, market.company_id, seller.user["id"]), "5"
    )
    db = app.state.services.db
    results = await asyncio.gather(service.check_alerts(db), service.check_alerts(db))
    assert sum(results) == 3
    assert await fired(app) == 3


async def test_watchlist_add_list_and_remove(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    me = await sign_in(client)
    card = await quick_card(app, market.company_id, None)
    url = "/api/v1/users/me/watchlist"
    first = await client.post(url, json={"company_id": market.company_id}, headers=me.headers)
    assert first.status_code == 201, first.text
    again = await client.post(url, json={"company_id": market.company_id}, headers=me.headers)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert (await client.post(url, json={"card_id": card}, headers=me.headers)).status_code == 201
    items = (await client.get(url, headers=me.headers)).json()["items"]
    assert [(i["company_id"], i["card_id"]) for i in items] == [
        (market.company_id, None),
        (None, card),
    ]
    gone = await client.delete(f"{url}/{first.json()['id']}", headers=me.headers)
    assert gone.status_code == 204
    assert len((await client.get(url, headers=me.headers)).json()["items"]) == 1


async def test_other_users_items_and_alerts_are_404_and_untouched(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    owner, intruder = await sign_in(client), await sign_in(client)
    url = "/api/v1/users/me/watchlist"
    item = (
        await client.post(url, json={"company_id": market.company_id}, headers=owner.headers)
    ).json()
    made = await alert(
        client, owner, company_id=market.company_id, condition="floor_above", price="1",
        currency="USDC",
    )  # fmt: skip
    for path, code in ((f"{url}/{item['id']}", "watchlist_item_not_found"),
                       (f"/api/v1/users/me/alerts/{made['id']}", "alert_not_found")):  # fmt: skip
        refused = await client.delete(path, headers=intruder.headers)
        assert (refused.status_code, refused.json()["code"]) == (404, code)
        assert refused.headers["content-type"] == "application/problem+json"
    assert (await client.get(url, headers=intruder.headers)).json()["items"] == []
    assert (await client.get("/api/v1/users/me/alerts", headers=intruder.headers)).json() == {
        "items": []
    }
    assert len((await client.get(url, headers=owner.headers)).json()["items"]) == 1
    assert (
        len((await client.get("/api/v1/users/me/alerts", headers=owner.headers)).json()["items"])
        == 1
    )
    assert (await client.get("/api/v1/users/me/portfolio")).status_code == 401


async def test_bad_alerts_and_pages_are_refused_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me = await sign_in(client)
    base = {"company_id": market.company_id, "condition": "floor_below", "currency": "USDC"}
    for bad in (
        {**base, "price": "0"},
        {**base, "price": "0.0000001"},  # dust: finer than USDC's 6 decimals
        {**base, "price": "-1"},
        {**base, "price": "1e3"},
        {**base, "price": 5},
        {**base, "price": "1", "condition": "sometimes"},
        {**base, "price": "1", "card_id": "x"},  # both targets
        {"condition": "floor_below", "price": "1", "currency": "USDC"},  # no target
        {**base, "price": "1", "currency": "SOL"},
        {**base, "price": "1", "extra": True},
    ):
        refused = await alert(client, me, expect=422, **bad)
        assert refused["status"] == 422
    missing = await alert(client, me, expect=404, **{**base, "company_id": "nope", "price": "1"})
    assert missing["code"] == "company_not_found"
    unknown_card = await client.post(
        "/api/v1/users/me/watchlist", json={"card_id": "nope"}, headers=me.headers
    )
    assert (unknown_card.status_code, unknown_card.json()["code"]) == (404, "card_not_found")
    assert (await client.get("/api/v1/users/me/alerts", headers=me.headers)).json()["items"] == []

    for query in ("?limit=201", "?limit=0", "?cursor=zzz", "?currency=SOL"):
        page = await client.get(f"/api/v1/users/me/portfolio{query}", headers=me.headers)
        assert page.status_code == 422, query
    for year in ("1999", "2101", "x", ""):
        report = await client.get(
            f"/api/v1/users/me/tax-report.csv?year={year}", headers=me.headers
        )
        assert report.status_code == 422, year


async def test_at_most_50_alerts(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    me = await sign_in(client)
    body = {"company_id": market.company_id, "condition": "floor_above", "currency": "ECE"}
    for n in range(50):
        await alert(client, me, **body, price=str(n + 1))
    full = await alert(client, me, expect=409, **body, price="999")
    assert full["code"] == "alerts_full"

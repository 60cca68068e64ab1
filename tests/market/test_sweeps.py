"""Sweeps: many listings in one request, all or nothing, or as many as fit."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.builders import SignedInUser, sign_in
from tests.market.support import (
    Market,
    buyer,
    card_row,
    ledger_ok,
    list_card,
    open_market,
    quick_card,
    usdc,
    user_balance,
)


async def listed(
    app: FastAPI, client: httpx.AsyncClient, market: Market, seller: SignedInUser, *prices: str
) -> list[str]:
    ids = []
    for price in prices:
        card_id = await quick_card(app, market.company_id, seller.user["id"])
        ids.append((await list_card(client, seller, card_id, price))["id"])
    return ids


async def sweep(client: httpx.AsyncClient, who: SignedInUser, **body: Any) -> httpx.Response:
    body.setdefault("currency", "USDC")
    return await client.post("/api/v1/sweeps", json=body, headers=who.headers)


async def test_all_or_nothing_buys_every_listing(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    ids = await listed(app, client, market, seller, "5", "6", "7")
    alice = await buyer(client, app, "100")

    response = await sweep(client, alice, listing_ids=ids, max_total="18")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["skipped"]) == ("18", [])
    assert [t["price"] for t in body["trades"]] == ["5", "6", "7"]
    assert {t["source"] for t in body["trades"]} == {"sweep"}
    assert (await user_balance(app, alice.user["id"])).available == usdc("82")


async def test_all_or_nothing_refuses_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    ids = await listed(app, client, market, seller, "5", "6", "7")
    alice = await buyer(client, app, "100")
    await client.delete(f"/api/v1/listings/{ids[2]}", headers=seller.headers)

    gone = await sweep(client, alice, listing_ids=ids, max_total="100")
    over = await sweep(client, alice, listing_ids=ids[:2], max_total="10.99")

    assert (gone.status_code, gone.json()["code"]) == (409, "sweep_failed")
    assert gone.json()["skipped"] == [{"listing_id": ids[2], "reason": "listing_unavailable"}]
    assert over.json()["skipped"] == [{"listing_id": ids[1], "reason": "over_max_total"}]
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")
    for listing_id in ids[:2]:
        shown = (await client.get(f"/api/v1/listings/{listing_id}")).json()
        assert shown["status"] == "active"
        assert (await card_row(app, shown["card_id"])).owner_user_id == seller.user["id"]
    assert await ledger_ok(app)


async def test_best_effort_buys_what_it_can_and_says_why_not(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    alice = await buyer(client, app, "12")
    ids = await listed(app, client, market, seller, "5", "6", "4", "1")
    own = await listed(app, client, market, alice, "1")
    ece_card = await quick_card(app, market.company_id, seller.user["id"])
    ece = (await list_card(client, seller, ece_card, "1", "ECE"))["id"]
    await client.delete(f"/api/v1/listings/{ids[3]}", headers=seller.headers)

    response = await sweep(
        client,
        alice,
        listing_ids=[ids[0], ids[3], *own, ece, ids[1], ids[2], "missing"],
        max_total="100",
        mode="best_effort",
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert [t["price"] for t in body["trades"]] == ["5", "6"]
    assert body["skipped"] == [
        {"listing_id": ids[3], "reason": "listing_unavailable"},
        {"listing_id": own[0], "reason": "own_listing"},
        {"listing_id": ece, "reason": "currency_mismatch"},
        {"listing_id": ids[2], "reason": "insufficient_funds"},  # 12 - 5 - 6 = 1 left
        {"listing_id": "missing", "reason": "listing_not_found"},
    ]
    assert (await user_balance(app, alice.user["id"])).available == usdc("1")
    # The skipped buy left its listing and card exactly as they were.
    skipped = (await client.get(f"/api/v1/listings/{ids[2]}")).json()
    assert skipped["status"] == "active"
    assert (await card_row(app, skipped["card_id"])).lock_ref == ids[2]
    assert await ledger_ok(app)


async def test_a_company_sweep_takes_the_cheapest(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    await listed(app, client, market, seller, "9", "3", "5", "4")
    alice = await buyer(client, app, "100")

    cheapest = await sweep(client, alice, company_id=market.company_id, count=3, max_total="12")
    assert cheapest.status_code == 200, cheapest.text
    assert [t["price"] for t in cheapest.json()["trades"]] == ["3", "4", "5"]

    too_many = await sweep(client, alice, company_id=market.company_id, count=2, max_total="100")
    assert (too_many.status_code, too_many.json()["code"]) == (409, "sweep_failed")
    some = await sweep(
        client, alice, company_id=market.company_id, count=2, max_total="100", mode="best_effort"
    )
    assert [t["price"] for t in some.json()["trades"]] == ["9"]


async def test_bad_sweeps_are_422(app: FastAPI, client: httpx.AsyncClient) -> None:
    alice = await buyer(client, app, "100")
    for body in (
        {"max_total": "1"},
        {"listing_ids": [], "max_total": "1"},
        {"listing_ids": ["a"], "company_id": "b", "max_total": "1"},
        {"company_id": "b", "max_total": "1"},
        {"listing_ids": ["a"], "max_total": "1.0000001"},
        {"listing_ids": ["a"] * 51, "max_total": "1"},
        {"listing_ids": ["a"], "max_total": "1", "mode": "yolo"},
    ):
        response = await sweep(client, alice, **body)
        assert response.status_code == 422, (body, response.text)

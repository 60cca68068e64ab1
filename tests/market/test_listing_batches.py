"""Bulk listing: many cards listed, or many listings cancelled, in one request, each item by the
single listing's rules."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.config import Settings
from ece.market.models import Listing
from tests.builders import SignedInUser, api_client, served, sign_in
from tests.controls.support import pause, refused
from tests.market.support import Market, card_row, events, list_card, open_market, quick_card

BATCH = "/api/v1/listings/batch"
CANCEL = "/api/v1/listings/batch-cancel"


async def cards_of(app: FastAPI, market: Market, owner: SignedInUser, n: int) -> list[str]:
    return [await quick_card(app, market.company_id, owner.user["id"]) for _ in range(n)]


def items(card_ids: list[str], price: str = "10", **extra: Any) -> list[dict[str, Any]]:
    return [{"card_id": c, "price": price, "currency": "USDC", **extra} for c in card_ids]


async def post(
    client: httpx.AsyncClient, who: SignedInUser, url: str, key: str | None = None, **body: Any
) -> httpx.Response:
    headers = dict(who.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(url, json=body, headers=headers)


async def active_listings(app: FastAPI, card_id: str) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Listing)
            .where(Listing.card_id == card_id, Listing.status == "active")
        )
        return int(count or 0)


async def test_ten_cards_listed_in_one_call_and_cancelled_in_another(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_ids = await cards_of(app, market, seller, 10)

    response = await post(client, seller, BATCH, items=items(card_ids, "12.5"))

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["listed"], body["refused"], body["mode"]) == (10, 0, "all_or_nothing")
    assert [i["card_id"] for i in body["items"]] == card_ids
    assert [i["index"] for i in body["items"]] == list(range(10))
    assert all(i["ok"] and i["error"] is None for i in body["items"])
    listing_ids = [i["listing"]["id"] for i in body["items"]]
    for listing_id, card_id in zip(listing_ids, card_ids, strict=True):
        shown = (await client.get(f"/api/v1/listings/{listing_id}")).json()
        assert (shown["card_id"], shown["price"], shown["status"]) == (card_id, "12.5", "active")
        card = await card_row(app, card_id)
        assert (card.lock_kind, card.lock_ref) == ("listing", listing_id)
    created = {e.aggregate_id for e in await events(app, "listing.created")}
    assert set(listing_ids) <= created

    cancelled = await post(client, seller, CANCEL, listing_ids=listing_ids)

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["cancelled"], cancelled.json()["refused"]) == (10, 0)
    assert {i["listing"]["status"] for i in cancelled.json()["items"]} == {"cancelled"}
    for card_id in card_ids:
        assert (await card_row(app, card_id)).lock_kind is None
    # The cards are free again: they list once more.
    again = await post(client, seller, BATCH, items=items(card_ids[:2]))
    assert (again.status_code, again.json()["listed"]) == (200, 2)


async def test_another_users_card_refuses_the_whole_batch(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller, other = await sign_in(client), await sign_in(client)
    mine = await cards_of(app, market, seller, 3)
    theirs = await quick_card(app, market.company_id, other.user["id"])

    response = await post(client, seller, BATCH, items=items([*mine[:2], theirs, mine[2]]))

    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "batch_failed"
    assert [(f["index"], f["card_id"], f["code"]) for f in problem["failed"]] == [
        (2, theirs, "not_card_owner")
    ]
    for card_id in [*mine, theirs]:
        assert await active_listings(app, card_id) == 0
        assert (await card_row(app, card_id)).lock_kind is None
    assert (await card_row(app, theirs)).owner_user_id == other.user["id"]


async def test_best_effort_lists_the_rest_and_gives_each_refusals_code(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller, other = await sign_in(client), await sign_in(client)
    free = await cards_of(app, market, seller, 2)
    already = await quick_card(app, market.company_id, seller.user["id"])
    await list_card(client, seller, already, "5")
    theirs = await quick_card(app, market.company_id, other.user["id"])

    batch = items([free[0], theirs, already, "no-such-card", free[1]])
    response = await post(client, seller, BATCH, items=batch, mode="best_effort")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["listed"], body["refused"]) == (2, 3)
    outcome = [(i["card_id"], i["ok"], (i["error"] or {}).get("code")) for i in body["items"]]
    assert outcome == [
        (free[0], True, None),
        (theirs, False, "not_card_owner"),
        (already, False, "card_locked"),
        ("no-such-card", False, "card_not_found"),
        (free[1], True, None),
    ]
    assert [i["error"]["status"] for i in body["items"] if not i["ok"]] == [403, 409, 404]
    assert await active_listings(app, already) == 1  # the earlier listing is untouched
    assert await active_listings(app, theirs) == 0
    for card_id in free:
        assert await active_listings(app, card_id) == 1


async def test_replay_with_the_same_key_returns_the_first_answer(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_ids = await cards_of(app, market, seller, 3)

    first = await post(client, seller, BATCH, "bulk-1", items=items(card_ids))
    again = await post(client, seller, BATCH, "bulk-1", items=items(card_ids))
    changed = await post(client, seller, BATCH, "bulk-1", items=items(card_ids, "11"))

    assert first.status_code == again.status_code == 200, first.text
    assert again.json() == first.json()
    assert changed.status_code == 422 and changed.json()["code"] == "idempotency_key_reused"
    for card_id in card_ids:
        assert await active_listings(app, card_id) == 1

    listing_ids = [i["listing"]["id"] for i in first.json()["items"]]
    cancel_1 = await post(client, seller, CANCEL, "bulk-c", listing_ids=listing_ids)
    cancel_2 = await post(client, seller, CANCEL, "bulk-c", listing_ids=listing_ids)
    assert cancel_1.status_code == cancel_2.status_code == 200, cancel_1.text
    assert cancel_2.json() == cancel_1.json()
    assert cancel_1.json()["cancelled"] == 3


async def test_two_concurrent_batches_over_one_card_list_it_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    shared, a, b = await cards_of(app, market, seller, 3)

    responses = await asyncio.gather(
        post(client, seller, BATCH, "race-a", items=items([a, shared])),
        post(client, seller, BATCH, "race-b", items=items([b, shared])),
    )

    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(200, None): 1, (409, "batch_failed"): 1}, outcomes
    [lost] = [r for r in responses if r.status_code == 409]
    assert [(f["card_id"], f["code"]) for f in lost.json()["failed"]] == [(shared, "card_locked")]
    assert await active_listings(app, shared) == 1
    [won] = [r for r in responses if r.status_code == 200]
    own = a if won is responses[0] else b
    other = b if own == a else a
    assert await active_listings(app, own) == 1
    assert await active_listings(app, other) == 0  # all or nothing: the loser listed nothing


async def test_two_concurrent_best_effort_batches_list_the_shared_card_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_ids = await cards_of(app, market, seller, 4)

    responses = await asyncio.gather(
        post(client, seller, BATCH, "be-a", items=items(card_ids), mode="best_effort"),
        post(client, seller, BATCH, "be-b", items=items(card_ids[::-1]), mode="best_effort"),
    )

    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert sum(r.json()["listed"] for r in responses) == 4
    for card_id in card_ids:
        assert await active_listings(app, card_id) == 1


async def test_bad_batches_are_422_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    [card_id] = await cards_of(app, market, seller, 1)
    fine = items([card_id])[0]

    too_many = [{**fine, "card_id": f"c{n}"} for n in range(101)]
    bad = [
        await post(client, seller, BATCH, items=too_many),
        await post(client, seller, BATCH, items=[]),
        await post(client, seller, BATCH, items=[fine, fine]),  # one card twice
        await post(client, seller, BATCH, items=[{**fine, "price": "0"}]),
        await post(client, seller, BATCH, items=[{**fine, "price": "0.0000001"}]),  # 7 decimals
        await post(client, seller, BATCH, items=[{**fine, "price": "-1"}]),
        await post(client, seller, BATCH, items=[fine], mode="some"),
        await post(client, seller, CANCEL, listing_ids=[f"l{n}" for n in range(101)]),
        await post(client, seller, CANCEL, listing_ids=["x", "x"]),
        await post(client, seller, CANCEL, listing_ids=[]),
    ]

    assert [r.status_code for r in bad] == [422] * len(bad), [r.text for r in bad]
    assert await active_listings(app, card_id) == 0
    hundred = await cards_of(app, market, seller, 99)
    at_limit = await post(client, seller, BATCH, items=items([card_id, *hundred]))
    assert (at_limit.status_code, at_limit.json()["listed"]) == (200, 100), at_limit.text


async def test_expiry_rules_apply_per_item(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_ids = await cards_of(app, market, seller, 2)
    batch = items(card_ids)
    batch[1]["expires_at"] = "2020-01-01T00:00:00+00:00"  # in the past, as a single listing

    single = await client.post("/api/v1/listings", json=batch[1], headers=seller.headers)
    response = await post(client, seller, BATCH, items=batch)

    assert single.status_code == 422, single.text
    assert response.status_code == 409, response.text
    [failed] = response.json()["failed"]
    assert (failed["index"], failed["code"]) == (1, single.json()["code"])
    assert await active_listings(app, card_ids[0]) == 0


async def test_paused_trading_refuses_a_batch_but_not_a_batch_cancel(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_ids = await cards_of(app, market, seller, 3)
    listing = await list_card(client, seller, card_ids[0], "5")
    await pause(client, market.admin, "trading")

    response = await post(client, seller, BATCH, items=items(card_ids[1:]))
    cancelled = await post(client, seller, CANCEL, listing_ids=[listing["id"]])

    assert refused(response, "trading")
    for card_id in card_ids[1:]:
        assert await active_listings(app, card_id) == 0
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["items"][0]["listing"]["status"] == "cancelled"


async def test_batch_cancel_of_someone_elses_listing_cancels_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller, other = await sign_in(client), await sign_in(client)
    mine = [
        (await list_card(client, seller, c, "5"))["id"]
        for c in await cards_of(app, market, seller, 2)
    ]
    [their_card] = await cards_of(app, market, other, 1)
    theirs = (await list_card(client, other, their_card, "5"))["id"]

    response = await post(client, seller, CANCEL, listing_ids=[mine[0], theirs, mine[1]])
    best = await post(
        client, seller, CANCEL, listing_ids=[mine[0], theirs, "nope"], mode="best_effort"
    )

    assert response.status_code == 409, response.text
    assert [(f["index"], f["listing_id"], f["code"]) for f in response.json()["failed"]] == [
        (1, theirs, "not_listing_owner")
    ]
    assert best.status_code == 200, best.text
    codes = [(i["ok"], (i["error"] or {}).get("code")) for i in best.json()["items"]]
    assert codes == [(True, None), (False, "not_listing_owner"), (False, "listing_not_found")]
    assert (await client.get(f"/api/v1/listings/{theirs}")).json()["status"] == "active"
    assert (await client.get(f"/api/v1/listings/{mine[1]}")).json()["status"] == "active"
    assert (await client.get(f"/api/v1/listings/{mine[0]}")).json()["status"] == "cancelled"


async def test_unauthenticated_batch_is_401(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.post(BATCH, json={"items": []})
    assert response.status_code == 401


async def test_every_item_of_a_batch_counts_against_the_order_limit(settings: Settings) -> None:
    limited = settings.model_copy(update={"rate_limit_orders": "5/minute"})
    async with served(limited) as app, api_client(app) as client:
        market = await open_market(client, app)
        seller = await sign_in(client)
        card_ids = await cards_of(app, market, seller, 7)

        first = await post(client, seller, BATCH, items=items(card_ids[:4]))
        over = await post(client, seller, BATCH, items=items(card_ids[4:6]))
        single = await client.post(
            "/api/v1/listings", json=items(card_ids[4:5])[0], headers=seller.headers
        )
        after = await client.post(
            "/api/v1/listings", json=items(card_ids[5:6])[0], headers=seller.headers
        )

        assert (first.status_code, first.json()["listed"]) == (200, 4), first.text
        assert (over.status_code, over.json()["code"]) == (429, "rate_limited"), over.text
        assert single.status_code == 201, single.text  # the fifth order still fits
        assert after.status_code == 429
        assert await active_listings(app, card_ids[5]) == 0  # the refused batch listed nothing


async def test_a_batch_shows_on_the_cached_anonymous_listing_page_at_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_ids = await cards_of(app, market, seller, 3)
    page = f"/api/v1/listings?company={market.company_id}"
    assert (await client.get(page)).json()["items"] == []  # now cached

    listed = await post(client, seller, BATCH, items=items(card_ids))
    shown = (await client.get(page)).json()["items"]
    cancelled = await post(
        client, seller, CANCEL, listing_ids=[i["listing"]["id"] for i in listed.json()["items"]]
    )

    assert {i["card_id"] for i in shown} == set(card_ids)
    assert cancelled.status_code == 200
    assert (await client.get(page)).json()["items"] == []

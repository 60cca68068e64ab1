"""Every change of a listing's price is kept: in the activity feed (type ``price_change``, old
and new price, its own source with an exact cursor) and in the card page's history. A price
left as it was, or a change refused, keeps nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.core.clock import clock
from ece.market.models import ListingPriceChange
from tests.builders import sign_in
from tests.market.support import list_card, open_market, quick_card


async def _activity(client: httpx.AsyncClient, query: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/market/activity?{query}")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _changes(app: FastAPI) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(ListingPriceChange)) or 0)


async def _reprice(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], price: str
) -> httpx.Response:
    clock.advance(timedelta(seconds=5))
    return await client.patch(url, json={"price": price}, headers=headers)


def _history(html: str) -> list[tuple[str, str]]:
    """(event, price cell) of each row of the card page's history table, top to bottom."""
    table = html[html.index('data-testid="card-history"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr data-event="([^"]+)"><td>.*?</td>\s*<td>(.*?)</td>', table, re.S)
    return [(event, " ".join(price.split())) for event, price in rows]


async def test_every_price_change_shows_in_the_feed_and_the_card_history(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await sign_in(client)
    card, other = [await quick_card(app, market.company_id, alice.user["id"]) for _ in range(2)]
    listing = await list_card(client, alice, card, "10")
    url = f"/api/v1/listings/{listing['id']}"
    assert (await _reprice(client, url, alice.headers, "9.5")).status_code == 200
    assert (await _reprice(client, url, alice.headers, "12")).status_code == 200
    await list_card(client, alice, other, "3")  # another card: not in this card's history

    items = await _activity(client, f"card={card}")
    assert [(i["type"], i["old_price"], i["price"]) for i in items] == [
        ("price_change", "9.5", "12"),
        ("price_change", "10", "9.5"),
        ("listing", None, "10"),  # listed at 10, not at its current price
    ]
    change = items[0]
    assert change["ref"] == listing["id"] and change["subject"] == "listing"
    assert change["from_user_id"] == alice.user["id"]
    assert (change["card_id"], change["company_id"]) == (card, market.company_id)
    assert change["currency"] == "USDC"
    for query in (
        f"company={market.company_id}&type=price_change",
        f"user={alice.address}&type=price_change",
        f"user={alice.user['id']}&type=price_change",
    ):
        assert [i["price"] for i in await _activity(client, query)] == ["12", "9.5"]
    assert await _activity(client, f"user={(await sign_in(client)).address}") == []

    page = await client.get(f"/cards/{card}")
    assert page.status_code == 200
    assert _history(page.text) == [
        ("Price changed", "9.5 → 12 USDC"),
        ("Price changed", "10 → 9.5 USDC"),
        ("Listed", "10 USDC"),
    ]


async def test_the_feed_cursor_stays_exact_with_price_changes(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await sign_in(client)
    cards = [await quick_card(app, market.company_id, alice.user["id"]) for _ in range(3)]
    clock.freeze()  # several entries of several sources at one instant: ties broken exactly
    urls = []
    for card in cards:
        listing = await list_card(client, alice, card, "10")
        urls.append(f"/api/v1/listings/{listing['id']}")
    for n, url in enumerate(urls):
        for price in ("11", "12"):
            changed = await client.patch(url, json={"price": price}, headers=alice.headers)
            assert changed.status_code == 200, changed.text
        if n == 0:
            clock.advance(timedelta(seconds=1))
    assert (await client.delete(urls[2], headers=alice.headers)).status_code == 200

    everything = await _activity(client, "limit=100")
    kinds = sorted(i["type"] for i in everything)
    assert kinds == ["cancel"] + ["listing"] * 3 + ["price_change"] * 6
    for limit in (1, 2, 3):
        walked: list[tuple[str, str, str | None]] = []
        cursor = None
        while True:
            query = f"limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            response = await client.get(f"/api/v1/market/activity?{query}")
            page = response.json()
            walked += [(i["type"], i["ref"], i["old_price"]) for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert walked == [(i["type"], i["ref"], i["old_price"]) for i in everything]


async def test_an_unchanged_or_refused_price_keeps_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, mallory = await sign_in(client), await sign_in(client)
    card = await quick_card(app, market.company_id, alice.user["id"])
    private = await quick_card(app, market.company_id, alice.user["id"])
    listing = await list_card(client, alice, card, "10")
    url = f"/api/v1/listings/{listing['id']}"

    same = await _reprice(client, url, alice.headers, "10.000000")
    assert same.status_code == 200 and same.json()["price"] == "10"
    later = (clock.now() + timedelta(days=2)).isoformat()
    expiry_only = await client.patch(url, json={"expires_at": later}, headers=alice.headers)
    assert expiry_only.status_code == 200
    not_yours = await _reprice(client, url, mallory.headers, "1")
    assert (not_yours.status_code, not_yours.json()["code"]) == (403, "not_listing_owner")
    for bad in ("0", "-1", "0.0000001", "abc", "1e3"):
        refused = await _reprice(client, url, alice.headers, bad)
        assert refused.status_code == 422, (bad, refused.text)
    assert await _changes(app) == 0
    assert [i["type"] for i in await _activity(client, f"card={card}")] == ["listing"]

    # A private listing's change is kept but shown to no one, as the listing itself is not.
    hidden = await list_card(client, alice, private, "7", taker=mallory.address)
    priced = await _reprice(client, f"/api/v1/listings/{hidden['id']}", alice.headers, "6")
    assert priced.status_code == 200
    assert await _changes(app) == 1
    assert await _activity(client, f"card={private}") == []
    assert await _activity(client, "type=price_change") == []

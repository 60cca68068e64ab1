"""Preferences and the public profile: a showcase of cards you hold (up to 6), stats and
recent sales, all hidden when you choose; the API and the /u/{address} page agree."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.builders import sign_in
from tests.market.support import buyer, open_market, quick_card
from tests.portfolio.support import buy

PREFS = "/api/v1/users/me/preferences"


async def test_profile_shows_the_showcase_stats_and_sales_unless_hidden(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me, stranger = await sign_in(client), await buyer(client, app, "100")
    mine = [await quick_card(app, market.company_id, me.user["id"]) for _ in range(3)]
    theirs = await quick_card(app, market.company_id, stranger.user["id"])
    await buy(client, stranger, me, mine[2], "12.5")

    assert (await client.get(PREFS, headers=me.headers)).json() == {
        "display_currency": "USDC", "theme": "system", "hide_collection": False, "showcase": [],
    }  # fmt: skip
    chosen = {"display_currency": "ECE", "theme": "dark", "showcase": [mine[1], mine[0]]}
    saved = await client.put(PREFS, json=chosen, headers=me.headers)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {**chosen, "hide_collection": False}

    profile = (await client.get(f"/api/v1/users/{me.address}/profile")).json()
    assert [c["id"] for c in profile["showcase"]] == [mine[1], mine[0]]
    assert (profile["cards"], profile["companies"], profile["sales"]) == (2, 1, 1)
    assert [(s["card_id"], s["price"]) for s in profile["recent_sales"]] == [(mine[2], "12.5")]
    page = await client.get(f"/u/{me.address}")
    assert page.status_code == 200 and mine[1] in page.text and "12.5 USDC" in page.text

    for bad in (
        {"showcase": [theirs]},  # not mine
        {"showcase": [mine[2]]},  # sold
        {"showcase": [mine[0], mine[0]]},
        {"showcase": ["x"] * 7},
        {"theme": "neon"},
        {"display_currency": "SOL"},
        {"hide_collection": "maybe"},
        {"extra": 1},
    ):
        refused = await client.put(PREFS, json=bad, headers=me.headers)
        assert refused.status_code == 422, bad
    assert (await client.get(PREFS, headers=me.headers)).json()["showcase"] == [mine[1], mine[0]]

    hidden = await client.put(PREFS, json={"hide_collection": True}, headers=me.headers)
    assert hidden.status_code == 200
    profile = (await client.get(f"/api/v1/users/{me.address}/profile")).json()
    assert profile["hidden"] is True
    assert (profile["showcase"], profile["cards"], profile["recent_sales"]) == ([], None, [])
    page = await client.get(f"/u/{me.address}")
    assert 'data-testid="profile-hidden"' in page.text and mine[1] not in page.text

    # One character changed (never to itself: the address may already end in "X").
    last = "Y" if stranger.address.endswith("X") else "X"
    unknown = await client.get(f"/api/v1/users/{stranger.address[:-1]}{last}/profile")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "user_not_found")
    assert (await client.get("/api/v1/users/short/profile")).status_code == 422
    assert (await client.get(PREFS)).status_code == 401

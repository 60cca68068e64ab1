"""The collection page renders the portfolio's totals, the CSV links, the watchlist and the
alerts from the server, is in the signed-in nav, and asks anyone else to sign in; "My cards"
values every card held, not only the 200 tiles it shows."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from tests.builders import sign_in
from tests.market.support import list_card, open_market, quick_card
from tests.portfolio.support import bought_card


async def page(client: httpx.AsyncClient, path: str, token: str | None = None) -> str:
    client.cookies.clear()
    if token:
        client.cookies.set("ece_session", token)
    response = await client.get(path)
    client.cookies.clear()
    assert response.status_code == 200, response.text
    return response.text


async def test_collection_page_shows_pnl_watchlist_and_alerts(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me, other = await sign_in(client), await sign_in(client)
    for _ in range(3):
        await bought_card(app, market.company_id, me.user["id"], "4")
    await list_card(client, other, await quick_card(app, market.company_id, other.user["id"]), "10")
    await client.post(
        "/api/v1/users/me/watchlist", json={"company_id": market.company_id}, headers=me.headers
    )
    made = await client.post(
        "/api/v1/users/me/alerts",
        json={"company_id": market.company_id, "condition": "floor_below", "price": "7.5",
              "currency": "USDC"},
        headers=me.headers,
    )  # fmt: skip
    assert made.status_code == 201

    html = await page(client, "/collection", me.token)
    assert 'href="/collection" aria-current="page"' in html
    usdc_row = re.search(r'<tr data-currency="USDC">(.*?)</tr>', html, re.S)
    assert usdc_row is not None
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', usdc_row.group(1))
    assert cells == ["12", "30", "18", "0", "3"]
    assert "/api/v1/users/me/tax-report.csv?year=" in html
    assert "floor below 7.5 USDC" in html
    assert f"/companies/{market.company_id}" in html
    assert "No USDC sales of your companies" in html  # no candle yet: no chart to draw

    signed_out = await page(client, "/collection")
    assert 'href="/collection"' not in signed_out and "Sign in" in signed_out


async def test_my_cards_values_every_card_held(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    me, other = await sign_in(client), await sign_in(client)
    for _ in range(203):
        await bought_card(app, market.company_id, me.user["id"], "1")
    await list_card(client, other, await quick_card(app, market.company_id, other.user["id"]), "2")
    html = await page(client, "/portfolio", me.token)
    assert '<dd data-testid="card-count">203</dd>' in html
    assert re.search(r'data-testid="value-at-floor">[^<]*406 USDC', html), html

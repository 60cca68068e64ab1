"""A private listing exists only for its seller and its taker: every read path hides it from
everyone else, anonymous or signed in, as if it had never been made."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from sqlalchemy import func, select

from ece.auth.deps import SESSION_COOKIE
from ece.chain.tokens.spl import TOKEN_PROGRAM_ID as TOKEN_PROGRAM
from ece.market.models import Listing
from tests.builders import sign_in
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.trades.support import owner_of

PRIVATE_PRICE = "7.77"


async def test_a_private_listing_answers_404_to_anyone_but_its_seller_and_taker(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller, taker, stranger = (
        await sign_in(client),
        await buyer(client, app),
        await buyer(client, app),
    )
    card = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card, PRIVATE_PRICE, taker=taker.address)
    url = f"/api/v1/listings/{listing['id']}"
    missing = await client.get("/api/v1/listings/" + "0" * 32)
    assert (missing.status_code, missing.json()["code"]) == (404, "listing_not_found")

    for headers in ({}, stranger.headers):
        read = await client.get(url, headers=headers)
        assert (read.status_code, read.json()["code"]) == (404, "listing_not_found"), headers
        assert PRIVATE_PRICE not in read.text
    for user in (seller, taker):
        read = await client.get(url, headers=user.headers)
        assert read.status_code == 200 and read.json()["price"] == PRIVATE_PRICE

    # Writing to it tells a stranger no more than reading it.
    for method, path, body in (
        ("PATCH", url, {"price": "1"}),
        ("DELETE", url, None),
        ("POST", f"{url}/buy", {}),
    ):
        answer = await client.request(method, path, json=body, headers=stranger.headers)
        assert (answer.status_code, answer.json()["code"]) == (404, "listing_not_found"), path
    still = await client.get(url, headers=seller.headers)
    assert (still.json()["status"], still.json()["price"]) == ("active", PRIVATE_PRICE)
    assert (await client.post(f"{url}/buy", json={}, headers=taker.headers)).status_code == 201


async def test_a_private_listing_shows_in_no_public_feed_page_floor_or_catalog(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller, taker = await sign_in(client), await sign_in(client)
    hidden = await quick_card(app, market.company_id, seller.user["id"])
    shown = await quick_card(app, market.company_id, seller.user["id"])
    private = await list_card(client, seller, hidden, PRIVATE_PRICE, taker=taker.address)
    public = await list_card(client, seller, shown, "20")
    cancelled = await list_card(
        client, seller, await quick_card(app, market.company_id, seller.user["id"]), "3",
        taker=taker.address,
    )  # fmt: skip
    gone = await client.delete(f"/api/v1/listings/{cancelled['id']}", headers=seller.headers)
    assert gone.status_code == 200, gone.text

    # Activity: neither the private listing nor its cancellation.
    feed = (await client.get("/api/v1/market/activity")).json()["items"]
    assert [(i["type"], i["ref"]) for i in feed] == [("listing", public["id"])]
    by_card = (await client.get(f"/api/v1/market/activity?card={hidden}")).json()["items"]
    assert by_card == []

    # Market data: no floor, no listed count.
    stats = (await client.get(f"/api/v1/market/companies/{market.company_id}/stats")).json()
    assert (stats["floor"], stats["listed_count"]) == ({"USDC": "20"}, 1)

    # The catalog does not sort by (or show) its price: the public listing comes first.
    catalog = await client.get(f"/api/v1/cards?company={market.company_id}&sort=price_asc")
    assert [c["id"] for c in catalog.json()["items"]][:1] == [shown]

    # Web pages: the card page and the company's tiles show no price to others...
    for page in (f"/cards/{hidden}", f"/companies/{market.company['ticker']}", "/explore"):
        html = await client.get(page)
        assert html.status_code == 200, page
        assert PRIVATE_PRICE not in html.text and private["id"] not in html.text, page
    # ...while its taker sees it, with a buy button.
    client.cookies.set(SESSION_COOKIE, taker.token)
    mine = await client.get(f"/cards/{hidden}")
    client.cookies.clear()
    assert PRIVATE_PRICE in mine.text and private["id"] in mine.text


async def test_a_taker_nobody_can_sign_in_as_is_refused_and_the_card_stays_free(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card = await quick_card(app, market.company_id, seller.user["id"])
    pda, _ = Pubkey.find_program_address([b"escrow"], TOKEN_PROGRAM)
    for taker in (
        "11111111111111111111111111111111",  # the System Program (on the curve, no key)
        str(TOKEN_PROGRAM),
        "SysvarC1ock11111111111111111111111111111111",
        str(pda),  # off-curve: only its program could sign
    ):
        refused = await client.post(
            "/api/v1/listings",
            json={"card_id": card, "price": "1", "currency": "USDC", "taker": taker},
            headers=seller.headers,
        )
        assert (refused.status_code, refused.json().get("code")) == (422, "invalid_taker"), taker
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert await owner_of(app, card) == (seller.user["id"], None)
    async with app.state.services.db.unit_of_work(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Listing)) == 0
    # A wallet that has not signed in yet is still a fine taker.
    wallet = str(Keypair().pubkey())
    assert (await list_card(client, seller, card, "1", taker=wallet))["taker"] == wallet

"""The catalog: filters, sorts, search and keyset cursors, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from ece.cards import service
from ece.cards.models import Card, LockKind
from ece.cards.service import CardOwner, Price
from ece.core.clock import clock
from ece.core.money import Asset
from tests.builders import SignedInUser, make_admin, sign_in
from tests.cards.cards_builders import STATS, card_body, make_company

# name, ticker, rarity, power
CARDS = [
    ("Acme Founders", "ACME", "legendary", 90),
    ("Acme Launch", "ACME", "common", 20),
    ("Acme Orbit", "ACME", "rare", 55),
    ("Helix Genome", "HELX", "epic", 70),
    ("Helix Trial", "HELX", "common", 35),
    ("Nordwind Turbine", "NRDW", "rare", 55),
    ("Nordwind Grid", "NRDW", "common", 10),
    ("Launch Party", "NRDW", "common", 80),
]


@dataclass
class Market:
    admin: SignedInUser
    alice: SignedInUser
    companies: dict[str, dict[str, Any]]
    ids: dict[str, str]  # card name -> id


async def make_market(app: FastAPI, client: httpx.AsyncClient) -> Market:
    admin = await make_admin(client, app)
    alice = await sign_in(client)
    companies = {
        "ACME": await make_company(client, admin),
        "HELX": await make_company(
            client, admin, ticker="HELX", name="Helix Biotherapeutics", sector="Biotech"
        ),
        "NRDW": await make_company(
            client, admin, ticker="NRDW", name="Nordwind Energy", sector="Energy"
        ),
    }
    bodies = [
        card_body(
            companies[ticker]["id"],
            name=name,
            rarity=rarity,
            attributes={**STATS, "power": power},
            # Alice owns the Acme cards; the rest stay with their issuers.
            owner_id=alice.user["id"] if ticker == "ACME" else None,
        )
        for name, ticker, rarity, power in CARDS
    ]
    response = await client.post(
        "/api/v1/cards/batch", json={"cards": bodies}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    ids = {card["name"]: card["id"] for card in response.json()["items"]}
    return Market(admin, alice, companies, ids)


async def names(client: httpx.AsyncClient, **params: Any) -> set[str]:
    response = await client.get("/api/v1/cards", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return {card["name"] for card in response.json()["items"]}


async def walk(client: httpx.AsyncClient, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Every page of a listing, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/api/v1/cards", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_search_matches_word_starts_in_card_company_ticker_and_sector(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await make_market(app, client)
    acme = {"Acme Founders", "Acme Launch", "Acme Orbit"}
    helix = {"Helix Genome", "Helix Trial"}
    nordwind = {"Nordwind Turbine", "Nordwind Grid", "Launch Party"}
    assert await names(client, q="acm") == acme  # prefix of the card and company name
    assert await names(client, q="ROCKETS") == acme  # company name, any case
    assert await names(client, q="helx") == helix  # ticker
    assert await names(client, q="bio") == helix  # sector (and company name)
    assert await names(client, q="energy") == nordwind
    assert await names(client, q="launch") == {"Acme Launch", "Launch Party"}
    assert await names(client, q="acme launch") == {"Acme Launch"}  # every word must match
    assert await names(client, q="nord, grid!") == {"Nordwind Grid"}
    assert await names(client, q="xyz") == set()
    # Query syntax of either engine is just punctuation here: no error, no match.
    assert await names(client, q='"*) OR NEAR(acme') == set()
    assert await names(client, q="'&|!:*") == set()
    # Search combines with filters.
    assert await names(client, q="launch", rarity="common", company="NRDW") == {"Launch Party"}


async def test_filters(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await make_market(app, client)
    acme = {"Acme Founders", "Acme Launch", "Acme Orbit"}
    assert await names(client, company="ACME") == acme
    assert await names(client, company="acme") == acme
    assert await names(client, company=market.companies["ACME"]["id"]) == acme
    assert await names(client, company="NOPE") == set()
    assert await names(client, rarity="common") == {
        "Acme Launch",
        "Helix Trial",
        "Nordwind Grid",
        "Launch Party",
    }
    assert await names(client, owner=market.alice.address) == acme
    assert await names(client, owner=market.alice.user["id"]) == acme
    assert await names(client, min_power=70) == {"Acme Founders", "Helix Genome", "Launch Party"}
    assert (await client.get("/api/v1/users/me/cards")).status_code == 401
    mine = await client.get(
        "/api/v1/users/me/cards", params={"sort": "power"}, headers=market.alice.headers
    )
    assert [c["name"] for c in mine.json()["items"]] == [
        "Acme Founders",
        "Acme Orbit",
        "Acme Launch",
    ]

    async with app.state.services.db.unit_of_work() as session:
        await service.lock_card(
            session,
            market.ids["Acme Orbit"],
            CardOwner.user(market.alice.user["id"]),
            LockKind.listing,
            "listing-1",
        )
    assert await names(client, status="listed") == {"Acme Orbit"}
    assert "Acme Orbit" not in await names(client, status="available")
    assert len(await names(client, status="available")) == len(CARDS) - 1
    assert await names(client, status="in_auction") == set()

    for bad in [{"rarity": "mythic"}, {"min_power": 101}, {"sort": "cheapest"}, {"cursor": "!!"}]:
        response = await client.get("/api/v1/cards", params=bad)
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == "application/problem+json"


async def set_list_prices(app: FastAPI, prices: dict[str, int]) -> None:
    # The marketplace maintains list_price; this stands in for it.
    async with app.state.services.db.unit_of_work() as session:
        for card_id, price in prices.items():
            await session.execute(
                update(Card).where(Card.id == card_id).values(list_price=price, list_asset="USDC")
            )


async def sell(app: FastAPI, market: Market, name: str, buyer: SignedInUser) -> None:
    async with app.state.services.db.unit_of_work() as session:
        card = await service.get_card(session, market.ids[name])
        await service.transfer_card(
            session,
            card.id,
            CardOwner.of(card),
            CardOwner.user(buyer.user["id"]),
            "sale",
            f"sale-{name}",
            price=Price(1_000_000, Asset.USDC),
        )


@pytest.mark.parametrize("limit", [1, 3, 200])
async def test_every_sort_pages_through_all_cards_in_order(
    app: FastAPI, client: httpx.AsyncClient, limit: int
) -> None:
    market = await make_market(app, client)
    ids = market.ids
    await set_list_prices(
        app, {ids["Acme Launch"]: 5, ids["Helix Genome"]: 5, ids["Nordwind Grid"]: 1}
    )
    bob = await sign_in(client)
    await sell(app, market, "Acme Orbit", bob)
    clock.advance(timedelta(minutes=1))
    await sell(app, market, "Helix Trial", bob)

    everything = await walk(client, 200)
    by_id = sorted(c["id"] for c in everything)
    assert len(by_id) == len(CARDS)

    def ordered(*first: str) -> list[str]:
        head = [ids[name] for name in first]
        return head + [i for i in by_id if i not in head]

    newest = sorted(everything, key=lambda c: (c["created_at"], c["id"]), reverse=True)
    power = sorted(everything, key=lambda c: (-c["attributes"]["power"], c["id"]))
    tied = sorted([ids["Acme Launch"], ids["Helix Genome"]])
    expected = {
        "newest": [c["id"] for c in newest],
        "power": [c["id"] for c in power],
        "price_asc": [ids["Nordwind Grid"], *tied]
        + [i for i in by_id if i not in {ids["Nordwind Grid"], *tied}],
        "price_desc": [*tied, ids["Nordwind Grid"]]
        + [i for i in by_id if i not in {ids["Nordwind Grid"], *tied}],
        "last_sale": ordered("Helix Trial", "Acme Orbit"),
    }
    for sort, order in expected.items():
        got = [c["id"] for c in await walk(client, limit, sort=sort)]
        assert got == order, sort


async def test_a_cursor_stays_valid_when_cards_are_added(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await make_market(app, client)
    first = (await client.get("/api/v1/cards", params={"limit": 3})).json()
    clock.advance(timedelta(seconds=1))
    new = await client.post(
        "/api/v1/cards",
        json=card_body(market.companies["ACME"]["id"], name="Acme Newest"),
        headers=market.admin.headers,
    )
    assert new.status_code == 201
    rest = await walk(client, 3, cursor=first["next_cursor"])
    seen = [c["id"] for c in first["items"]] + [c["id"] for c in rest]
    assert len(seen) == len(set(seen)) == len(CARDS)  # no repeats, the newcomer is before page 1
    assert new.json()["id"] not in seen


async def test_search_follows_a_company_rename(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await make_market(app, client)
    renamed = await client.patch(
        "/api/v1/companies/NRDW", json={"name": "Zephyr Power"}, headers=market.admin.headers
    )
    assert renamed.status_code == 200
    assert await names(client, q="zephyr") == {"Nordwind Turbine", "Nordwind Grid", "Launch Party"}
    assert await names(client, q="nordwind") == {"Nordwind Turbine", "Nordwind Grid"}

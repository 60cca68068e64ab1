"""Builders for portfolio tests: a user's card with a bought history, fast; the API reads."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from fastapi import FastAPI

from ece.cards.models import Card
from ece.cards.repository import history_event
from ece.cards.service import CardEventKind, CardOwner, Price
from ece.core.money import Asset, parse_amount
from tests.builders import SignedInUser
from tests.market.support import list_card, quick_card


async def bought_card(
    app: FastAPI, company_id: str, user_id: str, price: str, name: str | None = None
) -> str:
    """A card the user holds with a history that says it was bought from the issuer at
    ``price`` USDC (no settlement run: for tests that need hundreds of cards)."""
    card_id = await quick_card(app, company_id, None)
    async with app.state.services.db.unit_of_work() as session:
        card = await session.get(Card, card_id)
        assert card is not None
        card.owner_company_id, card.owner_user_id = None, user_id
        if name is not None:
            card.name = name
        session.add(
            history_event(
                card_id,
                CardEventKind.sale,
                "listing",
                f"test-{card_id}",
                source=CardOwner.issuer(company_id),
                target=CardOwner.user(user_id),
                price=Price(parse_amount(price, Asset.USDC), Asset.USDC),
            )
        )
    return card_id


async def buy(
    client: httpx.AsyncClient, buyer: SignedInUser, seller: SignedInUser, card_id: str, price: str
) -> None:
    listing = await list_card(client, seller, card_id, price)
    bought = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=buyer.headers, json={}
    )
    assert bought.status_code == 201, bought.text


async def portfolio(
    client: httpx.AsyncClient, user: SignedInUser, query: str = ""
) -> dict[str, Any]:
    response = await client.get(f"/api/v1/users/me/portfolio{query}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def csv_rows(client: httpx.AsyncClient, user: SignedInUser, path: str) -> list[list[str]]:
    response = await client.get(f"/api/v1/users/me/{path}", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))

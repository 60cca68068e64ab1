"""Plain builders for trade-offer tests (companies, cards and funding come from the market's)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.cards.models import Card, CardEvent
from ece.core.money import Asset, parse_amount
from ece.ledger.models import OwnerType
from ece.trades.models import TradeOffer
from tests.builders import SignedInUser
from tests.market.support import account_total


def ece(text: str) -> int:
    return parse_amount(text, Asset.ECE, allow_zero=True)


async def offer(
    client: httpx.AsyncClient,
    maker: SignedInUser,
    to: str,
    give: dict[str, Any] | None = None,
    want: dict[str, Any] | None = None,
    *,
    expect: int = 201,
    **extra: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/trades",
        json={"to": to, "give": give or {}, "want": want or {}, **extra},
        headers=maker.headers,
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def act(
    client: httpx.AsyncClient, user: SignedInUser, offer_id: str, action: str, **kwargs: Any
) -> httpx.Response:
    headers = {**user.headers, **kwargs.pop("headers", {})}
    return await client.post(f"/api/v1/trades/{offer_id}/{action}", headers=headers, **kwargs)


async def owner_of(app: FastAPI, card_id: str) -> tuple[str | None, str | None]:
    """(owner user id, lock kind) of a card."""
    async with app.state.services.db.unit_of_work(write=False) as session:
        card = await session.get(Card, card_id)
        assert card is not None
        return card.owner_user_id, card.lock_kind


async def trade_history(app: FastAPI, card_id: str) -> list[tuple[str, str]]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        rows = await session.execute(
            select(CardEvent.kind, CardEvent.reason)
            .where(CardEvent.card_id == card_id)
            .order_by(CardEvent.id)
        )
        return [(row.kind, row.reason) for row in rows]


async def offer_count(app: FastAPI) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(TradeOffer)) or 0)


async def royalties(app: FastAPI, company_id: str, asset: Asset = Asset.USDC) -> int:
    """What a company's royalty account has earned in ``asset``."""
    return await account_total(app, OwnerType.company, company_id, asset, "royalties")

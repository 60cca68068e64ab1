"""Plain builders for battle tests: two companies, cards, funded and seasoned users, a battle
through the API, the settlement job."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from ece.auth.models import User
from ece.battles import service as battles
from ece.core.clock import clock, utcnow
from ece.core.money import Asset, parse_amount
from ece.settlement.models import Sale
from tests.builders import SignedInUser, make_admin, sign_in
from tests.cards.cards_builders import make_company
from tests.market.support import fund, quick_card

_serial = itertools.count()
ENROL = timedelta(minutes=5)
VOTE = timedelta(minutes=10)


def ece(text: str) -> int:
    return parse_amount(text, Asset.ECE, allow_zero=True)


@dataclass
class Arena:
    admin: SignedInUser
    acquirer: str  # company ids
    target: str


async def arena(client: httpx.AsyncClient, app: FastAPI) -> Arena:
    admin = await make_admin(client, app)
    n = next(_serial)
    acquirer = await make_company(client, admin, ticker=f"ACQ{n}", name=f"Acquirer {n}")
    target = await make_company(client, admin, ticker=f"TGT{n}", name=f"Target {n}")
    return Arena(admin, str(acquirer["id"]), str(target["id"]))


async def open_battle(
    client: httpx.AsyncClient, a: Arena, *, entry_fee: str = "10", **terms: Any
) -> dict[str, Any]:
    now = utcnow()
    body = {
        "title": "Hostile takeover",
        "acquirer_company_id": a.acquirer,
        "target_company_id": a.target,
        "entry_fee": entry_fee,
        "enrol_until": (now + ENROL).isoformat(),
        "vote_until": (now + ENROL + VOTE).isoformat(),
        "max_cards_per_user": 5,
        **terms,
    }
    response = await client.post("/api/v1/battles", json=body, headers=a.admin.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def seasoned(app: FastAPI, user_id: str, company_id: str, card_id: str) -> None:
    """An account 30 days old with one past purchase: its votes carry weight."""
    async with app.state.services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == user_id).values(created_at=utcnow() - timedelta(days=30))
        )
        session.add(
            Sale(
                card_id=card_id,
                company_id=company_id,
                seller_kind="issuer",
                seller_id=company_id,
                buyer_user_id=user_id,
                price=1_000_000,
                currency="USDC",
                fee=0,
                royalty=0,
                source="listing",
                ref=f"test-{next(_serial)}",
                executed_at=utcnow() - timedelta(days=20),
            )
        )


async def player(
    client: httpx.AsyncClient,
    app: FastAPI,
    company_id: str,
    *,
    cards: int = 1,
    ece_amount: str = "100",
    power: int = 50,
    rarity: str = "rare",
    season: bool = True,
) -> tuple[SignedInUser, list[str]]:
    """A signed-in user holding ``cards`` cards of ``company_id`` and ``ece_amount`` ECE."""
    user = await sign_in(client)
    uid = user.user["id"]
    ids = [await quick_card(app, company_id, uid, power=power, rarity=rarity) for _ in range(cards)]
    if ece_amount != "0":
        await fund(app, uid, ece_amount, Asset.ECE)
    if season:
        await seasoned(app, uid, company_id, ids[0])
    return user, ids


async def enter(
    client: httpx.AsyncClient,
    user: SignedInUser,
    battle_id: str,
    side: str,
    card_ids: list[str],
    **headers: str,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/battles/{battle_id}/enter",
        json={"side": side, "card_ids": card_ids},
        headers={**user.headers, **headers},
    )


async def vote(
    client: httpx.AsyncClient, user: SignedInUser, battle_id: str, side: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/battles/{battle_id}/vote", json={"side": side}, headers=user.headers
    )


async def shown(client: httpx.AsyncClient, battle_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/battles/{battle_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def to_voting() -> None:
    clock.advance(ENROL + timedelta(seconds=1))


def past_voting() -> None:
    clock.advance(VOTE + timedelta(seconds=1))


async def settle(app: FastAPI) -> int:
    return await battles.settle_due(app.state.services.db)

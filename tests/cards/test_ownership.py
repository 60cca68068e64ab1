"""One owner, at most one lock, immutable history: the service other domains call."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ece.cards import service
from ece.cards.models import LockKind
from ece.cards.service import CardOwner, Price
from ece.core.errors import DomainError
from ece.core.money import Asset
from tests.builders import SignedInUser, make_admin, sign_in
from tests.cards.cards_builders import make_company, mint


async def owned_card(
    app: FastAPI, client: httpx.AsyncClient
) -> tuple[dict[str, Any], SignedInUser, SignedInUser]:
    admin = await make_admin(client, app)
    alice = await sign_in(client)
    company = await make_company(client, admin)
    card = await mint(client, admin, company["id"], owner_id=alice.user["id"])
    return card, alice, admin


async def lock(app: FastAPI, card_id: str, owner: CardOwner, kind: LockKind, ref: str) -> Any:
    async with app.state.services.db.unit_of_work() as session:
        return await service.lock_card(session, card_id, owner, kind, ref)


async def error_of(coro: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await coro
    return caught.value


async def status_of(client: httpx.AsyncClient, card_id: str) -> str:
    status: str = (await client.get(f"/api/v1/cards/{card_id}")).json()["status"]
    return status


async def test_a_locked_card_cannot_be_locked_again(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    card, alice, _ = await owned_card(app, client)
    owner = CardOwner.user(alice.user["id"])
    await lock(app, card["id"], owner, LockKind.listing, "listing-1")
    assert await status_of(client, card["id"]) == "listed"

    again = await error_of(lock(app, card["id"], owner, LockKind.withdrawal, "wd-1"))
    assert (again.status, again.instance_code) == (409, "card_locked")

    async with app.state.services.db.unit_of_work() as session:
        wrong = await error_of(
            service.unlock_card(session, card["id"], LockKind.listing, "listing-2")
        )
    assert wrong.instance_code == "lock_not_held"
    async with app.state.services.db.unit_of_work() as session:
        await service.unlock_card(session, card["id"], LockKind.listing, "listing-1")
    assert await status_of(client, card["id"]) == "available"
    await lock(app, card["id"], owner, LockKind.battle, "battle-1")
    assert await status_of(client, card["id"]) == "in_battle"


async def test_only_the_owner_can_lock(app: FastAPI, client: httpx.AsyncClient) -> None:
    card, _, admin = await owned_card(app, client)
    stranger = CardOwner.user(admin.user["id"])
    refused = await error_of(lock(app, card["id"], stranger, LockKind.listing, "l-1"))
    assert (refused.status, refused.instance_code) == (403, "not_card_owner")
    missing = await error_of(lock(app, "0" * 32, stranger, LockKind.listing, "l-1"))
    assert (missing.status, missing.instance_code) == (404, "card_not_found")


async def test_two_simultaneous_locks_one_wins_one_409(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    card, alice, _ = await owned_card(app, client)
    owner = CardOwner.user(alice.user["id"])
    results = await asyncio.gather(
        lock(app, card["id"], owner, LockKind.listing, "listing-1"),
        lock(app, card["id"], owner, LockKind.withdrawal, "withdrawal-1"),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    won = [r for r in results if not isinstance(r, BaseException)]
    assert len(won) == 1, results
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert (errors[0].status, errors[0].instance_code) == (409, "card_locked")
    expected = "listed" if won[0].kind is LockKind.listing else "withdrawn"
    assert await status_of(client, card["id"]) == expected


async def test_sale_moves_the_locked_card_with_its_lock_and_records_the_price(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    card, alice, _ = await owned_card(app, client)
    bob = await sign_in(client)
    seller, buyer = CardOwner.user(alice.user["id"]), CardOwner.user(bob.user["id"])
    await lock(app, card["id"], seller, LockKind.listing, "listing-1")

    async with app.state.services.db.unit_of_work() as session:
        # Someone else's reference cannot move a card another lock holds.
        other = await error_of(
            service.transfer_card(session, card["id"], seller, buyer, "sale", "listing-2")
        )
    assert other.instance_code == "card_locked"

    async with app.state.services.db.unit_of_work() as session:
        await service.transfer_card(
            session,
            card["id"],
            seller,
            buyer,
            "sale",
            "listing-1",
            price=Price(12_500_000, Asset.USDC),
        )
    moved = (await client.get(f"/api/v1/cards/{card['id']}")).json()
    assert moved["owner"]["id"] == bob.user["id"]
    assert moved["status"] == "available"
    assert moved["last_sale"]["price"] == "12.5"
    assert moved["last_sale"]["currency"] == "USDC"

    # The old owner no longer owns it; the new one can list it.
    async with app.state.services.db.unit_of_work() as session:
        stale = await error_of(
            service.transfer_card(session, card["id"], seller, buyer, "gift", "x")
        )
    assert stale.instance_code == "not_card_owner"
    await lock(app, card["id"], buyer, LockKind.listing, "listing-3")

    history = (await client.get(f"/api/v1/cards/{card['id']}/history")).json()["items"]
    assert [e["kind"] for e in history] == ["mint", "sale"]
    sale = history[1]
    assert sale["from_owner"]["id"] == alice.user["id"]
    assert sale["to_owner"]["id"] == bob.user["id"]
    assert sale["price"] == {"price": "12.5", "currency": "USDC"}
    assert sale["ref"] == "listing-1"


async def test_history_rows_cannot_be_changed_or_deleted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    card, _, _ = await owned_card(app, client)
    for statement in ("UPDATE card_events SET reason = 'forged'", "DELETE FROM card_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with app.state.services.db.unit_of_work() as session:
                await session.execute(text(statement))
    history = (await client.get(f"/api/v1/cards/{card['id']}/history")).json()["items"]
    assert [e["reason"] for e in history] == ["mint"]


async def test_withdrawal_then_deposit(app: FastAPI, client: httpx.AsyncClient) -> None:
    card, alice, _ = await owned_card(app, client)
    carol = await sign_in(client)
    owner = CardOwner.user(alice.user["id"])
    await lock(app, card["id"], owner, LockKind.withdrawal, "wd-1")
    async with app.state.services.db.unit_of_work() as session:
        wrong = await error_of(service.mark_withdrawn(session, card["id"], "wd-2"))
    assert wrong.instance_code == "lock_not_held"
    async with app.state.services.db.unit_of_work() as session:
        await service.mark_withdrawn(session, card["id"], "wd-1")
    assert await status_of(client, card["id"]) == "withdrawn"

    # Off the platform: it can be neither locked nor traded.
    gone = await error_of(lock(app, card["id"], owner, LockKind.listing, "l-1"))
    assert (gone.status, gone.instance_code) == (409, "card_unavailable")
    withdrawn = (await client.get("/api/v1/cards", params={"status": "withdrawn"})).json()
    assert [c["id"] for c in withdrawn["items"]] == [card["id"]]

    # It comes back through someone else's deposit (it changed hands on chain).
    async with app.state.services.db.unit_of_work() as session:
        await service.mark_deposited(session, card["id"], carol.user["id"], "dep-1")
    back = (await client.get(f"/api/v1/cards/{card['id']}")).json()
    assert (back["status"], back["owner"]["id"]) == ("available", carol.user["id"])
    async with app.state.services.db.unit_of_work() as session:
        twice = await error_of(service.mark_deposited(session, card["id"], carol.user["id"], "d"))
    assert twice.instance_code == "card_not_withdrawn"
    history = (await client.get(f"/api/v1/cards/{card['id']}/history")).json()["items"]
    assert [e["kind"] for e in history] == ["mint", "withdraw", "deposit"]

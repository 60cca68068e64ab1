"""The SQL pre-filters of the card repository and the rules that explain refusals are the same
rule twice: on cards in every combination of owner, lock and withdrawal, each WHERE clause
selects exactly the cards its rule accepts."""

from __future__ import annotations

import itertools

from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import catalog_repository, repository, rules
from ece.cards.models import Card, Company
from ece.cards.rules import CardOwner, CardStatus, LockKind
from ece.core.clock import utcnow

LOCKS: list[tuple[LockKind | None, str | None]] = [
    (None, None),
    (LockKind.listing, "r1"),
    (LockKind.trade, "r2"),
    (LockKind.withdrawal, "r1"),
]


async def _every_kind_of_card(session: AsyncSession) -> tuple[list[Card], list[CardOwner]]:
    company = Company(
        name="Pin Co",
        ticker="PIN",
        sector="Test",
        country="US",
        website="https://pin.example",
        description="",
        royalty_bps=0,
        payout_address=str(Keypair().pubkey()),
        color="#123456",
    )
    users = [User(address=str(Keypair().pubkey()), roles=[]) for _ in range(2)]
    session.add_all([company, *users])
    await session.flush()
    owners = [
        CardOwner.user(users[0].id),
        CardOwner.user(users[1].id),
        CardOwner.issuer(company.id),
    ]
    cards = []
    combos = itertools.product(owners, LOCKS, [False, True])
    for n, (owner, (kind, ref), withdrawn) in enumerate(combos):
        cards.append(
            Card(
                company_id=company.id,
                name=f"Pin {n}",
                description="",
                rarity="common",
                serial_number=n + 1,
                edition_size=1000,
                power=n,
                valuation=0,
                growth=0,
                innovation=0,
                influence=0,
                mint=str(Keypair().pubkey()),
                mint_signature="test",
                metadata_cid="test",
                image_cid="test",
                search_text=f"Pin {n}",
                owner_user_id=owner.user_id,
                owner_company_id=owner.company_id,
                lock_kind=kind.value if kind else None,
                lock_ref=ref,
                locked_at=utcnow() if kind else None,
                withdrawn_at=utcnow() if withdrawn else None,
            )
        )
    session.add_all(cards)
    await session.flush()
    return cards, owners


async def _selected(session: AsyncSession, where: ColumnElement[bool]) -> set[str]:
    return set(await session.scalars(select(Card.id).where(where)))


async def test_sql_filters_and_rules_agree_on_every_card(app: FastAPI) -> None:
    async with app.state.services.db.unit_of_work() as session:
        cards, owners = await _every_kind_of_card(session)
        for owner in owners:
            lockable = {c.id for c in cards if rules.can_lock(c, owner)}
            assert await _selected(session, repository.lockable_by(owner)) == lockable
            for ref in ("r1", "r2", "r3"):
                movable = {c.id for c in cards if rules.can_move(c, owner, ref)}
                assert await _selected(session, repository.movable_by(owner, ref)) == movable
        for status in CardStatus:
            shown = {c.id for c in cards if rules.status_of(c.lock_kind, c.withdrawn_at) is status}
            assert await _selected(session, catalog_repository.status_is(status)) == shown
        await session.rollback()

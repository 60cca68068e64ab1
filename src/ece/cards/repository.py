"""The SQL that changes cards and their history: locks, moves, custody, list prices, minting
and search text. (Catalog reads are in ``catalog_repository``, the companies table in
``company_repository``.)

Ownership changes are single conditional UPDATEs of the card row whose row count says whether
they won. That is atomic on both backends: PostgreSQL makes a second concurrent UPDATE wait for
the first and re-check the WHERE; SQLite writers are already serialized by ``BEGIN IMMEDIATE``.
So of two simultaneous lock attempts exactly one succeeds. The WHERE clauses are the SQL twins of
``rules.can_lock`` / ``rules.can_move``; the reason for a refusal comes from ``rules.why_not``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Executable, and_, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, CardEvent, Company
from ece.cards.rules import (
    CardEventKind,
    CardHolding,
    CardOwner,
    LockKind,
    OwnerKind,
    Price,
    Rarity,
)
from ece.core.clock import utcnow

# --- one card, fresh ---------------------------------------------------------------------------


async def fresh_card(session: AsyncSession, card_id: str) -> Card | None:
    """The card row as the database has it now (ownership and lock columns change by
    conditional UPDATEs, so the identity map may hold it as it was before one)."""
    return await session.scalar(
        select(Card).where(Card.id == card_id).execution_options(populate_existing=True)
    )


# --- ownership and locks (conditional UPDATEs) -------------------------------------------------


def owned_by(owner: CardOwner) -> ColumnElement[bool]:
    if owner.kind is OwnerKind.user:
        return Card.owner_user_id == owner.id
    return Card.owner_company_id == owner.id


def lockable_by(owner: CardOwner) -> ColumnElement[bool]:
    """SQL twin of ``rules.can_lock``."""
    return and_(owned_by(owner), Card.lock_kind.is_(None), Card.withdrawn_at.is_(None))


def movable_by(owner: CardOwner, ref: str) -> ColumnElement[bool]:
    """SQL twin of ``rules.can_move``."""
    return and_(
        owned_by(owner),
        Card.withdrawn_at.is_(None),
        Card.lock_kind.is_(None) | (Card.lock_ref == ref),
    )


async def _changed(
    session: AsyncSession, card_id: str, *where: ColumnElement[bool], **values: Any
) -> bool:
    stmt: Executable = (
        update(Card)
        .where(Card.id == card_id, *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(stmt)
    assert isinstance(result, CursorResult)
    return int(result.rowcount) == 1


_NO_LOCK: dict[str, Any] = {"lock_kind": None, "lock_ref": None, "locked_at": None}
# A listing price belongs to the seller's listing, which a move or withdrawal ends.
_NO_LIST_PRICE: dict[str, Any] = {"list_price": None, "list_asset": None}


async def lock_if_free(
    session: AsyncSession, card_id: str, owner: CardOwner, kind: LockKind, ref: str
) -> bool:
    return await _changed(
        session,
        card_id,
        lockable_by(owner),
        lock_kind=kind.value,
        lock_ref=ref,
        locked_at=utcnow(),
    )


async def unlock(session: AsyncSession, card_id: str, kind: LockKind, ref: str) -> bool:
    held = and_(Card.lock_kind == kind.value, Card.lock_ref == ref)
    return await _changed(session, card_id, held, **_NO_LOCK)


async def move(
    session: AsyncSession,
    card_id: str,
    from_owner: CardOwner,
    to_owner: CardOwner,
    ref: str,
    price: Price | None,
) -> bool:
    """Give the card to ``to_owner``, releasing its lock; a priced move records the last sale."""
    values: dict[str, Any] = {
        "owner_user_id": to_owner.user_id,
        "owner_company_id": to_owner.company_id,
        **_NO_LOCK,
        **_NO_LIST_PRICE,
    }
    if price is not None:
        values.update(
            last_sale_price=price.amount, last_sale_asset=price.asset.value, last_sale_at=utcnow()
        )
    return await _changed(session, card_id, movable_by(from_owner, ref), **values)


async def mark_withdrawn(session: AsyncSession, card_id: str, ref: str) -> bool:
    held = and_(
        Card.lock_kind == LockKind.withdrawal.value,
        Card.lock_ref == ref,
        Card.withdrawn_at.is_(None),
    )
    return await _changed(
        session, card_id, held, withdrawn_at=utcnow(), **_NO_LOCK, **_NO_LIST_PRICE
    )


async def mark_deposited(session: AsyncSession, card_id: str, to_user_id: str) -> bool:
    return await _changed(
        session,
        card_id,
        Card.withdrawn_at.is_not(None),
        withdrawn_at=None,
        owner_user_id=to_user_id,
        owner_company_id=None,
    )


async def set_list_price(session: AsyncSession, card_id: str, price: Price | None) -> None:
    await _changed(
        session,
        card_id,
        list_price=price.amount if price else None,
        list_asset=price.asset.value if price else None,
    )


def history_event(
    card_id: str,
    kind: CardEventKind,
    reason: str,
    ref: str | None,
    *,
    source: CardOwner | None = None,
    target: CardOwner | None = None,
    price: Price | None = None,
    value_hint: Price | None = None,
) -> CardEvent:
    """A row of the card's history (only ever inserted)."""
    return CardEvent(
        card_id=card_id,
        kind=kind.value,
        from_user_id=source.user_id if source else None,
        from_company_id=source.company_id if source else None,
        to_user_id=target.user_id if target else None,
        to_company_id=target.company_id if target else None,
        price=price.amount if price else None,
        currency=price.asset.value if price else None,
        reason=reason,
        ref=ref,
        value_hint=value_hint.amount if value_hint else None,
        value_asset=value_hint.asset.value if value_hint else None,
        created_at=utcnow(),
    )


# --- company-wide and minting statements on cards ---------------------------------------------


async def set_company_search_text(session: AsyncSession, company: Company) -> list[str]:
    """One UPDATE for all its cards (same text as ``search_text_of``); returns their ids."""
    suffix = " " + " ".join([company.name, company.ticker, company.sector])
    await session.execute(
        update(Card)
        .where(Card.company_id == company.id)
        .values(search_text=Card.name + literal(suffix))
        .execution_options(synchronize_session=False)
    )
    return list(await session.scalars(select(Card.id).where(Card.company_id == company.id)))


async def last_serial(session: AsyncSession, company_id: str, rarity: Rarity) -> int:
    last = await session.scalar(
        select(func.max(Card.serial_number)).where(
            Card.company_id == company_id, Card.rarity == rarity.value
        )
    )
    return int(last or 0)


async def holdings(session: AsyncSession, card_ids: Sequence[str]) -> dict[str, CardHolding]:
    rows = await session.execute(
        select(Card.id, Card.company_id, Card.owner_user_id, Card.withdrawn_at, Card.lock_kind)
        .where(Card.id.in_(list(card_ids)))
        .execution_options(populate_existing=True)
    )
    return {row.id: CardHolding(*row) for row in rows}

"""Every SQL statement on the cards domain's tables (cards, card_events, companies).

Ownership changes are single conditional UPDATEs of the card row whose row count says whether
they won. That is atomic on both backends: PostgreSQL makes a second concurrent UPDATE wait for
the first and re-check the WHERE; SQLite writers are already serialized by ``BEGIN IMMEDIATE``.
So of two simultaneous lock attempts exactly one succeeds. The WHERE clauses are the SQL twins of
``rules.can_lock`` / ``rules.can_move``; the reason for a refusal comes from ``rules.why_not``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from ece.cards.models import Card, CardEvent, Company
from ece.cards.rules import (
    STATUS_OF_LOCK,
    CardEventKind,
    CardOwner,
    CardSort,
    CardStatus,
    LockKind,
    OwnerKind,
    Price,
    Rarity,
)
from ece.core.clock import utcnow
from ece.core.db import UTCDateTime
from ece.core.pagination import PageParams, SortKey, paginate

_Select = TypeVar("_Select", bound=Select[Any])
Page = tuple[list[Card], str | None]

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
        created_at=utcnow(),
    )


# --- catalog reads -----------------------------------------------------------------------------

# NULLs sort last through a 0/1 flag key before the nullable column, which is coalesced to a
# constant: keyset comparisons never meet a NULL, and within the NULL group the id decides.
_UNLISTED = case((Card.list_price.is_(None), 1), else_=0)
_LIST_PRICE = func.coalesce(Card.list_price, 0)
_UNSOLD = case((Card.last_sale_at.is_(None), 1), else_=0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LAST_SALE_AT = func.coalesce(Card.last_sale_at, literal(_EPOCH, UTCDateTime()))


def _price_key(card: Card) -> list[Any]:
    return [int(card.list_price is None), card.list_price or 0, card.id]


SORTS: dict[CardSort, tuple[list[SortKey], Callable[[Card], Sequence[Any]]]] = {
    CardSort.newest: (
        [SortKey(Card.created_at, descending=True), SortKey(Card.id, descending=True)],
        lambda c: [c.created_at, c.id],
    ),
    CardSort.power: (
        [SortKey(Card.power, descending=True), SortKey(Card.id)],
        lambda c: [c.power, c.id],
    ),
    CardSort.price_asc: (
        [SortKey(_UNLISTED), SortKey(_LIST_PRICE), SortKey(Card.id)],
        _price_key,
    ),
    CardSort.price_desc: (
        [SortKey(_UNLISTED), SortKey(_LIST_PRICE, descending=True), SortKey(Card.id)],
        _price_key,
    ),
    CardSort.last_sale: (
        [SortKey(_UNSOLD), SortKey(_LAST_SALE_AT, descending=True), SortKey(Card.id)],
        lambda c: [int(c.last_sale_at is None), c.last_sale_at or _EPOCH, c.id],
    ),
}

# listed -> listing, in_auction -> auction, ... (withdrawn is a state of its own, below).
_LOCK_OF_STATUS = {
    status: kind for kind, status in STATUS_OF_LOCK.items() if kind is not LockKind.withdrawal
}


def status_is(status: CardStatus) -> ColumnElement[bool]:
    """SQL twin of ``rules.status_of``."""
    if status is CardStatus.available:
        return and_(Card.lock_kind.is_(None), Card.withdrawn_at.is_(None))
    if status is CardStatus.withdrawn:
        return or_(Card.withdrawn_at.is_not(None), Card.lock_kind == LockKind.withdrawal.value)
    return and_(Card.lock_kind == _LOCK_OF_STATUS[status].value, Card.withdrawn_at.is_(None))


def with_parties(stmt: _Select) -> _Select:
    return stmt.options(
        joinedload(Card.company), joinedload(Card.owner_user), joinedload(Card.owner_company)
    )


async def cards_page(
    session: AsyncSession,
    conditions: Sequence[ColumnElement[bool]],
    sort: CardSort,
    params: PageParams,
) -> Page:
    keys, key_of = SORTS[sort]
    stmt = with_parties(select(Card).where(*conditions))
    return await paginate(session, stmt, keys, params, key_of)


def catalog_conditions(
    *, rarity: Rarity | None, status: CardStatus | None, min_power: int | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if rarity:
        conditions.append(Card.rarity == Rarity(rarity).value)
    if status:
        conditions.append(status_is(status))
    if min_power is not None:
        conditions.append(Card.power >= min_power)
    return conditions


def company_is(company_id: str | None) -> ColumnElement[bool]:
    """Cards of this company; none at all for an unknown one (``None``)."""
    return Card.company_id == company_id if company_id else Card.id.is_(None)


def owner_user_is(user_id: str | None) -> ColumnElement[bool]:
    """Cards this user holds; none at all for an unknown user (``None``)."""
    return Card.owner_user_id == user_id if user_id else Card.id.is_(None)


async def card_with_parties(session: AsyncSession, card_id: str) -> Card | None:
    return await session.scalar(with_parties(select(Card).where(Card.id == card_id)))


async def cards_with_parties(session: AsyncSession, card_ids: Sequence[str]) -> list[Card]:
    return list(await session.scalars(with_parties(select(Card).where(Card.id.in_(card_ids)))))


async def issued_cards(session: AsyncSession, company_id: str, limit: int) -> list[Card]:
    rows = await session.scalars(
        select(Card)
        .where(Card.owner_company_id == company_id)
        .order_by(Card.created_at, Card.id)
        .limit(limit)
    )
    return list(rows)


async def any_card(session: AsyncSession) -> bool:
    return (await session.scalar(select(Card.id).limit(1))) is not None


async def card_exists(session: AsyncSession, card_id: str) -> bool:
    return await session.scalar(select(Card.id).where(Card.id == card_id)) is not None


async def cards_by_mint(session: AsyncSession, mints: Collection[str]) -> dict[str, Card]:
    return {c.mint: c for c in await session.scalars(select(Card).where(Card.mint.in_(mints)))}


async def mints_in_custody(session: AsyncSession) -> dict[str, tuple[str, bool]]:
    rows = await session.execute(select(Card.mint, Card.id, Card.withdrawn_at.is_(None)))
    return {mint: (card_id, bool(held)) for mint, card_id, held in rows}


async def events_page(
    session: AsyncSession, card_id: str, params: PageParams
) -> tuple[list[CardEvent], str | None]:
    stmt = (
        select(CardEvent)
        .where(CardEvent.card_id == card_id)
        .options(
            selectinload(CardEvent.from_user),
            selectinload(CardEvent.from_company),
            selectinload(CardEvent.to_user),
            selectinload(CardEvent.to_company),
        )
    )
    return await paginate(session, stmt, [SortKey(CardEvent.id)], params, lambda e: [e.id])


async def image_cid_of(session: AsyncSession, card_id: str) -> str | None:
    return await session.scalar(select(Card.image_cid).where(Card.id == card_id))


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

"""The catalog's SQL: reads of cards and their history, with the filters and keyset sorts the
catalog offers (``status_is`` is the SQL twin of ``rules.status_of``). Writes are in
``repository``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload, selectinload

from ece.cards.models import Card, CardEvent, Company
from ece.cards.rules import (
    STATUS_OF_LOCK,
    CardEventKind,
    CardFilters,
    CardMove,
    CardSort,
    CardStatus,
    HeldCard,
    LockKind,
    Rarity,
)
from ece.core.db import UTCDateTime
from ece.core.feed import FeedSlice, older_than
from ece.core.pagination import PageParams, SortKey, paginate

_Select = TypeVar("_Select", bound=Select[Any])
Page = tuple[list[Card], str | None]

# Each sort is one key expression and the id, and each has an index on exactly those
# expressions (see migration 0032): a page is an index range scan from the cursor, never a sort
# of the whole match set. NULLs sort last by coalescing them past the end; the constants are
# SQL literals (not parameters) so the planner can match the query to the index.
UNLISTED_LAST = 9_223_372_036_854_775_807  # BIGINT max: above every price
_PRICE_ASC = func.coalesce(Card.list_price, literal_column(str(UNLISTED_LAST)))
_PRICE_DESC = func.coalesce(Card.list_price, literal_column("-1"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Epoch(ColumnElement[datetime]):
    """1970-01-01 as a literal of the backend's timestamp type: never-sold cards sort last."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(_Epoch)
def _epoch_sqlite(element: _Epoch, compiler: Any, **kw: Any) -> str:
    return "'1970-01-01 00:00:00.000000'"  # SQLite stores datetimes as this text


@compiles(_Epoch, "postgresql")
def _epoch_postgresql(element: _Epoch, compiler: Any, **kw: Any) -> str:
    return "'1970-01-01 00:00:00+00'::timestamptz"


_LAST_SALE_AT = func.coalesce(Card.last_sale_at, _Epoch())


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
        [SortKey(_PRICE_ASC), SortKey(Card.id)],
        lambda c: [UNLISTED_LAST if c.list_price is None else c.list_price, c.id],
    ),
    CardSort.price_desc: (
        [SortKey(_PRICE_DESC, descending=True), SortKey(Card.id)],
        lambda c: [-1 if c.list_price is None else c.list_price, c.id],
    ),
    CardSort.last_sale: (
        [SortKey(_LAST_SALE_AT, descending=True), SortKey(Card.id)],
        lambda c: [c.last_sale_at or _EPOCH, c.id],
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
    return stmt.options(joinedload(Card.company), joinedload(Card.owner_company))


async def cards_page(
    session: AsyncSession,
    conditions: Sequence[ColumnElement[bool]],
    sort: CardSort,
    params: PageParams,
) -> Page:
    keys, key_of = SORTS[sort]
    stmt = with_parties(select(Card).where(*conditions))
    return await paginate(session, stmt, keys, params, key_of)


def catalog_conditions(filters: CardFilters) -> list[ColumnElement[bool]]:
    """The filters that need no look-up (company, owner and words are added by the service)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.rarity:
        conditions.append(Card.rarity == Rarity(filters.rarity).value)
    if filters.status:
        conditions.append(status_is(filters.status))
    for stat, (low, high) in filters.stat_ranges().items():
        # ``+ 0``: a bound on a stat filters rows as the sort's index is walked; it never picks
        # ix_cards_sort_power for a range and then sorts the whole range (SQLite's planner
        # rates a two-sided range as very selective, whatever the data).
        column = getattr(Card, stat) + literal_column("0")
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column <= high)
    if filters.sector:
        sector = func.lower(Company.sector) == filters.sector.lower()
        conditions.append(Card.company_id.in_(select(Company.id).where(sector)))
    if filters.listed is not None:
        listed = Card.list_price.is_not(None)
        conditions.append(listed if filters.listed else Card.list_price.is_(None))
    if filters.currency is not None:
        conditions.append(
            and_(Card.list_price.is_not(None), Card.list_asset == filters.currency.value)
        )
    return conditions


# Facets read these columns of the matching cards (see ``facets.FacetRow``).
FACET_COLUMNS = (
    Card.id,
    Card.company_id,
    Card.rarity,
    Card.list_price,
    Card.list_asset,
    Card.power,
    Card.valuation,
    Card.growth,
    Card.innovation,
    Card.influence,
)


async def facet_rows(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], limit: int
) -> list[tuple[Any, ...]]:
    """The facet columns of the first ``limit`` matching cards in id order (ids are random, so
    a prefix in id order is a uniform sample of the match set)."""
    stmt = select(*FACET_COLUMNS).where(*conditions).order_by(Card.id).limit(limit)
    return [tuple(row) for row in await session.execute(stmt)]


async def company_facts(session: AsyncSession) -> dict[str, tuple[str, str]]:
    """Every company's ticker and sector, by id."""
    rows = await session.execute(select(Company.id, Company.ticker, Company.sector))
    return {company_id: (ticker, sector) for company_id, ticker, sector in rows}


def id_below(below: str) -> ColumnElement[bool]:
    """Cards whose id sorts before ``below`` (ids are lower-case hex: a slice of the id space)."""
    return Card.id < below


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
            selectinload(CardEvent.from_company),
            selectinload(CardEvent.to_company),
        )
    )
    return await paginate(session, stmt, [SortKey(CardEvent.id)], params, lambda e: [e.id])


async def image_cid_of(session: AsyncSession, card_id: str) -> str | None:
    return await session.scalar(select(Card.image_cid).where(Card.id == card_id))


async def company(session: AsyncSession, company_id: str) -> Company | None:
    return await session.get(Company, company_id)


async def companies_by_ticker(session: AsyncSession) -> list[Company]:
    return list(await session.scalars(select(Company).order_by(Company.ticker)))


async def holder_count(session: AsyncSession, company_id: str) -> int:
    holders = await session.scalar(
        select(func.count(func.distinct(Card.owner_user_id))).where(
            Card.company_id == company_id,
            Card.owner_user_id.is_not(None),
            Card.withdrawn_at.is_(None),
        )
    )
    return int(holders or 0)


def company_card_ids(company_id: str) -> Select[Any]:
    return select(Card.id).where(Card.company_id == company_id)


async def transfer_feed(session: AsyncSession, q: FeedSlice) -> list[CardEvent]:
    stmt = select(CardEvent).where(CardEvent.kind == CardEventKind.transfer.value)
    if q.company_id is not None:
        stmt = stmt.where(
            exists().where(Card.id == CardEvent.card_id, Card.company_id == q.company_id)
        )
    if q.card_id is not None:
        stmt = stmt.where(CardEvent.card_id == q.card_id)
    if q.user_id is not None:
        stmt = stmt.where(
            or_(CardEvent.from_user_id == q.user_id, CardEvent.to_user_id == q.user_id)
        )
    stmt = (
        stmt.where(older_than(CardEvent.created_at, CardEvent.id, q.after))
        .order_by(CardEvent.created_at.desc(), CardEvent.id.desc())
        .limit(q.limit)
    )
    return list(await session.scalars(stmt))


def card_names() -> Subquery:
    return select(Card.id, Card.name).subquery("card_names")


def cards_owned_by(user_id: str) -> Subquery:
    return (
        select(Card.id, Card.company_id, Card.rarity, Card.power)
        .where(Card.owner_user_id == user_id)
        .subquery("owned_cards")
    )


async def find_card(session: AsyncSession, card_id: str) -> Card | None:
    return await session.get(Card, card_id)


# --- a user's collection (portfolio reads) ------------------------------------------------------


async def held_by(session: AsyncSession, user_id: str) -> list[HeldCard]:
    """Every card the user holds on the platform (not withdrawn), by id: no page cap."""
    rows = await session.execute(
        select(
            Card.id,
            Card.name,
            Card.company_id,
            Card.rarity,
            Card.serial_number,
            Card.edition_size,
            Card.list_price,
            Card.list_asset,
            Card.last_sale_price,
            Card.last_sale_asset,
        )
        .where(Card.owner_user_id == user_id, Card.withdrawn_at.is_(None))
        .order_by(Card.id)
    )
    return [HeldCard(**row._mapping) for row in rows]


_MOVE_COLUMNS = (
    CardEvent.id, CardEvent.card_id, CardEvent.from_user_id, CardEvent.to_user_id,
    CardEvent.price, CardEvent.currency, CardEvent.reason, CardEvent.ref, CardEvent.value_hint,
    CardEvent.value_asset, CardEvent.created_at,
)  # fmt: skip


async def moves_of(session: AsyncSession, user_id: str) -> list[CardMove]:
    """Every history row bringing a card to the user or taking one away, oldest first (two
    index range scans joined by UNION ALL; a row both ways is impossible: no self-transfer)."""
    incoming = select(*_MOVE_COLUMNS).where(CardEvent.to_user_id == user_id)
    outgoing = select(*_MOVE_COLUMNS).where(CardEvent.from_user_id == user_id)
    union = incoming.union_all(outgoing).subquery()
    rows = await session.execute(select(union).order_by(union.c.id))
    return [CardMove(*row) for row in rows]


async def listed_prices(
    session: AsyncSession, card_ids: Collection[str]
) -> dict[str, tuple[int, str]]:
    """The shown list price of each of these cards that is listed: id → (price, asset)."""
    rows = await session.execute(
        select(Card.id, Card.list_price, Card.list_asset).where(
            Card.id.in_(list(card_ids)), Card.list_price.is_not(None)
        )
    )
    return {card_id: (price, asset) for card_id, price, asset in rows if price and asset}


async def names_of(session: AsyncSession, card_ids: Collection[str]) -> dict[str, str]:
    """Each card's name with its serial, e.g. ``Acme #3/50``."""
    rows = await session.execute(
        select(Card.id, Card.name, Card.serial_number, Card.edition_size).where(
            Card.id.in_(list(card_ids))
        )
    )
    return {i: f"{name} #{serial}/{size}" for i, name, serial, size in rows}

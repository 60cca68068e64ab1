"""Reading cards: the catalog (filters, sorts, search, keyset pages), one card, its history,
its art, and content-addressed blocks for the IPFS gateway."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from ece.auth.models import User
from ece.cards.blockstore import Blockstore, parse_cid
from ece.cards.metadata import IMAGE_MIME_TYPE, Rarity
from ece.cards.models import STATUS_OF_LOCK, Card, CardEvent, CardStatus, Company, LockKind
from ece.cards.search import search_for
from ece.core.db import UTCDateTime
from ece.core.errors import BadRequest, NotFound
from ece.core.pagination import PageParams, SortKey, paginate

_Select = TypeVar("_Select", bound=Select[Any])


class CardSort(StrEnum):
    newest = "newest"
    power = "power"
    price_asc = "price_asc"  # by the open listing's price; unlisted cards last
    price_desc = "price_desc"
    last_sale = "last_sale"  # most recently sold first; never-sold cards last


@dataclass(frozen=True)
class CardFilters:
    company: str | None = None  # company id or ticker
    rarity: Rarity | None = None
    owner: str | None = None  # user id or wallet address
    q: str | None = None
    status: CardStatus | None = None
    min_power: int | None = None
    sort: CardSort = CardSort.newest


# NULLs sort last through a 0/1 flag key before the nullable column, which is coalesced to a
# constant: keyset comparisons never meet a NULL, and within the NULL group the id decides.
_UNLISTED = case((Card.list_price.is_(None), 1), else_=0)
_LIST_PRICE = func.coalesce(Card.list_price, 0)
_UNSOLD = case((Card.last_sale_at.is_(None), 1), else_=0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LAST_SALE_AT = func.coalesce(Card.last_sale_at, literal(_EPOCH, UTCDateTime()))


def _price_key(card: Card) -> list[Any]:
    return [int(card.list_price is None), card.list_price or 0, card.id]


_SORTS: dict[CardSort, tuple[list[SortKey], Callable[[Card], Sequence[Any]]]] = {
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


def _with_parties(stmt: _Select) -> _Select:
    return stmt.options(
        joinedload(Card.company), joinedload(Card.owner_user), joinedload(Card.owner_company)
    )


# listed -> listing, in_auction -> auction, ... (withdrawn is a state of its own, below).
_LOCK_OF_STATUS = {
    status: kind for kind, status in STATUS_OF_LOCK.items() if kind is not LockKind.withdrawal
}


def _status_is(status: CardStatus) -> ColumnElement[bool]:
    if status is CardStatus.available:
        return and_(Card.lock_kind.is_(None), Card.withdrawn_at.is_(None))
    if status is CardStatus.withdrawn:
        return or_(Card.withdrawn_at.is_not(None), Card.lock_kind == LockKind.withdrawal.value)
    return and_(Card.lock_kind == _LOCK_OF_STATUS[status].value, Card.withdrawn_at.is_(None))


async def list_cards(
    session: AsyncSession, filters: CardFilters, params: PageParams
) -> tuple[list[Card], str | None]:
    """Cards matching every given filter, in the chosen order, one keyset page."""
    conditions: list[ColumnElement[bool]] = []
    if filters.company:
        company_id = await session.scalar(
            select(Company.id).where(
                or_(Company.id == filters.company, Company.ticker == filters.company.upper())
            )
        )
        conditions.append(Card.company_id == company_id if company_id else Card.id.is_(None))
    if filters.owner:
        user_id = await session.scalar(
            select(User.id).where(or_(User.id == filters.owner, User.address == filters.owner))
        )
        conditions.append(Card.owner_user_id == user_id if user_id else Card.id.is_(None))
    if filters.rarity:
        conditions.append(Card.rarity == Rarity(filters.rarity).value)
    if filters.status:
        conditions.append(_status_is(filters.status))
    if filters.min_power is not None:
        conditions.append(Card.power >= filters.min_power)
    if filters.q is not None and filters.q.strip():
        conditions.append(await search_for(session).matching(session, filters.q))
    keys, key_of = _SORTS[filters.sort]
    return await paginate(
        session, _with_parties(select(Card).where(*conditions)), keys, params, key_of
    )


async def has_cards(session: AsyncSession) -> bool:
    """Whether any card was ever minted (custody holds NFTs on chain)."""
    return (await session.scalar(select(Card.id).limit(1))) is not None


async def get_card(session: AsyncSession, card_id: str) -> Card:
    card = await session.scalar(_with_parties(select(Card).where(Card.id == card_id)))
    if card is None:
        raise NotFound("No such card.", code="card_not_found")
    return card


async def cards_by_id(session: AsyncSession, card_ids: Sequence[str]) -> list[Card]:
    """These cards, in the order given (unknown ids are left out)."""
    found = {
        c.id: c
        for c in await session.scalars(_with_parties(select(Card).where(Card.id.in_(card_ids))))
    }
    return [found[card_id] for card_id in card_ids if card_id in found]


async def cards_by_mint(session: AsyncSession, mints: Collection[str]) -> dict[str, Card]:
    """ECE cards by mint address (mints of anything else are left out)."""
    if not mints:
        return {}
    return {c.mint: c for c in await session.scalars(select(Card).where(Card.mint.in_(mints)))}


async def custody_card_mints(session: AsyncSession) -> dict[str, tuple[str, bool]]:
    """Every card's mint → (card id, whether the platform says custody holds it)."""
    rows = await session.execute(select(Card.mint, Card.id, Card.withdrawn_at.is_(None)))
    return {mint: (card_id, bool(held)) for mint, card_id, held in rows}


async def card_history(
    session: AsyncSession, card_id: str, params: PageParams
) -> tuple[list[CardEvent], str | None]:
    """The card's mint, transfers, sales, withdrawals and deposits, oldest first."""
    if await session.scalar(select(Card.id).where(Card.id == card_id)) is None:
        raise NotFound("No such card.", code="card_not_found")
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


async def card_image(session: AsyncSession, blockstore: Blockstore, card_id: str) -> bytes:
    """The card's SVG exactly as minted (its CID is in the metadata)."""
    image_cid = await session.scalar(select(Card.image_cid).where(Card.id == card_id))
    if image_cid is None:
        raise NotFound("No such card.", code="card_not_found")
    svg = await blockstore.get(image_cid)
    if svg is None:
        raise NotFound("The card's image is missing from storage.", code="image_not_found")
    return svg


def _sniff(data: bytes) -> str:
    # Like an IPFS gateway: raw blocks carry no type, so it is sniffed from the bytes.
    head = data.lstrip()[:256]
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:1024]):
        return IMAGE_MIME_TYPE
    try:
        json.loads(data)
    except ValueError:
        return "application/octet-stream"
    return "application/json"


async def fetch_block(blockstore: Blockstore, cid: str) -> tuple[bytes, str]:
    """A stored block and its content type: 400 ``invalid_cid``, 404 ``block_not_found``."""
    try:
        parse_cid(cid)
    except ValueError as exc:
        raise BadRequest("This is not a CID.", code="invalid_cid") from exc
    data = await blockstore.get(cid)
    if data is None:
        raise NotFound("No block with this CID.", code="block_not_found")
    return data, _sniff(data)

"""Every SQL statement on the market's tables (listings, offers): reads, locks, conditional
updates. No decisions: the rules are in ``rules`` (the conditions here that repeat one,
``buyable`` and ``matching_card``, are pinned to it by a test)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    Row,
    Select,
    and_,
    case,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.core.money import Asset
from ece.core.pagination import PageParams, SortKey, newest_first, paginate
from ece.market.models import (
    Listing,
    ListingPriceChange,
    ListingStatus,
    Offer,
    OfferKind,
    OfferStatus,
    active_listing_filter,
    active_offer_filter,
)
from ece.market.rules import USER, Actor, Fill

ViewRow = Row[Listing, str, str | None]


async def rowcount(session: AsyncSession, stmt: Executable) -> int:
    result = await session.execute(stmt)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def add(session: AsyncSession, row: Listing | ListingPriceChange | Offer) -> None:
    session.add(row)
    await session.flush()


# --- listings -------------------------------------------------------------------------------


async def locked_listing(session: AsyncSession, listing_id: str) -> Listing | None:
    """The listing row, locked until the transaction ends (PostgreSQL; SQLite writers are
    serialized already): the first lock every listing change takes."""
    return await session.scalar(
        select(Listing)
        .where(Listing.id == listing_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def fresh_listing(session: AsyncSession, listing_id: str) -> Listing | None:
    return await session.get(Listing, listing_id, populate_existing=True)


async def listing_currency(session: AsyncSession, listing_id: str) -> str | None:
    return await session.scalar(select(Listing.currency).where(Listing.id == listing_id))


async def listing_price(session: AsyncSession, listing_id: str) -> Row[int, str] | None:
    return (
        await session.execute(
            select(Listing.price, Listing.currency).where(Listing.id == listing_id)
        )
    ).first()


async def close_listing(
    session: AsyncSession, listing_id: str, status: ListingStatus, now: datetime
) -> bool:
    """Move an active listing to ``status``; False when another transaction closed it first."""
    won = await rowcount(
        session,
        update(Listing)
        .where(Listing.id == listing_id, Listing.status == ListingStatus.active.value)
        .values(status=status.value, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False),
    )
    return won == 1


def buyable(buyer: Actor, now: datetime, limit: int | None) -> ColumnElement[bool]:
    """SQL twin of ``rules.buy_refusal(...) is None``."""
    condition = and_(
        Listing.status == ListingStatus.active.value,
        Listing.expires_at > now,
        or_(Listing.seller_kind != USER, Listing.seller_id != buyer.id),
        or_(Listing.taker_address.is_(None), Listing.taker_address == buyer.address),
    )
    if limit is not None:
        condition = and_(condition, Listing.price <= limit)
    return condition


@dataclass(frozen=True, slots=True)
class Taken:
    """A listing just taken, with what its sale needs to know that it does not hold."""

    listing: Listing
    royalty_bps: int  # its company's, now
    seller_address: str | None  # a user seller's wallet (None for issuer inventory)


async def take_listing(
    session: AsyncSession, listing_id: str, buyer: Actor, now: datetime, limit: int | None
) -> Taken | None:
    """Fill the listing if ``buyable``, in one conditional UPDATE that also takes its row
    lock: of any number of simultaneous buyers exactly one gets the row back, with its
    company's royalty and its seller's wallet read in the same statement."""
    seller_wallet = case(
        (Listing.seller_kind == USER, auth.address_of(Listing.seller_id)), else_=None
    )
    row = (
        await session.execute(
            update(Listing)
            .where(Listing.id == listing_id, buyable(buyer, now, limit))
            .values(status=ListingStatus.filled.value, closed_at=now, updated_at=now)
            .returning(Listing, cards.royalty_subquery(Listing.company_id), seller_wallet)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    return None if row is None else Taken(row[0], int(row[1]), row[2])


def viewed() -> Select[Listing, str, str | None]:
    """Listings with their card names and seller wallets (none for issuer inventory), in one
    statement: what every ``ListingView`` is built from."""
    names = cards.card_names()
    wallets = auth.user_addresses()
    return (
        select(Listing, names.c.name, wallets.c.address)
        .join(names, names.c.id == Listing.card_id)
        .outerjoin(
            wallets,
            and_(Listing.seller_kind == USER, wallets.c.id == Listing.seller_id),
        )
    )


async def viewed_listing(session: AsyncSession, listing_id: str) -> ViewRow | None:
    return (await session.execute(viewed().where(Listing.id == listing_id))).one_or_none()


def listing_sorts() -> dict[str, list[tuple[Any, bool]]]:
    # Prices only compare within a currency: ECE listings first, then USDC, each by price.
    return {
        "price_asc": [(Listing.currency, False), (Listing.price, False), (Listing.id, False)],
        "price_desc": [(Listing.currency, False), (Listing.price, True), (Listing.id, False)],
        "newest": [(Listing.created_at, True), (Listing.id, True)],
        "ending": [(Listing.expires_at, False), (Listing.id, False)],
    }


async def listing_page(
    session: AsyncSession,
    conditions: Sequence[ColumnElement[bool]],
    sort: str,
    params: PageParams,
) -> tuple[list[ViewRow], str | None]:
    columns = listing_sorts()[sort]
    rows: list[ViewRow]
    rows, cursor = await paginate(
        session,
        viewed().where(*conditions),
        [SortKey(column, descending) for column, descending in columns],
        params,
        lambda row: [getattr(row[0], column.key) for column, _ in columns],
        rows=True,
    )
    return rows, cursor


async def cheapest_listing_ids(
    session: AsyncSession,
    buyer: Actor,
    company_id: str,
    currency: Asset,
    count: int,
    rarity: str | None,
) -> list[str]:
    """Ids of the ``count`` cheapest listings of a company the buyer may buy (not their own;
    public or reserved for them)."""
    stmt = (
        select(Listing.id)
        .where(
            active_listing_filter(),
            Listing.company_id == company_id,
            Listing.currency == currency.value,
            Listing.seller_id != buyer.id,
            or_(Listing.taker_address.is_(None), Listing.taker_address == buyer.address),
        )
        .order_by(Listing.price, Listing.created_at, Listing.id)
        .limit(count)
    )
    if rarity is not None:
        stmt = stmt.where(Listing.rarity == rarity)
    return list(await session.scalars(stmt))


async def due_listings(session: AsyncSession, now: datetime, limit: int) -> Sequence[Listing]:
    """Active listings past their expiry; rows another worker holds are skipped."""
    due = await session.scalars(
        select(Listing)
        .where(Listing.status == ListingStatus.active.value, Listing.expires_at <= now)
        .order_by(Listing.expires_at, Listing.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return due.all()


# --- offers ---------------------------------------------------------------------------------


async def locked_offer(session: AsyncSession, offer_id: str) -> Offer | None:
    """The offer row, locked first (before the card and the ledger) by every change."""
    return await session.scalar(
        select(Offer)
        .where(Offer.id == offer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def get_offer(session: AsyncSession, offer_id: str) -> Offer | None:
    return await session.get(Offer, offer_id)


def matching_card(card: Any) -> ColumnElement[bool]:
    """SQL twin of ``rules.matches`` for a card (an ORM entity, or a subquery's columns)."""
    return or_(
        and_(Offer.kind == OfferKind.card.value, Offer.card_id == card.id),
        and_(
            Offer.kind == OfferKind.collection.value,
            Offer.company_id == card.company_id,
            or_(Offer.filter_rarity.is_(None), Offer.filter_rarity == card.rarity),
            or_(Offer.filter_min_power.is_(None), Offer.filter_min_power <= card.power),
        ),
    )


async def fill_offer(session: AsyncSession, offer: Offer, fill: Fill, now: datetime) -> bool:
    """Record one more unit sold, if no one changed the offer since it was read."""
    won = await rowcount(
        session,
        update(Offer)
        .where(
            Offer.id == offer.id,
            Offer.status == OfferStatus.active.value,
            Offer.filled == offer.filled,
            Offer.expires_at > now,
        )
        .values(
            filled=fill.filled,
            hold_seq=fill.hold_seq,
            hold_transfer_id=fill.hold_transfer_id,
            status=fill.status.value,
            closed_at=None if fill.remaining else now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False),
    )
    return won == 1


async def close_offer(
    session: AsyncSession, offer_id: str, status: OfferStatus, now: datetime
) -> bool:
    """Close an active offer as ``status``; False when it was closed already."""
    won = await rowcount(
        session,
        update(Offer)
        .where(Offer.id == offer_id, Offer.status == OfferStatus.active.value)
        .values(status=status.value, hold_transfer_id=None, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False),
    )
    return won == 1


def offers_in_status(status: OfferStatus, now: datetime) -> ColumnElement[bool]:
    if status is OfferStatus.active:
        return active_offer_filter(now)
    if status is OfferStatus.expired:
        return or_(
            Offer.status == OfferStatus.expired.value,
            and_(Offer.status == OfferStatus.active.value, Offer.expires_at <= now),
        )
    return Offer.status == status.value


def receivable_by(user_id: str) -> ColumnElement[bool]:
    """Offers another user made that a card ``user_id`` owns could fill."""
    owned = cards.cards_owned_by(user_id)
    return and_(
        exists().where(matching_card(owned.c)),
        Offer.buyer_user_id != user_id,
    )


async def offer_page(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], params: PageParams
) -> tuple[list[Offer], str | None]:
    rows: list[Offer]
    rows, cursor = await newest_first(session, select(Offer).where(*conditions), Offer, params)
    return rows, cursor


async def best_offer(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], currency: Asset
) -> Offer | None:
    """The highest open offer in ``currency``; the earlier offer wins a tie."""
    return await session.scalar(
        select(Offer)
        .where(active_offer_filter(), *conditions, Offer.currency == currency.value)
        .order_by(Offer.price.desc(), Offer.created_at, Offer.id)
        .limit(1)
    )


async def due_offers(session: AsyncSession, now: datetime, limit: int) -> Sequence[Offer]:
    """Active offers past their expiry; rows another worker holds are skipped."""
    due = await session.scalars(
        select(Offer)
        .where(Offer.status == OfferStatus.active.value, Offer.expires_at <= now)
        .order_by(Offer.expires_at, Offer.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return due.all()

"""Reads of listings, offers and sales for market data and the activity feed (floors, best
offers, volumes, the latest counted sales, the feed's market sources). ``service`` re-exports
them; market data never reads these tables itself."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ece.cards.service import OwnerKind
from ece.core.feed import FeedSlice, older_than
from ece.market.models import (
    Listing,
    ListingPriceChange,
    ListingStatus,
    Offer,
    OfferStatus,
    active_offer_filter,
    public_listing_filter,
)
from ece.settlement.service import Sale, SaleSource

# Sales are "counted" unless flagged as suspected wash trades.


async def floor_prices(
    session: AsyncSession, company_ids: Sequence[str], now: datetime
) -> list[tuple[str, str, int]]:
    """(company, currency, lowest live public listing price)."""
    rows = await session.execute(
        select(Listing.company_id, Listing.currency, func.min(Listing.price))
        .where(public_listing_filter(now), Listing.company_id.in_(company_ids))
        .group_by(Listing.company_id, Listing.currency)
    )
    return [(r[0], r[1], int(r[2])) for r in rows]


async def best_offer_prices(
    session: AsyncSession, company_ids: Sequence[str], now: datetime
) -> list[tuple[str, str, int]]:
    """(company, currency, highest live card or collection offer price)."""
    rows = await session.execute(
        select(Offer.company_id, Offer.currency, func.max(Offer.price))
        .where(active_offer_filter(now), Offer.company_id.in_(company_ids))
        .group_by(Offer.company_id, Offer.currency)
    )
    return [(r[0], r[1], int(r[2])) for r in rows]


async def listed_card_count(session: AsyncSession, company_id: str, now: datetime) -> int:
    """Distinct cards of the company with a live public listing."""
    listed = await session.scalar(
        select(func.count(func.distinct(Listing.card_id))).where(
            public_listing_filter(now), Listing.company_id == company_id
        )
    )
    return int(listed or 0)


async def sale_totals(
    session: AsyncSession, company_ids: Sequence[str], since: datetime
) -> list[tuple[str, str, int, int]]:
    """(company, currency, counted volume, counted sales) executed after ``since``."""
    rows = await session.execute(
        select(Sale.company_id, Sale.currency, func.sum(Sale.price), func.count(Sale.id))
        .where(
            Sale.wash_suspect.is_(False),
            Sale.executed_at > since,
            Sale.company_id.in_(company_ids),
        )
        .group_by(Sale.company_id, Sale.currency)
    )
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


async def latest_counted_sales(
    session: AsyncSession, company_ids: Sequence[str], before: datetime | None = None
) -> list[Sale]:
    """The latest counted sales per company and currency (at or before ``before``); two at the
    same instant both come, in id order."""
    latest = (
        select(Sale.company_id, Sale.currency, func.max(Sale.executed_at).label("at"))
        .where(Sale.wash_suspect.is_(False), Sale.company_id.in_(company_ids))
        .group_by(Sale.company_id, Sale.currency)
    )
    if before is not None:
        latest = latest.where(Sale.executed_at <= before)
    sub = latest.subquery()
    on = and_(
        Sale.company_id == sub.c.company_id,
        Sale.currency == sub.c.currency,
        Sale.executed_at == sub.c.at,
    )
    stmt = select(Sale).where(Sale.wash_suspect.is_(False)).join(sub, on).order_by(Sale.id)
    return list(await session.scalars(stmt))


async def last_counted_sale(session: AsyncSession, company_id: str) -> Sale | None:
    return await session.scalar(
        select(Sale)
        .where(Sale.wash_suspect.is_(False), Sale.company_id == company_id)
        .order_by(Sale.executed_at.desc(), Sale.id.desc())
        .limit(1)
    )


async def counted_sales_since(
    session: AsyncSession, company_id: str, currency: str, since: datetime
) -> list[Sale]:
    """Counted sales of one company in one currency from ``since``, oldest first."""
    stmt = (
        select(Sale)
        .where(
            Sale.wash_suspect.is_(False),
            Sale.company_id == company_id,
            Sale.currency == currency,
            Sale.executed_at >= since,
        )
        .order_by(Sale.executed_at, Sale.id)
    )
    return list(await session.scalars(stmt))


def market_sale_filter() -> ColumnElement[bool]:
    """Sales at a price the open market set: counted (not wash-suspect), not a trade offer's
    (its price is what two parties agreed, split over their cards) and not through a private
    listing (a price offered to one chosen buyer)."""
    private = exists().where(Listing.id == Sale.ref, Listing.taker_address.is_not(None))
    return and_(Sale.wash_suspect.is_(False), Sale.source != SaleSource.trade_offer.value, ~private)


async def cheapest_public_listings(
    session: AsyncSession, company_ids: Sequence[str], excluding: Collection[str], now: datetime
) -> Sequence[Row[Any]]:
    """Per company and currency, the cheapest live public listing of a seller not in
    ``excluding``: rows of (company_id, currency, price, seller_id)."""
    by_key = (Listing.company_id, Listing.currency)
    rank = func.row_number().over(partition_by=by_key, order_by=(Listing.price, Listing.id))
    ranked = (
        select(*by_key, Listing.price, Listing.seller_id, rank.label("n"))
        .where(
            public_listing_filter(now),
            Listing.company_id.in_(company_ids),
            Listing.seller_id.not_in(excluding),
        )
        .subquery()
    )
    return (await session.execute(select(ranked).where(ranked.c.n == 1))).all()


async def latest_market_sales(
    session: AsyncSession, company_ids: Sequence[str], excluding: Collection[str], count: int
) -> Sequence[Row[Any]]:
    """Per company and currency, the ``count`` latest sales of ``market_sale_filter`` in which
    no user of ``excluding`` sold or bought, newest first: rows of (company_id, currency, price,
    seller_id, buyer_user_id)."""
    by_key = (Sale.company_id, Sale.currency)
    newest = (Sale.executed_at.desc(), Sale.id.desc())
    rank = func.row_number().over(partition_by=by_key, order_by=newest)
    ranked = (
        select(*by_key, Sale.price, Sale.seller_id, Sale.buyer_user_id, rank.label("n"))
        .where(
            market_sale_filter(),
            Sale.company_id.in_(company_ids),
            Sale.seller_id.not_in(excluding),
            Sale.buyer_user_id.not_in(excluding),
        )
        .subquery()
    )
    stmt = select(ranked).where(ranked.c.n <= count).order_by(ranked.c.n)
    return (await session.execute(stmt)).all()


def _newest(stmt: Select[Any], at: Any, id_: Any, q: FeedSlice) -> Select[Any]:
    return stmt.where(older_than(at, id_, q.after)).order_by(at.desc(), id_.desc()).limit(q.limit)


async def sale_feed(session: AsyncSession, q: FeedSlice) -> list[Sale]:
    """Every sale (wash suspects included), newest first by execution."""
    stmt = select(Sale)
    if q.company_id is not None:
        stmt = stmt.where(Sale.company_id == q.company_id)
    if q.card_id is not None:
        stmt = stmt.where(Sale.card_id == q.card_id)
    if q.user_id is not None:
        seller = and_(Sale.seller_kind == OwnerKind.user.value, Sale.seller_id == q.user_id)
        stmt = stmt.where(or_(Sale.buyer_user_id == q.user_id, seller))
    return list(await session.scalars(_newest(stmt, Sale.executed_at, Sale.id, q)))


async def listing_feed(session: AsyncSession, q: FeedSlice, *, cancelled: bool) -> list[Listing]:
    """Public listings newest first by creation, or the cancelled ones by closing."""
    stmt = select(Listing).where(Listing.taker_address.is_(None))
    at = Listing.created_at
    if cancelled:
        at = Listing.closed_at  # type: ignore[assignment]
        stmt = stmt.where(
            Listing.status == ListingStatus.cancelled.value, Listing.closed_at.is_not(None)
        )
    if q.company_id is not None:
        stmt = stmt.where(Listing.company_id == q.company_id)
    if q.card_id is not None:
        stmt = stmt.where(Listing.card_id == q.card_id)
    if q.user_id is not None:
        stmt = stmt.where(
            Listing.seller_kind == OwnerKind.user.value, Listing.seller_id == q.user_id
        )
    return list(await session.scalars(_newest(stmt, at, Listing.id, q)))


async def price_change_feed(session: AsyncSession, q: FeedSlice) -> list[ListingPriceChange]:
    """Price changes of public listings, newest first (a private listing's price is no one
    else's business)."""
    c = ListingPriceChange
    public = select(Listing.id).where(Listing.id == c.listing_id, Listing.taker_address.is_(None))
    stmt = select(c).where(exists(public))
    if q.company_id is not None:
        stmt = stmt.where(c.company_id == q.company_id)
    if q.card_id is not None:
        stmt = stmt.where(c.card_id == q.card_id)
    if q.user_id is not None:
        stmt = stmt.where(c.seller_kind == OwnerKind.user.value, c.seller_id == q.user_id)
    return list(await session.scalars(_newest(stmt, c.created_at, c.id, q)))


async def listed_prices(session: AsyncSession, listing_ids: Collection[str]) -> dict[str, int]:
    """The price each listing was listed at, for those whose price changed since: the old
    price of its first change (listings whose price never changed are left out)."""
    if not listing_ids:
        return {}
    c, first = ListingPriceChange, aliased(ListingPriceChange)
    earliest = select(func.min(first.created_at)).where(first.listing_id == c.listing_id)
    rows = await session.execute(
        select(c.listing_id, c.old_price)
        .where(c.listing_id.in_(listing_ids), c.created_at == earliest.scalar_subquery())
        .order_by(c.created_at.desc(), c.id.desc())
    )
    return {listing_id: int(price) for listing_id, price in rows}  # the lowest id wins a tie


async def offer_feed(session: AsyncSession, q: FeedSlice, *, cancelled: bool) -> list[Offer]:
    """Card and collection offers newest first by creation, or the cancelled ones by closing."""
    stmt = select(Offer)
    at = Offer.created_at
    if cancelled:
        at = Offer.closed_at  # type: ignore[assignment]
        stmt = stmt.where(Offer.status == OfferStatus.cancelled.value, Offer.closed_at.is_not(None))
    if q.company_id is not None:
        stmt = stmt.where(Offer.company_id == q.company_id)
    if q.card_id is not None:
        stmt = stmt.where(Offer.card_id == q.card_id)
    if q.user_id is not None:
        stmt = stmt.where(Offer.buyer_user_id == q.user_id)
    return list(await session.scalars(_newest(stmt, at, Offer.id, q)))

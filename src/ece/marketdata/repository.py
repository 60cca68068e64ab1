"""Every read market data makes. Market data owns no table: each read goes through the
service of the domain that owns the rows (market, cards, trades, auth) and comes back as
market data's own records (``ece.marketdata.rules``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.core.feed import FeedSlice
from ece.core.money import Asset
from ece.market import service as market
from ece.marketdata.rules import (
    Activity,
    ActivityType,
    CompanyRef,
    FeedEntry,
    LastSale,
    ListedPrice,
    PerAsset,
    SoldPrice,
    Source,
)
from ece.trades import service as trades

USER = cards.OwnerKind.user.value


async def company(session: AsyncSession, company_id: str) -> CompanyRef:
    """404 ``company_not_found``."""
    found = await cards.company_by_id(session, company_id)
    return CompanyRef(found.id, found.ticker, found.name)


async def companies(session: AsyncSession) -> list[CompanyRef]:
    return [CompanyRef(c.id, c.ticker, c.name) for c in await cards.companies_by_ticker(session)]


async def holders(session: AsyncSession, company_id: str) -> int:
    return await cards.holder_count(session, company_id)


async def floor_rows(
    session: AsyncSession, company_ids: Sequence[str], now: datetime
) -> list[tuple[str, str, int]]:
    return await market.floor_prices(session, company_ids, now)


async def best_offer_rows(
    session: AsyncSession, company_ids: Sequence[str], now: datetime
) -> list[tuple[str, str, int]]:
    return await market.best_offer_prices(session, company_ids, now)


async def listed_count(session: AsyncSession, company_id: str, now: datetime) -> int:
    return await market.listed_card_count(session, company_id, now)


async def sale_totals(
    session: AsyncSession, company_ids: Sequence[str], since: datetime
) -> list[tuple[str, str, int, int]]:
    return await market.sale_totals(session, company_ids, since)


async def last_prices(
    session: AsyncSession, company_ids: Sequence[str], before: datetime | None = None
) -> dict[str, PerAsset]:
    """The price of the latest counted sale per company and currency (at or before
    ``before``); of two sales at the same instant, the one with the higher id."""
    out: dict[str, PerAsset] = {}
    for sale in await market.latest_counted_sales(session, company_ids, before):
        out.setdefault(sale.company_id, {})[Asset(sale.currency)] = sale.price
    return out


async def last_sale(session: AsyncSession, company_id: str) -> LastSale | None:
    sale = await market.last_counted_sale(session, company_id)
    if sale is None:
        return None
    return LastSale(sale.id, sale.card_id, sale.price, Asset(sale.currency), sale.executed_at)


async def sale_points(
    session: AsyncSession, company_id: str, currency: Asset, since: datetime
) -> list[tuple[datetime, int]]:
    """(executed_at, price) of counted sales, oldest first."""
    sales = await market.counted_sales_since(session, company_id, currency.value, since)
    return [(s.executed_at, s.price) for s in sales]


async def cheapest_listings(
    session: AsyncSession, company_ids: Sequence[str], excluding: Collection[str], now: datetime
) -> list[tuple[str, Asset, ListedPrice]]:
    rows = await market.cheapest_public_listings(session, company_ids, excluding, now)
    return [(r.company_id, Asset(r.currency), ListedPrice(int(r.price), r.seller_id)) for r in rows]


async def market_sales(
    session: AsyncSession, company_ids: Sequence[str], excluding: Collection[str], count: int
) -> list[tuple[str, Asset, SoldPrice]]:
    rows = await market.latest_market_sales(session, company_ids, excluding, count)
    return [
        (r.company_id, Asset(r.currency), SoldPrice(int(r.price), r.seller_id, r.buyer_user_id))
        for r in rows
    ]


async def user_id(session: AsyncSession, id_or_address: str) -> str | None:
    return await auth.user_id_for(session, id_or_address)


# --- the activity feed's sources --------------------------------------------------------------


async def _sales(session: AsyncSession, q: FeedSlice) -> list[FeedEntry]:
    return [
        FeedEntry(Source.sales, s.id, Activity(
            type=ActivityType.sale, at=s.executed_at, ref=s.id, subject="sale",
            company_id=s.company_id, card_id=s.card_id, card_ids=[s.card_id],
            from_user_id=s.seller_id if s.seller_kind == USER else None,
            to_user_id=s.buyer_user_id, price=s.price, currency=s.currency,
            wash_suspect=s.wash_suspect, source=s.source,
        ))
        for s in await market.sale_feed(session, q)
    ]  # fmt: skip


async def _listings(session: AsyncSession, q: FeedSlice, source: Source) -> list[FeedEntry]:
    """A new listing at the price it was listed at (its price changes are entries of their
    own); a cancelled one at its price when cancelled."""
    cancelled = source is Source.cancelled_listings
    rows = await market.listing_feed(session, q, cancelled=cancelled)
    listed = {} if cancelled else await market.listed_prices(session, [x.id for x in rows])
    return [
        FeedEntry(source, x.id, Activity(
            type=source.type, at=x.closed_at if cancelled and x.closed_at else x.created_at,
            ref=x.id, subject="listing", company_id=x.company_id, card_id=x.card_id,
            card_ids=[x.card_id], from_user_id=x.seller_id if x.seller_kind == USER else None,
            price=listed.get(x.id, x.price), currency=x.currency,
        ))
        for x in rows
    ]  # fmt: skip


async def _offers(session: AsyncSession, q: FeedSlice, source: Source) -> list[FeedEntry]:
    cancelled = source is Source.cancelled_offers
    return [
        FeedEntry(source, x.id, Activity(
            type=source.type, at=x.closed_at if cancelled and x.closed_at else x.created_at,
            ref=x.id, subject="offer", company_id=x.company_id, card_id=x.card_id,
            card_ids=[x.card_id] if x.card_id else [], from_user_id=x.buyer_user_id,
            price=x.price, currency=x.currency,
        ))
        for x in await market.offer_feed(session, q, cancelled=cancelled)
    ]  # fmt: skip


async def _trades(session: AsyncSession, q: FeedSlice, source: Source) -> list[FeedEntry]:
    out = []
    for x in await trades.trade_offer_feed(session, q, accepted=source is Source.trades):
        assert x.closed_at is not None
        item = Activity(
            type=source.type, at=x.closed_at, ref=x.id, subject="trade_offer",
            from_user_id=x.maker_user_id, to_user_id=x.taker_user_id,
        )  # fmt: skip
        out.append(FeedEntry(source, x.id, item))
    return out


async def _transfers(session: AsyncSession, q: FeedSlice) -> list[FeedEntry]:
    return [
        FeedEntry(Source.transfers, e.id, Activity(
            type=ActivityType.transfer, at=e.created_at, ref=str(e.id), subject="card_event",
            card_id=e.card_id, card_ids=[e.card_id], from_user_id=e.from_user_id,
            to_user_id=e.to_user_id, price=e.price, currency=e.currency, source=e.reason,
        ))
        for e in await cards.transfer_feed(session, q)
    ]  # fmt: skip


async def _price_changes(session: AsyncSession, q: FeedSlice) -> list[FeedEntry]:
    return [
        FeedEntry(Source.price_changes, x.id, Activity(
            type=ActivityType.price_change, at=x.created_at, ref=x.listing_id, subject="listing",
            company_id=x.company_id, card_id=x.card_id, card_ids=[x.card_id],
            from_user_id=x.seller_id if x.seller_kind == USER else None,
            price=x.new_price, currency=x.currency, old_price=x.old_price,
        ))
        for x in await market.price_change_feed(session, q)
    ]  # fmt: skip


async def feed(session: AsyncSession, source: Source, q: FeedSlice) -> list[FeedEntry]:
    """One source's rows of the activity feed, newest first, as feed entries."""
    if source is Source.sales:
        return await _sales(session, q)
    if source in (Source.listings, Source.cancelled_listings):
        return await _listings(session, q, source)
    if source in (Source.offers, Source.cancelled_offers):
        return await _offers(session, q, source)
    if source in (Source.trades, Source.cancelled_trades):
        return await _trades(session, q, source)
    if source is Source.price_changes:
        return await _price_changes(session, q)
    return await _transfers(session, q)

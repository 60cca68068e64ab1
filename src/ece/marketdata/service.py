"""Market data: floors, best offers, volume, candles and rankings, read-only over the market.

Rules every number here follows:

- Floors and listed counts come from live public listings only (``public_listing_filter``:
  active, not expired at this instant, not private), so a listing stops counting at its expiry
  even if no job has run since, and a private listing never shows.
- Volume, sale counts, last sale, price change and candles count only sales not flagged as
  suspected wash trades (see ``ece.settlement.rules``).
- Amounts stay integers in base units per currency; currencies are never added together.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, Company
from ece.core.clock import utcnow
from ece.core.errors import NotFound
from ece.core.money import Asset
from ece.market.models import Listing, Offer, active_offer_filter, public_listing_filter
from ece.settlement.service import Sale, SaleSource

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
PerAsset = dict[Asset, int]


class Interval(StrEnum):
    hour = "1h"
    day = "1d"

    @property
    def delta(self) -> timedelta:
        return timedelta(hours=1) if self is Interval.hour else DAY


def counted_sales() -> Select[Any]:
    """Sales that count for prices and volume: not suspected wash trades."""
    return select(Sale).where(Sale.wash_suspect.is_(False))


async def _company(session: AsyncSession, company_id: str) -> Company:
    company = await session.get(Company, company_id)
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    return company


def _by_company_asset(rows: Iterable[tuple[str, str, int]]) -> dict[str, PerAsset]:
    out: dict[str, PerAsset] = {}
    for company_id, currency, value in rows:
        if currency in Asset.__members__ and value is not None:
            out.setdefault(company_id, {})[Asset(currency)] = int(value)
    return out


async def floors(
    session: AsyncSession, company_ids: Sequence[str], now: datetime | None = None
) -> dict[str, PerAsset]:
    """Lowest live public listing price per company and currency."""
    if not company_ids:
        return {}
    rows = await session.execute(
        select(Listing.company_id, Listing.currency, func.min(Listing.price))
        .where(public_listing_filter(now or utcnow()), Listing.company_id.in_(company_ids))
        .group_by(Listing.company_id, Listing.currency)
    )
    return _by_company_asset(rows.all())


async def best_offers(
    session: AsyncSession, company_ids: Sequence[str], now: datetime | None = None
) -> dict[str, PerAsset]:
    """Highest live offer (card or collection) per company and currency."""
    if not company_ids:
        return {}
    rows = await session.execute(
        select(Offer.company_id, Offer.currency, func.max(Offer.price))
        .where(active_offer_filter(now or utcnow()), Offer.company_id.in_(company_ids))
        .group_by(Offer.company_id, Offer.currency)
    )
    return _by_company_asset(rows.all())


async def volumes(
    session: AsyncSession, company_ids: Sequence[str], since: datetime
) -> tuple[dict[str, PerAsset], dict[str, int]]:
    """Counted sale volume per company and currency since ``since``, and the sale count."""
    if not company_ids:
        return {}, {}
    rows = (
        await session.execute(
            select(Sale.company_id, Sale.currency, func.sum(Sale.price), func.count(Sale.id))
            .where(
                Sale.wash_suspect.is_(False),
                Sale.executed_at > since,
                Sale.company_id.in_(company_ids),
            )
            .group_by(Sale.company_id, Sale.currency)
        )
    ).all()
    volume: dict[str, PerAsset] = {}
    count: dict[str, int] = {}
    for company_id, currency, total, n in rows:
        volume.setdefault(company_id, {})[Asset(currency)] = int(total)
        count[company_id] = count.get(company_id, 0) + int(n)
    return volume, count


async def last_sales(
    session: AsyncSession, company_ids: Sequence[str], before: datetime | None = None
) -> dict[str, dict[Asset, Sale]]:
    """The latest counted sale per company and currency (at or before ``before``)."""
    if not company_ids:
        return {}
    latest = (
        select(Sale.company_id, Sale.currency, func.max(Sale.executed_at).label("at"))
        .where(Sale.wash_suspect.is_(False), Sale.company_id.in_(company_ids))
        .group_by(Sale.company_id, Sale.currency)
    )
    if before is not None:
        latest = latest.where(Sale.executed_at <= before)
    sub = latest.subquery()
    rows = await session.scalars(
        counted_sales()
        .join(
            sub,
            and_(
                Sale.company_id == sub.c.company_id,
                Sale.currency == sub.c.currency,
                Sale.executed_at == sub.c.at,
            ),
        )
        .order_by(Sale.id)
    )
    out: dict[str, dict[Asset, Sale]] = {}
    for sale in rows:  # two sales at the same instant: either is the last; keep one
        out.setdefault(sale.company_id, {})[Asset(sale.currency)] = sale
    return out


class ListedPrice(NamedTuple):
    price: int
    seller_id: str


class SoldPrice(NamedTuple):
    price: int
    seller_id: str
    buyer_id: str


@dataclass(frozen=True, slots=True)
class PriceEvidence:
    """What the market shows for one company's cards in one currency, without some users:
    its cheapest live public listing (at most one) and its latest market sales, newest first."""

    listings: list[ListedPrice] = field(default_factory=list)
    sales: list[SoldPrice] = field(default_factory=list)


def market_sale_filter() -> ColumnElement[bool]:
    """Sales at a price the open market set: counted (not wash-suspect), not a trade offer's
    (its price is what two parties agreed, split over their cards) and not through a private
    listing (a price offered to one chosen buyer)."""
    private = exists().where(Listing.id == Sale.ref, Listing.taker_address.is_not(None))
    return and_(Sale.wash_suspect.is_(False), Sale.source != SaleSource.trade_offer.value, ~private)


def _cheapest_listing(ids: Sequence[str], users: Sequence[str], now: datetime) -> Select[Any]:
    by_key = (Listing.company_id, Listing.currency)
    rank = func.row_number().over(partition_by=by_key, order_by=(Listing.price, Listing.id))
    ranked = (
        select(*by_key, Listing.price, Listing.seller_id, rank.label("n"))
        .where(
            public_listing_filter(now),
            Listing.company_id.in_(ids),
            Listing.seller_id.not_in(users),
        )
        .subquery()
    )
    return select(ranked).where(ranked.c.n == 1)


def _latest_market_sales(ids: Sequence[str], users: Sequence[str], count: int) -> Select[Any]:
    by_key = (Sale.company_id, Sale.currency)
    newest = (Sale.executed_at.desc(), Sale.id.desc())
    rank = func.row_number().over(partition_by=by_key, order_by=newest)
    ranked = (
        select(*by_key, Sale.price, Sale.seller_id, Sale.buyer_user_id, rank.label("n"))
        .where(
            market_sale_filter(),
            Sale.company_id.in_(ids),
            Sale.seller_id.not_in(users),
            Sale.buyer_user_id.not_in(users),
        )
        .subquery()
    )
    return select(ranked).where(ranked.c.n <= count).order_by(ranked.c.n)


async def price_evidence(
    session: AsyncSession,
    company_ids: Sequence[str],
    *,
    excluding: Collection[str],
    sales: int,
    now: datetime | None = None,
) -> dict[tuple[str, Asset], PriceEvidence]:
    """Per company and currency: the cheapest live public listing whose seller is not in
    ``excluding``, and the ``sales`` latest market sales (``market_sale_filter``) in which no
    user of ``excluding`` sold or bought. The rule that turns this into a price is
    ``ece.trades.pricing.reference_price``; the exclusion here only pre-filters for it."""
    ids, users = sorted(set(company_ids)), sorted(set(excluding))
    found: dict[tuple[str, Asset], PriceEvidence] = {}
    if not ids:
        return found

    def evidence(company_id: str, currency: str) -> PriceEvidence:
        return found.setdefault((company_id, Asset(currency)), PriceEvidence())

    for row in await session.execute(_cheapest_listing(ids, users, now or utcnow())):
        evidence(row.company_id, row.currency).listings.append(
            ListedPrice(int(row.price), row.seller_id)
        )
    for row in await session.execute(_latest_market_sales(ids, users, sales)):
        evidence(row.company_id, row.currency).sales.append(
            SoldPrice(int(row.price), row.seller_id, row.buyer_user_id)
        )
    return found


# ---------------------------------------------------------------------------------------------
# Company stats


@dataclass(frozen=True, slots=True)
class CompanyStats:
    company_id: str
    floor: PerAsset
    best_offer: PerAsset
    volume_24h: PerAsset
    volume_7d: PerAsset
    sales_24h: int
    last_sale: Sale | None
    listed_count: int
    holders: int
    change_24h: dict[Asset, Decimal]


def percent_change(old: int, new: int) -> Decimal:
    """``new`` against ``old`` in percent, two decimals, exact decimal arithmetic."""
    return (Decimal(new - old) * 100 / Decimal(old)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )


async def company_stats(session: AsyncSession, company_id: str) -> CompanyStats:
    """Stats of one company's cards at this instant. 404 ``company_not_found``."""
    await _company(session, company_id)
    now = utcnow()
    ids = [company_id]
    day, _ = await volumes(session, ids, now - DAY)
    week, _ = await volumes(session, ids, now - WEEK)
    count_24h = await session.scalar(
        select(func.count(Sale.id)).where(
            Sale.company_id == company_id,
            Sale.wash_suspect.is_(False),
            Sale.executed_at > now - DAY,
        )
    )
    last = await session.scalar(
        counted_sales()
        .where(Sale.company_id == company_id)
        .order_by(Sale.executed_at.desc(), Sale.id.desc())
        .limit(1)
    )
    listed = await session.scalar(
        select(func.count(func.distinct(Listing.card_id))).where(
            public_listing_filter(now), Listing.company_id == company_id
        )
    )
    holders = await session.scalar(
        select(func.count(func.distinct(Card.owner_user_id))).where(
            Card.company_id == company_id,
            Card.owner_user_id.is_not(None),
            Card.withdrawn_at.is_(None),
        )
    )
    latest = (await last_sales(session, ids)).get(company_id, {})
    day_ago = (await last_sales(session, ids, before=now - DAY)).get(company_id, {})
    change = {
        asset: percent_change(day_ago[asset].price, sale.price)
        for asset, sale in latest.items()
        if asset in day_ago
    }
    return CompanyStats(
        company_id=company_id,
        floor=(await floors(session, ids, now)).get(company_id, {}),
        best_offer=(await best_offers(session, ids, now)).get(company_id, {}),
        volume_24h=day.get(company_id, {}),
        volume_7d=week.get(company_id, {}),
        sales_24h=int(count_24h or 0),
        last_sale=last,
        listed_count=int(listed or 0),
        holders=int(holders or 0),
        change_24h=change,
    )


# ---------------------------------------------------------------------------------------------
# Candles


@dataclass(slots=True)
class Candle:
    start: datetime
    open: int
    high: int
    low: int
    close: int
    volume: int
    sales: int = 1


MAX_CANDLES = 500


def bucket_start(at: datetime, interval: Interval) -> datetime:
    if interval is Interval.hour:
        return at.replace(minute=0, second=0, microsecond=0)
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


async def candles(
    session: AsyncSession, company_id: str, currency: Asset, interval: Interval, limit: int
) -> list[Candle]:
    """OHLCV of counted sales, oldest first, for the last ``limit`` buckets (UTC hours or
    days); buckets without a sale are left out. Bucketing is done here, not in SQL, so it is
    the same on SQLite and PostgreSQL; the window bounds the rows read."""
    await _company(session, company_id)
    limit = max(1, min(limit, MAX_CANDLES))
    start = bucket_start(utcnow(), interval) - interval.delta * (limit - 1)
    rows = await session.scalars(
        counted_sales()
        .where(
            Sale.company_id == company_id,
            Sale.currency == currency.value,
            Sale.executed_at >= start,
        )
        .order_by(Sale.executed_at, Sale.id)
    )
    out: list[Candle] = []
    for sale in rows:
        bucket = bucket_start(sale.executed_at, interval)
        if out and out[-1].start == bucket:
            candle = out[-1]
            candle.high = max(candle.high, sale.price)
            candle.low = min(candle.low, sale.price)
            candle.close = sale.price
            candle.volume += sale.price
            candle.sales += 1
        else:
            out.append(Candle(bucket, sale.price, sale.price, sale.price, sale.price, sale.price))
    return out


# ---------------------------------------------------------------------------------------------
# Summary


@dataclass(frozen=True, slots=True)
class CompanySummary:
    company: Company
    floor: PerAsset
    volume_24h: PerAsset
    volume_7d: PerAsset
    sales_24h: int
    rank: int = 0


async def summary(session: AsyncSession, currency: Asset, limit: int) -> list[CompanySummary]:
    """Companies ranked by 24 h counted volume in ``currency``, then 7 d volume, then ticker,
    each with its floors. Volumes in different currencies are never added together."""
    companies = list(await session.scalars(select(Company).order_by(Company.ticker)))
    ids = [c.id for c in companies]
    now = utcnow()
    day, counts = await volumes(session, ids, now - DAY)
    week, _ = await volumes(session, ids, now - WEEK)
    company_floors = await floors(session, ids, now)
    ranked = sorted(
        companies,
        key=lambda c: (
            -day.get(c.id, {}).get(currency, 0),
            -week.get(c.id, {}).get(currency, 0),
            c.ticker,
        ),
    )
    return [
        CompanySummary(
            company=c,
            floor=company_floors.get(c.id, {}),
            volume_24h=day.get(c.id, {}),
            volume_7d=week.get(c.id, {}),
            sales_24h=counts.get(c.id, 0),
            rank=rank,
        )
        for rank, c in enumerate(ranked[:limit], start=1)
    ]

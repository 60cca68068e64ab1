"""Market data's arithmetic and merging, pure: no session, no I/O.

Amounts are integers in base units per currency (``PerAsset``); currencies are never added
together. Percentages are exact decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from ece.core.errors import Unprocessable
from ece.core.feed import ResumeAfter
from ece.core.money import Asset

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
MAX_CANDLES = 500
PerAsset = dict[Asset, int]


# --- prices and volume ------------------------------------------------------------------------


def per_company_asset(rows: Iterable[tuple[str, str, int | None]]) -> dict[str, PerAsset]:
    """``(company, currency, amount)`` rows keyed by company then currency; rows in an unknown
    currency or without an amount are left out."""
    out: dict[str, PerAsset] = {}
    for company_id, currency, value in rows:
        if currency in Asset.__members__ and value is not None:
            out.setdefault(company_id, {})[Asset(currency)] = int(value)
    return out


def volumes_and_counts(
    rows: Iterable[tuple[str, str, int, int]],
) -> tuple[dict[str, PerAsset], dict[str, int]]:
    """``(company, currency, volume, sales)`` rows: the volume per company and currency, and
    the sale count per company over every currency."""
    volume: dict[str, PerAsset] = {}
    count: dict[str, int] = {}
    for company_id, currency, total, n in rows:
        volume.setdefault(company_id, {})[Asset(currency)] = int(total)
        count[company_id] = count.get(company_id, 0) + int(n)
    return volume, count


def percent_change(old: int, new: int) -> Decimal:
    """``new`` against ``old`` in percent, two decimals, exact decimal arithmetic. ``old`` is a
    sale price, never zero; a zero baseline has no percentage and raises."""
    if old == 0:
        raise ZeroDivisionError("no percentage change from a zero baseline")
    return (Decimal(new - old) * 100 / Decimal(old)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )


def price_changes(latest: PerAsset, day_ago: PerAsset) -> dict[Asset, Decimal]:
    """Per currency with a last sale both now and a day ago: the change in percent. A
    currency whose earlier price is zero (a free sale) has no percentage and is left out."""
    return {
        asset: percent_change(day_ago[asset], price)
        for asset, price in latest.items()
        if day_ago.get(asset)
    }


@dataclass(frozen=True, slots=True)
class CompanyRef:
    id: str
    ticker: str
    name: str


def ranked(
    companies: Sequence[CompanyRef],
    day: dict[str, PerAsset],
    week: dict[str, PerAsset],
    currency: Asset,
) -> list[CompanyRef]:
    """By 24 h volume in ``currency``, then 7 d volume, then ticker."""
    return sorted(
        companies,
        key=lambda c: (
            -day.get(c.id, {}).get(currency, 0),
            -week.get(c.id, {}).get(currency, 0),
            c.ticker,
        ),
    )


# --- candles ----------------------------------------------------------------------------------


class Interval(StrEnum):
    hour = "1h"
    day = "1d"

    @property
    def delta(self) -> timedelta:
        return timedelta(hours=1) if self is Interval.hour else DAY


@dataclass(slots=True)
class Candle:
    start: datetime
    open: int
    high: int
    low: int
    close: int
    volume: int
    sales: int = 1


def bucket_start(at: datetime, interval: Interval) -> datetime:
    if interval is Interval.hour:
        return at.replace(minute=0, second=0, microsecond=0)
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def candle_window(now: datetime, interval: Interval, limit: int) -> datetime:
    """Start of the oldest of the last ``limit`` buckets (1..MAX_CANDLES) ending with now's."""
    limit = max(1, min(limit, MAX_CANDLES))
    return bucket_start(now, interval) - interval.delta * (limit - 1)


def build_candles(sales: Iterable[tuple[datetime, int]], interval: Interval) -> list[Candle]:
    """OHLCV of ``(executed_at, price)`` sales given oldest first; empty buckets left out."""
    out: list[Candle] = []
    for at, price in sales:
        bucket = bucket_start(at, interval)
        if out and out[-1].start == bucket:
            candle = out[-1]
            candle.high = max(candle.high, price)
            candle.low = min(candle.low, price)
            candle.close = price
            candle.volume += price
            candle.sales += 1
        else:
            out.append(Candle(bucket, price, price, price, price, price))
    return out


# --- stats records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LastSale:
    sale_id: str
    card_id: str
    price: int
    currency: Asset
    executed_at: datetime


@dataclass(frozen=True, slots=True)
class CompanyStats:
    company_id: str
    floor: PerAsset
    best_offer: PerAsset
    volume_24h: PerAsset
    volume_7d: PerAsset
    sales_24h: int
    last_sale: LastSale | None
    listed_count: int
    holders: int
    change_24h: dict[Asset, Decimal]


@dataclass(frozen=True, slots=True)
class CompanySummary:
    company: CompanyRef
    floor: PerAsset
    volume_24h: PerAsset
    volume_7d: PerAsset
    sales_24h: int
    rank: int = 0


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


# --- activity feed ----------------------------------------------------------------------------


class ActivityType(StrEnum):
    sale = "sale"
    listing = "listing"
    offer = "offer"
    trade = "trade"
    cancel = "cancel"
    transfer = "transfer"
    price_change = "price_change"


class Source(StrEnum):
    """The feed's sources, in the order that breaks ties between them at the same instant
    (a cursor holds a source's rank: a new source goes last so older cursors stay valid)."""

    sales = "sales"
    listings = "listings"
    offers = "offers"
    cancelled_listings = "cancelled_listings"
    cancelled_offers = "cancelled_offers"
    cancelled_trades = "cancelled_trades"
    trades = "trades"
    transfers = "transfers"
    price_changes = "price_changes"

    @property
    def rank(self) -> int:
        return list(Source).index(self)

    @property
    def type(self) -> ActivityType:
        return SOURCE_TYPES[self]


SOURCE_TYPES = {
    Source.sales: ActivityType.sale,
    Source.listings: ActivityType.listing,
    Source.offers: ActivityType.offer,
    Source.cancelled_listings: ActivityType.cancel,
    Source.cancelled_offers: ActivityType.cancel,
    Source.cancelled_trades: ActivityType.cancel,
    Source.trades: ActivityType.trade,
    Source.transfers: ActivityType.transfer,
    Source.price_changes: ActivityType.price_change,
}


@dataclass(frozen=True, slots=True)
class ActivityFilters:
    type: ActivityType | None = None
    company_id: str | None = None
    card_id: str | None = None
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    type: ActivityType
    at: datetime
    ref: str  # the sale, listing (also of a price change), offer, trade offer or card event
    subject: str  # sale | listing | offer | trade_offer | card_event
    company_id: str | None = None
    card_id: str | None = None
    card_ids: list[str] = field(default_factory=list)
    from_user_id: str | None = None
    to_user_id: str | None = None
    price: int | None = None
    currency: str | None = None
    old_price: int | None = None  # a price change: the price before it (``price`` is after)
    wash_suspect: bool = False
    source: str | None = None


@dataclass(frozen=True, slots=True)
class FeedCursor:
    """Where the last page ended: the time, source rank and id of its last item."""

    at: datetime
    rank: int
    last_id: str | int


def sources_for(kind: ActivityType | None) -> list[Source]:
    return [s for s in Source if kind is None or s.type is kind]


def feed_cursor(values: Sequence[Any]) -> FeedCursor:
    """A decoded cursor checked: a time, a known source rank and an id of that source's type
    (a card event id is an integer, every other id a string). 422 ``invalid_cursor``."""
    at, rank, last_id = values
    sources = list(Source)
    known = isinstance(rank, int) and 0 <= rank < len(sources)
    id_type = int if known and sources[rank] is Source.transfers else str
    if (
        not isinstance(at, datetime)
        or not known
        or isinstance(last_id, bool)
        or not isinstance(last_id, id_type)
    ):
        raise Unprocessable("The cursor is not valid.", code="invalid_cursor")
    return FeedCursor(at, rank, last_id)


def resume_after(source: Source, cursor: FeedCursor | None) -> ResumeAfter | None:
    """Rows of ``source`` strictly after the cursor in (time, rank, id) newest-first order."""
    if cursor is None:
        return None
    if source.rank < cursor.rank:
        return ResumeAfter(cursor.at, same_instant=True)
    if source.rank > cursor.rank:
        return ResumeAfter(cursor.at)
    return ResumeAfter(cursor.at, same_instant=True, below_id=cursor.last_id)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    source: Source
    id: str | int
    item: Activity

    @property
    def key(self) -> tuple[datetime, int, Any]:
        return (self.item.at, self.source.rank, self.id)


def merge_page(
    entries: Iterable[FeedEntry], limit: int
) -> tuple[list[Activity], FeedCursor | None]:
    """Newest first by (time, source rank, id), the first ``limit``, and where the next page
    starts when more were found."""
    found = sorted(entries, key=lambda e: e.key, reverse=True)
    page = found[:limit]
    cursor = None
    if len(found) > limit:
        last = page[-1]
        cursor = FeedCursor(last.item.at, last.source.rank, last.id)
    return [e.item for e in page], cursor

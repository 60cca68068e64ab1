"""Market data: floors, best offers, volume, candles, rankings and the activity feed, read-only
over the market. The public face other domains and the web pages call.

Rules every number here follows:

- Floors and listed counts come from live public listings only (active, not expired at this
  instant, not private), so a listing stops counting at its expiry even if no job has run
  since, and a private listing never shows.
- Volume, sale counts, last sale, price change and candles count only sales not flagged as
  suspected wash trades (see ``ece.settlement.rules``).
- Amounts stay integers in base units per currency; currencies are never added together.

The arithmetic is in ``ece.marketdata.rules``; the reads in ``ece.marketdata.repository``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.clock import utcnow
from ece.core.feed import FeedSlice
from ece.core.money import Asset
from ece.core.pagination import PageParams, decode_cursor, encode_cursor
from ece.marketdata import repository
from ece.marketdata.rules import (
    DAY,
    MAX_CANDLES,
    WEEK,
    Activity,
    ActivityFilters,
    ActivityType,
    Candle,
    CompanyStats,
    CompanySummary,
    Interval,
    PerAsset,
    PriceEvidence,
    build_candles,
    candle_window,
    feed_cursor,
    merge_page,
    per_company_asset,
    price_changes,
    ranked,
    resume_after,
    sources_for,
    volumes_and_counts,
)

__all__ = [
    "MAX_CANDLES",
    "Activity",
    "ActivityFilters",
    "ActivityType",
    "Candle",
    "CompanyStats",
    "CompanySummary",
    "Interval",
    "PerAsset",
    "PriceEvidence",
    "activity",
    "best_offers",
    "candle_window",
    "candles",
    "company_stats",
    "floors",
    "price_evidence",
    "summary",
    "volumes",
]


async def floors(
    session: AsyncSession, company_ids: Sequence[str], now: datetime | None = None
) -> dict[str, PerAsset]:
    """Lowest live public listing price per company and currency."""
    if not company_ids:
        return {}
    return per_company_asset(await repository.floor_rows(session, company_ids, now or utcnow()))


async def best_offers(
    session: AsyncSession, company_ids: Sequence[str], now: datetime | None = None
) -> dict[str, PerAsset]:
    """Highest live offer (card or collection) per company and currency."""
    if not company_ids:
        return {}
    rows = await repository.best_offer_rows(session, company_ids, now or utcnow())
    return per_company_asset(rows)


async def volumes(
    session: AsyncSession, company_ids: Sequence[str], since: datetime
) -> tuple[dict[str, PerAsset], dict[str, int]]:
    """Counted sale volume per company and currency since ``since``, and the sale count."""
    if not company_ids:
        return {}, {}
    return volumes_and_counts(await repository.sale_totals(session, company_ids, since))


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
    ``ece.settlement.swap_rules.reference_price``; the exclusion here only pre-filters for it."""
    ids, users = sorted(set(company_ids)), sorted(set(excluding))
    found: dict[tuple[str, Asset], PriceEvidence] = {}
    if not ids:
        return found
    listed = await repository.cheapest_listings(session, ids, users, now or utcnow())
    for company_id, asset, listing in listed:
        found.setdefault((company_id, asset), PriceEvidence()).listings.append(listing)
    for company_id, asset, sale in await repository.market_sales(session, ids, users, sales):
        found.setdefault((company_id, asset), PriceEvidence()).sales.append(sale)
    return found


async def company_stats(session: AsyncSession, company_id: str) -> CompanyStats:
    """Stats of one company's cards at this instant. 404 ``company_not_found``."""
    await repository.company(session, company_id)
    now = utcnow()
    ids = [company_id]
    day, counts = await volumes(session, ids, now - DAY)
    week, _ = await volumes(session, ids, now - WEEK)
    latest = (await repository.last_prices(session, ids)).get(company_id, {})
    day_ago = (await repository.last_prices(session, ids, before=now - DAY)).get(company_id, {})
    return CompanyStats(
        company_id=company_id,
        floor=(await floors(session, ids, now)).get(company_id, {}),
        best_offer=(await best_offers(session, ids, now)).get(company_id, {}),
        volume_24h=day.get(company_id, {}),
        volume_7d=week.get(company_id, {}),
        sales_24h=counts.get(company_id, 0),
        last_sale=await repository.last_sale(session, company_id),
        listed_count=await repository.listed_count(session, company_id, now),
        holders=await repository.holders(session, company_id),
        change_24h=price_changes(latest, day_ago),
    )


async def candles(
    session: AsyncSession, company_id: str, currency: Asset, interval: Interval, limit: int
) -> list[Candle]:
    """OHLCV of counted sales, oldest first, for the last ``limit`` buckets (UTC hours or
    days); buckets without a sale are left out. Bucketing is done in Python, not in SQL, so it
    is the same on SQLite and PostgreSQL; the window bounds the rows read."""
    await repository.company(session, company_id)
    start = candle_window(utcnow(), interval, limit)
    points = await repository.sale_points(session, company_id, currency, start)
    return build_candles(points, interval)


async def summary(session: AsyncSession, currency: Asset, limit: int) -> list[CompanySummary]:
    """Companies ranked by 24 h counted volume in ``currency``, then 7 d volume, then ticker,
    each with its floors. Volumes in different currencies are never added together."""
    companies = await repository.companies(session)
    ids = [c.id for c in companies]
    now = utcnow()
    day, counts = await volumes(session, ids, now - DAY)
    week, _ = await volumes(session, ids, now - WEEK)
    company_floors = await floors(session, ids, now)
    return [
        CompanySummary(
            company=c,
            floor=company_floors.get(c.id, {}),
            volume_24h=day.get(c.id, {}),
            volume_7d=week.get(c.id, {}),
            sales_24h=counts.get(c.id, 0),
            rank=rank,
        )
        for rank, c in enumerate(ranked(companies, day, week, currency)[:limit], start=1)
    ]


async def activity(
    session: AsyncSession, filters: ActivityFilters, params: PageParams
) -> tuple[list[Activity], str | None]:
    """Market activity, newest first, filtered by type, company, card and user (id or wallet).

    Each source (sales, listings, offers, cancellations, trades, card transfers, listing price
    changes) is read from
    the table that records it with the same keyset (time, source rank, id), at most
    ``limit + 1`` rows each; the merge keeps the first ``limit``, so a page costs one bounded
    query per source and the cursor stays exact across sources."""
    cursor = feed_cursor(decode_cursor(params.cursor, 3)) if params.cursor else None
    if filters.user_id is not None:
        user_id = await repository.user_id(session, filters.user_id)
        if user_id is None:
            return [], None
        filters = replace(filters, user_id=user_id)
    entries = []
    for source in sources_for(filters.type):
        q = FeedSlice(
            limit=params.limit + 1,
            company_id=filters.company_id,
            card_id=filters.card_id,
            user_id=filters.user_id,
            after=resume_after(source, cursor),
        )
        entries.extend(await repository.feed(session, source, q))
    items, next_at = merge_page(entries, params.limit)
    next_cursor = encode_cursor([next_at.at, next_at.rank, next_at.last_id]) if next_at else None
    return items, next_cursor


# ---------------------------------------------------------------------------------------------
# Reference prices for swaps (``ece.settlement.swaps.ReferencePrices``): the trade offer
# routes pass this to the trades service, which does not import market data.
from ece.settlement.service import REFERENCE_SALES, reference_price  # noqa: E402


async def swap_reference_prices(
    session: AsyncSession, company_ids: Collection[str], parties: Collection[str]
) -> dict[str, dict[Asset, int]]:
    """Each company's reference price per currency for a swap between ``parties``
    (``swap_rules.reference_price``): evidence neither party made."""
    evidence = await price_evidence(
        session, sorted(set(company_ids)), excluding=parties, sales=REFERENCE_SALES
    )
    prices: dict[str, dict[Asset, int]] = {}
    for (company_id, asset), seen in evidence.items():
        price = reference_price(parties, seen.listings, seen.sales)
        if price is not None:
            prices.setdefault(company_id, {})[asset] = price
    return prices

"""What the collection page shows: the portfolio with cost basis and P&L (totals over every
card held), the CSV links, the watchlist and the price alerts, from the portfolio service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.service import Company
from ece.core.clock import utcnow
from ece.core.money import Asset
from ece.core.pagination import PageParams
from ece.marketdata.service import Candle, Interval
from ece.portfolio import service as portfolio
from ece.portfolio.schemas import (
    CollectorPreferences,
    CollectorProfileOut,
    PortfolioOut,
    PriceAlertOut,
    WatchlistItemOut,
)
from ece.web.chart import Chart, candle_chart

SHOWN = PageParams(limit=200, cursor=None)


@dataclass(frozen=True)
class CollectionPage:
    portfolio: PortfolioOut
    watchlist: list[WatchlistItemOut]
    alerts: list[PriceAlertOut]
    companies: list[Company]
    names: dict[str, str]  # company id → name, for the watchlist and alerts
    year: int
    chart: Chart | None  # the collection's USDC value over the last 30 days (its line only)
    preferences: CollectorPreferences


async def collection(session: AsyncSession, user: User) -> CollectionPage:
    view = await portfolio.portfolio(session, user.id, Asset.USDC, SHOWN)
    companies = await cards.companies_by_ticker(session)
    return CollectionPage(
        portfolio=PortfolioOut.of(view),
        watchlist=[WatchlistItemOut.of(i) for i in await portfolio.watchlist(session, user.id)],
        alerts=[PriceAlertOut.of(a) for a in await portfolio.list_alerts(session, user.id)],
        companies=companies,
        names={c.id: c.name for c in companies},
        year=utcnow().year,
        chart=await _value_chart(session, user),
        preferences=CollectorPreferences.of(await portfolio.preferences(session, user.id)),
    )


async def _value_chart(session: AsyncSession, user: User) -> Chart | None:
    points = await portfolio.history(session, user.id, Asset.USDC, Interval.day, None, None)
    if not any(p.valued for p in points):
        return None
    # Each day as a candle from the day before's value to its own: the chart's close line.
    values = [p.value for p in points]
    days = [
        Candle(p.at, before, max(before, p.value), min(before, p.value), p.value, 0, p.cards)
        for p, before in zip(points, [values[0], *values[:-1]], strict=True)
    ]
    return candle_chart(days, Asset.USDC)


async def profile(session: AsyncSession, address: str) -> CollectorProfileOut:
    """A collector's public profile page (404 page for an unknown address)."""
    return CollectorProfileOut.of(await portfolio.public_profile(session, address))

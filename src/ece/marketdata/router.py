"""HTTP for market data: public, read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ece.core.errors import problem_responses
from ece.core.money import Asset
from ece.core.pagination import PageParams, page_params
from ece.marketdata import service
from ece.marketdata.schemas import (
    ActivityOut,
    ActivityPage,
    CandleOut,
    CandlesOut,
    CompanyStatsOut,
    CompanySummaryOut,
    MarketSummaryOut,
)
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1/market", tags=["market data"], route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]
Id = Annotated[str | None, Query(min_length=1, max_length=64)]


@router.get(
    "/companies/{company_id}/stats",
    response_model=CompanyStatsOut,
    responses=problem_responses(404),
)
async def company_stats(company_id: str, session: Session) -> CompanyStatsOut:
    """Floor, best offer, volume, last sale, listings, holders and 24 h change, at this
    instant. Suspected wash trades are not counted."""
    return CompanyStatsOut.of(await service.company_stats(session, company_id))


@router.get(
    "/companies/{company_id}/candles",
    response_model=CandlesOut,
    responses=problem_responses(404, 422),
)
async def candles(
    company_id: str,
    session: Session,
    currency: Asset,
    interval: service.Interval = service.Interval.hour,
    limit: Annotated[int, Query(ge=1, le=service.MAX_CANDLES, description="Buckets back")] = 168,
) -> CandlesOut:
    """OHLCV of sales in one currency, by UTC hour or day, oldest first."""
    rows = await service.candles(session, company_id, currency, interval, limit)
    return CandlesOut(
        company_id=company_id,
        currency=currency,
        interval=interval.value,
        candles=[CandleOut.of(c, currency) for c in rows],
    )


@router.get("/summary", response_model=MarketSummaryOut, responses=problem_responses(422))
async def summary(
    session: Session,
    currency: Asset = Asset.USDC,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MarketSummaryOut:
    """Companies ranked by 24 h volume in ``currency`` (then 7 d volume), with floors."""
    rows = await service.summary(session, currency, limit)
    return MarketSummaryOut(
        ranked_by=f"volume_24h.{currency.value}", items=[CompanySummaryOut.of(r) for r in rows]
    )


@router.get("/activity", response_model=ActivityPage, responses=problem_responses(422))
async def activity(
    session: Session,
    params: Pages,
    type: Annotated[service.ActivityType | None, Query()] = None,
    company: Id = None,
    card: Id = None,
    user: Annotated[str | None, Query(max_length=64, description="User id or wallet")] = None,
) -> ActivityPage:
    """Sales, listings, offers, trades, cancellations and card transfers, newest first."""
    filters = service.ActivityFilters(type=type, company_id=company, card_id=card, user_id=user)
    items, cursor = await service.activity(session, filters, params)
    return ActivityPage(items=[ActivityOut.of(i) for i in items], next_cursor=cursor)

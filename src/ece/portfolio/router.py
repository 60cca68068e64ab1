"""HTTP for a user's portfolio, its CSV exports, watchlist and price alerts. Every route is the
caller's own: another user's watchlist item or alert id is a 404, as if it did not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import AwareDatetime

from ece.auth.deps import CurrentUser
from ece.core.csvcells import csv_line
from ece.core.errors import problem_responses
from ece.core.money import Asset
from ece.core.pagination import PageParams, page_params
from ece.portfolio import service
from ece.portfolio.schemas import (
    PORTFOLIO_CSV_COLUMNS,
    TAX_CSV_COLUMNS,
    CollectorPreferences,
    CollectorProfileOut,
    PortfolioHistoryOut,
    PortfolioOut,
    PortfolioPointOut,
    PriceAlertIn,
    PriceAlertList,
    PriceAlertOut,
    WatchlistIn,
    WatchlistItemOut,
    WatchlistOut,
    portfolio_csv_cells,
    tax_csv_cells,
)
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", tags=["portfolio"], route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]
Currency = Annotated[Asset, Query(description="The currency items are valued in")]
_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV, header row first"}
}


def _csv(name: str, header: tuple[str, ...], rows: list[list[str]]) -> Response:
    body = csv_line(header) + "".join(csv_line(r) for r in rows)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/users/me/portfolio", response_model=PortfolioOut, responses=problem_responses(401, 422, 429)
)
async def get_portfolio(
    user: CurrentUser, session: Session, pages: Pages, currency: Currency = Asset.USDC
) -> PortfolioOut:
    """Your cards (a page, by card id) with cost basis and unrealized P&L in ``currency``, and
    totals per currency over every card you hold and every sale or swap you made."""
    return PortfolioOut.of(await service.portfolio(session, user.id, currency, pages))


@router.get(
    "/users/me/portfolio/history",
    response_model=PortfolioHistoryOut,
    responses=problem_responses(401, 422, 429),
)
async def portfolio_history(
    user: CurrentUser,
    session: Session,
    interval: service.Interval = service.Interval.day,
    currency: Currency = Asset.USDC,
    from_: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    to: AwareDatetime | None = None,
) -> PortfolioHistoryOut:
    """Your collection's value over time: at the end of each hour or day bucket from ``from``
    to ``to`` (default the last 30), the cards you held then, each at its company's latest
    candle close in ``currency``. At most 500 points, within the candles kept."""
    start: datetime | None = from_
    points = await service.history(session, user.id, currency, interval, start, to)
    return PortfolioHistoryOut(
        currency=currency,
        interval=interval.value,
        points=[PortfolioPointOut.of(p, currency) for p in points],
    )


@router.get(
    "/users/me/portfolio.csv",
    response_class=Response,
    responses={**_CSV, **problem_responses(401, 422, 429)},
)
async def export_portfolio(
    user: CurrentUser, session: Session, currency: Currency = Asset.USDC
) -> Response:
    """Every card you hold as CSV (columns in the README, *Portfolio*)."""
    holdings = await service.every_holding(session, user.id, currency)
    rows = [portfolio_csv_cells(h, currency) for h in holdings]
    return _csv("portfolio.csv", PORTFOLIO_CSV_COLUMNS, rows)


@router.get(
    "/users/me/tax-report.csv",
    response_class=Response,
    responses={**_CSV, **problem_responses(401, 422, 429)},
)
async def export_tax_report(
    user: CurrentUser,
    session: Session,
    year: Annotated[int, Query(ge=2000, le=2100, description="Calendar year, UTC")],
) -> Response:
    """One row per disposal in ``year`` (a sale or a card given in a swap): card, acquired,
    disposed, proceeds, basis, fees, gain, currency (README, *Portfolio*)."""
    rows = [tax_csv_cells(r) for r in await service.tax_report(session, user.id, year)]
    return _csv(f"tax-report-{year}.csv", TAX_CSV_COLUMNS, rows)


@router.get(
    "/users/me/watchlist", response_model=WatchlistOut, responses=problem_responses(401, 429)
)
async def get_watchlist(user: CurrentUser, session: Session) -> WatchlistOut:
    """The companies and cards you follow, oldest first."""
    items = await service.watchlist(session, user.id)
    return WatchlistOut(items=[WatchlistItemOut.of(i) for i in items])


@router.post(
    "/users/me/watchlist",
    status_code=status.HTTP_201_CREATED,
    response_model=WatchlistItemOut,
    responses=problem_responses(401, 404, 409, 422, 429),
)
async def add_to_watchlist(
    body: WatchlistIn, user: CurrentUser, session: Session, response: Response
) -> WatchlistItemOut:
    """Follow a company or a card (201; 200 with the existing item when already followed)."""
    item, created = await service.add_to_watchlist(session, user.id, body.company_id, body.card_id)
    if not created:
        response.status_code = status.HTTP_200_OK
    return WatchlistItemOut.of(item)


@router.delete(
    "/users/me/watchlist/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(401, 404, 429),
)
async def remove_from_watchlist(item_id: str, user: CurrentUser, session: Session) -> Response:
    """Stop following; 404 for an id that is not one of your items."""
    await service.remove_from_watchlist(session, user.id, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/users/me/alerts", response_model=PriceAlertList, responses=problem_responses(401, 429)
)
async def list_alerts(user: CurrentUser, session: Session) -> PriceAlertList:
    """Your price alerts, oldest first."""
    alerts = await service.list_alerts(session, user.id)
    return PriceAlertList(items=[PriceAlertOut.of(a) for a in alerts])


@router.post(
    "/users/me/alerts",
    status_code=status.HTTP_201_CREATED,
    response_model=PriceAlertOut,
    responses=problem_responses(401, 404, 409, 422, 429),
)
async def create_alert(body: PriceAlertIn, user: CurrentUser, session: Session) -> PriceAlertOut:
    """A price alert on a company's floor or a card's listed price: it notifies you
    (``price_alert`` notification) once each time the condition starts to hold."""
    alert = await service.create_alert(
        session,
        user.id,
        company_id=body.company_id,
        card_id=body.card_id,
        condition=body.condition,
        price=body.base_units,
        currency=body.currency,
    )
    return PriceAlertOut.of(alert)


@router.delete(
    "/users/me/alerts/{alert_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(401, 404, 429),
)
async def delete_alert(alert_id: str, user: CurrentUser, session: Session) -> Response:
    """Delete one of your alerts; 404 for an id that is not one of yours."""
    await service.delete_alert(session, user.id, alert_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/users/me/preferences",
    response_model=CollectorPreferences,
    responses=problem_responses(401, 429),
)
async def get_collector_preferences(user: CurrentUser, session: Session) -> CollectorPreferences:
    """Display currency, theme, whether your collection is hidden and your showcase."""
    return CollectorPreferences.of(await service.preferences(session, user.id))


@router.put(
    "/users/me/preferences",
    response_model=CollectorPreferences,
    responses=problem_responses(401, 422, 429),
)
async def set_collector_preferences(
    body: CollectorPreferences, user: CurrentUser, session: Session
) -> CollectorPreferences:
    """Replace them all; the showcase takes up to 6 cards you hold (422 ``invalid_showcase``)."""
    return CollectorPreferences.of(await service.set_preferences(session, user.id, body.chosen()))


@router.get(
    "/users/{address}/profile",
    response_model=CollectorProfileOut,
    responses=problem_responses(404, 422, 429),
)
async def collector_profile(
    address: Annotated[str, Path(min_length=32, max_length=44)], session: Session
) -> CollectorProfileOut:
    """A collector's public profile: name, and unless hidden, showcase, cards and companies
    held, sales made and the latest 10."""
    return CollectorProfileOut.of(await service.public_profile(session, address))

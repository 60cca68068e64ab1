"""HTTP for trade offers: create, counter, accept, decline, cancel, read, list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ece.auth.deps import CurrentUser, Idempotent
from ece.controls.deps import TRADING_OPEN
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.marketdata import service as marketdata
from ece.runtime.deps import Session, SettingsDep, rate_limit
from ece.runtime.routing import UnitOfWorkRoute
from ece.trades import service
from ece.trades.schemas import (
    CounterIn,
    TradeDetailOut,
    TradeOfferIn,
    TradeOfferOut,
    TradeOfferPage,
    detail_out,
)
from ece.trades.service import TradeStatus

router = APIRouter(prefix="/api/v1/trades", tags=["trades"], route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]
OrderLimit = Depends(rate_limit("rate_limit_orders", scope="trade_orders"))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TradeOfferOut,
    dependencies=[OrderLimit, TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def create_trade(
    body: TradeOfferIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> TradeOfferOut:
    """Offer your cards and tokens for the receiver's. Your cards are locked and your tokens
    held until the offer is accepted, declined, cancelled, countered or expires."""
    view = await service.create_offer(
        session,
        user.id,
        body.to,
        body.terms(),
        default_ttl=settings.trade_offer_default_ttl_seconds,
        max_ttl=settings.trade_offer_max_ttl_seconds,
    )
    return TradeOfferOut.of(view)


@router.get("", response_model=TradeOfferPage, responses=problem_responses(401, 422))
async def list_trades(
    user: CurrentUser,
    session: Session,
    params: Pages,
    box: Annotated[service.Box | None, Query(description="sent | received; both if unset")] = None,
    status: Annotated[TradeStatus | None, Query()] = None,
) -> TradeOfferPage:
    """Your trade offers, newest first."""
    views, cursor = await service.list_trades(session, user.id, box, status, params)
    return TradeOfferPage(items=[TradeOfferOut.of(v) for v in views], next_cursor=cursor)


@router.get("/{offer_id}", response_model=TradeDetailOut, responses=problem_responses(401, 404))
async def get_trade(offer_id: str, user: CurrentUser, session: Session) -> TradeDetailOut:
    """One offer with its whole counter chain and a fairness hint. Only its two parties can
    see it (404 for anyone else)."""
    return detail_out(
        await service.trade_detail(
            session, user.id, offer_id, prices=marketdata.swap_reference_prices
        )
    )


@router.post(
    "/{offer_id}/accept",
    response_model=TradeOfferOut,
    dependencies=[TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409),
)
async def accept_trade(
    offer_id: str,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> TradeOfferOut:
    """Swap both sides atomically (receiver only). Token legs pay the trade fee."""
    view = await service.accept_swap(
        session,
        user.id,
        offer_id,
        fee_bps=settings.resolved_trade_fee_bps,
        prices=marketdata.swap_reference_prices,
    )
    return TradeOfferOut.of(view)


@router.post(
    "/{offer_id}/counter",
    status_code=status.HTTP_201_CREATED,
    response_model=TradeOfferOut,
    dependencies=[OrderLimit, TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def counter_trade(
    offer_id: str,
    body: CounterIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> TradeOfferOut:
    """Answer with new terms (receiver only): this offer ends as ``countered`` and the new
    offer, from you to its giver, is returned."""
    view = await service.counter_offer(
        session,
        user.id,
        offer_id,
        body.terms(),
        default_ttl=settings.trade_offer_default_ttl_seconds,
        max_ttl=settings.trade_offer_max_ttl_seconds,
    )
    return TradeOfferOut.of(view)


@router.post(
    "/{offer_id}/decline",
    response_model=TradeOfferOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def decline_trade(
    offer_id: str, user: CurrentUser, _idempotency: Idempotent, session: Session
) -> TradeOfferOut:
    """Refuse the offer (receiver only); the giver's cards and tokens are released."""
    return TradeOfferOut.of(await service.decline_offer(session, user.id, offer_id))


@router.post(
    "/{offer_id}/cancel",
    response_model=TradeOfferOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def cancel_trade(
    offer_id: str, user: CurrentUser, _idempotency: Idempotent, session: Session
) -> TradeOfferOut:
    """Withdraw your offer (giver only); your cards and tokens are released."""
    return TradeOfferOut.of(await service.cancel_offer(session, user.id, offer_id))

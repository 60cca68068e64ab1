"""HTTP for auctions: create, bid, buy (buy-now or a Dutch buy), cancel, and the reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import service
from ece.auctions.schemas import (
    AuctionIn,
    AuctionOut,
    AuctionPage,
    BidIn,
    BidOut,
    MyBidOut,
    MyBidPage,
    PublicBidOut,
    PublicBidPage,
)
from ece.auctions.service import AuctionFilters, AuctionSort, AuctionStatus
from ece.auth.deps import (
    CurrentUser,
    Idempotent,
    IdempotentInWork,
    idempotency_claim_in_work_unless,
)
from ece.auth.service import User
from ece.config import Settings
from ece.controls.deps import AUCTIONS_OPEN
from ece.core.errors import problem_responses
from ece.core.idempotency import IdempotencyClaim
from ece.core.money import Asset
from ece.core.pagination import PageParams, page_params
from ece.market.schemas import TradeOut
from ece.runtime.deps import MARKET_ORDER_LIMIT, Session, SettingsDep, services_of
from ece.runtime.routing import UnitOfWorkRoute, rendered_json

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]


def _batched(session: AsyncSession, user: User, settings: Settings) -> bool:
    """Whether this bid is placed with the others waiting for its auction (PostgreSQL, a
    bidder without a purchase limit): its Idempotency-Key claim is then committed first."""
    return service.in_one_call(session) and service.batchable(settings, user)


IdempotentBid = Annotated[
    IdempotencyClaim | None, Depends(idempotency_claim_in_work_unless(_batched))
]


@router.post(
    "/auctions",
    tags=["auctions"],
    status_code=status.HTTP_201_CREATED,
    response_model=AuctionOut,
    dependencies=[*MARKET_ORDER_LIMIT, AUCTIONS_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def create_auction(
    body: AuctionIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> AuctionOut:
    """Auction a card you own (English with proxy bidding, or Dutch); the card is locked
    (status ``in_auction``) until the auction ends."""
    start, end, reserve, buy_now = body.amounts()
    terms = service.terms_of(body.type, start, end, reserve, buy_now, body.starts_at, body.ends_at)
    auction = await service.create_auction(
        session, settings, user, body.card_id, body.currency, terms
    )
    return AuctionOut.of(await service.get_auction(session, settings, auction.id))


@router.get(
    "/auctions", tags=["auctions"], response_model=AuctionPage, responses=problem_responses(422)
)
async def list_auctions(
    session: Session,
    settings: SettingsDep,
    params: Pages,
    status: AuctionStatus | None = None,
    company: Annotated[str | None, Query(max_length=32, description="Company id or ticker")] = None,
    currency: Asset | None = None,
    sort: AuctionSort = AuctionSort.ending,
) -> AuctionPage:
    """Auctions (cancelled ones only with ``status=cancelled``); ``price`` sorts by the
    English visible price (a Dutch auction by its start price)."""
    filters = AuctionFilters(status=status, company=company, currency=currency, sort=sort)
    views, cursor = await service.list_auctions(session, settings, filters, params)
    return AuctionPage(items=[AuctionOut.of(v) for v in views], next_cursor=cursor)


@router.get(
    "/auctions/{auction_id}",
    tags=["auctions"],
    response_model=AuctionOut,
    responses=problem_responses(404),
)
async def get_auction(auction_id: str, session: Session, settings: SettingsDep) -> AuctionOut:
    """One auction as of now by the server clock."""
    return AuctionOut.of(await service.get_auction(session, settings, auction_id))


@router.delete(
    "/auctions/{auction_id}",
    tags=["auctions"],
    response_model=AuctionOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def cancel_auction(
    auction_id: str, user: CurrentUser, session: Session, settings: SettingsDep
) -> AuctionOut:
    """Cancel your auction (or any, as an admin) while no one has bid: 409
    ``auction_has_bids`` after the first bid."""
    auction = await service.cancel_auction(session, user, auction_id)
    return AuctionOut.of(await service.get_auction(session, settings, auction.id))


@router.post(
    "/auctions/{auction_id}/bids",
    tags=["auctions"],
    status_code=status.HTTP_201_CREATED,
    response_model=BidOut,
    dependencies=[*MARKET_ORDER_LIMIT, AUCTIONS_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def place_bid(
    request: Request,
    response: Response,
    auction_id: str,
    body: BidIn,
    user: CurrentUser,
    claim: IdempotentBid,
    session: Session,
    settings: SettingsDep,
) -> BidOut | Response:
    """Bid your max (or raise it): it is held from your funds while you lead; the visible
    price is the second-highest max plus one increment. A bid in the last minutes extends
    the auction."""
    if _batched(session, user, settings):
        # Placed with the other bids waiting for this auction, in a transaction of the
        # batch's own that also stores this answer for the (committed) claim.
        bid = service.waiting_bid(settings, user, auction_id, body.max_amount)
        placed = await service.bid_batcher(services_of(request).db).place(bid, claim, _rendered)
        request.state.idempotency = None  # stored already
        answer = rendered_json(placed, response)  # with the rate limit's headers
        answer.status_code = status.HTTP_201_CREATED
        return answer
    result = await service.place_bid(session, settings, user, auction_id, body.max_amount)
    return BidOut.of(result, result.currency)


def _rendered(result: service.BidResult) -> bytes:
    return BidOut.of(result, result.currency).model_dump_json().encode()


@router.get(
    "/auctions/{auction_id}/bids",
    tags=["auctions"],
    response_model=PublicBidPage,
    responses=problem_responses(404, 422),
)
async def bid_history(auction_id: str, session: Session, params: Pages) -> PublicBidPage:
    """Every bid, newest first: the bidder and the visible price it made, never a max."""
    bids, cursor = await service.bid_history(session, auction_id, params)
    return PublicBidPage(items=[PublicBidOut.of(b) for b in bids], next_cursor=cursor)


@router.post(
    "/auctions/{auction_id}/buy",
    tags=["auctions"],
    status_code=status.HTTP_201_CREATED,
    response_model=TradeOut,
    dependencies=[*MARKET_ORDER_LIMIT, AUCTIONS_OPEN],
    responses=problem_responses(401, 404, 409, 429),
)
async def buy(
    auction_id: str,
    user: CurrentUser,
    _idempotency: IdempotentInWork,
    session: Session,
    settings: SettingsDep,
) -> TradeOut:
    """English: buy now at the buy-now price (until a bid meets the reserve). Dutch: buy at
    the price of this instant by the server clock. The auction ends at once."""
    return TradeOut.of(await service.buy_now(session, settings, user, auction_id))


@router.get(
    "/users/me/bids",
    tags=["auctions"],
    response_model=MyBidPage,
    responses=problem_responses(401, 422),
)
async def my_bids(user: CurrentUser, session: Session, params: Pages) -> MyBidPage:
    """Your bids, newest first, with your maxes and their status."""
    bids, cursor = await service.my_bids(session, user.id, params)
    return MyBidPage(items=[MyBidOut.of(b) for b in bids], next_cursor=cursor)

"""Opening and cancelling an auction: the card is locked by the auction (status
``in_auction``) from creation until it is sold, returned or the auction cancelled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import repository, rules
from ece.auctions.models import Auction
from ece.auctions.rules import AuctionKind, AuctionState, Terms
from ece.auth import service as auth
from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.service import CardOwner, LockKind
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Forbidden
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit


async def locked(session: AsyncSession, auction_id: str) -> Auction:
    auction = await repository.locked_auction(session, auction_id)
    if auction is None:
        raise rules.not_found()
    return auction


async def create_auction(
    session: AsyncSession,
    settings: Settings,
    user: User,
    card_id: str,
    currency: Asset,
    terms: Terms,
) -> Auction:
    """Auction a card the caller owns (an admin auctions issuer inventory: a primary sale).
    422 ``invalid_auction``/``invalid_duration``; 403 ``not_card_owner``; 409 ``card_locked``
    (listed, in another auction or trade) or ``card_unavailable`` (withdrawn)."""
    refusal = rules.terms_refusal(
        terms, utcnow(), settings.auction_min_duration_s, settings.auction_max_duration_s
    )
    if refusal is not None:
        raise refusal
    card = await cards.current_card(session, card_id)
    owner = CardOwner.of(card)
    if not rules.may_sell(owner.kind.value, owner.id, user.id, auth.is_admin(user)):
        raise Forbidden("You do not own this card.", code="not_card_owner")
    auction = Auction(
        kind=terms.kind.value,
        card_id=card.id,
        company_id=card.company_id,
        seller_kind=owner.kind.value,
        seller_id=owner.id,
        currency=currency.value,
        start_price=terms.start,
        end_price=terms.end,
        reserve_price=terms.reserve,
        buy_now_price=terms.buy_now,
        starts_at=terms.starts_at,
        ends_at=terms.ends_at,
        state=AuctionState.open.value,
        current_price=terms.start,
        bid_count=0,
        bid_seq=0,
    )
    await repository.add(session, auction)
    await cards.lock_card(session, card.id, owner, LockKind.auction, auction.id)
    await emit(
        session,
        "auction.created",
        auction.id,
        type=terms.kind.value,
        card_id=card.id,
        company_id=card.company_id,
        currency=currency.value,
        start_price=format_amount(terms.start, currency),
        end_price=None if terms.end is None else format_amount(terms.end, currency),
        buy_now_price=None if terms.buy_now is None else format_amount(terms.buy_now, currency),
        has_reserve=terms.reserve is not None,
        starts_at=terms.starts_at.isoformat(),
        ends_at=terms.ends_at.isoformat(),
    )
    return auction


def terms_of(
    kind: AuctionKind,
    start: int,
    end: int | None,
    reserve: int | None,
    buy_now: int | None,
    starts_at: datetime | None,
    ends_at: datetime,
) -> Terms:
    return Terms(kind, start, end, reserve, buy_now, starts_at or utcnow(), ends_at)


async def cancel_auction(session: AsyncSession, user: User, auction_id: str) -> Auction:
    """Cancel an open auction no one has bid on (its seller, or an admin) and give the card
    back. 403 ``not_auction_owner``; 409 ``auction_has_bids``, ``auction_ended``."""
    auction = await locked(session, auction_id)
    admin = auth.is_admin(user)
    if not rules.may_sell(auction.seller_kind, auction.seller_id, user.id, admin) and not admin:
        raise Forbidden("This is not your auction.", code="not_auction_owner")
    now = utcnow()
    refusal = rules.cancel_refusal(auction.state, now, auction.ends_at, auction.bid_count)
    if refusal is not None:
        raise refusal
    if not await repository.close(session, auction.id, AuctionState.cancelled, now):
        raise rules.ended()
    await cards.unlock_card(session, auction.card_id, LockKind.auction, auction.id)
    await emit(session, "auction.cancelled", auction.id, card_id=auction.card_id)
    await session.refresh(auction)
    return auction

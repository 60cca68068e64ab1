"""Trade offers, the public face: create, counter, accept, decline, cancel, expire, and the
reads (``views``). An accepted offer is a *swap*; it settles in ``ece.settlement.swaps``.

- Create (and counter) locks the giver's cards (``LockKind.trade``, ref = offer id) and holds
  the giver's tokens (``settlement.swaps.hold_swap_tokens``), so the giver can always honour
  the offer.
- Accept is one transaction: the offer row is claimed with a conditional UPDATE (of an accept
  and a cancel racing, one wins), the receiver's wanted cards are checked (theirs, unlocked, on
  the platform), then ``settle_swap`` moves every card and token. Any failure rolls all of it
  back; the offer stays active.
- Counter ends the parent (status ``countered``, its locks and holds released) and opens a new
  offer in the opposite direction with ``parent_id`` set; only the parent's receiver counters.
- Decline (receiver), cancel (giver) and expiry release locks and holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.cards.service import CardOwner, LockKind
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import NotFound
from ece.core.feed import FeedSlice
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.settlement import service as swaps
from ece.settlement.service import ReferencePrices
from ece.trades import repository, rules
from ece.trades.models import TradeOffer, TradeSide, TradeStatus
from ece.trades.rules import MAX_CARDS_PER_SIDE, Box, OfferTerms, SideSpec, amounts, status_of
from ece.trades.views import (
    TradeDetail,
    TradeView,
    get_chain,
    list_trades,
    offer_for,
    trade_detail,
    view_of,
)

EXPIRY_BATCH = 100

__all__ = [
    "EXPIRY_BATCH",
    "MAX_CARDS_PER_SIDE",
    "Box",
    "OfferTerms",
    "ReferencePrices",
    "SideSpec",
    "TradeDetail",
    "TradeStatus",
    "TradeView",
    "accept_swap",
    "cancel_offer",
    "counter_offer",
    "create_offer",
    "decline_offer",
    "expire_swaps",
    "get_chain",
    "list_trades",
    "status_of",
    "trade_detail",
    "trade_offer_feed",
]


# ---------------------------------------------------------------------------------------------
# Opening an offer (create and counter)


async def _open(
    session: AsyncSession,
    maker_id: str,
    taker_id: str,
    terms: OfferTerms,
    expires_at: datetime,
    parent: TradeOffer | None,
) -> TradeOffer:
    rules.check_terms(terms)
    rules.check_parties(maker_id, taker_id)
    wanted = list(terms.want.cards)
    rules.check_wanted_held(wanted, await cards.card_holdings(session, wanted), taker_id)
    offer_id = new_id()
    maker = CardOwner.user(maker_id)
    # Lock the given cards before any row names them: an unknown card is a clean 404
    # ``card_not_found`` (as for listings), never a foreign-key failure on the item insert.
    for card_id in sorted(terms.give.cards):  # one lock order everywhere: no deadlocks
        await cards.lock_card(session, card_id, maker, LockKind.trade, offer_id)
    offer = TradeOffer(
        id=offer_id,
        maker_user_id=maker_id,
        taker_user_id=taker_id,
        give_ece=terms.give.amount(Asset.ECE),
        give_usdc=terms.give.amount(Asset.USDC),
        want_ece=terms.want.amount(Asset.ECE),
        want_usdc=terms.want.amount(Asset.USDC),
        message=terms.message,
        status=TradeStatus.active.value,
        expires_at=expires_at,
        parent_id=parent.id if parent else None,
        root_id=parent.root_id if parent else offer_id,
        created_at=utcnow(),
    )
    await repository.add_offer(session, offer, terms.give.cards, terms.want.cards)
    # InsufficientFunds: nothing is written
    await swaps.hold_swap_tokens(session, rules.swap_of(offer, terms.give.cards, ()))
    await emit(
        session,
        "trade_offer.created",
        offer_id,
        maker_user_id=maker_id,
        taker_user_id=taker_id,
        parent_id=offer.parent_id,
        root_id=offer.root_id,
        give_cards=list(terms.give.cards),
        want_cards=list(terms.want.cards),
        **_token_payload(offer),
    )
    return offer


def _token_payload(offer: TradeOffer) -> dict[str, dict[str, str]]:
    return {
        f"{side.value}_tokens": {a.value: format_amount(n, a) for a, n in amounts(offer, side)}
        for side in TradeSide
    }


async def create_offer(
    session: AsyncSession,
    maker_id: str,
    to: str,
    terms: OfferTerms,
    *,
    default_ttl: int,
    max_ttl: int,
) -> TradeView:
    """Offer ``terms.give`` for ``terms.want`` to the user ``to`` (id or wallet address).

    Raises 404 ``recipient_not_found``; 422 ``cannot_trade_with_self``, ``empty_trade_offer``,
    ``duplicate_card``, ``too_many_cards``, ``wanted_card_not_held``, ``invalid_expiry``; the
    card lock errors on a given card (404 ``card_not_found``, 403 ``not_card_owner``, 409
    ``card_locked``) and 409 ``insufficient_funds`` for the giver's side.
    """
    taker_id = await auth.user_id_for(session, to)
    if taker_id is None:
        raise NotFound("No user with that id or address.", code="recipient_not_found")
    expires_at = rules.offer_expiry(terms.expires_at, utcnow(), default_ttl, max_ttl)
    offer = await _open(session, maker_id, taker_id, terms, expires_at, None)
    return await view_of(session, offer)


# ---------------------------------------------------------------------------------------------
# Ending an offer


async def _claim(
    session: AsyncSession, offer: TradeOffer, status: TradeStatus, *, expired_ok: bool = False
) -> None:
    """Move an active offer to ``status`` (``rules.claimable``, in one conditional UPDATE): of
    two racing requests (accept and cancel, two accepts) exactly one wins; the other gets 409."""
    now = utcnow()
    if not await repository.claim(session, offer.id, status, now, expired_ok=expired_ok):
        current = status_of(await offer_for(session, offer.maker_user_id, offer.id), now)
        raise rules.claim_refusal(current)
    await session.refresh(offer)


async def _release(session: AsyncSession, offer: TradeOffer) -> None:
    """Give the giver back its cards and tokens (decline, cancel, counter, expiry)."""
    items = (await repository.items_of(session, [offer.id]))[offer.id]
    given = sorted(i.card_id for i in items if i.side == TradeSide.give.value)
    for card_id in given:
        await cards.unlock_card(session, card_id, LockKind.trade, offer.id)
    await swaps.release_swap_tokens(session, rules.swap_of(offer, given, ()))


async def cancel_offer(session: AsyncSession, user_id: str, offer_id: str) -> TradeView:
    """The giver withdraws the offer. An offer already past its expiry is released as
    expired instead. 403 ``not_trade_maker``, 409 ``trade_offer_not_active``."""
    return await _end(session, user_id, offer_id, TradeStatus.cancelled, maker=True)


async def decline_offer(session: AsyncSession, user_id: str, offer_id: str) -> TradeView:
    """The receiver refuses the offer. 403 ``not_trade_taker``, 409 ``trade_offer_not_active``."""
    return await _end(session, user_id, offer_id, TradeStatus.declined, maker=False)


async def _end(
    session: AsyncSession, user_id: str, offer_id: str, status: TradeStatus, *, maker: bool
) -> TradeView:
    offer = await offer_for(session, user_id, offer_id)
    rules.require_party(offer, user_id, maker=maker)
    status = rules.ending(status, offer.status, offer.expires_at, utcnow())
    await _claim(session, offer, status, expired_ok=True)
    await _release(session, offer)
    # Both parties are named: the one who did not act hears of it too (notification, channel).
    await emit(
        session,
        f"trade_offer.{status.value}",
        offer.id,
        by_user_id=user_id,
        maker_user_id=offer.maker_user_id,
        taker_user_id=offer.taker_user_id,
    )
    return await view_of(session, offer)


async def expire_swaps(session: AsyncSession, *, limit: int = EXPIRY_BATCH) -> int:
    """Release offers past their expiry (the worker's job); returns how many."""
    offers = await repository.due_for_expiry(session, utcnow(), limit)
    for offer in offers:
        await _claim(session, offer, TradeStatus.expired, expired_ok=True)
        await _release(session, offer)
        # Both parties hear that it lapsed (notification, their user channels).
        await emit(
            session,
            "trade_offer.expired",
            offer.id,
            maker_user_id=offer.maker_user_id,
            taker_user_id=offer.taker_user_id,
        )
    return len(offers)


# ---------------------------------------------------------------------------------------------
# Counter and accept


async def counter_offer(
    session: AsyncSession,
    user_id: str,
    offer_id: str,
    terms: OfferTerms,
    *,
    default_ttl: int,
    max_ttl: int,
) -> TradeView:
    """The receiver answers with new terms: the parent ends (``countered``, released) and a new
    offer from the receiver to the giver starts, linked by ``parent_id``. 403
    ``not_trade_taker``, 409 ``trade_offer_not_active`` / ``trade_offer_expired``, and the
    errors of ``create_offer`` for the new terms."""
    parent = await offer_for(session, user_id, offer_id)
    rules.require_party(parent, user_id, maker=False)
    expires_at = rules.offer_expiry(terms.expires_at, utcnow(), default_ttl, max_ttl)
    await _claim(session, parent, TradeStatus.countered)
    await _release(session, parent)
    child = await _open(session, user_id, parent.maker_user_id, terms, expires_at, parent)
    await emit(
        session,
        "trade_offer.countered",
        parent.id,
        by_user_id=user_id,
        maker_user_id=parent.maker_user_id,
        taker_user_id=parent.taker_user_id,
        counter_id=child.id,
    )
    return await view_of(session, child)


async def accept_swap(
    session: AsyncSession,
    user_id: str,
    offer_id: str,
    *,
    fee_bps: int,
    prices: ReferencePrices,
) -> TradeView:
    """The receiver accepts: every card and token of both sides moves in this transaction, or
    nothing does (``ece.settlement.swaps.settle_swap``). Cards bought with tokens are recorded
    as sales, priced by ``prices``, and pay their company's royalty. 403 ``not_trade_taker``;
    409 ``trade_offer_not_active``, ``trade_offer_expired``, ``trade_item_unavailable`` (a
    wanted card is gone or locked) and ``insufficient_funds`` (the receiver's tokens)."""
    offer = await offer_for(session, user_id, offer_id)
    rules.require_party(offer, user_id, maker=False)
    await _claim(session, offer, TradeStatus.accepted)
    view = await view_of(session, offer)
    wanted = view.want_cards
    rules.check_wanted_available(
        wanted, await cards.card_holdings(session, wanted), offer.taker_user_id
    )
    swap = rules.swap_of(offer, view.give_cards, view.want_cards)
    sale_ids = await swaps.settle_swap(session, swap, fee_bps=fee_bps, prices=prices)
    await emit(
        session,
        "trade_offer.accepted",
        offer.id,
        maker_user_id=offer.maker_user_id,
        taker_user_id=offer.taker_user_id,
        give_cards=view.give_cards,
        want_cards=view.want_cards,
        fee_bps=fee_bps,
        sale_ids=sale_ids,
        **_token_payload(offer),
    )
    return view


# ---------------------------------------------------------------------------------------------
# Reads for market data (ece.marketdata): trade offers in the activity feed.


async def trade_offer_feed(
    session: AsyncSession, q: FeedSlice, *, accepted: bool
) -> list[TradeOffer]:
    """Accepted (else cancelled) trade offers, newest first by closing."""
    return await repository.offer_feed(session, q, accepted=accepted)

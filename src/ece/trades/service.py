"""Trade offers: create, counter, accept, decline, cancel, expire; and what each side is worth.

Rules:

- Create (and counter) locks the giver's cards (``LockKind.trade``, ref = offer id) and holds
  the giver's tokens: one pending ledger transfer per asset, from the giver straight to the
  receiver, so the giver can always honour the offer and no hot escrow row is shared.
- Accept is one transaction: the offer row is claimed with a conditional UPDATE (of an accept
  and a cancel racing, one wins), the receiver's wanted cards are checked (theirs, unlocked, on
  the platform) and every card moves with ``transfer_card`` (history kind ``transfer``, reason
  ``trade``); then one linked ledger batch posts the giver's holds and pays the receiver's
  tokens. Any failure rolls all of it back; the offer stays active.
- Fees: each token leg pays ``fee_bps`` of its amount (floored, as ``split_price``) to the
  platform fee account, taken from what the recipient receives; the payer pays exactly the
  amount offered. Cards carry no fee: a swap has no per-card price. The ledger stays zero-sum.
- Counter ends the parent (status ``countered``, its locks and holds released) and opens a new
  offer in the opposite direction with ``parent_id`` set; only the parent's receiver counters.
- Decline (receiver), cancel (giver) and expiry release locks and holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import Card, LockKind
from ece.cards.service import CardOwner, Price
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.ledger.models import TransferCode
from ece.ledger.service import Operation, TransferSpec, VoidPending
from ece.settlement.service import SaleSource
from ece.trades.models import (
    TradeOffer,
    TradeOfferItem,
    TradeSide,
    TradeStatus,
)
from ece.trades.queries import TradeView, amounts, items_of, offer_for, status_of, views_of
from ece.trades.swaps import card_sales, hold_id, offer_reference, payments, record_sales

MAX_CARDS_PER_SIDE = 20
TRADE_REASON = "trade"
EXPIRY_BATCH = 100


@dataclass(frozen=True, slots=True)
class SideSpec:
    """One side of an offer as the service takes it: card ids and base units per asset."""

    cards: tuple[str, ...] = ()
    tokens: tuple[tuple[Asset, int], ...] = ()

    def amount(self, asset: Asset) -> int:
        return sum(amount for a, amount in self.tokens if a is asset)

    @property
    def empty(self) -> bool:
        return not self.cards and not any(amount for _, amount in self.tokens)


@dataclass(frozen=True, slots=True)
class OfferTerms:
    give: SideSpec
    want: SideSpec
    message: str | None = None
    expires_at: datetime | None = None


# ---------------------------------------------------------------------------------------------
# Opening an offer (create and counter)


async def _recipient(session: AsyncSession, to: str) -> User:
    user = await session.scalar(select(User).where(or_(User.id == to, User.address == to)))
    if user is None:
        raise NotFound("No user with that id or address.", code="recipient_not_found")
    return user


def _expiry(expires_at: datetime | None, default_ttl: int, max_ttl: int) -> datetime:
    now = utcnow()
    if expires_at is None:
        return now + timedelta(seconds=default_ttl)
    if expires_at.tzinfo is None:
        raise Unprocessable("expires_at needs a time zone.", code="invalid_expiry")
    if not now < expires_at <= now + timedelta(seconds=max_ttl):
        raise Unprocessable(
            f"expires_at must be in the future and at most {max_ttl} seconds away.",
            code="invalid_expiry",
        )
    return expires_at


def _check_terms(terms: OfferTerms) -> None:
    if terms.give.empty and terms.want.empty:
        raise Unprocessable("An offer gives or wants something.", code="empty_trade_offer")
    for side in (terms.give, terms.want):
        if len(side.cards) > MAX_CARDS_PER_SIDE:
            raise Unprocessable(
                f"At most {MAX_CARDS_PER_SIDE} cards per side.", code="too_many_cards"
            )
    every = [*terms.give.cards, *terms.want.cards]
    if len(set(every)) != len(every):
        raise Unprocessable("A card appears twice in the offer.", code="duplicate_card")


async def _check_wanted(session: AsyncSession, card_ids: Iterable[str], taker_id: str) -> None:
    """Wanted cards must belong to the receiver now (they may be locked: accept re-checks)."""
    ids = list(card_ids)
    if not ids:
        return
    rows = await session.execute(
        select(Card.id, Card.owner_user_id, Card.withdrawn_at).where(Card.id.in_(ids))
    )
    found = {row.id: row for row in rows}
    for card_id in ids:
        row = found.get(card_id)
        if row is None or row.owner_user_id != taker_id or row.withdrawn_at is not None:
            raise Unprocessable(
                "A wanted card is not held by the receiver on the platform.",
                code="wanted_card_not_held",
                card_id=card_id,
            )


async def _open(
    session: AsyncSession,
    maker_id: str,
    taker_id: str,
    terms: OfferTerms,
    expires_at: datetime,
    parent: TradeOffer | None,
) -> TradeOffer:
    _check_terms(terms)
    if maker_id == taker_id:
        raise Unprocessable("You cannot trade with yourself.", code="cannot_trade_with_self")
    await _check_wanted(session, terms.want.cards, taker_id)
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
    session.add(offer)
    for side, spec in ((TradeSide.give, terms.give), (TradeSide.want, terms.want)):
        for card_id in spec.cards:
            session.add(TradeOfferItem(offer_id=offer_id, card_id=card_id, side=side.value))
    await session.flush()
    holds: list[Operation] = [
        TransferSpec(
            hold_id(offer_id, asset),
            await ledger.user_account(session, maker_id, asset),
            await ledger.user_account(session, taker_id, asset),
            asset,
            amount,
            TransferCode.hold,
            offer_reference(offer_id),
            pending=True,
        )
        for asset, amount in amounts(offer, TradeSide.give)
    ]
    await ledger.create_transfers(session, holds)  # InsufficientFunds: nothing is written
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
    maker: User,
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
    taker = await _recipient(session, to)
    expires_at = _expiry(terms.expires_at, default_ttl, max_ttl)
    offer = await _open(session, maker.id, taker.id, terms, expires_at, None)
    return (await views_of(session, [offer]))[0]


# ---------------------------------------------------------------------------------------------
# Ending an offer


async def _claim(
    session: AsyncSession, offer: TradeOffer, status: TradeStatus, *, expired_ok: bool = False
) -> None:
    """Move an active offer to ``status`` with a conditional UPDATE: of two racing requests
    (accept and cancel, two accepts) exactly one matches the row; the other gets 409."""
    now = utcnow()
    conditions = [TradeOffer.id == offer.id, TradeOffer.status == TradeStatus.active.value]
    if not expired_ok:
        conditions.append(TradeOffer.expires_at > now)
    result = await session.execute(
        update(TradeOffer)
        .where(*conditions)
        .values(status=status.value, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        current = status_of(await offer_for(session, offer.maker_user_id, offer.id), now)
        if current is TradeStatus.expired:
            raise Conflict("The trade offer has expired.", code="trade_offer_expired")
        raise Conflict(
            f"The trade offer is {current.value}, not active.",
            code="trade_offer_not_active",
            status=current.value,
        )
    await session.refresh(offer)


async def _release(session: AsyncSession, offer: TradeOffer) -> None:
    """Give the giver back its cards and tokens (decline, cancel, counter, expiry)."""
    items = (await items_of(session, [offer.id]))[offer.id]
    for card_id in sorted(i.card_id for i in items if i.side == TradeSide.give.value):
        await cards.unlock_card(session, card_id, LockKind.trade, offer.id)
    voids: list[Operation] = [
        VoidPending(f"{hold_id(offer.id, asset)}:void", hold_id(offer.id, asset))
        for asset, _ in amounts(offer, TradeSide.give)
    ]
    await ledger.create_transfers(session, voids)


async def cancel_offer(session: AsyncSession, user_id: str, offer_id: str) -> TradeView:
    """The giver withdraws the offer. An offer already past its expiry is released as
    expired instead. 403 ``not_trade_maker``, 409 ``trade_offer_not_active``."""
    return await _end(session, user_id, offer_id, TradeStatus.cancelled, maker=True)


async def decline_offer(session: AsyncSession, user_id: str, offer_id: str) -> TradeView:
    """The receiver refuses the offer. 403 ``not_trade_taker``, 409 ``trade_offer_not_active``."""
    return await _end(session, user_id, offer_id, TradeStatus.declined, maker=False)


def _require_party(offer: TradeOffer, user_id: str, *, maker: bool) -> None:
    if maker and offer.maker_user_id != user_id:
        raise Forbidden("Only the giver can do this.", code="not_trade_maker")
    if not maker and offer.taker_user_id != user_id:
        raise Forbidden("Only the receiver can do this.", code="not_trade_taker")


async def _end(
    session: AsyncSession, user_id: str, offer_id: str, status: TradeStatus, *, maker: bool
) -> TradeView:
    offer = await offer_for(session, user_id, offer_id)
    _require_party(offer, user_id, maker=maker)
    if status_of(offer) is TradeStatus.expired and offer.status == TradeStatus.active.value:
        # Past expiry nobody can accept it any more; releasing it now is what the job would do.
        status = TradeStatus.expired
    await _claim(session, offer, status, expired_ok=True)
    await _release(session, offer)
    await emit(session, f"trade_offer.{status.value}", offer.id, by_user_id=user_id)
    return (await views_of(session, [offer]))[0]


async def expire_due(session: AsyncSession, *, limit: int = EXPIRY_BATCH) -> int:
    """Release offers past their expiry (the worker's job). Rows are claimed with ``SKIP
    LOCKED`` on PostgreSQL so several workers share the work."""
    now = utcnow()
    stmt = (
        select(TradeOffer)
        .where(TradeOffer.status == TradeStatus.active.value, TradeOffer.expires_at <= now)
        .order_by(TradeOffer.expires_at, TradeOffer.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    offers = list(await session.scalars(stmt))
    for offer in offers:
        await _claim(session, offer, TradeStatus.expired, expired_ok=True)
        await _release(session, offer)
        await emit(session, "trade_offer.expired", offer.id)
    return len(offers)


# ---------------------------------------------------------------------------------------------
# Counter and accept


async def counter_offer(
    session: AsyncSession,
    user: User,
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
    parent = await offer_for(session, user.id, offer_id)
    _require_party(parent, user.id, maker=False)
    expires_at = _expiry(terms.expires_at, default_ttl, max_ttl)
    await _claim(session, parent, TradeStatus.countered)
    await _release(session, parent)
    child = await _open(session, user.id, parent.maker_user_id, terms, expires_at, parent)
    await emit(session, "trade_offer.countered", parent.id, by_user_id=user.id, counter_id=child.id)
    return (await views_of(session, [child]))[0]


async def _check_wanted_available(
    session: AsyncSession, card_ids: Sequence[str], taker_id: str
) -> None:
    """Fail accept with one clear error when a wanted card is no longer the receiver's to give
    (sold, listed, locked elsewhere, withdrawn); ``transfer_card`` re-checks atomically."""
    if not card_ids:
        return
    rows = await session.execute(
        select(Card.id, Card.owner_user_id, Card.withdrawn_at, Card.lock_kind).where(
            Card.id.in_(list(card_ids))
        )
    )
    found = {row.id: row for row in rows}
    for card_id in card_ids:
        row = found.get(card_id)
        if (
            row is None
            or row.owner_user_id != taker_id
            or row.withdrawn_at is not None
            or row.lock_kind is not None
        ):
            raise Conflict(
                "A card this offer wants is no longer available from the receiver.",
                code="trade_item_unavailable",
                card_id=card_id,
            )


async def accept_offer(
    session: AsyncSession, user_id: str, offer_id: str, *, fee_bps: int
) -> TradeView:
    """The receiver accepts: every card and token of both sides moves in this transaction, or
    nothing does. Cards bought with tokens are recorded as sales (``ece.trades.pricing``) and
    pay their company's royalty. 403 ``not_trade_taker``; 409 ``trade_offer_not_active``,
    ``trade_offer_expired``, ``trade_item_unavailable`` (a wanted card is gone or locked) and
    ``insufficient_funds`` (the receiver's tokens)."""
    offer = await offer_for(session, user_id, offer_id)
    _require_party(offer, user_id, maker=False)
    await _claim(session, offer, TradeStatus.accepted)
    view = (await views_of(session, [offer]))[0]
    await _check_wanted_available(session, view.want_cards, offer.taker_user_id)
    sold = await card_sales(session, offer, view)

    maker, taker = CardOwner.user(offer.maker_user_id), CardOwner.user(offer.taker_user_id)
    moves = [(c, maker, taker) for c in view.give_cards] + [
        (c, taker, maker) for c in view.want_cards
    ]
    price_of: dict[str, Price] = {}
    for item in sold:  # a card priced in both currencies shows its first in its history
        price_of.setdefault(item.card_id, item.price)
    for card_id, source, target in sorted(moves, key=lambda m: m[0]):
        price = price_of.get(card_id)
        reason = SaleSource.trade_offer.value if price else TRADE_REASON
        await cards.transfer_card(session, card_id, source, target, reason, offer.id, price=price)

    sales = await record_sales(session, offer, sold, fee_bps)
    await ledger.create_transfers(session, await payments(session, offer, sales, fee_bps))
    await emit(
        session,
        "trade_offer.accepted",
        offer.id,
        maker_user_id=offer.maker_user_id,
        taker_user_id=offer.taker_user_id,
        give_cards=view.give_cards,
        want_cards=view.want_cards,
        fee_bps=fee_bps,
        sale_ids=[sale.id for group in sales.values() for sale in group],
        **_token_payload(offer),
    )
    return view

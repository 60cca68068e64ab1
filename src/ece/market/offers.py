"""Offers: bids on one card, or on any card of a company (a collection offer) matching a filter.

The buyer's funds for every unit still open are held by one pending ledger transfer. Each
accept fills one unit in one linked ledger group: post the unit's price out of the hold, pay
seller, fee and royalty from it, and hold what remains again; so at every moment a buyer's held
funds equal the sum of their open offers' remainders. Cancel and expiry void the hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import Card
from ece.cards.service import CardOwner
from ece.config import Settings
from ece.core.clock import seen_status, utcnow
from ece.core.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset, format_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams, newest_first
from ece.ledger import service as ledger
from ece.ledger.models import TransferCode
from ece.ledger.service import TransferSpec, VoidPending
from ece.market.listings import (
    cancel_listing_for_sale,
    check_expiry,
    load_card,
    rowcount,
    seller_for,
)
from ece.market.models import Offer, OfferKind, OfferStatus, active_offer_filter
from ece.settlement.service import (
    FromHold,
    SaleSource,
    Trade,
    addresses,
    offer_escrow_account,
    settle_sale,
    trades_of,
)

MAX_QUANTITY = 100  # units of one collection offer


class OfferParty(StrEnum):
    made = "made"  # offers the caller made
    received = "received"  # offers the caller could accept with a card they own


@dataclass(frozen=True, slots=True)
class OfferFilters:
    card_id: str | None = None
    company_id: str | None = None
    mine: OfferParty | None = None
    status: OfferStatus = OfferStatus.active


@dataclass(frozen=True, slots=True)
class OfferView:
    offer: Offer
    buyer_address: str

    @property
    def status(self) -> OfferStatus:
        return effective_status(self.offer)


def effective_status(offer: Offer, now: datetime | None = None) -> OfferStatus:
    return seen_status(OfferStatus, offer.status, offer.expires_at, now)


def _hold_id(offer: Offer, seq: int) -> str:
    return f"offer:{offer.id}:hold:{seq}"


async def _views(session: AsyncSession, offers: list[Offer]) -> list[OfferView]:
    wallets = await addresses(session, [o.buyer_user_id for o in offers])
    return [OfferView(o, wallets[o.buyer_user_id]) for o in offers]


async def _view(session: AsyncSession, offer: Offer) -> OfferView:
    return (await _views(session, [offer]))[0]


async def _locked_offer(session: AsyncSession, offer_id: str) -> Offer:
    """The offer row, locked first (before the card and the ledger) by every change."""
    offer = await session.scalar(
        select(Offer)
        .where(Offer.id == offer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if offer is None:
        raise NotFound("No such offer.", code="offer_not_found")
    return offer


def matches(offer: Offer, card: Card) -> bool:
    """Whether ``card`` can fill ``offer``."""
    if offer.kind == OfferKind.card.value:
        return offer.card_id == card.id
    return (
        card.company_id == offer.company_id
        and (offer.filter_rarity is None or card.rarity == offer.filter_rarity)
        and (offer.filter_min_power is None or card.power >= offer.filter_min_power)
    )


def _matching_card(card: Any) -> ColumnElement[bool]:
    """SQL twin of ``matches`` for a card (an ORM entity or alias)."""
    return or_(
        and_(Offer.kind == OfferKind.card.value, Offer.card_id == card.id),
        and_(
            Offer.kind == OfferKind.collection.value,
            Offer.company_id == card.company_id,
            or_(Offer.filter_rarity.is_(None), Offer.filter_rarity == card.rarity),
            or_(Offer.filter_min_power.is_(None), Offer.filter_min_power <= card.power),
        ),
    )


async def create_offer(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    card_id: str | None,
    company_id: str | None,
    price: int,
    currency: Asset,
    quantity: int,
    rarity: str | None,
    min_power: int | None,
    expires_at: datetime | None,
) -> OfferView:
    """Make an offer on one card (``card_id``) or a collection offer (``company_id``) and hold
    ``price * quantity`` of the caller's funds. 409 ``insufficient_funds``, ``own_card``,
    ``card_unavailable``; 404 for an unknown card or company; 422 for a bad shape."""
    expiry = check_expiry(
        expires_at, settings.offer_default_ttl_seconds, settings.offer_max_ttl_seconds
    )
    if (card_id is None) == (company_id is None):
        raise Unprocessable("Give card_id or company_id.", code="invalid_offer")
    if not 1 <= quantity <= MAX_QUANTITY or (card_id is not None and quantity != 1):
        raise Unprocessable(
            f"quantity is 1 for a card offer, 1 to {MAX_QUANTITY} for a collection offer.",
            code="invalid_offer",
        )
    if price * quantity > MAX_AMOUNT:
        raise Unprocessable("price * quantity is too large.", code="invalid_amount")
    if card_id is not None:
        card = await load_card(session, card_id)
        if card.withdrawn_at is not None:
            raise Conflict("The card is not on the platform.", code="card_unavailable")
        if CardOwner.of(card).user_id == user.id:
            raise Conflict("You own this card.", code="own_card")
        kind, company = OfferKind.card, card.company_id
    else:
        assert company_id is not None
        kind, company = OfferKind.collection, (await cards.get_company(session, company_id)).id
    offer = Offer(
        kind=kind.value,
        buyer_user_id=user.id,
        card_id=card_id,
        company_id=company,
        filter_rarity=rarity if kind is OfferKind.collection else None,
        filter_min_power=min_power if kind is OfferKind.collection else None,
        price=price,
        currency=currency.value,
        quantity=quantity,
        filled=0,
        status=OfferStatus.active.value,
        expires_at=expiry,
        hold_seq=0,
    )
    session.add(offer)
    await session.flush()
    offer.hold_transfer_id = _hold_id(offer, 0)
    await ledger.create_transfers(
        session,
        [
            TransferSpec(
                offer.hold_transfer_id,
                await ledger.user_account(session, user.id, currency),
                await offer_escrow_account(session, user.id, currency),
                currency,
                price * quantity,
                TransferCode.hold,
                f"offer:{offer.id}",
                pending=True,
            )
        ],
    )
    await session.flush()
    await emit(
        session,
        "offer.created",
        offer.id,
        kind=kind.value,
        card_id=card_id,
        company_id=company,
        price=format_amount(price, currency),
        currency=currency.value,
        quantity=quantity,
        expires_at=expiry.isoformat(),
    )
    return await _view(session, offer)


async def accept_offer(
    session: AsyncSession, settings: Settings, user: User, offer_id: str, card_id: str | None
) -> Trade:
    """Sell one card into an offer (its owner only; an admin for issuer inventory). A listing
    of the card by the same seller ends with the sale. 409 ``offer_unavailable``,
    ``own_offer``, ``card_not_eligible``, ``card_locked``; 403 ``not_card_owner``."""
    offer = await _locked_offer(session, offer_id)
    now = utcnow()
    if effective_status(offer, now) is not OfferStatus.active:
        raise Conflict("The offer is no longer open.", code="offer_unavailable")
    if offer.buyer_user_id == user.id:
        raise Conflict("You cannot accept your own offer.", code="own_offer")
    if offer.kind == OfferKind.card.value:
        if card_id is not None and card_id != offer.card_id:
            raise Unprocessable("This offer is for another card.", code="card_mismatch")
        card_id = offer.card_id
    elif card_id is None:
        raise Unprocessable(
            "Name the card_id you sell into a collection offer.", code="card_required"
        )
    assert card_id is not None
    card = await load_card(session, card_id)
    if not matches(offer, card):
        raise Conflict("This card does not match the offer.", code="card_not_eligible")
    seller = seller_for(card, user)
    await cancel_listing_for_sale(session, card, seller)

    remaining = offer.quantity - offer.filled - 1
    old_hold = offer.hold_transfer_id
    assert old_hold is not None
    seq = offer.hold_seq + 1
    new_hold = _hold_id(offer, seq) if remaining > 0 else None
    won = await rowcount(
        session,
        update(Offer)
        .where(
            Offer.id == offer.id,
            Offer.status == OfferStatus.active.value,
            Offer.filled == offer.filled,
            Offer.expires_at > now,
        )
        .values(
            filled=offer.filled + 1,
            hold_seq=seq,
            hold_transfer_id=new_hold,
            status=(OfferStatus.active if remaining else OfferStatus.filled).value,
            closed_at=None if remaining else now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False),
    )
    if won != 1:
        raise Conflict("The offer is no longer open.", code="offer_unavailable")
    currency = Asset(offer.currency)
    source = SaleSource.offer if offer.kind == OfferKind.card.value else SaleSource.collection_offer
    sale = await settle_sale(
        session,
        card,
        offer.buyer_user_id,
        offer.price,
        currency,
        source,
        offer.id,
        fee_bps=settings.platform_fee_bps,
        hold=FromHold(
            old_hold,
            await offer_escrow_account(session, offer.buyer_user_id, currency),
            rehold=offer.price * remaining,
            rehold_id=new_hold,
        ),
    )
    await session.refresh(offer)
    await emit(
        session,
        "offer.accepted",
        offer.id,
        sale_id=sale.id,
        card_id=card.id,
        filled=offer.filled,
        remaining=offer.remaining,
    )
    if offer.status == OfferStatus.filled.value:
        await emit(session, "offer.filled", offer.id, quantity=offer.quantity)
    return (await trades_of(session, [sale]))[0]


async def _release(session: AsyncSession, offer: Offer, status: OfferStatus) -> bool:
    """Close an active offer as ``status`` and void its hold; False if it was closed already."""
    now = utcnow()
    won = await rowcount(
        session,
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.active.value)
        .values(status=status.value, hold_transfer_id=None, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False),
    )
    if won != 1:
        return False
    if offer.hold_transfer_id is not None:
        await ledger.create_transfers(
            session,
            [VoidPending(f"offer:{offer.id}:release", offer.hold_transfer_id)],
        )
    await session.refresh(offer)
    await emit(
        session,
        f"offer.{status.value}",
        offer.id,
        released=format_amount(offer.price * offer.remaining, Asset(offer.currency)),
        currency=offer.currency,
    )
    return True


async def cancel_offer(session: AsyncSession, user: User, offer_id: str) -> OfferView:
    """Cancel an open offer (its buyer only) and release what it still holds. An offer already
    past its expiry is closed as expired (its hold released the same way)."""
    offer = await _locked_offer(session, offer_id)
    if offer.buyer_user_id != user.id:
        raise Forbidden("This is not your offer.", code="not_offer_owner")
    status = effective_status(offer)
    if offer.status != OfferStatus.active.value:
        raise Conflict("The offer is no longer open.", code="offer_unavailable")
    closing = OfferStatus.expired if status is OfferStatus.expired else OfferStatus.cancelled
    if not await _release(session, offer, closing):
        raise Conflict("The offer is no longer open.", code="offer_unavailable")
    return await _view(session, offer)


async def expire_offer(session: AsyncSession, offer: Offer) -> bool:
    """Tidy an offer past its expiry: release its hold. False if nothing to do."""
    if offer.status != OfferStatus.active.value or effective_status(offer) is OfferStatus.active:
        return False
    return await _release(session, offer, OfferStatus.expired)


async def get_offer(session: AsyncSession, offer_id: str) -> OfferView:
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise NotFound("No such offer.", code="offer_not_found")
    return await _view(session, offer)


def _status_is(status: OfferStatus, now: datetime) -> ColumnElement[bool]:
    if status is OfferStatus.active:
        return active_offer_filter(now)
    if status is OfferStatus.expired:
        return or_(
            Offer.status == OfferStatus.expired.value,
            and_(Offer.status == OfferStatus.active.value, Offer.expires_at <= now),
        )
    return Offer.status == status.value


async def list_offers(
    session: AsyncSession, filters: OfferFilters, params: PageParams, viewer: User | None
) -> tuple[list[OfferView], str | None]:
    """Offers, newest first. ``card_id`` lists every offer that card could fill (its own and
    matching collection offers); ``mine`` needs a signed-in caller."""
    stmt = select(Offer).where(_status_is(filters.status, utcnow()))
    if filters.card_id:
        card = await session.get(Card, filters.card_id)
        if card is None:
            return [], None
        stmt = stmt.where(_matching_card(card))
    if filters.company_id:
        stmt = stmt.where(Offer.company_id == filters.company_id)
    if filters.mine is not None:
        if viewer is None:
            raise Unauthorized("Sign in to see your offers.", code="not_authenticated")
        if filters.mine is OfferParty.made:
            stmt = stmt.where(Offer.buyer_user_id == viewer.id)
        else:
            stmt = stmt.where(
                exists().where(Card.owner_user_id == viewer.id, _matching_card(Card)),
                Offer.buyer_user_id != viewer.id,
            )
    rows: list[Offer]
    rows, cursor = await newest_first(session, stmt, Offer, params)
    return await _views(session, rows), cursor


async def best_offers(
    session: AsyncSession, *, card_id: str | None = None, company_id: str | None = None
) -> list[OfferView]:
    """The best open offer in each currency: for a card, among its own offers and the
    collection offers it matches; for a company, among its collection offers. Highest price
    wins; the earlier offer wins a tie."""
    if (card_id is None) == (company_id is None):
        raise Unprocessable("Give card or company.", code="invalid_query")
    stmt = select(Offer).where(active_offer_filter())
    if card_id is not None:
        card = await session.get(Card, card_id)
        if card is None:
            raise NotFound("No such card.", code="card_not_found")
        stmt = stmt.where(_matching_card(card))
    else:
        stmt = stmt.where(Offer.kind == OfferKind.collection.value, Offer.company_id == company_id)
    best: list[Offer] = []
    for currency in Asset:
        top = await session.scalar(
            stmt.where(Offer.currency == currency.value)
            .order_by(Offer.price.desc(), Offer.created_at, Offer.id)
            .limit(1)
        )
        if top is not None:
            best.append(top)
    return await _views(session, best)

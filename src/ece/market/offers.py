"""Offers: bids on one card, or on any card of a company (a collection offer) matching a filter.

The buyer's funds for every unit still open are held by one pending ledger transfer. Each
accept fills one unit in one linked ledger group: post the unit's price out of the hold, pay
seller, fee and royalty from it, and hold what remains again; so at every moment a buyer's held
funds equal the sum of their open offers' remainders. Cancel and expiry void the hold.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.service import Card, CardOwner
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Conflict, Forbidden, NotFound
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.ledger.service import TransferCode, TransferSpec, VoidPending
from ece.market import repository, rules
from ece.market.listing_reads import actor
from ece.market.listings import cancel_listing_for_sale, check_expiry, seller_for
from ece.market.models import Offer, OfferKind, OfferStatus
from ece.market.offer_reads import OfferView, view
from ece.settlement import service as settlement
from ece.settlement.service import FromHold, SaleSource, SettledSale

MAX_QUANTITY = rules.MAX_QUANTITY


async def _locked_offer(session: AsyncSession, offer_id: str) -> Offer:
    offer = await repository.locked_offer(session, offer_id)
    if offer is None:
        raise NotFound("No such offer.", code="offer_not_found")
    return offer


# --- making an offer ------------------------------------------------------------------------


async def _target(
    session: AsyncSession, user: User, card_id: str | None, company_id: str | None
) -> tuple[OfferKind, str]:
    """What the offer bids on, and the company that is: 404 for an unknown card or company,
    409 when the caller owns the card or it left the platform."""
    if card_id is not None:
        card = await cards.current_card(session, card_id)
        refusal = rules.offer_on_card_refusal(
            card.withdrawn_at is not None, CardOwner.of(card).user_id, actor(user)
        )
        if refusal is not None:
            raise refusal
        return OfferKind.card, card.company_id
    assert company_id is not None
    return OfferKind.collection, (await cards.get_company(session, company_id)).id


async def _hold_funds(session: AsyncSession, offer: Offer, currency: Asset) -> None:
    """Hold ``price * quantity`` of the buyer's funds for the offer."""
    offer.hold_transfer_id = rules.hold_id(offer.id, 0)
    await ledger.create_transfers(
        session,
        [
            TransferSpec(
                offer.hold_transfer_id,
                await ledger.user_account(session, offer.buyer_user_id, currency),
                await settlement.offer_escrow_account(session, offer.buyer_user_id, currency),
                currency,
                offer.price * offer.quantity,
                TransferCode.hold,
                f"offer:{offer.id}",
                pending=True,
            )
        ],
    )
    await session.flush()


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
    ``card_unavailable``; 404 for an unknown card or company; 422 for a bad shape; 403
    ``kyc_required`` past the buyer's 24 h purchase limit."""
    expiry = check_expiry(
        expires_at, settings.offer_default_ttl_seconds, settings.offer_max_ttl_seconds
    )
    shape = rules.offer_shape_refusal(card_id, company_id, price, quantity)
    if shape is not None:
        raise shape
    kind, company = await _target(session, user, card_id, company_id)
    # An offer counts against the KYC purchase limit when it is placed (before its hold).
    await compliance.check_purchase(session, settings, user, price * quantity, currency)
    collection = kind is OfferKind.collection
    offer = Offer(
        kind=kind.value,
        buyer_user_id=user.id,
        card_id=card_id,
        company_id=company,
        filter_rarity=rarity if collection else None,
        filter_min_power=min_power if collection else None,
        price=price,
        currency=currency.value,
        quantity=quantity,
        filled=0,
        status=OfferStatus.active.value,
        expires_at=expiry,
        hold_seq=0,
    )
    await repository.add(session, offer)
    await _hold_funds(session, offer, currency)
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
    return await view(session, offer)


# --- accepting an offer ---------------------------------------------------------------------


async def _card_to_sell(
    session: AsyncSession, user: User, offer: Offer, card_id: str | None, now: datetime
) -> tuple[Card, CardOwner]:
    """The card the caller sells into ``offer`` and who sells it, with every refusal checked."""
    refusal = rules.accept_refusal(offer, actor(user), now)
    if refusal is not None:
        raise refusal
    card = await cards.current_card(session, rules.card_to_accept(offer, card_id))
    if not rules.matches(offer, card):
        raise Conflict("This card does not match the offer.", code="card_not_eligible")
    return card, seller_for(card, user)


async def _sell_into(
    session: AsyncSession, settings: Settings, offer: Offer, card: Card, now: datetime
) -> settlement.Sale:
    """Fill one unit of ``offer`` with ``card``: paid out of the hold, the rest held again."""
    fill = rules.next_fill(offer.id, offer.quantity, offer.filled, offer.hold_seq)
    old_hold = offer.hold_transfer_id
    assert old_hold is not None
    if not await repository.fill_offer(session, offer, fill, now):
        raise rules.offer_closed()
    currency = Asset(offer.currency)
    source = SaleSource.offer if offer.kind == OfferKind.card.value else SaleSource.collection_offer
    return await settlement.settle_sale(
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
            await settlement.offer_escrow_account(session, offer.buyer_user_id, currency),
            rehold=offer.price * fill.remaining,
            rehold_id=fill.hold_transfer_id,
        ),
    )


async def accept_offer(
    session: AsyncSession, settings: Settings, user: User, offer_id: str, card_id: str | None
) -> SettledSale:
    """Sell one card into an offer (its owner only; an admin for issuer inventory). A listing
    of the card by the same seller ends with the sale. 409 ``offer_unavailable``,
    ``own_offer``, ``card_not_eligible``, ``card_locked``; 403 ``not_card_owner``."""
    offer = await _locked_offer(session, offer_id)
    now = utcnow()
    card, seller = await _card_to_sell(session, user, offer, card_id, now)
    await cancel_listing_for_sale(session, card, seller)
    sale = await _sell_into(session, settings, offer, card, now)
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
    return (await settlement.settled_sales(session, [sale]))[0]


# --- closing an offer -----------------------------------------------------------------------


async def _release(session: AsyncSession, offer: Offer, status: OfferStatus) -> bool:
    """Close an active offer as ``status`` and void its hold; False if it was closed already."""
    if not await repository.close_offer(session, offer.id, status, utcnow()):
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
    if offer.status != OfferStatus.active.value:
        raise rules.offer_closed()
    if not await _release(session, offer, rules.closing_status(offer)):
        raise rules.offer_closed()
    return await view(session, offer)


async def expire_offer(session: AsyncSession, offer: Offer) -> bool:
    """Tidy an offer past its expiry: release its hold. False if nothing to do."""
    if not rules.offer_expiry_due(offer):
        return False
    return await _release(session, offer, OfferStatus.expired)

"""Listings: a card offered at a fixed price, locked while listed, bought in one transaction.

A listing is bought with one conditional ``UPDATE ... WHERE status = 'active' AND expires_at >
now ... RETURNING`` (``repository.take_listing``, which also takes its row lock), so of any
number of simultaneous buyers exactly one wins; the others get the reason from
``rules.buy_refusal``. An expired listing is never shown nor bought, even before the expiry job
releases its card.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.service import Card, CardOwner, LockKind
from ece.chain.wallets import can_be_wallet
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Conflict, Forbidden, Unprocessable
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.market import repository, rules
from ece.market.listing_reads import ListingView, actor, view, visible_to
from ece.market.models import Listing, ListingPriceChange, ListingStatus

# NOTIFY channel of the transactions that change what a listing page shows (migration 0008).
LISTINGS_CHANNEL = "ece_listings"


def check_expiry(expires_at: datetime | None, default: int, maximum: int) -> datetime:
    return rules.check_expiry(expires_at, default, maximum, utcnow())


def seller_for(card: Card, user: User) -> CardOwner:
    """Who sells ``card`` when ``user`` acts: its owner, or an admin for the issuer inventory
    (a primary sale). 403 ``not_card_owner`` otherwise."""
    owner = CardOwner.of(card)
    if not rules.may_sell(owner.kind.value, owner.id, actor(user)):
        raise Forbidden("You do not own this card.", code="not_card_owner")
    return owner


async def show_price(session: AsyncSession, card_id: str, listing: Listing | None) -> None:
    """Keep the card's list price (the catalog sorts by it, tiles show it) equal to its open
    public listing: a private listing's price is no one else's business."""
    if listing is None or listing.taker_address is not None:
        await cards.show_list_price(session, card_id, None, None)
    else:
        await cards.show_list_price(session, card_id, listing.price, listing.currency)


async def locked_listing(session: AsyncSession, listing_id: str) -> Listing:
    listing = await repository.locked_listing(session, listing_id)
    if listing is None:
        raise rules.listing_not_found()
    return listing


async def close(session: AsyncSession, listing: Listing, status: ListingStatus) -> bool:
    """Move an active listing to ``status``; False when another transaction closed it first."""
    won = await repository.close_listing(session, listing.id, status, utcnow())
    if won:
        listing.status = status.value
    return won


async def expire_listing(session: AsyncSession, listing: Listing) -> bool:
    """Tidy an active listing past its expiry: release its card. False if nothing to do."""
    if not rules.expired_unreleased(listing):
        return False
    if not await close(session, listing, ListingStatus.expired):
        return False
    await cards.unlock_card(session, listing.card_id, LockKind.listing, listing.id)
    await show_price(session, listing.card_id, None)
    await emit(session, "listing.expired", listing.id, card_id=listing.card_id)
    return True


async def release_stale_listing(session: AsyncSession, card: Card) -> None:
    """If ``card`` is still locked by a listing that has expired, tidy it now, so the owner can
    list again or accept an offer without waiting for the expiry job."""
    if card.lock_kind != LockKind.listing.value or card.lock_ref is None:
        return
    listing = await locked_listing(session, card.lock_ref)
    if await expire_listing(session, listing):
        await session.refresh(card)


def _check_taker(taker_address: str, user: User, seller: CardOwner) -> None:
    """A private listing's taker must be someone else who can sign in: a program, a sysvar or
    an off-curve address never can, and the card would stay locked for nobody."""
    if taker_address == user.address and seller.user_id:
        raise Unprocessable("A private listing is for someone else.", code="invalid_taker")
    try:
        taker = Pubkey.from_string(taker_address)
    except ValueError as exc:
        raise Unprocessable("The taker is not a Solana address.", code="invalid_taker") from exc
    if not can_be_wallet(taker):
        raise Unprocessable(
            "The taker is a program, sysvar or program-derived address: nobody can sign in as it.",
            code="invalid_taker",
        )


async def create_listing(
    session: AsyncSession,
    settings: Settings,
    user: User,
    card_id: str,
    price: int,
    currency: Asset,
    expires_at: datetime | None,
    taker_address: str | None,
) -> ListingView:
    """List a card the caller owns (an admin lists issuer inventory: a primary sale).

    Locks the card (409 ``card_locked`` if it is in an auction, battle, another listing...).
    """
    expiry = check_expiry(
        expires_at, settings.listing_default_ttl_seconds, settings.listing_max_ttl_seconds
    )
    card = await cards.current_card(session, card_id)
    seller = seller_for(card, user)
    if taker_address is not None:
        _check_taker(taker_address, user, seller)
    await release_stale_listing(session, card)
    listing = Listing(
        card_id=card.id,
        company_id=card.company_id,
        rarity=card.rarity,
        seller_kind=seller.kind.value,
        seller_id=seller.id,
        price=price,
        currency=currency.value,
        taker_address=taker_address,
        status=ListingStatus.active.value,
        expires_at=expiry,
    )
    await repository.add(session, listing)
    await cards.lock_card(session, card.id, seller, LockKind.listing, listing.id)
    await show_price(session, card.id, listing)
    await emit(
        session,
        "listing.created",
        listing.id,
        card_id=card.id,
        company_id=card.company_id,
        price=format_amount(price, currency),
        currency=currency.value,
        expires_at=expiry.isoformat(),
        private=taker_address is not None,
    )
    return await view(session, listing.id)


async def _owned_active(session: AsyncSession, user: User, listing_id: str) -> Listing:
    """The listing, locked, for its seller to change: 404 when hidden from them, 403 when not
    theirs."""
    listing = await locked_listing(session, listing_id)
    if not visible_to(listing, user):
        raise rules.listing_not_found()
    if not rules.may_act_for(listing, actor(user)):
        raise Forbidden("This is not your listing.", code="not_listing_owner")
    return listing


async def _record_price_change(
    session: AsyncSession, listing: Listing, new_price: int, at: datetime
) -> None:
    """Keep a change of ``listing``'s price (nothing when the price stays the same), in the
    transaction that makes it: the card's history and the activity feed show every change."""
    if new_price == listing.price:
        return
    change = ListingPriceChange(
        listing_id=listing.id,
        card_id=listing.card_id,
        company_id=listing.company_id,
        seller_kind=listing.seller_kind,
        seller_id=listing.seller_id,
        old_price=listing.price,
        new_price=new_price,
        currency=listing.currency,
        created_at=at,
    )
    await repository.add(session, change)


async def update_listing(
    session: AsyncSession,
    settings: Settings,
    user: User,
    listing_id: str,
    price: str | None,
    expires_at: datetime | None,
) -> ListingView:
    """Change an active listing's price or expiry (its seller only). A buyer who named a
    ``max_price`` is protected from a raise made at the same moment. A new price is kept as a
    ``ListingPriceChange`` (old and new) in the same transaction."""
    listing = await _owned_active(session, user, listing_id)
    if rules.listing_status(listing) is not ListingStatus.active:
        raise Conflict("The listing is no longer active.", code="listing_unavailable")
    changes: dict[str, Any] = {}
    if price is not None:
        changes["price"] = rules.parse_price(price, Asset(listing.currency))
    if expires_at is not None:
        changes["expires_at"] = check_expiry(
            expires_at, settings.listing_default_ttl_seconds, settings.listing_max_ttl_seconds
        )
    if not changes:
        return await view(session, listing.id)
    now = utcnow()
    await _record_price_change(session, listing, changes.get("price", listing.price), now)
    for name, value in changes.items():
        setattr(listing, name, value)
    listing.updated_at = now
    await session.flush()
    await show_price(session, listing.card_id, listing)
    await emit(
        session,
        "listing.updated",
        listing.id,
        card_id=listing.card_id,
        price=format_amount(listing.price, Asset(listing.currency)),
        currency=listing.currency,
        expires_at=listing.expires_at.isoformat(),
    )
    return await view(session, listing.id)


async def cancel_listing(session: AsyncSession, user: User, listing_id: str) -> ListingView:
    """Cancel an active listing (its seller only) and release its card. A listing already past
    its expiry is tidied as expired instead."""
    listing = await _owned_active(session, user, listing_id)
    if await expire_listing(session, listing):
        return await view(session, listing.id)
    if not await close(session, listing, ListingStatus.cancelled):
        raise Conflict("The listing is no longer active.", code="listing_unavailable")
    await cards.unlock_card(session, listing.card_id, LockKind.listing, listing.id)
    await show_price(session, listing.card_id, None)
    await emit(session, "listing.cancelled", listing.id, card_id=listing.card_id)
    return await view(session, listing.id)


async def cancel_listing_for_sale(session: AsyncSession, card: Card, seller: CardOwner) -> None:
    """The seller accepts an offer on a card they had listed: the listing ends with the sale.
    Any other lock (auction, battle...) is left alone and the sale will be refused."""
    if card.lock_kind != LockKind.listing.value or card.lock_ref is None:
        return
    listing = await locked_listing(session, card.lock_ref)
    if listing.seller_kind != seller.kind.value or listing.seller_id != seller.id:
        return
    if not await expire_listing(session, listing):
        if not await close(session, listing, ListingStatus.cancelled):
            return
        await cards.unlock_card(session, listing.card_id, LockKind.listing, listing.id)
        await emit(session, "listing.cancelled", listing.id, card_id=listing.card_id, reason="sold")
    await show_price(session, listing.card_id, None)
    await session.refresh(card)

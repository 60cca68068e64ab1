"""The market's decisions, pure (no session, no I/O): what a buyer sees of a listing or offer,
who may act on it, when an expiry is acceptable, which cards fill an offer, the reason a buy,
an offer or an accept is refused, and how a fill moves an offer on.

The SQL in ``repository`` pre-filters with the same conditions (the buy's conditional UPDATE,
the offers a card matches); the reason a request is refused always comes from here, and
``tests/market/test_rules_pinned.py`` runs both on the same rows to keep them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from ece.core.clock import seen_status
from ece.core.errors import Conflict, DomainError, Forbidden, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset, InvalidAmount, format_amount, parse_amount
from ece.market.models import ListingStatus, OfferKind, OfferStatus

MAX_QUANTITY = 100  # units of one collection offer
USER = "user"  # seller kind of a user (the other is a company's issuer inventory)
ISSUER = "issuer"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks: a signed-in user, as the rules need them."""

    id: str
    address: str
    admin: bool = False


class ListingFacts(Protocol):
    @property
    def seller_kind(self) -> str: ...
    @property
    def seller_id(self) -> str: ...
    @property
    def price(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def taker_address(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...


class OfferFacts(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def buyer_user_id(self) -> str: ...
    @property
    def card_id(self) -> str | None: ...
    @property
    def company_id(self) -> str: ...
    @property
    def filter_rarity(self) -> str | None: ...
    @property
    def filter_min_power(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...


class CardFacts(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def company_id(self) -> str: ...
    @property
    def rarity(self) -> str: ...
    @property
    def power(self) -> int: ...


# --- prices and expiry ----------------------------------------------------------------------


def parse_price(text: str, currency: Asset) -> int:
    """A decimal price in ``currency``; 422 ``invalid_amount`` (too many decimals, zero...)."""
    try:
        return parse_amount(text, currency)
    except InvalidAmount as exc:
        raise Unprocessable(str(exc), code="invalid_amount") from exc


def check_expiry(
    expires_at: datetime | None, default: int, maximum: int, now: datetime
) -> datetime:
    """The expiry to store: the default when none is given; 422 ``invalid_expiry`` when it is
    not in the future or beyond the maximum lifetime."""
    if expires_at is None:
        return now + timedelta(seconds=min(default, maximum))
    if expires_at.tzinfo is None:
        raise Unprocessable("expires_at needs a time zone.", code="invalid_expiry")
    if expires_at <= now:
        raise Unprocessable("expires_at must be in the future.", code="invalid_expiry")
    if expires_at > now + timedelta(seconds=maximum):
        raise Unprocessable(
            f"expires_at is at most {maximum // 86400} days ahead.", code="invalid_expiry"
        )
    return expires_at


# --- listings -------------------------------------------------------------------------------


def listing_status(listing: ListingFacts, now: datetime | None = None) -> ListingStatus:
    """What a buyer sees: an active listing past its expiry is expired already."""
    return seen_status(ListingStatus, listing.status, listing.expires_at, now)


def may_sell(owner_kind: str, owner_id: str, actor: Actor) -> bool:
    """A card is sold by its owner, or by an admin for the issuer inventory (a primary sale)."""
    if owner_kind == USER:
        return owner_id == actor.id
    return actor.admin


def may_act_for(listing: ListingFacts, actor: Actor) -> bool:
    return may_sell(listing.seller_kind, listing.seller_id, actor)


def visible_to(listing: ListingFacts, viewer: Actor | None) -> bool:
    """A private listing exists only for its seller and its taker: to anyone else (anonymous
    included) it is ``listing_not_found``, on every route, like a listing that never was."""
    if listing.taker_address is None:
        return True
    return viewer is not None and (
        viewer.address == listing.taker_address or may_act_for(listing, viewer)
    )


def listing_not_found() -> NotFound:
    return NotFound("No such listing.", code="listing_not_found")


def unavailable() -> Conflict:
    return Conflict("The listing is no longer available.", code="listing_unavailable")


def expired_unreleased(listing: ListingFacts, now: datetime | None = None) -> bool:
    """A listing still marked active past its expiry: its card is to be released."""
    return listing.status == ListingStatus.active.value and (
        listing_status(listing, now) is ListingStatus.expired
    )


def buy_refusal(
    listing: ListingFacts, buyer: Actor, now: datetime, limit: int | None
) -> DomainError | None:
    """Why ``buyer`` may not buy ``listing`` now at a price of at most ``limit``, or None. The
    buy's conditional UPDATE (``repository.buyable``) is the same rule in SQL."""
    if not visible_to(listing, buyer):
        return listing_not_found()
    if listing_status(listing, now) is not ListingStatus.active:
        return unavailable()
    if listing.seller_kind == USER and listing.seller_id == buyer.id:
        return Conflict("You cannot buy your own listing.", code="own_listing")
    if listing.taker_address is not None and listing.taker_address != buyer.address:
        # Only an admin acting for an issuer's private listing gets here.
        return Forbidden("This listing is reserved for another buyer.", code="private_listing")
    if limit is not None and listing.price > limit:
        return Conflict(
            "The listing's price is above your max_price.",
            code="price_above_max",
            price=format_amount(listing.price, Asset(listing.currency)),
            currency=listing.currency,
        )
    return None


def sweep_refusal(price: int, currency: str, wanted: Asset, budget: int) -> str | None:
    """Why a sweep must not try to buy a listing (currency, budget), if so."""
    if currency != wanted.value:
        return "currency_mismatch"
    if price > budget:
        return "over_max_total"
    return None


def sweep_reason(code: str) -> str:
    """A single buy's refusal code, as a sweep reports it."""
    return "over_max_total" if code == "price_above_max" else code


# --- offers ---------------------------------------------------------------------------------


def offer_status(offer: OfferFacts, now: datetime | None = None) -> OfferStatus:
    return seen_status(OfferStatus, offer.status, offer.expires_at, now)


def matches(offer: OfferFacts, card: CardFacts) -> bool:
    """Whether ``card`` can fill ``offer`` (``repository.matching_card`` is its SQL twin)."""
    if offer.kind == OfferKind.card.value:
        return offer.card_id == card.id
    return (
        card.company_id == offer.company_id
        and (offer.filter_rarity is None or card.rarity == offer.filter_rarity)
        and (offer.filter_min_power is None or card.power >= offer.filter_min_power)
    )


def offer_shape_refusal(
    card_id: str | None, company_id: str | None, price: int, quantity: int
) -> Unprocessable | None:
    """An offer names a card (one unit) or a company (1 to ``MAX_QUANTITY`` units)."""
    if (card_id is None) == (company_id is None):
        return Unprocessable("Give card_id or company_id.", code="invalid_offer")
    if not 1 <= quantity <= MAX_QUANTITY or (card_id is not None and quantity != 1):
        return Unprocessable(
            f"quantity is 1 for a card offer, 1 to {MAX_QUANTITY} for a collection offer.",
            code="invalid_offer",
        )
    if price * quantity > MAX_AMOUNT:
        return Unprocessable("price * quantity is too large.", code="invalid_amount")
    return None


def offer_on_card_refusal(
    withdrawn: bool, owner_user_id: str | None, buyer: Actor
) -> Conflict | None:
    if withdrawn:
        return Conflict("The card is not on the platform.", code="card_unavailable")
    if owner_user_id == buyer.id:
        return Conflict("You own this card.", code="own_card")
    return None


def offer_closed() -> Conflict:
    return Conflict("The offer is no longer open.", code="offer_unavailable")


def accept_refusal(offer: OfferFacts, seller: Actor, now: datetime) -> Conflict | None:
    if offer_status(offer, now) is not OfferStatus.active:
        return offer_closed()
    if offer.buyer_user_id == seller.id:
        return Conflict("You cannot accept your own offer.", code="own_offer")
    return None


def card_to_accept(offer: OfferFacts, card_id: str | None) -> str:
    """The card an accept sells: a card offer's own (422 ``card_mismatch`` for another), or the
    one named for a collection offer (422 ``card_required`` when none is)."""
    if offer.kind == OfferKind.card.value:
        if card_id is not None and card_id != offer.card_id:
            raise Unprocessable("This offer is for another card.", code="card_mismatch")
        assert offer.card_id is not None
        return offer.card_id
    if card_id is None:
        raise Unprocessable(
            "Name the card_id you sell into a collection offer.", code="card_required"
        )
    return card_id


def hold_id(offer_id: str, seq: int) -> str:
    return f"offer:{offer_id}:hold:{seq}"


@dataclass(frozen=True, slots=True)
class Fill:
    """An offer after one more unit is sold into it."""

    filled: int
    remaining: int
    hold_seq: int
    hold_transfer_id: str | None  # the re-hold of what is still open; None when filled
    status: OfferStatus


def next_fill(offer_id: str, quantity: int, filled: int, hold_seq: int) -> Fill:
    remaining = quantity - filled - 1
    if remaining < 0:
        raise ValueError("the offer is filled already")
    seq = hold_seq + 1
    return Fill(
        filled=filled + 1,
        remaining=remaining,
        hold_seq=seq,
        hold_transfer_id=hold_id(offer_id, seq) if remaining > 0 else None,
        status=OfferStatus.active if remaining else OfferStatus.filled,
    )


def closing_status(offer: OfferFacts, now: datetime | None = None) -> OfferStatus:
    """A cancelled offer already past its expiry closes as expired."""
    expired = offer_status(offer, now) is OfferStatus.expired
    return OfferStatus.expired if expired else OfferStatus.cancelled


def offer_expiry_due(offer: OfferFacts, now: datetime | None = None) -> bool:
    """An offer still marked active past its expiry: its hold is to be released."""
    return offer.status == OfferStatus.active.value and (
        offer_status(offer, now) is not OfferStatus.active
    )

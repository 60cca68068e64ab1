"""Trade offer rules, pure: the terms an offer may have, who may do what, its expiry and its
status machine, and the fairness hint's arithmetic. No I/O: ``service`` feeds these rows.

Status machine: an offer is born ``active``; only an active offer that has not reached its
expiry can be accepted or countered; decline and cancel also end an active offer past its
expiry, as ``expired`` (what the expiry job would do). Every other status is final.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from ece.core.clock import seen_status
from ece.core.errors import Conflict, Forbidden, Unprocessable
from ece.core.money import Asset
from ece.settlement.swap_rules import Swap
from ece.trades.models import TradeOffer, TradeSide, TradeStatus

MAX_CARDS_PER_SIDE = 20
FINAL = frozenset(TradeStatus) - {TradeStatus.active}


class Box(StrEnum):
    sent = "sent"
    received = "received"


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
# Amounts


def _amount_column(side: TradeSide, asset: Asset) -> str:
    return f"{side.value}_{asset.value.lower()}"


def amounts(offer: TradeOffer, side: TradeSide) -> list[tuple[Asset, int]]:
    """The positive token amounts of one side, in ``Asset`` order."""
    return [
        (asset, getattr(offer, _amount_column(side, asset)))
        for asset in Asset
        if getattr(offer, _amount_column(side, asset)) > 0
    ]


def swap_of(offer: TradeOffer, give_cards: Sequence[str], want_cards: Sequence[str]) -> Swap:
    """The offer as settlement sees it."""
    return Swap(
        offer.id,
        offer.maker_user_id,
        offer.taker_user_id,
        tuple(amounts(offer, TradeSide.give)),
        tuple(amounts(offer, TradeSide.want)),
        tuple(give_cards),
        tuple(want_cards),
    )


# ---------------------------------------------------------------------------------------------
# Terms and parties


def check_terms(terms: OfferTerms) -> None:
    """422 ``empty_trade_offer``, ``too_many_cards``, ``duplicate_card``."""
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


def check_parties(maker_id: str, taker_id: str) -> None:
    if maker_id == taker_id:
        raise Unprocessable("You cannot trade with yourself.", code="cannot_trade_with_self")


def require_party(offer: TradeOffer, user_id: str, *, maker: bool) -> None:
    """403 ``not_trade_maker`` / ``not_trade_taker``."""
    if maker and offer.maker_user_id != user_id:
        raise Forbidden("Only the giver can do this.", code="not_trade_maker")
    if not maker and offer.taker_user_id != user_id:
        raise Forbidden("Only the receiver can do this.", code="not_trade_taker")


def offer_expiry(
    expires_at: datetime | None, now: datetime, default_ttl: int, max_ttl: int
) -> datetime:
    """When a new offer expires: ``default_ttl`` seconds from now unless asked; an asked
    expiry must be aware, in the future and at most ``max_ttl`` away (422 ``invalid_expiry``)."""
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


class CardState(Protocol):
    """What the wanted-card checks read of a card (``ece.cards.service.CardHolding``)."""

    @property
    def owner_user_id(self) -> str | None: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...
    @property
    def lock_kind(self) -> str | None: ...


def check_wanted_held(
    card_ids: Sequence[str], found: Mapping[str, CardState], taker_id: str
) -> None:
    """At create and counter, wanted cards must belong to the receiver on the platform now
    (they may be locked: accept re-checks). 422 ``wanted_card_not_held``."""
    for card_id in card_ids:
        card = found.get(card_id)
        if card is None or card.owner_user_id != taker_id or card.withdrawn_at is not None:
            raise Unprocessable(
                "A wanted card is not held by the receiver on the platform.",
                code="wanted_card_not_held",
                card_id=card_id,
            )


def check_wanted_available(
    card_ids: Sequence[str], found: Mapping[str, CardState], taker_id: str
) -> None:
    """At accept, every wanted card must still be the receiver's to give: held, on the
    platform and unlocked (not listed or offered elsewhere). 409 ``trade_item_unavailable``."""
    for card_id in card_ids:
        card = found.get(card_id)
        if (
            card is None
            or card.owner_user_id != taker_id
            or card.withdrawn_at is not None
            or card.lock_kind is not None
        ):
            raise Conflict(
                "A card this offer wants is no longer available from the receiver.",
                code="trade_item_unavailable",
                card_id=card_id,
            )


# ---------------------------------------------------------------------------------------------
# Status machine


def status_of(offer: TradeOffer, now: datetime | None = None) -> TradeStatus:
    """The status a reader sees: an active offer past its expiry is expired already."""
    return seen_status(TradeStatus, offer.status, offer.expires_at, now)


def claimable(status: str, expires_at: datetime, now: datetime, *, expired_ok: bool) -> bool:
    """Whether an offer may move to a final status now: it is active, and (unless it is being
    released, ``expired_ok``) not past its expiry. ``repository.claim`` is its SQL twin."""
    return status == TradeStatus.active.value and (expired_ok or expires_at > now)


def ending(requested: TradeStatus, status: str, expires_at: datetime, now: datetime) -> TradeStatus:
    """The final status a decline or cancel writes: ``expired`` for an active offer past its
    expiry (nobody can accept it any more), else what was asked."""
    if status == TradeStatus.active.value and expires_at <= now:
        return TradeStatus.expired
    return requested


def claim_refusal(current: TradeStatus) -> Conflict:
    """Why a claim failed: 409 ``trade_offer_expired`` or ``trade_offer_not_active``."""
    if current is TradeStatus.expired:
        return Conflict("The trade offer has expired.", code="trade_offer_expired")
    return Conflict(
        f"The trade offer is {current.value}, not active.",
        code="trade_offer_not_active",
        status=current.value,
    )


# ---------------------------------------------------------------------------------------------
# The fairness hint


@dataclass(frozen=True, slots=True)
class SideValue:
    """One side's value per currency: its tokens at face value plus each card at its company's
    reference price in that currency (the same one a swap's price is split by); cards with no
    price in a currency are listed as unpriced there. Currencies are never converted."""

    value: dict[Asset, int]
    unpriced: dict[Asset, list[str]]


def side_value(
    tokens: Mapping[Asset, int],
    card_ids: Sequence[str],
    company_of: Mapping[str, str],
    prices: Mapping[str, Mapping[Asset, int]],
) -> SideValue:
    value: dict[Asset, int] = {}
    unpriced: dict[Asset, list[str]] = {}
    for asset in Asset:
        value[asset] = tokens.get(asset, 0)
        unpriced[asset] = []
        for card_id in card_ids:
            price = prices.get(company_of.get(card_id, ""), {}).get(asset)
            if price is None:
                unpriced[asset].append(card_id)
            else:
                value[asset] += price
    return SideValue(value, unpriced)

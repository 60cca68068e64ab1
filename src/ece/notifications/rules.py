"""Which events notify whom, and what each user chose per type and channel (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final


class Channel(StrEnum):
    in_app = "in_app"
    email = "email"
    push = "push"


class Kind(StrEnum):
    trade_offer_received = "trade_offer_received"
    trade_offer_accepted = "trade_offer_accepted"
    trade_offer_declined = "trade_offer_declined"
    trade_offer_cancelled = "trade_offer_cancelled"
    trade_offer_countered = "trade_offer_countered"
    trade_offer_expired = "trade_offer_expired"
    outbid = "outbid"
    auction_won = "auction_won"
    auction_sold = "auction_sold"
    listing_sold = "listing_sold"
    offer_accepted = "offer_accepted"
    deposit_credited = "deposit_credited"
    withdrawal_sent = "withdrawal_sent"
    withdrawal_confirmed = "withdrawal_confirmed"
    withdrawal_failed = "withdrawal_failed"
    payout_sent = "payout_sent"
    battle_result = "battle_result"
    price_alert = "price_alert"


# Email goes out by default only for what a user would want to hear about away from the site.
EMAIL_BY_DEFAULT: Final = frozenset(
    {
        Kind.outbid,
        Kind.auction_won,
        Kind.auction_sold,
        Kind.listing_sold,
        Kind.deposit_credited,
        Kind.withdrawal_confirmed,
        Kind.payout_sent,
    }
)


@dataclass(frozen=True, slots=True)
class Draft:
    """A notification to make: for ``user_id``, of ``kind``, showing ``data``."""

    user_id: str
    kind: Kind
    data: dict[str, Any]


# Events that notify one user named in the payload: event type -> (kind, payload key).
_DIRECT: Final[Mapping[str, tuple[Kind, str]]] = {
    "trade_offer.created": (Kind.trade_offer_received, "taker_user_id"),
    "trade_offer.accepted": (Kind.trade_offer_accepted, "maker_user_id"),
    # The party who did not act: the maker hears of a decline or a counter, the receiver of a
    # cancel. (A counter's own ``trade_offer.created`` notifies no one: this one speaks for it.)
    "trade_offer.declined": (Kind.trade_offer_declined, "maker_user_id"),
    "trade_offer.countered": (Kind.trade_offer_countered, "maker_user_id"),
    "trade_offer.cancelled": (Kind.trade_offer_cancelled, "taker_user_id"),
    "auction.outbid": (Kind.outbid, "user_id"),
    "auction.won": (Kind.auction_won, "user_id"),
    "deposit.credited": (Kind.deposit_credited, "user_id"),
    "withdrawal.sent": (Kind.withdrawal_sent, "user_id"),
    "withdrawal.confirmed": (Kind.withdrawal_confirmed, "user_id"),
    "withdrawal.failed": (Kind.withdrawal_failed, "user_id"),
    # A sent payout names the user signed in with its destination wallet, when there is one.
    "payout.sent": (Kind.payout_sent, "user_id"),
    # A settled battle tells each participant and voter the winner and their prize.
    "battle.result": (Kind.battle_result, "user_id"),
    # A price alert of the user's crossed its price (the portfolio's ``price_alerts`` job).
    "price_alert.triggered": (Kind.price_alert, "user_id"),
}
# A sale tells its user seller (by source) and, for offers, the buyer whose offer was taken.
_SOLD_BY_SOURCE: Final[Mapping[str, Kind]] = {
    "auction": Kind.auction_sold,
    "listing": Kind.listing_sold,
    "sweep": Kind.listing_sold,
}
_BOUGHT_BY_SOURCE: Final[Mapping[str, Kind]] = {
    "offer": Kind.offer_accepted,
    "collection_offer": Kind.offer_accepted,
}
# What a notification shows of its event: never more than the event carried.
_SHOWN: Final = (
    "auction_id",
    "offer_id",
    "counter_id",
    "card_id",
    "company_id",
    "price",
    "current_price",
    "currency",
    "asset",
    "amount",
    "signature",
    "sale_id",
    "battle_id",
    "winner",
    "payout",
    "condition",
    "floor",
)


def _shown(aggregate_id: str, payload: Mapping[str, Any], event_type: str) -> dict[str, Any]:
    data = {key: payload[key] for key in _SHOWN if key in payload}
    data["event"] = event_type
    data["ref"] = aggregate_id
    return data


def drafts_for(event_type: str, aggregate_id: str, payload: Mapping[str, Any]) -> list[Draft]:
    """The notifications an event makes (none for most events)."""
    data = _shown(aggregate_id, payload, event_type)
    direct = _DIRECT.get(event_type)
    if event_type == "trade_offer.created" and payload.get("parent_id") is not None:
        return []
    if event_type == "trade_offer.expired":
        return _expired(payload, data)
    if direct is not None:
        user_id = payload.get(direct[1])
        return [Draft(user_id, direct[0], data)] if isinstance(user_id, str) else []
    if event_type != "trade.executed":
        return []
    drafts = []
    source = str(payload.get("source"))
    seller = payload.get("seller") or {}
    if source in _SOLD_BY_SOURCE and seller.get("kind") == "user":
        drafts.append(Draft(str(seller["id"]), _SOLD_BY_SOURCE[source], data))
    buyer = payload.get("buyer_user_id")
    if source in _BOUGHT_BY_SOURCE and isinstance(buyer, str):
        drafts.append(Draft(buyer, _BOUGHT_BY_SOURCE[source], data))
    return drafts


def _expired(payload: Mapping[str, Any], data: dict[str, Any]) -> list[Draft]:
    """An expired trade offer tells both parties; when one of them ended it by acting on it
    after its expiry (``by_user_id``), only the other, as for a decline or a cancel."""
    actor = payload.get("by_user_id")
    parties = (payload.get("maker_user_id"), payload.get("taker_user_id"))
    return [
        Draft(party, Kind.trade_offer_expired, data)
        for party in dict.fromkeys(parties)
        if isinstance(party, str) and party != actor
    ]


def default_enabled(kind: Kind, channel: Channel) -> bool:
    if channel is Channel.email:
        return kind in EMAIL_BY_DEFAULT
    return True


def enabled(chosen: Mapping[tuple[str, str], bool], kind: Kind, channel: Channel) -> bool:
    """The user's choice for ``kind`` on ``channel`` (``chosen`` by (kind, channel)), else the
    default."""
    return chosen.get((kind.value, channel.value), default_enabled(kind, channel))


# The email template of each kind that has one; the others are not emailed.
EMAIL_TEMPLATES: Final[Mapping[Kind, str]] = {
    Kind.outbid: "outbid",
    Kind.auction_won: "auction_won",
    Kind.auction_sold: "sold",
    Kind.listing_sold: "sold",
    Kind.deposit_credited: "deposit_credited",
    Kind.withdrawal_confirmed: "withdrawal_confirmed",
    Kind.payout_sent: "payout_sent",
}
EMAIL_MAX_ATTEMPTS: Final = 6


def email_retry_seconds(attempts: int) -> int | None:
    """Seconds until the next try after ``attempts`` failed ones (1, 2, 4, ... minutes), or
    None: give up."""
    return None if attempts >= EMAIL_MAX_ATTEMPTS else 60 * 2 ** (attempts - 1)


# Web push goes out for the alerts that cannot wait: outbid, and a card of yours sold.
PUSH_KINDS: Final = frozenset({Kind.outbid, Kind.auction_sold, Kind.listing_sold})
_PUSH_TITLES: Final[Mapping[Kind, str]] = {
    Kind.outbid: "You were outbid",
    Kind.auction_sold: "Your auction sold",
    Kind.listing_sold: "Your card sold",
}


def push_payload(kind: Kind, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the service worker shows: a title, a line, and the page it opens."""
    price = data.get("current_price") or data.get("price")
    currency = data.get("currency") or ""
    line = f"{price} {currency}".strip() if price is not None else ""
    auction = data.get("auction_id")
    if auction is None and str(data.get("event", "")).startswith("auction."):
        auction = data.get("ref")  # an auction's own event: the auction is its aggregate
    card = data.get("card_id")
    url = f"/auctions/{auction}" if auction else f"/cards/{card}" if card else "/notifications"
    return {"kind": kind.value, "title": _PUSH_TITLES[kind], "body": line, "url": url}


def push_outcome(status_code: int | None) -> str:
    """A push service's answer: ``sent``, ``gone`` (404/410: the subscription is dead, remove
    it) or ``retry``."""
    if status_code is not None and 200 <= status_code < 300:
        return "sent"
    if status_code in (404, 410):
        return "gone"
    return "retry"

"""Which channels an event goes to, and which channels a client may subscribe to (pure).

Public channels: ``market`` (trades, listings, offers, new and finished auctions),
``company:{id}``, ``card:{id}``, ``auction:{id}``, ``battle:{id}`` (entries, votes, phases,
the result). The private ``user`` channel is
``user:{id}`` inside: only its own signed-in user subscribes to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

MAX_CHANNELS: Final = 50
USER = "user"
_TOPIC = re.compile(r"^(company|card|auction|battle):[A-Za-z0-9_-]{1,64}$")

# Public events by family; those not named reach no public channel.
_MARKET: Final = frozenset(
    {
        "trade.executed",
        "listing.created",
        "listing.cancelled",
        "listing.expired",
        "offer.created",
        "offer.accepted",
        "offer.filled",
        "offer.cancelled",
        "offer.expired",
        "auction.created",
        "auction.sold",
        "auction.unsold",
        "auction.cancelled",
    }
)
_AUCTION: Final = frozenset(
    {
        "auction.created",
        "auction.bid",
        "auction.extended",
        "auction.sold",
        "auction.unsold",
        "auction.cancelled",
    }
)
_COMPANY_EVENTS: Final = frozenset({"company.created", "company.updated", "card.minted"})
# Payload keys naming users an event concerns: it reaches their ``user`` channels.
_USER_KEYS: Final = (
    "user_id",
    "buyer_user_id",
    "maker_user_id",
    "taker_user_id",
    "bidder_user_id",
    "to_user_id",
)
# Private events: only the users named in them hear of them, whatever else they name.
# A price alert is its user's own business: only their channel hears it fire. A payout names
# the user holding the company's payout wallet: that link is theirs, not the company channel's.
_PRIVATE_PREFIXES: Final = (
    "trade_offer.",
    "deposit.",
    "withdrawal.",
    "custody.",
    "price_alert.",
    "payout.",
)
_PRIVATE: Final = frozenset({"auction.outbid", "auction.won", "battle.result"})


def user_channel(user_id: str) -> str:
    return f"{USER}:{user_id}"


def _users(payload: Mapping[str, Any]) -> set[str]:
    users = {str(payload[k]) for k in _USER_KEYS if isinstance(payload.get(k), str)}
    seller = payload.get("seller")
    if isinstance(seller, Mapping) and seller.get("kind") == "user":
        users.add(str(seller["id"]))
    return users


def _public(event_type: str, aggregate_id: str, payload: Mapping[str, Any]) -> list[str]:
    if event_type.startswith(_PRIVATE_PREFIXES) or event_type in _PRIVATE:
        return []
    found = []
    if event_type in _MARKET:
        found.append("market")
    if event_type in _AUCTION:
        found.append(f"auction:{aggregate_id}")
    if event_type.startswith("battle."):
        found.append(f"battle:{aggregate_id}")
    if event_type.startswith("company."):
        found.append(f"company:{aggregate_id}")
    elif isinstance(payload.get("company_id"), str):
        found.append(f"company:{payload['company_id']}")
    if event_type == "card.minted":
        found.append(f"card:{aggregate_id}")
    elif isinstance(payload.get("card_id"), str) and (
        event_type in _MARKET or event_type in _AUCTION or event_type in _COMPANY_EVENTS
    ):
        found.append(f"card:{payload['card_id']}")
    return found


def channels_for(event_type: str, aggregate_id: str, payload: Mapping[str, Any]) -> list[str]:
    """Every channel ``event`` is published on: its public channels, then the user channels of
    the users it names."""
    found = _public(event_type, aggregate_id, payload)
    found.extend(user_channel(u) for u in sorted(_users(payload)))
    return found


class ChannelRefused(ValueError):
    """A channel the client may not subscribe to; ``code`` is the error sent back."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def resolve(channels: Iterable[object], user_id: str | None) -> dict[str, str]:
    """The internal name of each requested channel (``user`` becomes ``user:{id}``), by the
    name the client used; refuses unknown names and ``user`` without a signed-in user."""
    resolved: dict[str, str] = {}
    for name in channels:
        if not isinstance(name, str):
            raise ChannelRefused("invalid_channel", "Channel names are strings.")
        if name == USER:
            if user_id is None:
                raise ChannelRefused("auth_required", "Sign in to subscribe to 'user'.")
            resolved[name] = user_channel(user_id)
        elif name == "market" or _TOPIC.match(name):
            resolved[name] = name
        else:
            raise ChannelRefused("invalid_channel", f"Unknown channel {name[:80]!r}.")
    if len(resolved) > MAX_CHANNELS:
        raise ChannelRefused("too_many_channels", f"At most {MAX_CHANNELS} channels.")
    return resolved


def shown_name(internal: str) -> str:
    """The channel name a client sees: its own user channel is just ``user``."""
    return USER if internal.startswith(USER + ":") else internal

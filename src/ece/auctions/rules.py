"""Every auction decision, pure (no I/O): increments, the proxy price and leader, the minimum
next bid, soft close, buy-now, the Dutch price at an instant, refusals and state changes.

Amounts are integers of base units. The service reads facts, asks these functions, and writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ece.core.money import Asset, InvalidAmount, parse_amount

_US = timedelta(microseconds=1)


class AuctionKind(StrEnum):
    english = "english"
    dutch = "dutch"


class AuctionState(StrEnum):
    """What the row stores: ``open`` until settled or cancelled."""

    open = "open"
    sold = "sold"
    unsold = "unsold"
    cancelled = "cancelled"


class AuctionStatus(StrEnum):
    """What readers see: an open auction is upcoming, live or ended by the clock alone."""

    upcoming = "upcoming"
    live = "live"
    ended = "ended"
    cancelled = "cancelled"


class BidStatus(StrEnum):
    winning = "winning"  # the leader's current max: the only bid holding funds
    outbid = "outbid"  # a current max that does not lead (no hold)
    raised = "raised"  # replaced by a higher max of the same bidder
    won = "won"
    lost = "lost"


CURRENT_BIDS = (BidStatus.winning.value, BidStatus.outbid.value)


# --- increments -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    below: int | None  # the tier applies to prices < below (None: every higher price)
    step: int


def parse_increments(text: str, asset: Asset) -> tuple[Tier, ...]:
    """``"1=0.05,10=0.25,100=1,*=5"`` in whole tokens → tiers in base units: below 1 the step
    is 0.05, below 10 it is 0.25, ..., and 5 from 100 up. The last tier must be ``*``."""
    tiers: list[Tier] = []
    try:
        for part in text.split(","):
            bound, _, step = part.strip().partition("=")
            below = None if bound.strip() == "*" else parse_amount(bound.strip(), asset)
            tiers.append(Tier(below, parse_amount(step.strip(), asset)))
    except InvalidAmount as exc:
        raise ValueError(f"bad auction increment table {text!r}: {exc}") from exc
    bounds = [t.below for t in tiers]
    if not tiers or bounds[-1] is not None or None in bounds[:-1]:
        raise ValueError(f"bad auction increment table {text!r}: end with '*=<step>'")
    finite = [b for b in bounds if b is not None]
    if finite != sorted(set(finite)):
        raise ValueError(f"bad auction increment table {text!r}: bounds must rise")
    return tuple(tiers)


def increment(price: int, tiers: Sequence[Tier]) -> int:
    """The bid step at ``price``: the first tier whose bound is above it."""
    for tier in tiers:
        if tier.below is None or price < tier.below:
            return tier.step
    raise AssertionError("the increment table ends with '*'")


# --- proxy bidding --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Max:
    """One bidder's current max; ``seq`` orders bids (lower = earlier), ties go to it."""

    bidder: str
    amount: int
    seq: int


@dataclass(frozen=True, slots=True)
class Standing:
    leader: Max | None
    price: int  # the visible price (the start price while there are no bids)


def standing(
    maxes: Sequence[Max], start: int, reserve: int | None, tiers: Sequence[Tier]
) -> Standing:
    """The leader and visible price from the set of maxes (one per bidder).

    The leader has the highest max, the earlier bid on a tie. The price is the second-highest
    max plus one increment, capped at the highest max; with one bidder it is the start price.
    When the leader's max meets a hidden reserve the price is at least the reserve (else a
    lone bidder far above the reserve would buy at the start price).
    """
    if not maxes:
        return Standing(None, start)
    ordered = sorted(maxes, key=lambda m: (-m.amount, m.seq))
    top = ordered[0]
    price = start
    if len(ordered) > 1:
        second = ordered[1].amount
        price = max(price, min(second + increment(second, tiers), top.amount))
    if reserve is not None and top.amount >= reserve:
        price = max(price, reserve)
    return Standing(top, min(price, top.amount))


def min_next_bid(bid_count: int, price: int, start: int, tiers: Sequence[Tier]) -> int:
    """The start price before the first bid; then the visible price plus one increment."""
    return start if bid_count == 0 else price + increment(price, tiers)


def reserve_met(reserve: int | None, leader: Max | None) -> bool:
    return leader is not None and (reserve is None or leader.amount >= reserve)


def buy_now_available(buy_now: int | None, reserve: int | None, leader: Max | None) -> bool:
    """Until the first bid that meets the reserve (the first bid at all without a reserve)."""
    if buy_now is None:
        return False
    if reserve is None:
        return leader is None
    return not reserve_met(reserve, leader)


def bid_refusal_reason(
    *,
    now: datetime,
    starts_at: datetime,
    ends_at: datetime,
    state: str,
    kind: str,
    seller_id: str,
    bidder: str,
    amount: int,
    minimum: int,
    own_max: int | None,
) -> str | None:
    """The name (a key of ``REFUSALS``) of the first rule a bid breaks, or None; PostgreSQL's
    ``ece_place_bid`` (migration 0042) names the same rules in the same order."""
    if kind != AuctionKind.english.value:
        return "auction_not_english"
    timing = timing_reason(now, starts_at, ends_at, state)
    if timing is not None:
        return timing
    if bidder == seller_id:
        return "own_auction"
    if amount < minimum:
        return "bid_too_low"
    if own_max is not None and amount <= own_max:
        return "bid_too_low_own"
    return None


def timing_reason(now: datetime, starts_at: datetime, ends_at: datetime, state: str) -> str | None:
    if state == AuctionState.cancelled.value:
        return "auction_cancelled"
    if state != AuctionState.open.value or now >= ends_at:
        return "auction_ended"
    if now < starts_at:
        return "auction_not_started"
    return None


def timing_refusal(
    now: datetime, starts_at: datetime, ends_at: datetime, state: str
) -> Conflict | None:
    """Bids and buys happen only while open, from the start until the end (server clock),
    whether or not the settlement job has run yet."""
    reason = timing_reason(now, starts_at, ends_at, state)
    if reason is None:
        return None
    refusal = refusal_of(reason)
    assert isinstance(refusal, Conflict)
    return refusal


REFUSALS: dict[str, tuple[type[Conflict | Forbidden], str, str]] = {
    "auction_not_english": (
        Conflict,
        "A Dutch auction takes no bids: buy it.",
        "auction_not_english",
    ),
    "auction_cancelled": (Conflict, "The auction was cancelled.", "auction_ended"),
    "auction_ended": (Conflict, "The auction has ended.", "auction_ended"),
    "auction_not_started": (Conflict, "The auction has not started.", "auction_not_started"),
    "own_auction": (Forbidden, "You cannot bid on your own auction.", "own_auction"),
    "bid_too_low": (Conflict, "The bid is below the minimum next bid.", "bid_too_low"),
    "bid_too_low_own": (Conflict, "Raise your max above your current max.", "bid_too_low"),
}


def refusal_of(reason: str) -> Conflict | Forbidden:
    """The error a refusal named ``reason`` answers (see ``REFUSALS``)."""
    kind, detail, code = REFUSALS[reason]
    return kind(detail, code=code)


def extended_end(now: datetime, ends_at: datetime, window_s: int) -> datetime | None:
    """Soft close: a bid in the last ``window_s`` seconds moves the end to now + the window
    (no cap on extensions). None when the end stays."""
    new_end = now + timedelta(seconds=window_s)
    return new_end if ends_at - now < timedelta(seconds=window_s) and new_end > ends_at else None


# --- Dutch ----------------------------------------------------------------------------------


def dutch_price(
    start: int, end: int, starts_at: datetime, ends_at: datetime, now: datetime, step_s: int
) -> int:
    """The price at ``now``, falling from ``start`` at ``starts_at`` to ``end`` at ``ends_at``:
    linearly to the microsecond (``step_s`` 0) or in steps of ``step_s`` seconds. Exact
    integer arithmetic, rounded up (toward the seller) to a base unit."""
    if now <= starts_at:
        return start
    if now >= ends_at:
        return end
    total = (ends_at - starts_at) // _US
    elapsed = (now - starts_at) // _US
    if step_s > 0:
        step = step_s * 1_000_000
        elapsed = elapsed // step * step
    drop = (start - end) * elapsed // total  # floor of the drop = ceiling of the price
    return start - drop


# --- creation and cancelling ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Terms:
    kind: AuctionKind
    start: int
    end: int | None
    reserve: int | None
    buy_now: int | None
    starts_at: datetime
    ends_at: datetime


def terms_refusal(
    terms: Terms, now: datetime, min_duration_s: int, max_duration_s: int
) -> Unprocessable | None:
    """Why the auction's terms can never work, or None."""
    longest = timedelta(seconds=max_duration_s)
    if terms.starts_at < now - timedelta(minutes=1):
        return Unprocessable("starts_at is in the past.", code="invalid_auction")
    if terms.starts_at > now + longest:
        return Unprocessable("starts_at is too far ahead.", code="invalid_auction")
    duration = terms.ends_at - terms.starts_at
    if duration < timedelta(seconds=min_duration_s) or duration > longest:
        return Unprocessable(
            f"An auction lasts from {min_duration_s} to {max_duration_s} seconds.",
            code="invalid_duration",
        )
    if terms.kind is AuctionKind.dutch:
        if terms.end is None or terms.end >= terms.start:
            return Unprocessable("A Dutch end_price is below start_price.", code="invalid_auction")
        if terms.reserve is not None or terms.buy_now is not None:
            return Unprocessable(
                "A Dutch auction has no reserve or buy-now price.", code="invalid_auction"
            )
        return None
    if terms.end is not None:
        return Unprocessable("An English auction has no end_price.", code="invalid_auction")
    if terms.reserve is not None and terms.reserve < terms.start:
        return Unprocessable("The reserve is below the start price.", code="invalid_auction")
    floor = max(terms.start, terms.reserve or 0)
    if terms.buy_now is not None and terms.buy_now < floor:
        return Unprocessable(
            "The buy-now price is below the start price or the reserve.", code="invalid_auction"
        )
    return None


def may_sell(owner_kind: str, owner_id: str, user_id: str, admin: bool) -> bool:
    """A card is auctioned by its owner, or by an admin for the issuer inventory."""
    return owner_id == user_id if owner_kind == "user" else admin


def cancel_refusal(state: str, now: datetime, ends_at: datetime, bid_count: int) -> Conflict | None:
    """The seller (or an admin) cancels an open auction while no one has bid."""
    if state != AuctionState.open.value or now >= ends_at:
        return ended()
    if bid_count > 0:
        return Conflict("The auction has bids: it cannot be cancelled.", code="auction_has_bids")
    return None


def seen_status(state: str, starts_at: datetime, ends_at: datetime, now: datetime) -> AuctionStatus:
    if state == AuctionState.cancelled.value:
        return AuctionStatus.cancelled
    if state != AuctionState.open.value or now >= ends_at:
        return AuctionStatus.ended
    return AuctionStatus.upcoming if now < starts_at else AuctionStatus.live


def outcome(kind: str, reserve: int | None, leader: Max | None) -> AuctionState:
    """What settling an English auction at its end does; a Dutch one unsold at its end."""
    if kind == AuctionKind.english.value and reserve_met(reserve, leader):
        return AuctionState.sold
    return AuctionState.unsold


def not_found() -> NotFound:
    return NotFound("No such auction.", code="auction_not_found")


def ended() -> Conflict:
    refusal = refusal_of("auction_ended")
    assert isinstance(refusal, Conflict)
    return refusal


def parse_bid(text: str, currency: Asset) -> int:
    """A max as sent, in the auction's currency: 422 ``invalid_amount`` for zero, too many
    decimals or anything that is not a plain positive decimal."""
    try:
        return parse_amount(text, currency)
    except InvalidAmount as exc:
        raise Unprocessable(str(exc), code="invalid_amount") from exc

"""Risk scores 0 to 100 with reasons: explicit, pure rules over facts compliance computed from its
own checks table. Each reason has a stable code and a weight (README, "Compliance: screening,
risk and reviews"); the score is the sum of the weights, capped at 99 unless the deny list was
hit (exactly 100). A heuristic alone therefore never blocks: at worst it asks for a review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ece.compliance.models import Decision

SANCTIONS_SCORE = 100
MAX_HEURISTIC_SCORE = 99

MEDIAN_WINDOW = timedelta(days=90)
MIN_HISTORY = 3  # earlier amounts needed before the median means anything
NEW_ACCOUNT_AGE = timedelta(days=7)
RECENT_DESTINATION = timedelta(hours=24)
VELOCITY_COUNT_1H = 3  # earlier checked actions in the last hour
VELOCITY_COUNT_24H = 10  # earlier checked actions in the last 24 hours
VELOCITY_VALUE_1H_X = 5  # value over the hour (this one included) against the median
VELOCITY_VALUE_24H_X = 10


class ReasonCode(StrEnum):
    sanctions_hit = "sanctions_hit"
    amount_over_3x_median = "amount_over_3x_median"
    amount_over_10x_median = "amount_over_10x_median"
    large_amount = "large_amount"
    new_destination = "new_destination"
    recent_destination = "recent_destination"
    velocity_count_1h = "velocity_count_1h"
    velocity_count_24h = "velocity_count_24h"
    velocity_value_1h = "velocity_value_1h"
    velocity_value_24h = "velocity_value_24h"
    new_account = "new_account"
    flagged_user = "flagged_user"


WEIGHTS: dict[ReasonCode, int] = {
    ReasonCode.sanctions_hit: SANCTIONS_SCORE,
    ReasonCode.amount_over_3x_median: 20,
    ReasonCode.amount_over_10x_median: 40,
    ReasonCode.large_amount: 30,
    ReasonCode.new_destination: 20,
    ReasonCode.recent_destination: 10,
    ReasonCode.velocity_count_1h: 15,
    ReasonCode.velocity_count_24h: 10,
    ReasonCode.velocity_value_1h: 15,
    ReasonCode.velocity_value_24h: 10,
    ReasonCode.new_account: 10,
    ReasonCode.flagged_user: 0,  # adds nothing to the score: it sends the action to review
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    weight: int
    detail: str


@dataclass(frozen=True, slots=True)
class Velocity:
    """The subject's earlier checked actions (not this one) in a window: how many, and their
    value in the subject's asset."""

    count: int = 0
    value: int = 0


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One earlier check of the same owner: when, what and how much."""

    at: datetime
    asset: str | None
    amount: int


def velocity(history: Sequence[HistoryItem], asset: str | None, since: datetime) -> Velocity:
    """How many earlier checks since ``since`` (any asset), and their value in ``asset``."""
    recent = [item for item in history if item.at >= since]
    value = sum(item.amount for item in recent if item.asset == asset)
    return Velocity(len(recent), value)


def past_amounts(history: Sequence[HistoryItem], asset: str | None) -> tuple[int, ...]:
    return tuple(item.amount for item in history if item.asset == asset and item.amount > 0)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read about one subject, computed beforehand (no I/O here).

    ``past_amounts``: the user's (or company's) earlier amounts of this asset over 90 days;
    ``destination_first_seen``: the earliest earlier check naming this destination for them
    (None: never); ``large_amount``: the large-amount threshold in this asset's base units
    (None: no threshold for this asset).
    """

    now: datetime
    amount: int = 0
    sanctioned: tuple[str, ...] = ()  # which addresses hit the deny list ("destination", ...)
    past_amounts: tuple[int, ...] = ()
    destination: str | None = None
    destination_first_seen: datetime | None = None
    last_hour: Velocity = Velocity()
    last_day: Velocity = Velocity()
    account_created_at: datetime | None = None
    large_amount: int | None = None
    flagged: bool = False  # the owner was flagged after a rejected trade review


@dataclass(frozen=True, slots=True)
class Risk:
    score: int
    reasons: tuple[Reason, ...]


def as_json(reasons: Sequence[Reason]) -> list[dict[str, object]]:
    """Reasons as the check stores and the API shows them."""
    return [{"code": r.code.value, "weight": r.weight, "detail": r.detail} for r in reasons]


def median(values: tuple[int, ...]) -> int | None:
    """The median in base units (the lower middle of an even count: integers, no floats)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _reason(code: ReasonCode, detail: str) -> Reason:
    return Reason(code, WEIGHTS[code], detail)


def _amount(facts: Facts) -> list[Reason]:
    found = []
    middle = median(facts.past_amounts) if len(facts.past_amounts) >= MIN_HISTORY else None
    if middle is not None and middle > 0 and facts.amount > 0:
        if facts.amount >= 10 * middle:
            found.append(_reason(ReasonCode.amount_over_10x_median, "at least 10x the median"))
        elif facts.amount >= 3 * middle:
            found.append(_reason(ReasonCode.amount_over_3x_median, "at least 3x the median"))
    if facts.large_amount is not None and facts.amount >= facts.large_amount:
        found.append(_reason(ReasonCode.large_amount, "at or above the large-amount threshold"))
    return found


def _destination(facts: Facts) -> list[Reason]:
    if facts.destination is None:
        return []
    if facts.destination_first_seen is None:
        return [_reason(ReasonCode.new_destination, "never used before")]
    if facts.now - facts.destination_first_seen < RECENT_DESTINATION:
        return [_reason(ReasonCode.recent_destination, "first used within 24 h")]
    return []


def _velocity(facts: Facts) -> list[Reason]:
    found = []
    if facts.last_hour.count >= VELOCITY_COUNT_1H:
        found.append(_reason(ReasonCode.velocity_count_1h, f"{facts.last_hour.count} in 1 h"))
    if facts.last_day.count >= VELOCITY_COUNT_24H:
        found.append(_reason(ReasonCode.velocity_count_24h, f"{facts.last_day.count} in 24 h"))
    middle = median(facts.past_amounts) if len(facts.past_amounts) >= MIN_HISTORY else None
    if middle is not None and middle > 0:
        if facts.last_hour.value + facts.amount >= VELOCITY_VALUE_1H_X * middle:
            found.append(_reason(ReasonCode.velocity_value_1h, "1 h value at least 5x the median"))
        if facts.last_day.value + facts.amount >= VELOCITY_VALUE_24H_X * middle:
            found.append(
                _reason(ReasonCode.velocity_value_24h, "24 h value at least 10x the median")
            )
    return found


def _account(facts: Facts) -> list[Reason]:
    created = facts.account_created_at
    if created is not None and facts.now - created < NEW_ACCOUNT_AGE:
        return [_reason(ReasonCode.new_account, "account younger than 7 days")]
    return []


def score(facts: Facts) -> Risk:
    """The score and every reason behind it; a sanctions hit is 100 whatever else holds."""
    if facts.sanctioned:
        hit = _reason(ReasonCode.sanctions_hit, "deny-listed: " + ", ".join(facts.sanctioned))
        return Risk(SANCTIONS_SCORE, (hit,))
    reasons = (*_amount(facts), *_destination(facts), *_velocity(facts), *_account(facts))
    if facts.flagged:
        reasons = (*reasons, _reason(ReasonCode.flagged_user, "flagged after a trade review"))
    total = min(sum(reason.weight for reason in reasons), MAX_HEURISTIC_SCORE)
    return Risk(total, reasons)


def decide(risk_score: int, review_score: int, *, flagged: bool = False) -> Decision:
    """Below the review threshold: allow; at or above it: review; 100: block. A flagged
    owner's action is reviewed whatever its score (unless blocked)."""
    if risk_score >= SANCTIONS_SCORE:
        return Decision.block
    if risk_score >= review_score or flagged:
        return Decision.review
    return Decision.allow

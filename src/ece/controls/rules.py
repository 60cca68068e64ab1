"""What a pause covers: the scopes, and which paused scope stops an action (pure)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum

REASON_MAX = 500


class Scope(StrEnum):
    """A part of the platform an admin can pause. ``all`` covers every other scope."""

    all = "all"
    trading = "trading"
    deposits = "deposits"
    withdrawals = "withdrawals"
    payouts = "payouts"
    auctions = "auctions"
    battles = "battles"


def blocking_scope(paused: Collection[str], wanted: Iterable[Scope]) -> Scope | None:
    """The paused scope that stops an action needing every scope of ``wanted`` open, or None.
    ``all`` is named first: it is the pause an operator has to lift."""
    if Scope.all in paused:
        return Scope.all
    for scope in wanted:
        if scope in paused:
            return scope
    return None


def paused_detail(scope: Scope, reason: str) -> str:
    """The sentence a refused caller reads."""
    what = "The platform" if scope is Scope.all else scope.value.capitalize()
    verb = "is" if scope is Scope.all or scope is Scope.trading else "are"
    return f"{what} {verb} paused: {reason}"

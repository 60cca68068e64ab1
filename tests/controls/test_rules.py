"""Which paused scope stops an action (pure)."""

from __future__ import annotations

import pytest

from ece.controls.rules import Scope, blocking_scope, paused_detail

T, A, W, D = Scope.trading, Scope.auctions, Scope.withdrawals, Scope.deposits


@pytest.mark.parametrize(
    ("paused", "wanted", "blocking"),
    [
        (set(), (T,), None),
        ({W}, (T,), None),
        ({D, W}, (T, A), None),
        ({T}, (T,), T),
        ({T}, (T, A), T),
        ({A}, (T, A), A),
        ({A, T}, (T, A), T),  # the first scope the action names
        ({Scope.all}, (W,), Scope.all),
        ({Scope.all, W}, (W,), Scope.all),  # all is the pause to lift
        ({Scope.all}, (), Scope.all),
        ({Scope.payouts}, (Scope.battles,), None),
    ],
)
def test_blocking_scope(
    paused: set[str], wanted: tuple[Scope, ...], blocking: Scope | None
) -> None:
    assert blocking_scope(paused, wanted) == blocking


def test_detail_names_the_scope_and_the_reason() -> None:
    assert paused_detail(Scope.all, "audit") == "The platform is paused: audit"
    assert paused_detail(T, "bug") == "Trading is paused: bug"
    assert paused_detail(W, "hot wallet") == "Withdrawals are paused: hot wallet"

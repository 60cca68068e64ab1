"""The post-trade rules, pure, with a table of cases; every reason code is documented."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ece.compliance.trade_rules import (
    TRADE_WEIGHTS,
    TradeFacts,
    needs_review,
    score_trade,
)

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
OLD = NOW - timedelta(days=30)
YOUNG = NOW - timedelta(days=1)
LARGE = 10_000_000_000


def facts(**changes: object) -> TradeFacts:
    base: dict[str, object] = {
        "now": NOW,
        "value": 5_000_000,
        "large": LARGE,
        "accounts_created": (OLD, OLD),
    }
    return TradeFacts(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "score", "codes"),
    [
        ({}, 0, []),
        ({"value": LARGE}, 30, ["large_trade"]),
        ({"value": LARGE - 1}, 0, []),
        ({"wash_suspect": True}, 40, ["wash_suspect"]),
        ({"pair_trades": 2}, 0, []),
        ({"pair_trades": 3}, 30, ["repeated_pair"]),
        ({"accounts_created": (OLD, YOUNG)}, 10, ["new_account"]),
        (
            {"accounts_created": (YOUNG,), "value": LARGE},
            70,
            ["large_trade", "new_account", "new_account_large_trade"],
        ),
        (
            {"wash_suspect": True, "pair_trades": 5, "accounts_created": (YOUNG, YOUNG)},
            80,
            ["wash_suspect", "repeated_pair", "new_account"],
        ),
        (
            {
                "wash_suspect": True,
                "pair_trades": 5,
                "value": LARGE,
                "accounts_created": (YOUNG,),
            },
            99,  # 140 by the weights, capped below a sanctions hit
            [
                "large_trade",
                "wash_suspect",
                "repeated_pair",
                "new_account",
                "new_account_large_trade",
            ],
        ),
        ({"sanctioned": ("seller",), "value": LARGE, "wash_suspect": True}, 100, ["sanctions_hit"]),
        ({"large": 0, "value": 1}, 0, []),  # no threshold: never large
    ],
)
def test_score_trade(changes: dict[str, object], score: int, codes: list[str]) -> None:
    risk = score_trade(facts(**changes))
    assert risk.score == score
    assert [r["code"] for r in risk.as_json()] == codes


@pytest.mark.parametrize(
    ("score", "threshold", "review"), [(69, 70, False), (70, 70, True), (100, 70, True)]
)
def test_needs_review(score: int, threshold: int, review: bool) -> None:
    assert needs_review(score, threshold) is review


def test_every_trade_reason_code_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for code, weight in TRADE_WEIGHTS.items():
        assert f"| `{code.value}` | {weight} |" in readme, code

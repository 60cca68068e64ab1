"""The risk rules, without a database: a table of facts and the score and reasons they give."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ece.compliance.models import Decision
from ece.compliance.risk_rules import (
    WEIGHTS,
    Facts,
    HistoryItem,
    ReasonCode,
    Velocity,
    decide,
    median,
    past_amounts,
    score,
    velocity,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)
DEST = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"
# An established account sending its usual amount to a destination it has used for months.
QUIET = Facts(
    now=NOW,
    amount=100,
    past_amounts=(100, 90, 110),
    destination=DEST,
    destination_first_seen=OLD,
    account_created_at=OLD,
)

C = ReasonCode
CASES: list[tuple[str, Facts, set[ReasonCode], int]] = [
    ("quiet", QUIET, set(), 0),
    (
        "sanctions hit beats everything",
        replace(QUIET, sanctioned=("destination",)),
        {C.sanctions_hit},
        100,
    ),
    ("3x the median", replace(QUIET, amount=300), {C.amount_over_3x_median}, 20),
    ("just under 3x", replace(QUIET, amount=299), set(), 0),
    (
        "10x the median (not also 3x)",
        replace(QUIET, amount=1000),
        {C.amount_over_10x_median, C.velocity_value_1h, C.velocity_value_24h},
        65,
    ),
    (
        "median needs three earlier amounts",
        replace(QUIET, amount=1000, past_amounts=(100, 100)),
        set(),
        0,
    ),
    ("large USDC amount", replace(QUIET, large_amount=100), {C.large_amount}, 30),
    ("below the large amount", replace(QUIET, large_amount=101), set(), 0),
    (
        "never used destination",
        replace(QUIET, destination_first_seen=None),
        {C.new_destination},
        20,
    ),
    (
        "destination first seen 23 h ago",
        replace(QUIET, destination_first_seen=NOW - timedelta(hours=23)),
        {C.recent_destination},
        10,
    ),
    (
        "destination first seen 25 h ago",
        replace(QUIET, destination_first_seen=NOW - timedelta(hours=25)),
        set(),
        0,
    ),
    (
        "no destination (a trade)",
        replace(QUIET, destination=None, destination_first_seen=None),
        set(),
        0,
    ),
    ("3 in the last hour", replace(QUIET, last_hour=Velocity(3, 0)), {C.velocity_count_1h}, 15),
    ("2 in the last hour", replace(QUIET, last_hour=Velocity(2, 0)), set(), 0),
    ("10 in 24 h", replace(QUIET, last_day=Velocity(10, 0)), {C.velocity_count_24h}, 10),
    (
        "hour value 5x the median",
        replace(QUIET, last_hour=Velocity(1, 400)),
        {C.velocity_value_1h},
        15,
    ),
    (
        "day value 10x the median",
        replace(QUIET, last_day=Velocity(1, 900)),
        {C.velocity_value_24h},
        10,
    ),
    (
        "account 6 days old",
        replace(QUIET, account_created_at=NOW - timedelta(days=6)),
        {C.new_account},
        10,
    ),
    ("account 8 days old", replace(QUIET, account_created_at=NOW - timedelta(days=8)), set(), 0),
    (
        "an ordinary first withdrawal is allowed",
        Facts(now=NOW, amount=5, destination=DEST, account_created_at=NOW),
        {C.new_destination, C.new_account},
        30,
    ),
    (
        "everything at once caps at 99",
        replace(
            QUIET,
            amount=5000,
            large_amount=1,
            destination_first_seen=None,
            last_hour=Velocity(5, 1),
            last_day=Velocity(12, 1),
            account_created_at=NOW,
        ),
        {
            C.amount_over_10x_median,
            C.large_amount,
            C.new_destination,
            C.velocity_count_1h,
            C.velocity_count_24h,
            C.velocity_value_1h,
            C.velocity_value_24h,
            C.new_account,
        },
        99,
    ),
]


@pytest.mark.parametrize(("name", "facts", "codes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_score_and_reasons(name: str, facts: Facts, codes: set[ReasonCode], expected: int) -> None:
    risk = score(facts)
    assert {reason.code for reason in risk.reasons} == codes
    assert risk.score == expected
    assert all(reason.weight == WEIGHTS[reason.code] for reason in risk.reasons)
    assert 0 <= risk.score <= 100


@pytest.mark.parametrize(
    ("risk_score", "threshold", "decision"),
    [
        (0, 70, Decision.allow),
        (69, 70, Decision.allow),
        (70, 70, Decision.review),
        (99, 70, Decision.review),
        (100, 70, Decision.block),
        (30, 30, Decision.review),
        (100, 100, Decision.block),
    ],
)
def test_decision_by_threshold(risk_score: int, threshold: int, decision: Decision) -> None:
    assert decide(risk_score, threshold) is decision


def test_only_a_sanctions_hit_scores_100() -> None:
    assert WEIGHTS[ReasonCode.sanctions_hit] == 100
    assert sum(w for c, w in WEIGHTS.items() if c is not ReasonCode.sanctions_hit) > 100
    assert (
        max(score(facts).score for _, facts, codes, _ in CASES if C.sanctions_hit not in codes)
        == 99
    )


def test_median_is_an_integer_middle() -> None:
    assert median(()) is None
    assert median((5,)) == 5
    assert median((1, 9, 3)) == 3
    assert median((1, 2, 3, 4)) == 2  # the lower middle: integers, never floats


def test_history_folds_into_velocity_and_amounts() -> None:
    history = [
        HistoryItem(NOW - timedelta(minutes=10), "USDC", 5),
        HistoryItem(NOW - timedelta(minutes=50), "ECE", 7),
        HistoryItem(NOW - timedelta(hours=5), "USDC", 11),
        HistoryItem(NOW - timedelta(days=30), "USDC", 0),
    ]
    assert velocity(history, "USDC", NOW - timedelta(hours=1)) == Velocity(2, 5)
    assert velocity(history, "USDC", NOW - timedelta(hours=24)) == Velocity(3, 16)
    assert past_amounts(history, "USDC") == (5, 11)  # a zero amount says nothing about size


def test_every_reason_code_is_documented_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for code, weight in WEIGHTS.items():
        assert f"| `{code.value}` | {weight} |" in readme, code


@pytest.mark.parametrize(
    ("risk_score", "flagged", "decision"),
    [
        (0, False, Decision.allow),
        (0, True, Decision.review),  # a flagged owner's action waits whatever its score
        (75, True, Decision.review),
        (100, True, Decision.block),  # a sanctions hit still blocks
    ],
)
def test_a_flagged_owner_is_reviewed(risk_score: int, flagged: bool, decision: Decision) -> None:
    assert decide(risk_score, 70, flagged=flagged) is decision


def test_the_flag_is_a_reason_that_adds_nothing() -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    risk = score(Facts(now=now, flagged=True))
    assert (risk.score, [r.code for r in risk.reasons]) == (0, [ReasonCode.flagged_user])

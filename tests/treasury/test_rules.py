"""The treasury's pure rules: conversion, legs, the minimum, the weekly schedule, who may sign."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ece.config import Settings
from ece.core.money import Asset
from ece.payments.assets import CUSTODY_OWNER_ID
from ece.treasury import moves, rules
from ece.treasury.rules import Decision, Leg, PayoutStatus

PRICE = 100_000  # 0.10 USDC per ECE


@pytest.mark.parametrize(
    ("amount", "asset", "usdc"),
    [
        (12_500_000, Asset.USDC, 12_500_000),
        (100 * 10**9, Asset.ECE, 10_000_000),
        (10**4, Asset.ECE, 1),  # 0.00001 ECE = 0.000001 USDC exactly
        (9_999, Asset.ECE, 0),  # under one USDC unit: rounds down
        (0, Asset.ECE, 0),
    ],
)
def test_conversion_rounds_down_to_a_usdc_unit(amount: int, asset: Asset, usdc: int) -> None:
    assert rules.to_usdc(amount, asset, PRICE) == usdc


def test_dust_and_empty_payables_make_no_leg() -> None:
    legs = rules.payable_legs(
        [(Asset.ECE, "royalties", 9_999), (Asset.USDC, "sales", 0), (Asset.USDC, "royalties", 5)],
        PRICE,
    )
    assert legs == [Leg(Asset.USDC, "royalties", 5, 5)]


def test_the_minimum_counts_converted_value() -> None:
    legs = rules.payable_legs(
        [(Asset.ECE, "royalties", 50 * 10**9), (Asset.USDC, "royalties", 5_000_000)], PRICE
    )
    assert rules.worth_paying(legs, 10_000_000)
    assert not rules.worth_paying(legs, 10_000_001)
    assert not rules.worth_paying([], 0)  # a zero minimum still pays nothing for nothing


def test_a_leg_round_trips_through_json() -> None:
    leg = Leg(Asset.ECE, "sales", 7, 0)
    assert Leg.of(leg.as_json()) == leg


@pytest.mark.parametrize(
    ("now", "last", "following"),
    [
        (datetime(2026, 11, 30, 0, 0, tzinfo=UTC), "2026-11-30T00:00Z", "2026-12-07T00:00Z"),
        (datetime(2026, 11, 29, 23, 59, tzinfo=UTC), "2026-11-23T00:00Z", "2026-11-30T00:00Z"),
        (datetime(2026, 12, 3, 12, 0, tzinfo=UTC), "2026-11-30T00:00Z", "2026-12-07T00:00Z"),
    ],
)
def test_the_weekly_slot_is_monday_midnight_utc(now: datetime, last: str, following: str) -> None:
    assert rules.slot_name(rules.last_slot(now, "mon 00:00")) == last
    assert rules.slot_name(rules.next_slot(now, "mon 00:00")) == following


@pytest.mark.parametrize("text", ["", "monday", "xyz 10:00", "mon 24:00", "mon 10:60", "mon 1"])
def test_a_bad_schedule_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="payout schedule"):
        rules.parse_schedule(text)


def test_fri_17_30_is_read() -> None:
    assert rules.parse_schedule("Fri 17:30") == (4, 17, 30)


MEMBERS = ["A", "B", "C"]


@pytest.mark.parametrize(
    ("signer", "address", "already", "valid", "code"),
    [
        ("A", "A", set(), True, None),
        ("A", "B", set(), True, "not_your_wallet"),
        ("X", "X", set(), True, "not_a_signer"),
        ("C", "C", set(), True, "not_a_required_signer"),
        ("A", "A", {"A"}, True, "already_signed"),
        ("B", "B", {"A"}, False, "invalid_signature"),
    ],
)
def test_who_may_sign(
    signer: str, address: str, already: set[str], valid: bool, code: str | None
) -> None:
    refusal = rules.signature_refusal(
        signer=signer,
        members=MEMBERS,
        required=["A", "B"],
        user_address=address,
        already=already,
        valid=valid,
    )
    assert (refusal[0] if refusal else None) == code


def test_the_lifecycle_only_moves_forward() -> None:
    assert rules.may_move(PayoutStatus.screening, PayoutStatus.review)
    assert rules.may_move(PayoutStatus.review, PayoutStatus.approved)
    assert rules.may_move(PayoutStatus.screening, PayoutStatus.approved)
    assert not rules.may_move(PayoutStatus.review, PayoutStatus.awaiting_signatures)
    assert rules.status_after_screening(Decision.allow) is PayoutStatus.approved
    assert rules.may_move(PayoutStatus.submitted, PayoutStatus.confirmed)
    assert not rules.may_move(PayoutStatus.confirmed, PayoutStatus.failed)
    assert not rules.may_move(PayoutStatus.awaiting_signatures, PayoutStatus.rejected)
    assert not rules.may_move(PayoutStatus.failed, PayoutStatus.submitted)
    assert rules.status_after_screening(Decision.block) is PayoutStatus.rejected


def test_the_treasury_books_payouts_against_payments_custody_mirror() -> None:
    assert moves.CUSTODY_OWNER_ID == CUSTODY_OWNER_ID


def test_settings_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.ece_price_usdc == "0.10"
    assert settings.treasury_min_payout_usdc == "10"
    assert settings.treasury_payout_schedule == "mon 00:00"
    assert settings.treasury_threshold == 2
    assert Settings(treasury_signers="a, b").treasury_signers == ["a", "b"]  # type: ignore[arg-type]


def test_any_m_of_the_n_members_are_chosen_in_member_order() -> None:
    assert rules.chosen_signers(MEMBERS, {"C"}, 2) is None
    assert rules.chosen_signers(MEMBERS, {"C", "B"}, 2) == ["B", "C"]
    assert rules.chosen_signers(MEMBERS, {"A", "C"}, 2) == ["A", "C"]
    assert rules.chosen_signers(MEMBERS, {"C", "X"}, 2) is None  # a non-member never counts


@pytest.mark.parametrize(
    ("approver", "chosen", "already", "code"),
    [
        ("B", [], set(), None),
        ("X", [], set(), "not_a_signer"),
        ("B", [], {"B"}, "already_approved"),
        ("A", ["B", "C"], {"B", "C"}, "signers_chosen"),
    ],
)
def test_who_may_approve(approver: str, chosen: list[str], already: set[str], code: str) -> None:
    refusal = rules.approval_refusal(
        approver=approver, members=MEMBERS, chosen=chosen, already=already
    )
    assert (refusal[0] if refusal else None) == code


def test_no_signature_counts_before_the_signers_are_chosen() -> None:
    refusal = rules.signature_refusal(
        signer="A", members=MEMBERS, required=[], user_address="A", already=set(), valid=True
    )
    assert refusal is not None and refusal[0] == "signers_not_chosen"

"""The KYC rules, pure: submissions, decisions, limits by level, ECE conversion, masking."""

from __future__ import annotations

import pytest

from ece.compliance.kyc_rules import (
    KycDecision,
    KycStatus,
    Level,
    decided_level,
    decision_refusal,
    level_required,
    mask_document,
    mask_name,
    submission_refusal,
    usdc_equivalent,
)
from ece.core.money import Asset

N, B, F = Level.none, Level.basic, Level.full
USDC = 1_000_000
LIMITS = {N: 1_000 * USDC, B: 10_000 * USDC, F: None}


@pytest.mark.parametrize(
    ("level", "status", "requested", "document", "code"),
    [
        (N, KycStatus.none, B, False, None),
        (N, KycStatus.none, F, True, None),
        (N, KycStatus.none, F, False, "document_required"),
        (N, KycStatus.none, N, False, "invalid_level"),
        (N, KycStatus.pending, B, False, "kyc_pending"),  # no resubmission while pending
        (B, KycStatus.pending, F, True, "kyc_pending"),
        (N, KycStatus.rejected, B, False, None),  # after a rejection: submit again
        (B, KycStatus.rejected, F, True, None),
        (B, KycStatus.verified, B, False, "kyc_level_held"),  # same level
        (F, KycStatus.verified, B, False, "kyc_level_held"),  # a downgrade
        (B, KycStatus.verified, F, True, None),  # an upgrade
    ],
)
def test_submission_refusal(
    level: Level, status: KycStatus, requested: Level, document: bool, code: str | None
) -> None:
    refusal = submission_refusal(level, status, requested, document)
    assert (refusal and refusal.instance_code) == code


@pytest.mark.parametrize(
    ("status", "officer", "code"),
    [
        (KycStatus.pending, "o1", None),
        (KycStatus.pending, "u1", "four_eyes"),
        (KycStatus.verified, "u1", "four_eyes"),
        (KycStatus.verified, "o1", "kyc_not_pending"),
        (KycStatus.rejected, "o1", "kyc_not_pending"),
    ],
)
def test_decision_refusal(status: KycStatus, officer: str, code: str | None) -> None:
    refusal = decision_refusal(status, officer, "u1")
    assert (refusal and refusal.instance_code) == code


@pytest.mark.parametrize(
    ("level", "requested", "decision", "after"),
    [
        (N, B, KycDecision.verify, B),
        (N, B, KycDecision.reject, N),
        (B, F, KycDecision.reject, B),  # a rejected upgrade keeps the verified level
        (B, F, KycDecision.verify, F),
    ],
)
def test_decided_level(level: Level, requested: Level, decision: KycDecision, after: Level) -> None:
    assert decided_level(level, requested, decision) is after


@pytest.mark.parametrize(
    ("level", "used", "amount", "required"),
    [
        (N, 0, 1_000 * USDC, None),  # exactly the limit passes
        (N, 0, 1_000 * USDC + 1, B),  # one base unit over
        (N, 999 * USDC, USDC, None),
        (N, 999 * USDC, USDC + 1, B),
        (N, 0, 10_000 * USDC + 1, F),  # past basic too
        (B, 9_000 * USDC, 1_000 * USDC, None),
        (B, 9_000 * USDC, 1_000 * USDC + 1, F),
        (F, 10**15, 10**15, None),  # full is unlimited by default
        (N, 0, 0, None),
    ],
)
def test_level_required(level: Level, used: int, amount: int, required: Level | None) -> None:
    assert level_required(level, used, amount, LIMITS) is required


def test_a_limited_full_level_still_names_full() -> None:
    limits = {N: 10, B: 20, F: 30}
    assert level_required(F, 25, 10, limits) is F
    assert level_required(B, 25, 10, limits) is F


@pytest.mark.parametrize(
    ("amount", "asset", "price", "usdc"),
    [
        (5 * USDC, Asset.USDC, 100_000, 5 * USDC),
        (10 * 10**9, Asset.ECE, 100_000, USDC),  # 10 ECE at 0.10 = 1 USDC
        (1, Asset.ECE, 100_000, 1),  # dust rounds up: a limit is never passed by rounding
        (0, Asset.ECE, 100_000, 0),
        (10**9, Asset.ECE, 2_500_000, 2_500_000),
    ],
)
def test_usdc_equivalent(amount: int, asset: Asset, price: int, usdc: int) -> None:
    assert usdc_equivalent(amount, asset, price) == usdc


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("John Doe", "J*** D***"),
        ("Jo Do", "J*** D***"),  # the same mask whatever the lengths
        ("Johannes Doevenbrinkerson", "J*** D***"),
        ("  Ann  ", "A*** ****"),
        ("Q", "Q*** ****"),
        ("Élodie Du Pont", "É*** P***"),  # nor how many words
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("XK4471903QZ", "****QZ"), ("AB12", "****"), ("ABCDE", "****DE"), ("A" * 40, "****AA")],
)
def test_mask_document(number: str, masked: str) -> None:
    assert mask_document(number) == masked

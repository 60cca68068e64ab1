"""Amounts at the API edge: exact decimal strings to integer base units and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ece.core.money import MAX_AMOUNT, Asset, InvalidAmount, Money, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "asset", "expected"),
    [
        ("12.5", Asset.USDC, 12_500_000),
        ("0.000001", Asset.USDC, 1),
        ("1", Asset.ECE, 1_000_000_000),
        ("0.000000001", Asset.ECE, 1),
        ("9223372036.854775807", Asset.ECE, MAX_AMOUNT),
        ("10.500", Asset.USDC, 10_500_000),
    ],
)
def test_parse_amount_is_exact(text: str, asset: Asset, expected: int) -> None:
    assert parse_amount(text, asset) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0.0000001",  # 7 decimals for USDC
        "-1",
        "+1",
        "0",
        "0.0",
        "1e3",
        "1E-2",
        "NaN",
        "Infinity",
        " 1",
        "1 ",
        "1,5",
        ".5",
        "5.",
        "01",
        "",
        "0x10",
        "1_000",
        "\u0661",  # a non-ASCII digit
        "9223372036854.775808",  # one base unit over the maximum
    ],
)
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, Asset.USDC)


def test_zero_only_where_allowed() -> None:
    assert parse_amount("0", Asset.USDC, allow_zero=True) == 0
    assert parse_amount("0.00", Asset.USDC, allow_zero=True) == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (1, "0.000001"), (12_500_000, "12.5"), (-2_000_001, "-2.000001"), (10**6, "1")],
)
def test_format_amount_has_no_trailing_zeros(value: int, text: str) -> None:
    assert format_amount(value, Asset.USDC) == text


@given(st.sampled_from(list(Asset)), st.integers(1, MAX_AMOUNT))
def test_format_then_parse_round_trips(asset: Asset, value: int) -> None:
    assert parse_amount(format_amount(value, asset), asset) == value


def test_money_model_validates_at_the_edge() -> None:
    assert Money(asset=Asset.USDC, amount="12.5").base_units == 12_500_000
    assert Money.of(1, Asset.ECE).amount == "0.000000001"
    for bad in ({"asset": "USDC", "amount": "1.0000001"}, {"asset": "DOGE", "amount": "1"}):
        with pytest.raises(ValidationError):
            Money.model_validate(bad)
    with pytest.raises(ValidationError):
        Money.model_validate({"asset": "USDC", "amount": 12.5})  # a float is never money

"""The one rounding rule: fee and royalty round down, the seller gets the remainder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ece.core.money import MAX_AMOUNT, Asset, parse_amount
from ece.settlement.rules import Split, sale_split, split_price


@pytest.mark.parametrize(
    ("price", "fee_bps", "royalty_bps", "expected"),
    [
        (parse_amount("25", Asset.USDC), 250, 500, Split(23_125_000, 625_000, 1_250_000)),
        (1, 250, 500, Split(1, 0, 0)),  # 0.000001 USDC: both cuts round down to nothing
        (39, 250, 500, Split(38, 0, 1)),  # 0.975 -> 0 and 1.95 -> 1
        (10_001, 250, 500, Split(9_251, 250, 500)),
        (
            parse_amount("1000000", Asset.ECE),  # 1e6 ECE = 10^15 base units
            250,
            500,
            Split(925 * 10**12, 25 * 10**12, 50 * 10**12),
        ),
        (
            MAX_AMOUNT,
            1000,
            1000,
            Split(MAX_AMOUNT - 2 * (MAX_AMOUNT // 10), *[MAX_AMOUNT // 10] * 2),
        ),
        (777, 0, 0, Split(777, 0, 0)),
    ],
)
def test_known_splits(price: int, fee_bps: int, royalty_bps: int, expected: Split) -> None:
    assert split_price(price, fee_bps, royalty_bps) == expected


@given(
    price=st.integers(1, MAX_AMOUNT),
    fee_bps=st.integers(0, 1000),
    royalty_bps=st.integers(0, 1000),
)
def test_parts_sum_to_the_price_and_no_cut_exceeds_its_rate(
    price: int, fee_bps: int, royalty_bps: int
) -> None:
    split = split_price(price, fee_bps, royalty_bps)
    assert split.seller + split.fee + split.royalty == price == split.total
    assert min(split.seller, split.fee, split.royalty) >= 0
    # Floor: never above the exact rate, and less than one base unit below it.
    assert split.fee * 10_000 <= price * fee_bps < (split.fee + 1) * 10_000
    assert split.royalty * 10_000 <= price * royalty_bps < (split.royalty + 1) * 10_000


def test_a_primary_sale_takes_no_royalty() -> None:
    assert sale_split(1000, fee_bps=250, royalty_bps=500, primary=True) == Split(975, 25, 0)
    assert sale_split(1000, fee_bps=250, royalty_bps=500, primary=False) == Split(925, 25, 50)


@pytest.mark.parametrize(
    ("price", "fee_bps", "royalty_bps"),
    [(0, 250, 0), (-5, 250, 0), (10, -1, 0), (10, 0, -1), (10, 6000, 5000), (True, 0, 0)],
)
def test_invalid_inputs_are_refused(price: int, fee_bps: int, royalty_bps: int) -> None:
    with pytest.raises(ValueError, match=r"price|basis points"):
        split_price(price, fee_bps, royalty_bps)


@given(
    price=st.integers(1, MAX_AMOUNT),
    fee_bps=st.integers(0, 10_000),
    royalty_bps=st.integers(0, 10_000),
    primary=st.booleans(),
)
def test_any_rates_within_bounds_split_exactly(
    price: int, fee_bps: int, royalty_bps: int, primary: bool
) -> None:
    if fee_bps + royalty_bps > 10_000:
        with pytest.raises(ValueError, match="basis points"):
            split_price(price, fee_bps, royalty_bps)
        return
    split = sale_split(price, fee_bps=fee_bps, royalty_bps=royalty_bps, primary=primary)
    assert split.total == price
    assert min(split.seller, split.fee, split.royalty) >= 0
    assert split.royalty <= price * royalty_bps // 10_000
    assert split.royalty == 0 if primary else split.royalty == price * royalty_bps // 10_000


@pytest.mark.parametrize("price", [0, -1, True, 1.5])
def test_a_price_is_a_positive_integer(price: object) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        split_price(price, 250, 500)  # type: ignore[arg-type]


def test_negative_rates_are_refused() -> None:
    with pytest.raises(ValueError, match="basis points"):
        split_price(100, -1, 0)

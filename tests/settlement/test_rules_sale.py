"""A sale's rules without a database: the primary-sale rule, fee shards, the legs that pay a
sale, and the wash-trade rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ece.core.money import MAX_AMOUNT
from ece.settlement.rules import (
    FEE_SHARDS,
    FEES,
    WASH_WINDOW,
    LegKind,
    SaleFacts,
    bounces,
    fee_purpose,
    fee_purposes,
    is_bounce,
    is_primary,
    is_wash_suspect,
    may_be_wash,
    sale_legs,
    sale_reference,
    split_price,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def a_sale(**changes: object) -> SaleFacts:
    sale = SaleFacts("s2", "card", "user", "alice", "bob", "listing", "l2", NOW)
    return replace(sale, **changes)  # type: ignore[arg-type]


def test_only_the_issuer_inventory_sells_primary() -> None:
    assert is_primary("issuer")
    assert not is_primary("user")


@given(st.text(min_size=1, max_size=40))
def test_a_fee_goes_to_one_of_the_shards_always_the_same(spread_by: str) -> None:
    purpose = fee_purpose(spread_by)
    assert purpose == fee_purpose(spread_by)
    assert purpose in fee_purposes()
    assert len(set(fee_purposes())) == FEE_SHARDS
    assert purpose == FEES or purpose.startswith(f"{FEES}:")


@given(
    price=st.integers(1, MAX_AMOUNT),
    fee_bps=st.integers(0, 5_000),
    royalty_bps=st.integers(0, 5_000),
)
def test_the_legs_pay_the_price_exactly_with_no_empty_leg(
    price: int, fee_bps: int, royalty_bps: int
) -> None:
    split = split_price(price, fee_bps, royalty_bps)
    legs = sale_legs(price, split.fee, split.royalty)
    assert sum(leg.amount for leg in legs) == price
    assert all(leg.amount > 0 for leg in legs)
    kinds = [leg.kind for leg in legs]
    assert kinds == sorted(kinds, key=[LegKind.seller, LegKind.fee, LegKind.royalty].index)
    assert {leg.transfer_id("x") for leg in legs} <= {
        f"{sale_reference('x')}:{kind.value}" for kind in LegKind
    }


def test_a_one_unit_sale_is_one_leg_to_the_seller() -> None:
    assert [(leg.kind, leg.amount) for leg in sale_legs(1, 0, 0)] == [(LegKind.seller, 1)]


def test_a_card_bouncing_back_between_two_users_is_a_wash_both_ways() -> None:
    sale = a_sale()
    back = a_sale(id="s1", seller_id="bob", buyer_user_id="alice", executed_at=NOW - timedelta(1))
    again = a_sale(id="s0", executed_at=NOW - timedelta(2))
    assert bounces(sale, [back, again, sale]) == ["s1", "s0"]
    assert is_wash_suspect(sale, ["s1"], seller_funded_buyer=False)


def test_what_is_not_a_bounce() -> None:
    sale = a_sale()
    earlier = a_sale(id="s1", seller_id="bob", buyer_user_id="alice")
    assert is_bounce(sale, earlier)
    assert not is_bounce(sale, replace(earlier, card_id="other"))
    assert not is_bounce(sale, replace(earlier, buyer_user_id="carol"))
    assert not is_bounce(sale, replace(earlier, seller_kind="issuer"))
    assert not is_bounce(sale, replace(earlier, executed_at=NOW - WASH_WINDOW - timedelta(1)))
    assert is_bounce(sale, replace(earlier, executed_at=NOW - WASH_WINDOW))
    # The sales of one trade offer are one deal.
    deal = replace(sale, source="trade_offer", ref="t1")
    assert not is_bounce(deal, replace(earlier, source="trade_offer", ref="t1"))
    assert is_bounce(deal, replace(earlier, source="trade_offer", ref="t0"))


def test_funding_the_buyer_is_a_wash_and_the_issuer_never_is() -> None:
    sale = a_sale()
    assert is_wash_suspect(sale, [], seller_funded_buyer=True)
    assert not is_wash_suspect(sale, [], seller_funded_buyer=False)
    primary = a_sale(seller_kind="issuer", seller_id="company")
    assert not may_be_wash(primary)
    assert not is_wash_suspect(primary, ["s1"], seller_funded_buyer=True)

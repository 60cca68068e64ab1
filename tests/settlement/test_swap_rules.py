"""The pure rule that prices the cards of a swap (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ece.core.money import Asset
from ece.settlement.swap_rules import (
    PricedCards,
    SwapSide,
    allocate,
    priced_cards,
    reference_price,
)

E, U = Asset.ECE, Asset.USDC


def test_net_tokens_price_the_cards_flowing_the_other_way() -> None:
    # A card for 500 USDC, either way round.
    assert priced_cards({}, {U: 500}, ["a"], []) == [PricedCards(U, SwapSide.want, 500, ("a",))]
    assert priced_cards({U: 500}, {}, [], ["b"]) == [PricedCards(U, SwapSide.give, 500, ("b",))]
    # Both currencies for one card: two prices.
    assert priced_cards({}, {E: 3, U: 5}, ["a"], []) == [
        PricedCards(E, SwapSide.want, 3, ("a",)),
        PricedCards(U, SwapSide.want, 5, ("a",)),
    ]
    # Mixed: the net top-up prices the cards coming to its payer; each currency on its own.
    assert priced_cards({U: 10}, {E: 4}, ["a"], ["b"]) == [
        PricedCards(E, SwapSide.want, 4, ("a",)),
        PricedCards(U, SwapSide.give, 10, ("b",)),
    ]
    assert priced_cards({U: 10}, {U: 4}, ["a"], ["c", "b"]) == [
        PricedCards(U, SwapSide.give, 6, ("b", "c"))
    ]


def test_no_cards_back_or_no_net_flow_prices_nothing() -> None:
    assert priced_cards({}, {}, ["a"], ["b"]) == []  # cards for cards
    assert priced_cards({U: 5}, {}, ["a"], []) == []  # a gift of a card and tokens
    assert priced_cards({U: 5}, {E: 5}, [], []) == []  # tokens for tokens
    assert priced_cards({U: 5}, {U: 5}, ["a"], ["b"]) == []  # the tokens cancel out


def test_allocate_is_pro_rata_when_every_card_has_a_weight_else_equal() -> None:
    assert allocate(100, [30, 10]) == [75, 25]
    assert allocate(100, [1, 1, 1]) == [33, 33, 34]
    assert allocate(100, [30, None]) == [50, 50]
    assert allocate(2, [None, None, None]) == [0, 0, 2]
    assert allocate(0, [5]) == [0]
    assert allocate(7, [10**18, 1]) == [6, 1]


@given(
    st.integers(min_value=0, max_value=2**63 - 1),
    st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=2**63 - 1)), min_size=1,
             max_size=20),
)  # fmt: skip
def test_allocate_never_loses_or_invents_a_base_unit(price: int, weights: list[int | None]) -> None:
    shares = allocate(price, weights)
    assert len(shares) == len(weights)
    assert sum(shares) == price
    assert all(share >= 0 for share in shares)


# ---------------------------------------------------------------------------------------------
# The reference price a split is weighted by: evidence neither party of the swap made.

PARTIES = frozenset({"maker", "taker"})
price = st.integers(min_value=1, max_value=2**63 - 1)
stranger = st.sampled_from(["carol", "dave", "erin", "company"])
anyone = st.sampled_from(["maker", "taker", "carol", "dave", "erin", "company"])
listing = st.tuples(price, anyone)
sale = st.tuples(price, anyone, anyone)


def independent(sales: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    return [s for s in sales if not {s[1], s[2]} & PARTIES]


def test_the_reference_is_the_independent_floor_else_the_median_of_recent_sales() -> None:
    assert reference_price(PARTIES, [(30, "carol"), (10, "dave")], [(5, "x", "y")]) == 10
    # The parties' own listings and sales count for nothing.
    assert reference_price(PARTIES, [(1, "maker"), (10**15, "taker")], []) is None
    assert reference_price(PARTIES, [(1, "maker")], [(7, "carol", "dave")]) == 7
    assert reference_price(PARTIES, [], [(1, "maker", "x"), (1, "x", "taker")]) is None
    # The median of the latest five (newest first), the lower middle one of an even count.
    assert reference_price(PARTIES, [], [(1, "a", "b"), (30, "a", "b"), (30, "a", "b")]) == 30
    assert reference_price(PARTIES, [], [(10, "a", "b"), (20, "a", "b")]) == 10
    old = [(10**9, "a", "b")] * 10
    assert reference_price(PARTIES, [], [(5, "a", "b")] * 5 + old) == 5
    assert reference_price(PARTIES, [], []) is None


@given(st.lists(listing, max_size=8), st.lists(sale, max_size=12))
def test_nothing_a_party_lists_or_trades_moves_the_reference(
    listings: list[tuple[int, str]], sales: list[tuple[int, str, str]]
) -> None:
    alone = reference_price(
        PARTIES, [x for x in listings if x[1] not in PARTIES], independent(sales)
    )
    assert reference_price(PARTIES, listings, sales) == alone


@given(st.lists(st.tuples(price, stranger, stranger), min_size=3, max_size=5), price,
       st.integers(min_value=0, max_value=4))  # fmt: skip
def test_one_odd_sale_cannot_take_the_reference_outside_the_others(
    sales: list[tuple[int, str, str]], odd: int, at: int
) -> None:
    at %= len(sales)
    others = [p for n, (p, _, _) in enumerate(sales) if n != at]
    sales[at] = (odd, "carol", "dave")
    found = reference_price(PARTIES, [], sales)
    assert found is not None and min(others) <= found <= max(others)

"""The pure rule that prices the cards of a swap (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ece.core.money import Asset
from ece.trades.models import TradeSide
from ece.trades.pricing import PricedCards, allocate, priced_cards

E, U = Asset.ECE, Asset.USDC


def test_net_tokens_price_the_cards_flowing_the_other_way() -> None:
    # A card for 500 USDC, either way round.
    assert priced_cards({}, {U: 500}, ["a"], []) == [PricedCards(U, TradeSide.want, 500, ("a",))]
    assert priced_cards({U: 500}, {}, [], ["b"]) == [PricedCards(U, TradeSide.give, 500, ("b",))]
    # Both currencies for one card: two prices.
    assert priced_cards({}, {E: 3, U: 5}, ["a"], []) == [
        PricedCards(E, TradeSide.want, 3, ("a",)),
        PricedCards(U, TradeSide.want, 5, ("a",)),
    ]
    # Mixed: the net top-up prices the cards coming to its payer; each currency on its own.
    assert priced_cards({U: 10}, {E: 4}, ["a"], ["b"]) == [
        PricedCards(E, TradeSide.want, 4, ("a",)),
        PricedCards(U, TradeSide.give, 10, ("b",)),
    ]
    assert priced_cards({U: 10}, {U: 4}, ["a"], ["c", "b"]) == [
        PricedCards(U, TradeSide.give, 6, ("b", "c"))
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

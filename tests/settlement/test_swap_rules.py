"""The pure rules of a swap's settlement (no database): what it sells, at what price per
card, and the token legs that pay for it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ece.core.money import Asset
from ece.settlement.rules import BPS_DENOMINATOR
from ece.settlement.swap_rules import (
    PricedCards,
    Swap,
    SwapSide,
    allocate,
    card_sales,
    first_prices,
    hold_id,
    priced_cards,
    reference_price,
    swap_reference,
    swap_sale_split,
    token_legs,
    value_hints,
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


# ---------------------------------------------------------------------------------------------
# A whole swap: its card sales and token legs.

amount = st.integers(min_value=0, max_value=10**15)
tokens = st.fixed_dictionaries({E: amount, U: amount}).map(
    lambda found: tuple((a, n) for a, n in found.items() if n > 0)
)
companies = st.sampled_from(["acme", "beta", "gamma"])
reference = st.one_of(st.none(), st.integers(min_value=1, max_value=10**12))
bps = st.integers(min_value=0, max_value=BPS_DENOMINATOR)


@st.composite
def swaps(draw: st.DrawFn) -> Swap:
    cards = draw(st.lists(st.sampled_from([f"c{n}" for n in range(8)]), unique=True, max_size=6))
    cut = draw(st.integers(min_value=0, max_value=len(cards)))
    return Swap(
        "s1", "maker", "taker", draw(tokens), draw(tokens), tuple(cards[:cut]), tuple(cards[cut:])
    )


def references_for(data: st.DataObject) -> dict[str, dict[Asset, int]]:
    found: dict[str, dict[Asset, int]] = {}
    for company in ("acme", "beta", "gamma"):
        for asset in Asset:
            price = data.draw(reference)
            if price is not None:
                found.setdefault(company, {})[asset] = price
    return found


@given(swaps(), st.data(), bps)
def test_a_swap_sells_for_exactly_its_net_tokens_and_every_leg_adds_up(
    swap: Swap, data: st.DataObject, fee_bps: int
) -> None:
    every = [*swap.give_cards, *swap.want_cards]
    company_of = {c: data.draw(companies) for c in every}
    sales = card_sales(swap, company_of, references_for(data))
    give, want = dict(swap.give_tokens), dict(swap.want_tokens)
    for p in priced_cards(give, want, swap.give_cards, swap.want_cards):
        mine = [s for s in sales if s.currency is p.currency]
        assert sum(s.price for s in mine) == p.price  # allocations sum to the price
        assert all(s.payer is p.payer and s.card_id in p.card_ids for s in mine)
    assert all(s.price > 0 for s in sales)
    bought = {s.card_id for s in sales}
    assert bought <= set(every) and set(first_prices(sales)) == bought

    legs = token_legs(swap, sales, fee_bps)
    assert sorted((leg.side, leg.asset, leg.amount) for leg in legs) == sorted(
        [(SwapSide.give, a, n) for a, n in swap.give_tokens]
        + [(SwapSide.want, a, n) for a, n in swap.want_tokens]
    )
    assert sum(leg.sold for leg in legs) == sum(s.price for s in sales)
    for leg in legs:  # no negative legs; the fee is the rate, floored, of the plain part
        assert 0 <= leg.sold <= leg.amount
        assert leg.plain >= 0 and leg.fee >= 0 and leg.to_payee >= 0
        assert leg.fee == leg.plain * fee_bps // BPS_DENOMINATOR
        assert leg.sold + leg.to_payee + leg.fee == leg.amount


@given(st.integers(min_value=1, max_value=10**15), st.data())
def test_a_swapped_cards_split_pays_its_royalty_and_never_more(
    price: int, data: st.DataObject
) -> None:
    fee_bps = data.draw(bps)
    royalty_bps = data.draw(st.integers(min_value=0, max_value=BPS_DENOMINATOR - fee_bps))
    split = swap_sale_split(price, fee_bps=fee_bps, royalty_bps=royalty_bps)
    assert split.total == price
    assert min(split.seller, split.fee, split.royalty) >= 0
    assert split.royalty == price * royalty_bps // BPS_DENOMINATOR  # bounded by the rate
    assert split.fee == price * fee_bps // BPS_DENOMINATOR


def test_a_top_up_sells_the_cards_coming_back_weighted_by_reference() -> None:
    swap = Swap("s1", "maker", "taker", ((U, 100),), (), ("g",), ("w1", "w2"))
    sales = card_sales(
        swap, {"g": "x", "w1": "acme", "w2": "beta"}, {"acme": {U: 30}, "beta": {U: 10}}
    )
    assert [(s.card_id, s.price, s.payer) for s in sales] == [
        ("w1", 75, SwapSide.give),
        ("w2", 25, SwapSide.give),
    ]
    legs = token_legs(swap, sales, 250)
    assert [(leg.sold, leg.plain, leg.fee) for leg in legs] == [(100, 0, 0)]
    # Tokens for nothing: a plain leg paying the trade fee only.
    gift = Swap("s2", "maker", "taker", ((E, 1000),))
    assert card_sales(gift, {}, {}) == []
    assert [(leg.plain, leg.fee, leg.to_payee) for leg in token_legs(gift, [], 250)] == [
        (1000, 25, 975)
    ]
    assert (swap.payer(SwapSide.want), swap.payee(SwapSide.want)) == ("taker", "maker")


def test_the_holds_and_legs_are_named_by_the_offer() -> None:
    assert swap_reference("o1") == "trade_offer:o1"
    assert hold_id("o1", U) == "trade_offer:o1:hold:USDC"


def test_value_hints_price_every_unpriced_card_in_one_currency() -> None:
    """A card-for-card swap's cards carry their company's reference, all in USDC when every
    card has one, else all in ECE, else none (the receivers then have no basis)."""
    company_of = {"a": "A", "b": "B"}
    both = {"A": {Asset.USDC: 7, Asset.ECE: 3}, "B": {Asset.USDC: 9}}
    assert value_hints(["a", "b"], company_of, both) == {
        "a": (7, Asset.USDC),
        "b": (9, Asset.USDC),
    }
    ece_only = {"A": {Asset.ECE: 3, Asset.USDC: 1}, "B": {Asset.ECE: 4}}
    assert value_hints(["a", "b"], company_of, ece_only) == {
        "a": (3, Asset.ECE),
        "b": (4, Asset.ECE),
    }
    assert value_hints(["a", "b"], company_of, {"A": {Asset.USDC: 7}}) == {}
    assert value_hints([], company_of, both) == {}

"""Cost basis and P&L without a database: the identity realized + unrealized = value + proceeds
- cost - fees to the base unit (Hypothesis), swap bases, deposits, and the alert crossings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ece.core.money import Asset
from ece.portfolio import rules
from ece.portfolio.rules import (
    AlertStep,
    Condition,
    Cost,
    DisposalKind,
    Move,
    SaleMade,
    Via,
    alert_step,
    book_of,
    condition_holds,
    split_equally,
    totals,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
USDC = Asset.USDC

# One step of a user's trading: (card index, buy price, sell price, fee, royalty, sells?)
_steps = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(1, 10**12),
        st.integers(1, 10**12),
        st.integers(0, 10**4),
        st.integers(0, 10**4),
        st.booleans(),
    ),
    max_size=40,
)
_floors = st.lists(st.one_of(st.none(), st.integers(0, 10**12)), min_size=5, max_size=5)


@settings(max_examples=300)
@given(_steps, _floors)
def test_realized_plus_unrealized_is_value_plus_proceeds_minus_cost_and_fees(
    steps: list[tuple[int, int, int, int, int, bool]], floors: list[int | None]
) -> None:
    """Any sequence of buys and sales of five cards: to the base unit, realized + unrealized =
    value of what is held at floor + what sales brought in - what buys cost - fees paid."""
    moves: list[Move] = []
    sales: list[SaleMade] = []
    held: set[str] = set()
    cost = proceeds = fees = 0
    for n, (index, buy, sell, fee, royalty, sells) in enumerate(steps, start=1):
        card = f"c{index}"
        at = T0 + timedelta(minutes=n)
        if card not in held:
            moves.append(Move(n, card, at, True, "listing", f"l{n}", Cost(buy, USDC)))
            held.add(card)
            cost += buy
        elif sells:
            price = max(sell, fee + royalty)
            moves.append(Move(n, card, at, False, "listing", f"l{n}", Cost(price, USDC)))
            sales.append(SaleMade(card, f"l{n}", price, fee, royalty, USDC, at))
            held.discard(card)
            proceeds += price
            fees += fee + royalty
    book = book_of(moves, sales)
    assert set(book.lots) == held
    valued = [
        (book.lots[c], {USDC: floors[int(c[1:])]} if floors[int(c[1:])] is not None else {})
        for c in sorted(held)
    ]
    value = sum(f.get(USDC, 0) for _, f in valued)
    # Cards without a floor are valued at their basis: they add nothing either side.
    unvalued_cost = sum(lot.basis.amount for lot, f in valued if not f and lot.basis is not None)
    figures = totals(valued, book.disposals)[USDC]
    assert figures.realized_pnl + figures.unrealized_pnl == (
        value + unvalued_cost + proceeds - cost - fees
    )
    assert figures.cost == sum(lot.basis.amount for lot in book.lots.values() if lot.basis)
    assert [d.kind for d in book.disposals] == [DisposalKind.sale] * len(sales)


def test_a_card_swapped_for_cards_takes_the_value_of_what_was_given() -> None:
    """The user gives A (hint 100) and B (hint 51) for X and Y: X and Y share 151 (75 + 76);
    A and B are disposals at their hints, gain against what they cost."""
    moves = [
        Move(1, "A", T0, True, "listing", "l1", Cost(80, USDC)),
        Move(2, "B", T0, True, "auction", "a1", Cost(60, USDC)),
        Move(3, "A", T0, False, "trade", "s1", value_hint=Cost(100, USDC)),
        Move(4, "B", T0, False, "trade", "s1", value_hint=Cost(51, USDC)),
        Move(5, "X", T0, True, "trade", "s1", value_hint=Cost(70, USDC)),
        Move(6, "Y", T0, True, "trade", "s1", value_hint=Cost(90, USDC)),
    ]
    book = book_of(moves, [])
    assert book.lots["X"].basis == Cost(75, USDC)
    assert book.lots["Y"].basis == Cost(76, USDC)
    assert (book.lots["X"].via, book.lots["Y"].via) == (Via.trade, Via.trade)
    gains = {d.card_id: (d.kind, d.proceeds, d.basis, d.gain) for d in book.disposals}
    assert gains == {"A": (DisposalKind.swap, 100, 80, 20), "B": (DisposalKind.swap, 51, 60, -9)}
    # Total P&L with X and Y at floors 70 and 90: (160 - 151) + (20 - 9) = 160 - 140 paid.
    figures = totals([(book.lots["X"], {USDC: 70}), (book.lots["Y"], {USDC: 90})], book.disposals)[
        USDC
    ]
    assert figures.unrealized_pnl + figures.realized_pnl == 160 - 140


def test_a_swap_without_hints_and_a_deposit_leave_the_basis_unknown() -> None:
    moves = [
        Move(1, "D", T0, True, "deposit", "dep1"),
        Move(2, "A", T0, False, "trade", "s1"),  # given without a hint (no reference price)
        Move(3, "X", T0, True, "trade", "s1"),
        Move(4, "D", T0, False, "listing", "l9", Cost(500, USDC)),
    ]
    sale = SaleMade("D", "l9", 500, 10, 20, USDC, T0)
    book = book_of(moves, [sale])
    assert book.lots["X"].basis is None
    (disposal,) = book.disposals
    assert (disposal.card_id, disposal.basis, disposal.gain, disposal.fees) == ("D", None, None, 30)
    assert disposal.acquired_via is Via.deposit
    figures = totals([(book.lots["X"], {USDC: 7})], book.disposals)[USDC]
    assert (figures.realized_pnl, figures.unrealized_pnl, figures.cost, figures.value_at_floor) == (
        0,
        0,
        0,
        7,
    )


def test_a_basis_in_another_currency_makes_no_gain() -> None:
    moves = [
        Move(1, "A", T0, True, "listing", "l1", Cost(5, Asset.ECE)),
        Move(2, "A", T0, False, "listing", "l2", Cost(9, USDC)),
    ]
    (disposal,) = book_of(moves, [SaleMade("A", "l2", 9, 1, 0, USDC, T0)]).disposals
    assert (disposal.basis, disposal.gain) == (None, None)


def test_a_gift_closes_the_lot_without_a_disposal() -> None:
    moves = [
        Move(1, "A", T0, True, "listing", "l1", Cost(5, USDC)),
        Move(2, "A", T0, False, "gift", "g1"),
    ]
    book = book_of(moves, [])
    assert (book.lots, book.disposals) == ({}, [])


@given(st.integers(0, 10**15), st.integers(1, 50))
def test_split_equally_sums_to_the_total(total: int, count: int) -> None:
    parts = split_equally(total, count)
    assert sum(parts) == total and len(parts) == count and min(parts) >= 0


def test_conditions_and_crossings() -> None:
    assert condition_holds(Condition.floor_below, 100, 99)
    assert not condition_holds(Condition.floor_below, 100, 100)
    assert condition_holds(Condition.listed_below, 100, 100)
    assert condition_holds(Condition.floor_above, 100, 101)
    assert not condition_holds(Condition.floor_above, 100, None)
    assert alert_step(True, True) is AlertStep.fire
    assert alert_step(False, True) is AlertStep.stay
    assert alert_step(False, False) is AlertStep.rearm
    assert alert_step(True, False) is AlertStep.stay


def test_every_reason_settlement_writes_has_a_way_in() -> None:
    assert rules.via_of("sweep") is Via.buy
    assert rules.via_of("collection_offer") is Via.offer
    assert rules.via_of("auction") is Via.auction
    assert rules.via_of("trade_offer") is Via.trade
    assert rules.via_of("deposit") is Via.deposit

"""The auction rules without a database: increments, the proxy price and leader, the minimum
next bid, soft close, buy-now, the Dutch price at an instant, refusals and statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ece.auctions import rules
from ece.auctions.rules import AuctionKind, AuctionStatus, Max, Terms
from ece.core.errors import Unprocessable
from ece.core.money import Asset, parse_amount

U = Asset.USDC
TIERS = rules.parse_increments("1=0.05,10=0.25,100=1,*=5", U)
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def usdc(text: str) -> int:
    return parse_amount(text, U)


def test_the_default_increment_table() -> None:
    steps = [
        rules.increment(usdc(p), TIERS)
        for p in ("0.5", "0.99", "1", "9.99", "10", "99", "100", "5000")
    ]
    assert steps == [usdc(s) for s in ("0.05", "0.05", "0.25", "0.25", "1", "1", "5", "5")]


@pytest.mark.parametrize(
    "text", ["", "1=0.05", "*=1,1=0.05", "10=1,1=0.5,*=2", "1=0,*=1", "x=1,*=1"]
)
def test_a_bad_increment_table_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="bad auction increment table"):
        rules.parse_increments(text, U)


def standing(*maxes: tuple[str, str], reserve: str | None = None) -> tuple[str | None, int]:
    result = rules.standing(
        [Max(who, usdc(amount), seq) for seq, (who, amount) in enumerate(maxes)],
        usdc("10"),
        None if reserve is None else usdc(reserve),
        TIERS,
    )
    return (None if result.leader is None else result.leader.bidder), result.price


def test_the_proxy_price_and_leader() -> None:
    assert standing() == (None, usdc("10"))
    assert standing(("a", "50")) == ("a", usdc("10"))  # one bidder: the start price
    assert standing(("a", "50"), ("b", "30")) == ("a", usdc("31"))
    assert standing(("a", "50"), ("b", "60")) == ("b", usdc("51"))
    assert standing(("a", "50"), ("b", "50.5")) == ("b", usdc("50.5"))  # capped at the top max
    assert standing(("a", "50"), ("b", "50")) == ("a", usdc("50"))  # a tie: the earlier bid
    assert standing(("a", "150"), ("b", "120")) == ("a", usdc("125"))  # the 5 tier above 100


def test_a_met_reserve_lifts_the_price_to_it() -> None:
    assert standing(("a", "200"), reserve="80") == ("a", usdc("80"))
    assert standing(("a", "60"), reserve="80") == (
        "a",
        usdc("10"),
    )  # not met: the reserve stays hidden
    assert standing(("a", "200"), ("b", "90"), reserve="80") == ("a", usdc("91"))


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 500_000_000)), min_size=1, max_size=12),
    st.none() | st.integers(10_000_000, 400_000_000),
)
def test_the_price_never_exceeds_the_top_max_and_the_leader_is_the_earliest_highest(
    bids: list[tuple[int, int]], reserve: int | None
) -> None:
    latest: dict[int, Max] = {}
    for seq, (who, amount) in enumerate(bids):
        latest[who] = Max(str(who), max(amount, usdc("10")), seq)
    maxes = list(latest.values())
    result = rules.standing(maxes, usdc("10"), reserve, TIERS)
    top = max(m.amount for m in maxes)
    assert result.leader is not None and result.leader.amount == top
    assert result.leader.seq == min(m.seq for m in maxes if m.amount == top)
    assert usdc("10") <= result.price <= top
    others = sorted((m.amount for m in maxes if m is not result.leader), reverse=True)
    if others:
        assert result.price >= min(top, others[0] + rules.increment(others[0], TIERS)) or (
            result.price == top
        )


def test_min_next_bid() -> None:
    assert rules.min_next_bid(0, usdc("10"), usdc("10"), TIERS) == usdc("10")
    assert rules.min_next_bid(1, usdc("10"), usdc("10"), TIERS) == usdc("11")
    assert rules.min_next_bid(3, usdc("0.5"), usdc("0.2"), TIERS) == usdc("0.55")


def test_soft_close_moves_the_end_only_in_the_last_window() -> None:
    end = T0 + timedelta(hours=1)
    assert rules.extended_end(end - timedelta(seconds=1), end, 300) == end + timedelta(seconds=299)
    assert rules.extended_end(end - timedelta(seconds=300), end, 300) is None
    assert rules.extended_end(end - timedelta(hours=1), end, 300) is None
    # No cap: each late bid extends again.
    later = end + timedelta(seconds=299)
    assert rules.extended_end(later - timedelta(seconds=2), later, 300) == later + timedelta(
        seconds=298
    )


def test_buy_now_is_there_until_a_bid_meets_the_reserve() -> None:
    low, high = Max("a", usdc("50"), 1), Max("a", usdc("90"), 2)
    assert rules.buy_now_available(usdc("100"), usdc("80"), None)
    assert rules.buy_now_available(usdc("100"), usdc("80"), low)
    assert not rules.buy_now_available(usdc("100"), usdc("80"), high)
    assert rules.buy_now_available(usdc("100"), None, None)
    assert not rules.buy_now_available(usdc("100"), None, low)  # no reserve: the first bid
    assert not rules.buy_now_available(None, None, None)
    assert not rules.reserve_met(usdc("80"), low) and rules.reserve_met(usdc("80"), high)


def test_the_dutch_price_at_an_instant_is_exact() -> None:
    end = T0 + timedelta(hours=1)
    start_price, end_price = usdc("100"), usdc("40")
    at = rules.dutch_price
    assert at(start_price, end_price, T0, end, T0 - timedelta(1), 0) == start_price
    assert at(start_price, end_price, T0, end, T0, 0) == start_price
    assert at(start_price, end_price, T0, end, T0 + timedelta(minutes=30), 0) == usdc("70")
    assert at(start_price, end_price, T0, end, T0 + timedelta(seconds=1), 0) == usdc("99.983334")
    assert at(start_price, end_price, T0, end, end, 0) == end_price
    # In steps of 10 minutes: 10 USDC per step.
    assert at(start_price, end_price, T0, end, T0 + timedelta(minutes=19, seconds=59), 600) == usdc(
        "90"
    )
    assert at(start_price, end_price, T0, end, T0 + timedelta(minutes=20), 600) == usdc("80")


@given(st.integers(0, 3_600_000_000))
def test_the_dutch_price_falls_monotonically(elapsed_us: int) -> None:
    end = T0 + timedelta(hours=1)
    now = T0 + timedelta(microseconds=elapsed_us)
    later = now + timedelta(microseconds=1)
    price = rules.dutch_price(usdc("100"), usdc("40"), T0, end, now, 0)
    assert usdc("40") <= rules.dutch_price(usdc("100"), usdc("40"), T0, end, later, 0) <= price
    # Exact: the ceiling of the line, in integers.
    drop = usdc("60") * elapsed_us
    assert price == usdc("100") - drop // 3_600_000_000


def terms(**changes: object) -> Terms:
    base: dict[str, object] = dict(
        kind=AuctionKind.english,
        start=usdc("10"),
        end=None,
        reserve=None,
        buy_now=None,
        starts_at=T0,
        ends_at=T0 + timedelta(hours=2),
    )
    return Terms(**{**base, **changes})  # type: ignore[arg-type]


def refusal(t: Terms) -> str | None:
    found = rules.terms_refusal(t, T0, 3600, 30 * 24 * 3600)
    return None if found is None else found.instance_code


def test_terms() -> None:
    assert refusal(terms()) is None
    assert refusal(terms(ends_at=T0 + timedelta(minutes=59))) == "invalid_duration"
    assert refusal(terms(ends_at=T0 + timedelta(days=30, seconds=1))) == "invalid_duration"
    assert refusal(terms(starts_at=T0 - timedelta(hours=1))) == "invalid_auction"
    assert refusal(terms(reserve=usdc("5"))) == "invalid_auction"
    assert refusal(terms(reserve=usdc("50"), buy_now=usdc("40"))) == "invalid_auction"
    assert refusal(terms(end=usdc("5"))) == "invalid_auction"
    dutch = AuctionKind.dutch
    assert refusal(terms(kind=dutch, end=usdc("5"))) is None
    assert refusal(terms(kind=dutch, end=usdc("10"))) == "invalid_auction"
    assert refusal(terms(kind=dutch, end=None)) == "invalid_auction"
    assert refusal(terms(kind=dutch, end=usdc("5"), buy_now=usdc("20"))) == "invalid_auction"


def bid_code(**changes: object) -> str | None:
    facts: dict[str, object] = dict(
        now=T0 + timedelta(minutes=5),
        starts_at=T0,
        ends_at=T0 + timedelta(hours=1),
        state="open",
        kind="english",
        seller_id="seller",
        bidder="b",
        amount=usdc("11"),
        minimum=usdc("11"),
        own_max=None,
    )
    found = rules.bid_refusal_reason(**{**facts, **changes})  # type: ignore[arg-type]
    return None if found is None else rules.refusal_of(found).instance_code


def test_bid_refusals() -> None:
    assert bid_code() is None
    assert bid_code(amount=usdc("10.99")) == "bid_too_low"
    assert bid_code(bidder="seller") == "own_auction"
    assert bid_code(now=T0 + timedelta(hours=1)) == "auction_ended"  # by the clock, settled or not
    assert bid_code(state="sold") == "auction_ended"
    assert bid_code(state="cancelled") == "auction_ended"
    assert bid_code(now=T0 - timedelta(seconds=1)) == "auction_not_started"
    assert bid_code(kind="dutch") == "auction_not_english"
    assert bid_code(own_max=usdc("11")) == "bid_too_low"  # a raise must raise
    assert rules.parse_bid("1.5", U) == usdc("1.5")
    for bad in ("0", "0.0000001", "-1", "1e3", "NaN"):
        with pytest.raises(Unprocessable) as caught:
            rules.parse_bid(bad, U)
        assert caught.value.instance_code == "invalid_amount"


def test_statuses_and_transitions() -> None:
    end = T0 + timedelta(hours=1)
    assert rules.seen_status("open", T0, end, T0 - timedelta(1)) is AuctionStatus.upcoming
    assert rules.seen_status("open", T0, end, T0) is AuctionStatus.live
    assert rules.seen_status("open", T0, end, end) is AuctionStatus.ended  # before settlement
    assert rules.seen_status("sold", T0, end, T0) is AuctionStatus.ended
    assert rules.seen_status("cancelled", T0, end, T0) is AuctionStatus.cancelled
    assert rules.cancel_refusal("open", T0, end, 0) is None
    has_bids = rules.cancel_refusal("open", T0, end, 1)
    assert has_bids is not None and has_bids.instance_code == "auction_has_bids"
    too_late = rules.cancel_refusal("open", end, end, 0)
    assert too_late is not None and too_late.instance_code == "auction_ended"
    leader = Max("a", usdc("90"), 1)
    assert rules.outcome("english", usdc("80"), leader) == "sold"
    assert rules.outcome("english", usdc("95"), leader) == "unsold"
    assert rules.outcome("english", None, None) == "unsold"
    assert rules.outcome("dutch", None, leader) == "unsold"
    assert rules.may_sell("user", "u1", "u1", False) and not rules.may_sell(
        "user", "u1", "u2", True
    )
    assert rules.may_sell("issuer", "c1", "u2", True) and not rules.may_sell(
        "issuer", "c1", "u2", False
    )

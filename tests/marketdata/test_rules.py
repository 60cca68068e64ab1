"""Market data's rules without a database: candles, volume sums, price changes, ranking and the
activity feed's merge and cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, create_engine, func, select

from ece.core.errors import Unprocessable
from ece.core.feed import ResumeAfter, older_than
from ece.core.money import Asset
from ece.marketdata.rules import (
    MAX_CANDLES,
    Activity,
    ActivityType,
    CompanyRef,
    FeedCursor,
    FeedEntry,
    Interval,
    Source,
    bucket_start,
    build_candles,
    candle_window,
    feed_cursor,
    merge_page,
    per_company_asset,
    percent_change,
    price_changes,
    ranked,
    resume_after,
    sources_for,
    volumes_and_counts,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
prices = st.integers(min_value=1, max_value=10**15)
instants = st.integers(min_value=0, max_value=60 * 24 * 10).map(lambda m: T0 + timedelta(minutes=m))
sales = st.lists(st.tuples(instants, prices), max_size=60).map(sorted)


# --- candles ----------------------------------------------------------------------------------


@given(sales, st.sampled_from(Interval))
def test_candles_hold_every_sale_once_with_consistent_ohlc(
    points: list[tuple[datetime, int]], interval: Interval
) -> None:
    candles = build_candles(points, interval)
    assert sum(c.sales for c in candles) == len(points)
    assert sum(c.volume for c in candles) == sum(p for _, p in points)
    starts = [c.start for c in candles]
    assert starts == sorted(set(starts))  # oldest first, one candle per bucket
    for candle in candles:
        inside = [p for at, p in points if bucket_start(at, interval) == candle.start]
        assert candle.low <= min(candle.open, candle.close) <= max(candle.open, candle.close)
        assert max(candle.open, candle.close) <= candle.high
        assert (candle.open, candle.close) == (inside[0], inside[-1])
        assert (candle.low, candle.high) == (min(inside), max(inside))
        assert candle.volume == sum(inside) and candle.sales == len(inside)


def test_candles_bucket_by_utc_hour_and_day() -> None:
    at = T0 + timedelta(hours=5, minutes=59, seconds=3)
    assert bucket_start(at, Interval.hour) == T0 + timedelta(hours=5)
    assert bucket_start(at, Interval.day) == T0
    points = [(at, 10), (at + timedelta(minutes=1), 30), (at + timedelta(minutes=2), 20)]
    hourly = build_candles(points, Interval.hour)
    assert [(c.open, c.high, c.low, c.close, c.volume, c.sales) for c in hourly] == [
        (10, 10, 10, 10, 10, 1),
        (30, 30, 20, 20, 50, 2),
    ]
    assert len(build_candles(points, Interval.day)) == 1
    assert build_candles([], Interval.day) == []


@given(instants, st.sampled_from(Interval), st.integers(min_value=-5, max_value=2 * MAX_CANDLES))
def test_candle_window_covers_at_most_max_buckets(
    now: datetime, interval: Interval, limit: int
) -> None:
    start = candle_window(now, interval, limit)
    buckets = (bucket_start(now, interval) - start) / interval.delta + 1
    assert buckets == max(1, min(limit, MAX_CANDLES))
    assert bucket_start(start, interval) == start


# --- volume and prices ------------------------------------------------------------------------

totals = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3"]),
        st.sampled_from([a.value for a in Asset]),
        prices,
        st.integers(min_value=1, max_value=1000),
    ),
    unique_by=lambda r: (r[0], r[1]),
)


@given(totals)
def test_volumes_stay_per_currency_and_counts_sum_over_currencies(
    rows: list[tuple[str, str, int, int]],
) -> None:
    volume, count = volumes_and_counts(rows)
    for company_id, currency, total, _ in rows:
        assert volume[company_id][Asset(currency)] == total
    for company_id in {r[0] for r in rows}:
        assert count[company_id] == sum(n for c, _, _, n in rows if c == company_id)
    assert sum(sum(v.values()) for v in volume.values()) == sum(r[2] for r in rows)


def test_prices_in_unknown_currencies_or_without_amount_are_left_out() -> None:
    rows = [("c1", "USDC", 5), ("c1", "DOGE", 7), ("c2", "ECE", None), ("c2", "ECE", 9)]
    assert per_company_asset(rows) == {"c1": {Asset.USDC: 5}, "c2": {Asset.ECE: 9}}


@given(prices, prices)
def test_percent_change_is_exact_and_round_trips(old: int, new: int) -> None:
    change = percent_change(old, new)
    assert change == change.quantize(Decimal("0.01"))
    exact = Decimal(new - old) * 100 / Decimal(old)
    assert abs(change - exact) <= Decimal("0.005")
    assert (change > 0) == (new > old) or abs(exact) < Decimal("0.005")
    assert percent_change(old, old) == 0


def test_percent_change_examples_and_zero_baseline() -> None:
    assert percent_change(100, 150) == Decimal("50.00")
    assert percent_change(3, 2) == Decimal("-33.33")
    assert percent_change(8, 1) == Decimal("-87.50")
    with pytest.raises(ZeroDivisionError):
        percent_change(0, 5)


@given(
    st.dictionaries(st.sampled_from(Asset), st.integers(min_value=0, max_value=10**12)),
    st.dictionaries(st.sampled_from(Asset), st.integers(min_value=0, max_value=10**12)),
)
def test_changes_only_where_both_prices_exist_and_the_baseline_is_not_zero(
    latest: dict[Asset, int], day_ago: dict[Asset, int]
) -> None:
    changes = price_changes(latest, day_ago)
    assert set(changes) == {a for a in latest if day_ago.get(a)}
    for asset, change in changes.items():
        assert change == percent_change(day_ago[asset], latest[asset])


def test_ranking_by_day_then_week_volume_then_ticker() -> None:
    a, b, c, d = (CompanyRef(x, x.upper(), x) for x in "abcd")
    day = {"b": {Asset.USDC: 5, Asset.ECE: 1000}, "c": {Asset.USDC: 5}}
    week = {"c": {Asset.USDC: 9}, "d": {Asset.USDC: 1}, "a": {Asset.ECE: 50}}
    assert ranked([a, b, c, d], day, week, Asset.USDC) == [c, b, d, a]
    assert ranked([a, b, c, d], day, week, Asset.ECE) == [b, a, c, d]


# --- activity feed ----------------------------------------------------------------------------


def test_sources_by_type_and_their_ranks() -> None:
    assert [s.rank for s in Source] == list(range(9))
    # A cursor holds a rank: the newest source is last, so an older cursor keeps its meaning.
    assert (Source.transfers.rank, Source.price_changes.rank) == (7, 8)
    assert sources_for(ActivityType.price_change) == [Source.price_changes]
    assert sources_for(ActivityType.cancel) == [
        Source.cancelled_listings,
        Source.cancelled_offers,
        Source.cancelled_trades,
    ]
    assert sources_for(None) == list(Source)


def _entry(source: Source, minute: int, id_: int) -> FeedEntry:
    ref = str(id_) if source is Source.transfers else f"id{id_:04d}"
    key: str | int = id_ if source is Source.transfers else ref
    at = T0 + timedelta(minutes=minute)
    return FeedEntry(source, key, Activity(source.type, at, ref, source.value))


def _passes(after: ResumeAfter | None, entry: FeedEntry) -> bool:
    """The Python reading of ``ece.core.feed.older_than``."""
    if after is None:
        return True
    at = entry.item.at
    if not after.same_instant:
        return at < after.at
    if after.below_id is None:
        return at <= after.at
    return at < after.at or (at == after.at and entry.id < after.below_id)  # type: ignore[operator]


entries = st.lists(
    st.builds(
        _entry,
        st.sampled_from(Source),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=9999),
    ),
    unique_by=lambda e: (e.source, e.id),
    max_size=40,
)


@given(entries, st.integers(min_value=1, max_value=7))
def test_paging_through_the_merged_feed_yields_every_item_once_newest_first(
    found: list[FeedEntry], limit: int
) -> None:
    seen: list[Activity] = []
    cursor: FeedCursor | None = None
    for _ in range(len(found) + 2):
        page_rows = [e for e in found if _passes(resume_after(e.source, cursor), e)]
        items, cursor = merge_page(page_rows, limit)
        assert len(items) <= limit
        seen.extend(items)
        if cursor is None:
            break
    expected = sorted(found, key=lambda e: e.key, reverse=True)
    assert seen == [e.item for e in expected]


def test_a_cursor_must_name_a_source_and_an_id_of_its_type() -> None:
    assert feed_cursor([T0, 7, 12]) == FeedCursor(T0, 7, 12)
    assert feed_cursor([T0, 0, "s1"]) == FeedCursor(T0, 0, "s1")
    assert feed_cursor([T0, 8, "p1"]) == FeedCursor(T0, 8, "p1")  # a price change
    for values in (
        [T0, 7, "12"],
        [T0, 0, 5],
        [T0, 8, 5],
        [T0, 9, "x"],
        ["yesterday", 0, "x"],
        [T0, 0, True],
    ):
        with pytest.raises(Unprocessable):
            feed_cursor(values)


def test_the_keyset_sql_and_its_python_reading_agree() -> None:
    """``older_than`` (SQL) keeps the same rows as ``_passes`` above, which the paging test
    relies on, wherever a page resumes (before, at or after each source's rank)."""
    rows = Table("rows", MetaData(), Column("id", Integer), Column("at", DateTime))
    engine = create_engine("sqlite://")
    rows.metadata.create_all(engine)
    data = [_entry(Source.transfers, m, i) for m in range(3) for i in range(3)]
    cursors = [None] + [
        FeedCursor(T0 + timedelta(minutes=m), rank, 1) for m in range(3) for rank in (0, 4, 7)
    ]
    with engine.begin() as conn:
        conn.execute(rows.insert(), [{"id": e.id, "at": _naive(e.item.at)} for e in data])
        for source in Source:
            for cursor in cursors:
                after = resume_after(source, cursor)
                in_sql = after and ResumeAfter(_naive(after.at), after.same_instant, after.below_id)
                kept = set(
                    conn.scalars(
                        select(rows.c.id * 10 + func.strftime("%M", rows.c.at)).where(
                            older_than(rows.c.at, rows.c.id, in_sql)
                        )
                    )
                )
                expected = {int(e.id) * 10 + e.item.at.minute for e in data if _passes(after, e)}
                assert {int(k) for k in kept} == expected, (source, cursor)


def _naive(at: datetime) -> datetime:
    return at.replace(tzinfo=None)

"""The outbox relay: at least once, in order per aggregate, safe with several relays at once,
and a relay that dies between claim and acknowledge loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.config import Settings
from ece.core import outbox
from ece.core.clock import clock
from ece.core.db import Database
from ece.core.outbox import Event, OutboxEvent, emit, in_order


@pytest.fixture
async def db(blank_settings: Settings) -> AsyncIterator[Database]:
    database = Database(blank_settings.resolved_database_url)
    yield database
    await database.dispose()


async def write(db: Database, *events: tuple[str, str]) -> None:
    """One transaction per event, as services write them."""
    for type_, aggregate in events:
        async with db.unit_of_work() as session:
            await emit(session, type_, aggregate, n=type_)


class Receiver:
    """Records every batch handed to it; ``fail_after`` makes it die mid-batch."""

    def __init__(self, *, fail: bool = False) -> None:
        self.seen: list[Event] = []
        self.fail = fail

    async def __call__(self, _session: AsyncSession, events: Sequence[Event]) -> None:
        self.seen.extend(events)
        await asyncio.sleep(0)  # let other relays run in between
        if self.fail:
            raise RuntimeError("relay killed between claim and acknowledge")


def test_in_order_keeps_only_what_overtakes_nothing() -> None:
    claimed = [(1, "a"), (3, "a"), (4, "b"), (6, "c")]
    pending = [(1, "a"), (2, "b"), (3, "a"), (4, "b"), (5, "a"), (6, "c")]
    # b's event 2 is held elsewhere: 4 must wait; a's 1 and 3 go, a's 5 was not claimed.
    assert in_order(claimed, pending) == {1, 3, 6}
    assert in_order([], []) == set()
    assert in_order([(7, "x")], [(7, "x")]) == {7}


async def test_a_relay_killed_before_acknowledging_loses_nothing(db: Database) -> None:
    await write(db, ("trade.executed", "s1"), ("listing.created", "l1"), ("trade.executed", "s2"))
    crashed = Receiver(fail=True)
    with pytest.raises(RuntimeError):
        await outbox.relay_once(db, crashed)
    assert [e.aggregate_id for e in crashed.seen] == ["s1", "l1", "s2"]

    restarted = Receiver()
    assert await outbox.relay(db, restarted) == 3
    # Every event again, the same ids: receivers drop what they had by id.
    assert [e.id for e in restarted.seen] == [e.id for e in crashed.seen]
    assert await outbox.relay(db, Receiver()) == 0
    async with db.unit_of_work(write=False) as session:
        undelivered = await session.scalars(
            select(OutboxEvent.id).where(OutboxEvent.delivered_at.is_(None))
        )
        assert list(undelivered) == []


async def test_several_relays_at_once_deliver_each_event_once_in_order_per_aggregate(
    db: Database,
) -> None:
    await write(db, *[("auction.bid", f"a{i % 4}") for i in range(40)])
    receivers = [Receiver() for _ in range(3)]
    await asyncio.gather(*(outbox.relay(db, r, batch=5) for r in receivers))
    # Whatever is left (a relay gave up while others held rows) goes on the next run.
    last = Receiver()
    await outbox.relay(db, last)
    delivered = [e for r in [*receivers, last] for e in r.seen]
    assert sorted(e.id for e in delivered) == sorted({e.id for e in delivered})
    assert len(delivered) == 40
    for receiver in [*receivers, last]:
        by_aggregate: dict[str, list[int]] = {}
        for event in receiver.seen:
            by_aggregate.setdefault(event.aggregate_id, []).append(event.id)
        assert all(ids == sorted(ids) for ids in by_aggregate.values())


async def test_an_aggregate_waits_behind_its_event_another_relay_holds(db: Database) -> None:
    """A relay never overtakes an event of the same aggregate that another relay claimed."""
    await write(db, ("offer.created", "o1"), ("listing.created", "l1"), ("offer.accepted", "o1"))
    async with db.unit_of_work() as first:
        held = await outbox.claim(first, 1)
        assert [e.aggregate_id for e in held] == ["o1"]
        if db.is_sqlite:
            return  # one writer: a second relay cannot claim while the first holds the lock
        async with db.unit_of_work() as second:
            others = await outbox.claim(second, 10)
            # l1 is free; o1's second event waits for the first, held above.
            assert [e.aggregate_id for e in others] == ["l1"]


async def test_lag_is_the_age_of_the_oldest_undelivered_event(db: Database) -> None:
    await write(db, ("trade.executed", "s1"))
    clock.advance(timedelta(seconds=90))
    async with db.unit_of_work(write=False) as session:
        lag_seconds, waiting = await outbox.lag(session)
    assert waiting == 1 and 89 < lag_seconds < 200
    await outbox.relay(db, Receiver())
    async with db.unit_of_work(write=False) as session:
        assert await outbox.lag(session) == (0.0, 0)


async def test_readyz_reports_the_relay_lag(app: FastAPI, client: httpx.AsyncClient) -> None:
    before = (await client.get("/readyz")).json()["outbox_relay"]["undelivered"]
    await write(app.state.services.db, ("trade.executed", "s1"))
    clock.advance(timedelta(seconds=30))
    relay = (await client.get("/readyz")).json()["outbox_relay"]
    assert relay["undelivered"] == before + 1
    assert relay["lag_seconds"] >= 30


# --- waking the relay: the doorbell ------------------------------------------------------------


async def emit_then_fail(db: Database) -> None:
    async with db.unit_of_work() as session:
        await emit(session, "listing.created", "l2")
        raise RuntimeError("rolled back")


async def test_a_commit_that_emitted_rings_the_doorbell_and_nothing_else_does(db: Database) -> None:
    bell = outbox.Doorbell()
    try:
        seen = bell.rung
        async with db.unit_of_work() as session:
            await emit(session, "listing.created", "l1")
            assert bell.rung == seen  # not before the commit: the relay would find nothing
        assert bell.rung > seen
        seen = bell.rung
        with pytest.raises(RuntimeError):
            await emit_then_fail(db)
        async with db.unit_of_work() as session:
            await session.execute(select(OutboxEvent.id))  # commits, emitted nothing
        assert bell.rung == seen
    finally:
        await bell.stop()


async def test_a_rung_relay_job_runs_at_once_not_on_its_next_tick(db: Database) -> None:
    from ece.runtime.jobs import Job
    from ece.worker import runner

    bell = outbox.Doorbell()
    runs = asyncio.Queue[int]()

    async def relay_job(_services: object) -> None:
        runs.put_nowait(await outbox.relay(db, Receiver()))

    # A tick of an hour: only the doorbell can run it again within the test.
    job = Job("relay_under_test", 3600, relay_job, wake=lambda _services: bell)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run_job(job, None, stop))  # type: ignore[arg-type]
    try:
        assert await asyncio.wait_for(runs.get(), 10) == 0  # the first run, at start
        await write(db, ("trade.executed", "s1"))
        assert await asyncio.wait_for(runs.get(), 10) == 1
        stop.set()
        await asyncio.wait_for(task, 10)  # stops without waiting for its tick either
    finally:
        task.cancel()
        await bell.stop()


@pytest.mark.pg
async def test_an_insert_from_another_process_rings_through_notify(db: Database) -> None:
    import asyncpg  # type: ignore[import-untyped]

    bell = outbox.Doorbell(db.libpq_url)
    try:
        await bell.start()
        seen = bell.rung
        # Another process's insert: no session of this one commits it, only NOTIFY tells.
        other = await asyncpg.connect(db.libpq_url)
        try:
            await other.execute(
                "INSERT INTO outbox_events (type, aggregate_id, payload, created_at) "
                "VALUES ('listing.created', 'l9', '{}', now())"
            )
        finally:
            await other.close()
        await asyncio.wait_for(bell.wait(seen, 3600), 10)
        assert bell.rung > seen
    finally:
        await bell.stop()

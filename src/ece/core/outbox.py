"""Transactional outbox: events are rows written in the same transaction as the change, then
delivered by a relay, at least once and in order per aggregate.

The relay claims a batch of undelivered rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so any
number of relays run side by side; SQLite has one writer), hands them to its ``deliver``
callback inside the same transaction, then marks them delivered and commits. A relay that dies
between claim and acknowledge leaves its rows undelivered: the next run delivers them again, so
receivers tell duplicates apart by the event ``id``. Ordering per aggregate holds because a
batch keeps only events whose earlier undelivered events of the same aggregate are in the batch
too (``in_order``): a row locked by another relay holds back everything after it.

Delivered rows stay for ``retention`` (the window a dropped WebSocket resumes from), then go.

A relay does not wait for its next tick when something was written: a ``Doorbell`` rings when a
transaction of this process that emitted events commits and, on PostgreSQL, on ``NOTIFY
ece_outbox``, which a trigger on the table sends at the commit of any process's insert
(migration 0033). The tick stays as the safety net for a notification lost with its connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    String,
    Table,
    delete,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from ece.core import tracing
from ece.core.clock import utcnow
from ece.core.db import Base, Database
from ece.core.logging import request_id_var
from ece.core.metrics import (
    BUSINESS_EVENTS,
    OUTBOX_DELIVERED,
    OUTBOX_LAG,
    OUTBOX_WRITTEN,
    PAYMENT_AMOUNTS,
    SALES_VOLUME,
)
from ece.core.money import Asset, InvalidAmount, parse_amount
from ece.core.pagecache import ChangeFeed

# The NOTIFY channel of committed outbox inserts (migration 0033's trigger).
CHANNEL = "ece_outbox"
# Set on a session that emitted: its commit rings this process's doorbells.
_EMITTED = "ece_outbox_emitted"


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (
        Index("ix_outbox_events_undelivered", "delivered_at", "id"),
        # The relay's ordering check: the undelivered events of an aggregate, oldest first.
        Index(
            "ix_outbox_events_pending_aggregate",
            "aggregate_id",
            "id",
            sqlite_where=text("delivered_at IS NULL"),
            postgresql_where=text("delivered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    )
    type: Mapped[str] = mapped_column(String(64), index=True)
    aggregate_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    correlation_id: Mapped[str | None] = mapped_column(String(128))
    # The W3C traceparent of the request or job that emitted it (None with tracing off).
    traceparent: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


async def emit(session: AsyncSession, type_: str, aggregate_id: str, **payload: Any) -> None:
    """Record an event in the caller's transaction: it exists only if that transaction commits."""
    session.add(
        OutboxEvent(
            type=type_,
            aggregate_id=aggregate_id,
            payload=payload,
            correlation_id=request_id_var.get(),
            traceparent=tracing.traceparent(),
        )
    )
    session.info[_EMITTED] = True
    OUTBOX_WRITTEN.inc()
    _count_on_commit(session, [(type_, payload)])


_PENDING_FIGURES = "ece.outbox.pending_figures"


def _count_on_commit(session: AsyncSession, events: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Count ``events`` in the business metrics once their transaction commits."""
    pending: list[tuple[str, dict[str, Any]]] | None = session.info.get(_PENDING_FIGURES)
    if pending is None:
        pending = session.info[_PENDING_FIGURES] = []

        def committed(_session: Any) -> None:
            for type_, payload in pending:
                business_figures(type_, payload)
            pending.clear()

        event.listen(session.sync_session, "after_commit", committed)
        event.listen(session.sync_session, "after_rollback", lambda _s: pending.clear())
    pending.extend(events)


_ASSETS = frozenset(asset.value for asset in Asset)


def _base_units(value: object, asset: Asset) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return parse_amount(value, asset, allow_zero=True)
        except InvalidAmount:
            return None
    return None


def business_figures(type_: str, payload: dict[str, Any]) -> None:
    """Add one committed event to the business metrics."""
    BUSINESS_EVENTS.labels(type_).inc()
    if type_ == "trade.executed" and payload.get("currency") in _ASSETS:
        asset = Asset(payload["currency"])
        price = _base_units(payload.get("price"), asset)
        if price is not None:
            SALES_VOLUME.labels(asset.value).inc(price)
    elif type_.startswith(("deposit.", "withdrawal.")) and payload.get("asset") in _ASSETS:
        asset = Asset(payload["asset"])
        amount = _base_units(payload.get("amount"), asset)
        if amount is not None:
            PAYMENT_AMOUNTS.labels(type_, asset.value).inc(amount)


@dataclass(frozen=True, slots=True)
class Event:
    """A committed outbox event as receivers see it; ``id`` identifies duplicates."""

    id: int
    type: str
    aggregate_id: str
    payload: dict[str, Any]
    created_at: datetime
    traceparent: str | None = None  # the trace of the request or job that emitted it


def _event(row: OutboxEvent) -> Event:
    return Event(
        row.id, row.type, row.aggregate_id, dict(row.payload), row.created_at, row.traceparent
    )


# What the relay does with a batch, inside the claiming transaction (write derived rows there;
# publish to live subscribers there too: a crash before the commit only repeats it).
Deliver = Callable[[AsyncSession, Sequence[Event]], Awaitable[None]]


def in_order(claimed: Sequence[tuple[int, str]], pending: Sequence[tuple[int, str]]) -> set[int]:
    """The claimed event ids that may be delivered now: for each aggregate, the claimed events
    before its first pending (undelivered) event that was *not* claimed. ``claimed`` and
    ``pending`` are (id, aggregate_id) pairs; ``pending`` includes the claimed ones."""
    mine = {event_id for event_id, _ in claimed}
    blocked_from: dict[str, int] = {}
    for event_id, aggregate in sorted(pending):
        if event_id not in mine and aggregate not in blocked_from:
            blocked_from[aggregate] = event_id
    return {
        event_id
        for event_id, aggregate in claimed
        if event_id < blocked_from.get(aggregate, event_id + 1)
    }


async def claim(session: AsyncSession, limit: int) -> list[Event]:
    """Lock up to ``limit`` undelivered events no other relay holds, oldest first, keeping
    only those deliverable without overtaking an earlier event of their aggregate."""
    stmt = (
        select(OutboxEvent)
        .where(OutboxEvent.delivered_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(await session.scalars(stmt))
    if not rows:
        return []
    last = rows[-1].id
    aggregates = {row.aggregate_id for row in rows}
    pending = await session.execute(
        select(OutboxEvent.id, OutboxEvent.aggregate_id).where(
            OutboxEvent.delivered_at.is_(None),
            OutboxEvent.aggregate_id.in_(aggregates),
            OutboxEvent.id <= last,
        )
    )
    keep = in_order(
        [(r.id, r.aggregate_id) for r in rows], [(int(i), str(a)) for i, a in pending.all()]
    )
    return [_event(row) for row in rows if row.id in keep]


async def acknowledge(session: AsyncSession, event_ids: Sequence[int]) -> None:
    await session.execute(
        update(OutboxEvent).where(OutboxEvent.id.in_(event_ids)).values(delivered_at=utcnow())
    )


async def has_pending(db: Database) -> bool:
    """Whether any event waits, read without the write lock (SQLite relays poll with this)."""
    async with db.unit_of_work(write=False) as session:
        found = await session.scalar(
            select(OutboxEvent.id).where(OutboxEvent.delivered_at.is_(None)).limit(1)
        )
    return found is not None


async def relay_once(db: Database, deliver: Deliver, *, batch: int = 500) -> int:
    """Claim, deliver and acknowledge one batch in one transaction; the number delivered."""
    # One delivery span (with its SQL), linked to the trace of every request that emitted the
    # batch: the trace of a buy leads on to the delivery of its events.
    with tracing.tracer.start_as_current_span("outbox.relay") as span:
        async with db.unit_of_work() as session:
            events = await claim(session, batch)
            for link in tracing.links(e.traceparent for e in events):
                span.add_link(link.context)
            span.set_attribute("ece.outbox.events", len(events))
            if events:
                await deliver(session, events)
                await acknowledge(session, [e.id for e in events])
    OUTBOX_DELIVERED.inc(len(events))
    return len(events)


async def relay(db: Database, deliver: Deliver, *, batch: int = 500, rounds: int = 100) -> int:
    """Deliver until nothing waits (at most ``rounds`` batches); the number delivered."""
    total = 0
    # SQLite looks first, without its one write lock; PostgreSQL claims at once (the claim
    # skips locked rows and costs what the look would): a woken relay publishes one round
    # trip sooner.
    look_first = db.engine.dialect.name == "sqlite"
    for _ in range(rounds):
        if look_first and not await has_pending(db):
            break
        delivered = await relay_once(db, deliver, batch=batch)
        if not delivered:
            break  # nothing claimable now (none waits, or other relays hold it)
        total += delivered
    async with db.unit_of_work(write=False) as session:
        OUTBOX_LAG.set((await lag(session))[0])
    return total


async def lag(session: AsyncSession) -> tuple[float, int]:
    """The age in seconds of the oldest undelivered event (0 when none) and how many wait."""
    oldest, waiting = (
        await session.execute(
            select(func.min(OutboxEvent.created_at), func.count()).where(
                OutboxEvent.delivered_at.is_(None)
            )
        )
    ).one()
    if oldest is None:
        return 0.0, 0
    return max((utcnow() - oldest).total_seconds(), 0.0), int(waiting)


async def delivered_after(session: AsyncSession, after_id: int, limit: int) -> list[Event]:
    """Delivered events after ``after_id`` in id order: what a resuming subscriber missed."""
    rows = await session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.id > after_id, OutboxEvent.delivered_at.is_not(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return [_event(row) for row in rows]


async def latest_id(session: AsyncSession) -> int:
    """The id of the newest event written (0 when none): a page read after it reflects every
    event up to it, and a subscriber resuming from it is replayed only what came later."""
    return int(await session.scalar(select(func.max(OutboxEvent.id))) or 0)


async def purge_delivered(session: AsyncSession, retention: timedelta) -> None:
    """Delete delivered events older than ``retention`` (the resume window)."""
    await session.execute(
        delete(OutboxEvent).where(
            OutboxEvent.delivered_at.is_not(None), OutboxEvent.created_at < utcnow() - retention
        )
    )


NewEvent = tuple[str, str, dict[str, Any]]  # type, aggregate id, payload
_outbox_table: Table = OutboxEvent.__table__  # type: ignore[assignment]
_OUTBOX_INSERT = _outbox_table.insert()


async def emit_all(session: AsyncSession, events: list[NewEvent]) -> None:
    """Record several events in the caller's transaction with one statement (a hot path's
    events, such as a sale's and its listing's), in the order given."""
    if not events:
        return
    parent = tracing.traceparent()
    # Core on the session's connection: the ORM's bulk-insert path adds nothing for plain rows.
    conn = await session.connection()
    await conn.execute(
        _OUTBOX_INSERT,
        [
            {
                "type": type_,
                "aggregate_id": aggregate_id,
                "payload": payload,
                "correlation_id": request_id_var.get(),
                "traceparent": parent,
                "created_at": utcnow(),
            }
            for type_, aggregate_id, payload in events
        ],
    )
    session.info[_EMITTED] = True
    OUTBOX_WRITTEN.inc(len(events))
    _count_on_commit(session, [(type_, payload) for type_, _, payload in events])


def written_in_database(session: AsyncSession, events: Sequence[NewEvent]) -> None:
    """Events a database function inserted in the caller's transaction (a buy settled in one
    call on PostgreSQL): the relay is rung at commit and the business figures counted, as for
    ``emit_all``."""
    session.info[_EMITTED] = True
    OUTBOX_WRITTEN.inc(len(events))
    _count_on_commit(session, [(type_, payload) for type_, _, payload in events])


class Doorbell:
    """Tells a relay that events may be waiting, so it runs at once rather than on its next
    tick. ``rung`` counts the rings: a relay notes it before a run and ``wait``s for a newer
    one, so a ring during the run is not lost."""

    def __init__(self, dsn: str | None = None) -> None:
        self.rung = 0
        self._waiting: asyncio.Event | None = None
        # PostgreSQL: commits of every process (None: this process's commits only).
        self._feed = ChangeFeed(dsn, CHANNEL, on_change=self.ring) if dsn else None
        _BELLS.add(self)

    def ring(self) -> None:
        self.rung += 1
        if self._waiting is not None:
            self._waiting.set()

    async def start(self) -> None:
        """Listen for other processes' commits (PostgreSQL); idempotent."""
        if self._feed is not None:
            await self._feed.start()

    async def stop(self) -> None:
        _BELLS.discard(self)
        if self._feed is not None:
            await self._feed.stop()

    async def wait(self, seen: int, at_most: float) -> None:
        """Return once rung after ``seen`` (at once if it already was), or after ``at_most``
        seconds."""
        if self.rung != seen:
            return
        self._waiting = asyncio.Event()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._waiting.wait(), at_most)
        finally:
            self._waiting = None


_BELLS: weakref.WeakSet[Doorbell] = weakref.WeakSet()


@event.listens_for(Session, "after_commit")
def _ring_on_commit(session: Session) -> None:
    if session.info.pop(_EMITTED, False):
        for bell in list(_BELLS):
            bell.ring()


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_EMITTED, None)

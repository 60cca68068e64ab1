"""What a resuming subscriber missed: delivered events from the outbox window, in id order;
and where a page just read resumes from."""

from __future__ import annotations

from collections.abc import Set

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core import outbox
from ece.core.db import Database
from ece.realtime.hub import Wire, wire_of


async def missed(
    db: Database, after_id: int, channels: Set[str], limit: int
) -> tuple[list[Wire], bool]:
    """The delivered events after ``after_id`` on any of ``channels``, oldest first, and whether
    the window was cut at ``limit`` events (the client should reload rather than resume)."""
    async with db.unit_of_work(write=False) as session:
        events = await outbox.delivered_after(session, after_id, limit)
    wires = [w for w in map(wire_of, events) if not channels.isdisjoint(w.channels)]
    return wires, len(events) == limit


async def resume_point(session: AsyncSession) -> int:
    """The event id a page read in ``session`` from now on reflects: its live channel
    subscribes from it (``last_event_id``), so an event committed between the read and the
    subscription is replayed, not lost. Read it before the page's data."""
    return await outbox.latest_id(session)

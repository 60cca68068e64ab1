"""Transactional outbox: events are rows written in the same transaction as the change.

Only the writing half exists: nothing reads or delivers these rows yet (no relay, no pub/sub), so
``delivered_at`` stays empty. A relay would read undelivered rows in ``id`` order (the index below).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base
from ece.core.logging import request_id_var


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_undelivered", "delivered_at", "id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    )
    type: Mapped[str] = mapped_column(String(64), index=True)
    aggregate_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    correlation_id: Mapped[str | None] = mapped_column(String(128))
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
        )
    )


Event = tuple[str, str, dict[str, Any]]  # type, aggregate id, payload


async def emit_all(session: AsyncSession, events: list[Event]) -> None:
    """Record several events in the caller's transaction with one statement (a hot path's
    events, such as a sale's and its listing's), in the order given."""
    if not events:
        return
    await session.execute(
        insert(OutboxEvent),
        [
            {
                "type": type_,
                "aggregate_id": aggregate_id,
                "payload": payload,
                "correlation_id": request_id_var.get(),
                "created_at": utcnow(),
            }
            for type_, aggregate_id, payload in events
        ],
    )

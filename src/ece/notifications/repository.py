"""Every SQL statement on the notification tables."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import insert_or_ignore
from ece.core.pagination import PageParams, newest_first
from ece.notifications.models import (
    EmailMessage,
    Notification,
    NotificationPreference,
    PushMessage,
    WebhookDelivery,
)

Leased = TypeVar("Leased", EmailMessage, WebhookDelivery, PushMessage)


async def lease_due(
    session: AsyncSession, model: type[Leased], now: datetime, until: datetime, limit: int
) -> list[Leased]:
    """Pending emails or webhook deliveries due by ``now``, each leased (not due again) until
    ``until``: a sender that dies mid-send leaves them to be tried again then. Other senders
    skip the rows one holds (``SKIP LOCKED`` on PostgreSQL; SQLite has one writer)."""
    stmt = (
        select(model)
        .where(model.status == "pending", model.next_attempt_at <= now)
        .order_by(model.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(await session.scalars(stmt))
    for row in rows:
        row.next_attempt_at = until
    await session.flush()
    return rows


async def add_ignoring_repeats(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert notifications; one made before from the same event (a redelivery) is skipped."""
    if rows:
        await session.execute(insert_or_ignore(session, Notification).values(list(rows)))


async def page(
    session: AsyncSession, user_id: str, *, unread: bool | None, params: PageParams
) -> tuple[list[Notification], str | None]:
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread is True:
        stmt = stmt.where(Notification.read_at.is_(None))
    elif unread is False:
        stmt = stmt.where(Notification.read_at.is_not(None))
    return await newest_first(session, stmt, Notification, params)


async def unread_count(session: AsyncSession, user_id: str) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def mark_read(
    session: AsyncSession, user_id: str, ids: Collection[str] | None, at: datetime
) -> int:
    """Mark the user's unread notifications read (``ids`` None: all of them); how many."""
    stmt = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    result = await session.execute(stmt.values(read_at=at))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def choices(
    session: AsyncSession, user_ids: Collection[str]
) -> dict[str, dict[tuple[str, str], bool]]:
    """Each user's stored choices, by (type, channel)."""
    found: dict[str, dict[tuple[str, str], bool]] = {u: {} for u in user_ids}
    rows = await session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))
    )
    for row in rows:
        found[row.user_id][(row.type, row.channel)] = row.enabled
    return found


async def set_choices(
    session: AsyncSession, user_id: str, chosen: Sequence[tuple[str, str, bool]]
) -> None:
    """Store choices (an upsert: two saves at once both succeed, the last one wins)."""
    if not chosen:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(NotificationPreference).values(
        [{"user_id": user_id, "type": k, "channel": c, "enabled": on} for k, c, on in chosen]
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id", "type", "channel"],
            set_={"enabled": stmt.excluded.enabled},
        )
    )

"""Every SQL statement on the email queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import insert_or_ignore
from ece.notifications.models import EmailMessage


async def add_ignoring_repeats(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert_or_ignore(session, EmailMessage).values(list(rows)))


async def lease_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int
) -> list[EmailMessage]:
    """Pending emails due by ``now``, leased until ``until`` (a sender that dies mid-send
    leaves them to be tried again then)."""
    stmt = (
        select(EmailMessage)
        .where(EmailMessage.status == "pending", EmailMessage.next_attempt_at <= now)
        .order_by(EmailMessage.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(await session.scalars(stmt))
    for row in rows:
        row.next_attempt_at = until
    await session.flush()
    return rows


async def message(session: AsyncSession, message_id: str) -> EmailMessage | None:
    return await session.get(EmailMessage, message_id, with_for_update=True)

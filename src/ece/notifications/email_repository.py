"""Every SQL statement on the email queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import insert_or_ignore
from ece.notifications import repository
from ece.notifications.models import EmailMessage


async def add_ignoring_repeats(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert_or_ignore(session, EmailMessage).values(list(rows)))


async def lease_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int
) -> list[EmailMessage]:
    """Due and leased: see ``repository.lease_due``."""
    return await repository.lease_due(session, EmailMessage, now, until, limit)


async def message(session: AsyncSession, message_id: str) -> EmailMessage | None:
    return await session.get(EmailMessage, message_id, with_for_update=True)

"""Every SQL statement on web push subscriptions and the push queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import insert_or_ignore
from ece.notifications import repository
from ece.notifications.models import PushMessage, PushSubscription


async def subscription_at(session: AsyncSession, endpoint: str) -> PushSubscription | None:
    found: PushSubscription | None = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint).with_for_update()
    )
    return found


async def add_subscription(session: AsyncSession, row: PushSubscription) -> bool:
    """Insert; False when another request stored the same endpoint first."""
    result = await session.execute(
        insert_or_ignore(session, PushSubscription).values(
            id=row.id,
            user_id=row.user_id,
            endpoint=row.endpoint,
            p256dh=row.p256dh,
            auth=row.auth,
            created_at=row.created_at,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def subscriptions_of(
    session: AsyncSession, user_ids: Sequence[str]
) -> list[PushSubscription]:
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id.in_(user_ids))
        .order_by(PushSubscription.created_at)
    )
    return list(rows)


async def delete_subscription(
    session: AsyncSession, endpoint: str, user_id: str | None = None
) -> int:
    """Delete the subscription at ``endpoint`` (only ``user_id``'s, when given); how many."""
    stmt = delete(PushSubscription).where(PushSubscription.endpoint == endpoint)
    if user_id is not None:
        stmt = stmt.where(PushSubscription.user_id == user_id)
    result = await session.execute(stmt)
    return int(result.rowcount)  # type: ignore[attr-defined]


async def add_messages(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert_or_ignore(session, PushMessage).values(list(rows)))


async def lease_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int
) -> list[PushMessage]:
    """Due and leased: see ``repository.lease_due``."""
    return await repository.lease_due(session, PushMessage, now, until, limit)


async def message(session: AsyncSession, message_id: str) -> PushMessage | None:
    return await session.get(PushMessage, message_id, with_for_update=True)

"""Every SQL statement on the webhook tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import insert_or_ignore
from ece.core.pagination import PageParams, newest_first
from ece.notifications import repository
from ece.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


async def count_endpoints(session: AsyncSession, user_id: str) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.user_id == user_id, WebhookEndpoint.active.is_(True))
    )
    return int(found or 0)


async def endpoints_of(session: AsyncSession, user_id: str) -> list[WebhookEndpoint]:
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.user_id == user_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return list(rows)


async def endpoint(session: AsyncSession, endpoint_id: str) -> WebhookEndpoint | None:
    return await session.get(WebhookEndpoint, endpoint_id)


async def active_endpoints(session: AsyncSession) -> list[WebhookEndpoint]:
    return list(await session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active)))


async def add_deliveries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert deliveries; one made before for the same event and endpoint is skipped."""
    if rows:
        await session.execute(insert_or_ignore(session, WebhookDelivery).values(list(rows)))


async def lease_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int
) -> list[WebhookDelivery]:
    """Due and leased: see ``repository.lease_due``."""
    return await repository.lease_due(session, WebhookDelivery, now, until, limit)


async def delivery(session: AsyncSession, delivery_id: str) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery_id, with_for_update=True)


def add_attempt(session: AsyncSession, attempt: WebhookAttempt) -> None:
    session.add(attempt)


async def disable(session: AsyncSession, endpoint_id: str, at: datetime) -> None:
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.active.is_(True))
        .values(active=False, disabled_at=at)
    )


async def deliveries_page(
    session: AsyncSession, endpoint_id: str, params: PageParams
) -> tuple[list[WebhookDelivery], str | None]:
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    return await newest_first(session, stmt, WebhookDelivery, params)


async def attempts_of(
    session: AsyncSession, delivery_ids: Sequence[str]
) -> dict[str, list[WebhookAttempt]]:
    found: dict[str, list[WebhookAttempt]] = {d: [] for d in delivery_ids}
    rows = await session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.at, WebhookAttempt.id)
    )
    for row in rows:
        found[row.delivery_id].append(row)
    return found

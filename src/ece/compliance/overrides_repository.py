"""Every SQL statement on limit overrides."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance.models import LimitOverride, OverrideStatus
from ece.core.pagination import PageParams, newest_first


async def add(session: AsyncSession, override: LimitOverride) -> LimitOverride:
    session.add(override)
    await session.flush()
    return override


async def get(session: AsyncSession, override_id: str) -> LimitOverride | None:
    return await session.get(LimitOverride, override_id, populate_existing=True)


async def decide(
    session: AsyncSession,
    override_id: str,
    status: OverrideStatus,
    officer_id: str | None,
    at: datetime,
) -> bool:
    """Leave ``pending`` once (a conditional UPDATE: of two decisions one wins)."""
    result = await session.execute(
        update(LimitOverride)
        .where(
            LimitOverride.id == override_id,
            LimitOverride.status == OverrideStatus.pending.value,
        )
        .values(status=status.value, decided_by=officer_id, decided_at=at)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def active(
    session: AsyncSession, user_id: str, activity: str, now: datetime
) -> list[tuple[int, str]]:
    """(amount, currency) of the user's approved, unexpired overrides for ``activity``."""
    rows = await session.execute(
        select(LimitOverride.currency, func.max(LimitOverride.amount))
        .where(
            LimitOverride.user_id == user_id,
            LimitOverride.activity == activity,
            LimitOverride.status == OverrideStatus.active.value,
            LimitOverride.expires_at > now,
        )
        .group_by(LimitOverride.currency)
    )
    return [(int(amount), currency) for currency, amount in rows]


async def page(
    session: AsyncSession, user_id: str | None, status: OverrideStatus | None, params: PageParams
) -> tuple[list[LimitOverride], str | None]:
    query = select(LimitOverride)
    if user_id is not None:
        query = query.where(LimitOverride.user_id == user_id)
    if status is not None:
        query = query.where(LimitOverride.status == status.value)
    return await newest_first(session, query, LimitOverride, params)


async def raised_by(session: AsyncSession, user_id: str, officer_id: str) -> bool:
    """Whether ``officer_id`` proposed or approved an active override of ``user_id``'s
    limits."""
    found = await session.scalar(
        select(LimitOverride.id)
        .where(
            LimitOverride.user_id == user_id,
            LimitOverride.status == OverrideStatus.active.value,
            or_(LimitOverride.proposed_by == officer_id, LimitOverride.decided_by == officer_id),
        )
        .limit(1)
    )
    return found is not None

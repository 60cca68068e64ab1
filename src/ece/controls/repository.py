"""Every SQL statement on ``pauses``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.controls.models import Pause
from ece.core.db import insert_or_ignore


async def all_pauses(session: AsyncSession) -> Sequence[Pause]:
    return (await session.scalars(select(Pause).order_by(Pause.scope))).all()


async def put(
    session: AsyncSession, *, scope: str, reason: str, actor: str, at: datetime
) -> tuple[Pause, bool]:
    """Pause ``scope`` (or give its pause a new reason); True when it was not paused before.
    Insert-or-ignore then update: two admins pausing at once both succeed, one row stays."""
    inserted = await session.scalar(
        insert_or_ignore(session, Pause)
        .values(scope=scope, reason=reason, actor=actor, at=at)
        .returning(Pause.scope)
    )
    if inserted is None:
        await session.execute(
            update(Pause).where(Pause.scope == scope).values(reason=reason, actor=actor)
        )
    pause = (
        await session.execute(
            select(Pause).where(Pause.scope == scope).execution_options(populate_existing=True)
        )
    ).scalar_one()
    return pause, inserted is not None


async def remove(session: AsyncSession, scope: str) -> Pause | None:
    """Lift the pause of ``scope``; the removed row, or None when it was not paused."""
    removed = (
        await session.execute(delete(Pause).where(Pause.scope == scope).returning(Pause))
    ).scalar_one_or_none()
    return removed

"""Every SQL statement of post-trade monitoring: its cursor, the sales already checked, and
flagged users."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance.models import ComplianceCheck, MonitorCursor, SubjectType, UserFlag
from ece.core.db import insert_or_ignore
from ece.core.pagination import PageParams, SortKey, paginate


async def lock_cursor(session: AsyncSession, name: str, start: datetime) -> MonitorCursor:
    """The cursor ``name``, created at ``start`` the first time, its row locked until the
    transaction ends (on SQLite the write transaction already holds the one write lock)."""
    query = select(MonitorCursor).where(MonitorCursor.name == name).with_for_update()
    cursor = await session.scalar(query)
    if cursor is not None:
        return cursor
    # Two workers creating it at the same moment: one row, both then lock it.
    await session.execute(
        insert_or_ignore(session, MonitorCursor).values(name=name, at=start, last_id="")
    )
    found = await session.scalar(query.execution_options(populate_existing=True))
    assert found is not None
    return found


async def checked(
    session: AsyncSession, subject_type: SubjectType, ids: Collection[str]
) -> set[str]:
    """Which of ``ids`` already have a check of ``subject_type``."""
    if not ids:
        return set()
    found = await session.scalars(
        select(ComplianceCheck.subject_id).where(
            ComplianceCheck.subject_type == subject_type.value,
            ComplianceCheck.subject_id.in_(list(ids)),
        )
    )
    return set(found)


async def flagged(session: AsyncSession, user_id: str) -> bool:
    return await session.get(UserFlag, user_id) is not None


async def flag(session: AsyncSession, flag: UserFlag) -> bool:
    """Flag a user; False (nothing changed) when they already are."""
    if await session.get(UserFlag, flag.user_id) is not None:
        return False
    session.add(flag)
    await session.flush()
    return True


async def unflag(session: AsyncSession, user_id: str) -> UserFlag | None:
    found = await session.get(UserFlag, user_id)
    if found is not None:
        await session.execute(delete(UserFlag).where(UserFlag.user_id == user_id))
    return found


async def flags(session: AsyncSession, params: PageParams) -> tuple[list[UserFlag], str | None]:
    return await paginate(
        session,
        select(UserFlag),
        [SortKey(UserFlag.created_at, True), SortKey(UserFlag.user_id, True)],
        params,
        lambda row: (row.created_at, row.user_id),
    )

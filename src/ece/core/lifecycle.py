"""The two statements every timed, closable row shares (auctions, battles): claim the next one
whose time is up, and close an open one exactly once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

Row = TypeVar("Row")


async def next_due(
    session: AsyncSession,
    model: type[Row],
    *,
    open_state: str,
    due_at: InstrumentedAttribute[datetime],
    now: datetime,
    skip: Collection[str] = (),
) -> Row | None:
    """One open row whose ``due_at`` has passed (not in ``skip``), locked; rows another worker
    holds are skipped (PostgreSQL ``SKIP LOCKED``), so several workers take different rows."""
    row_id: Any = model.id  # type: ignore[attr-defined]
    state: Any = model.state  # type: ignore[attr-defined]
    stmt = (
        select(model)
        .where(state == open_state, due_at <= now, row_id.not_in(list(skip)))
        .order_by(due_at, row_id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return await session.scalar(stmt)


async def close(
    session: AsyncSession,
    model: type[Any],
    row_id: str,
    *,
    open_state: str,
    state: str,
    now: datetime,
    **values: Any,
) -> bool:
    """Move an open row to ``state``: one conditional UPDATE, so it happens once."""
    result = await session.execute(
        update(model)
        .where(model.id == row_id, model.state == open_state)
        .values(state=state, closed_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1

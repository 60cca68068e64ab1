"""Every SQL statement on the review queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance.models import ComplianceReview, ReviewStatus
from ece.core.pagination import PageParams, newest_first


async def add(session: AsyncSession, review: ComplianceReview) -> ComplianceReview:
    session.add(review)
    await session.flush()
    return review


async def get(
    session: AsyncSession, review_id: str, *, fresh: bool = False
) -> ComplianceReview | None:
    return await session.get(ComplianceReview, review_id, populate_existing=fresh)


async def decide(
    session: AsyncSession,
    review_id: str,
    status: ReviewStatus,
    officer_id: str,
    note: str | None,
    at: datetime,
) -> bool:
    """Close an open review; one conditional UPDATE, so of two officers deciding at once one
    wins and the other sees False."""
    result = await session.execute(
        update(ComplianceReview)
        .where(
            ComplianceReview.id == review_id,
            ComplianceReview.status == ReviewStatus.open.value,
        )
        .values(status=status.value, decided_by=officer_id, note=note, decided_at=at)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def page(
    session: AsyncSession, status: ReviewStatus | None, params: PageParams
) -> tuple[list[ComplianceReview], str | None]:
    query = select(ComplianceReview)
    if status is not None:
        query = query.where(ComplianceReview.status == status.value)
    return await newest_first(session, query, ComplianceReview, params)

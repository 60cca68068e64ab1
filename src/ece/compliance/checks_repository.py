"""Every SQL statement on compliance checks: recording them, the history the risk rules read,
and the staff list."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance.models import ComplianceCheck, Decision
from ece.compliance.risk_rules import HistoryItem
from ece.core.pagination import PageParams, SortKey, paginate

HISTORY_ROWS = 5000  # newest earlier checks read for one assessment


async def add(session: AsyncSession, check: ComplianceCheck) -> ComplianceCheck:
    session.add(check)
    await session.flush()
    return check


async def get(session: AsyncSession, check_id: str) -> ComplianceCheck | None:
    return await session.get(ComplianceCheck, check_id)


async def by_ids(session: AsyncSession, check_ids: Collection[str]) -> dict[str, ComplianceCheck]:
    if not check_ids:
        return {}
    found = await session.scalars(
        select(ComplianceCheck).where(ComplianceCheck.id.in_(list(check_ids)))
    )
    return {check.id: check for check in found}


def _owner(user_id: str | None, company_id: str | None) -> ColumnElement[bool]:
    if company_id is not None:
        return ComplianceCheck.company_id == company_id
    return ComplianceCheck.user_id == user_id


async def history(
    session: AsyncSession,
    *,
    user_id: str | None,
    company_id: str | None,
    subject_types: Collection[str],
    since: datetime,
) -> list[HistoryItem]:
    """The owner's earlier checks of ``subject_types`` since ``since`` that were not blocked
    (what actually left, or waits to), newest first."""
    rows = await session.execute(
        select(ComplianceCheck.at, ComplianceCheck.asset, ComplianceCheck.amount)
        .where(
            _owner(user_id, company_id),
            ComplianceCheck.subject_type.in_(list(subject_types)),
            ComplianceCheck.decision != Decision.block.value,
            ComplianceCheck.at >= since,
        )
        .order_by(ComplianceCheck.at.desc())
        .limit(HISTORY_ROWS)
    )
    return [HistoryItem(at, asset, amount) for at, asset, amount in rows]


async def destination_first_seen(
    session: AsyncSession, *, user_id: str | None, company_id: str | None, destination: str
) -> datetime | None:
    """When the owner's checks first named ``destination`` (the product has no address book:
    the first check naming it is when it was added)."""
    return await session.scalar(
        select(func.min(ComplianceCheck.at)).where(
            _owner(user_id, company_id), ComplianceCheck.destination == destination
        )
    )


async def page(
    session: AsyncSession, subject_type: str | None, min_score: int | None, params: PageParams
) -> tuple[list[ComplianceCheck], str | None]:
    query = select(ComplianceCheck)
    if subject_type is not None:
        query = query.where(ComplianceCheck.subject_type == subject_type)
    if min_score is not None:
        query = query.where(ComplianceCheck.score >= min_score)
    return await paginate(
        session,
        query,
        [SortKey(ComplianceCheck.at, True), SortKey(ComplianceCheck.id, True)],
        params,
        lambda row: (row.at, row.id),
    )

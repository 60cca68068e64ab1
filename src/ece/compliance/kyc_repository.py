"""Every SQL statement on ``kyc_records`` and ``kyb_records``."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance.models import KybRecord, KycRecord
from ece.core.pagination import PageParams, SortKey, paginate


async def get(session: AsyncSession, user_id: str, *, lock: bool = False) -> KycRecord | None:
    stmt = select(KycRecord).where(KycRecord.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def level_of(session: AsyncSession, user_id: str) -> str | None:
    """The verified level alone (a primary-key read), for the limit checks."""
    return await session.scalar(select(KycRecord.level).where(KycRecord.user_id == user_id))


async def add(session: AsyncSession, record: KycRecord) -> None:
    session.add(record)
    await session.flush()


async def queue(
    session: AsyncSession, status: str | None, params: PageParams
) -> tuple[list[KycRecord], str | None]:
    """Records oldest submission first (a queue), optionally of one status."""
    stmt = select(KycRecord)
    if status is not None:
        stmt = stmt.where(KycRecord.status == status)
    return await paginate(
        session,
        stmt,
        [SortKey(KycRecord.submitted_at, False), SortKey(KycRecord.user_id, False)],
        params,
        lambda r: (r.submitted_at, r.user_id),
    )


async def sealed_with_other_keys(session: AsyncSession, active: str, limit: int) -> list[KycRecord]:
    """Up to ``limit`` records holding a value sealed with a key other than ``active``,
    locked for the re-encryption (rows being rotated by another process are skipped)."""
    stmt = (
        select(KycRecord)
        .where(
            or_(
                KycRecord.full_name_key != active,
                KycRecord.country_key != active,
                KycRecord.date_of_birth_key != active,
                KycRecord.document_number_key != active,
            )
        )
        .order_by(KycRecord.user_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(stmt))


async def key_ids_in_use(session: AsyncSession) -> set[str]:
    found: set[str] = set()
    for column in (
        KycRecord.full_name_key,
        KycRecord.country_key,
        KycRecord.date_of_birth_key,
        KycRecord.document_number_key,
    ):
        found.update(k for k in await session.scalars(select(column).distinct()) if k)
    return found


async def kyb(session: AsyncSession, company_id: str, *, lock: bool = False) -> KybRecord | None:
    stmt = select(KybRecord).where(KybRecord.company_id == company_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def kyb_statuses(session: AsyncSession, company_ids: list[str]) -> dict[str, str]:
    if not company_ids:
        return {}
    rows = await session.execute(
        select(KybRecord.company_id, KybRecord.status).where(KybRecord.company_id.in_(company_ids))
    )
    return {company_id: status for company_id, status in rows.all()}


async def kyb_records(session: AsyncSession, company_ids: list[str]) -> dict[str, KybRecord]:
    if not company_ids:
        return {}
    rows = await session.scalars(select(KybRecord).where(KybRecord.company_id.in_(company_ids)))
    return {record.company_id: record for record in rows}


async def add_kyb(session: AsyncSession, record: KybRecord) -> None:
    session.add(record)
    await session.flush()

"""KYB: a company's verification status, set by compliance. The company is read through the
cards service (its table is not ours); a company without a record is ``unverified``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.cards import service as cards
from ece.compliance import kyc_repository as repository
from ece.compliance.models import KybRecord
from ece.core.clock import utcnow
from ece.core.pagination import PageParams


class KybStatus(StrEnum):
    unverified = "unverified"
    verified = "verified"
    rejected = "rejected"


@dataclass(frozen=True, slots=True)
class KybView:
    company_id: str
    ticker: str
    status: KybStatus
    note: str | None
    decided_at: datetime | None


async def set_kyb(
    session: AsyncSession, officer_id: str, company: str, status: KybStatus, note: str | None
) -> KybView:
    """Set a company's KYB status (by id or ticker). 404 ``company_not_found``."""
    found = await cards.get_company(session, company)
    record = await repository.kyb(session, found.id, lock=True)
    before = KybStatus(record.status) if record else KybStatus.unverified
    now = utcnow()
    if record is None:
        record = KybRecord(
            company_id=found.id, status=status.value, note=note, decided_by=officer_id
        )
        record.decided_at = now
        await repository.add_kyb(session, record)
    else:
        record.status, record.note, record.decided_by, record.decided_at = (
            status.value,
            note,
            officer_id,
            now,
        )
        await session.flush()
    await audit.record(
        session,
        actor=officer_id,
        action="kyb.status_set",
        object_type="company",
        object_id=found.id,
        details={"status": status.value, "previous": before.value},
    )
    return KybView(found.id, found.ticker, status, note, now)


async def kyb_status(session: AsyncSession, company_id: str) -> KybStatus:
    """A company's KYB status (``unverified`` until compliance sets one)."""
    record = await repository.kyb(session, company_id)
    return KybStatus(record.status) if record else KybStatus.unverified


async def kyb_statuses(session: AsyncSession, company_ids: Sequence[str]) -> dict[str, KybStatus]:
    """KYB status of each company id (one query)."""
    found = await repository.kyb_statuses(session, list(company_ids))
    return {cid: KybStatus(found.get(cid, KybStatus.unverified.value)) for cid in company_ids}


async def companies_with_kyb(
    session: AsyncSession, params: PageParams, q: str | None
) -> tuple[list[KybView], str | None]:
    """Companies by ticker with their KYB status, for staff (two queries a page)."""
    companies, cursor = await cards.list_companies(session, params, sector=None, q=q)
    found = await repository.kyb_records(session, [c.id for c in companies])
    views = []
    for company in companies:
        record = found.get(company.id)
        views.append(
            KybView(
                company.id,
                company.ticker,
                KybStatus(record.status) if record else KybStatus.unverified,
                record.note if record else None,
                record.decided_at if record else None,
            )
        )
    return views, cursor

"""What the compliance console shows staff (compliance officers and admins), from the
compliance service: masked personal data only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance import service as compliance
from ece.compliance.schemas import KybOut, KycOut
from ece.config import Settings
from ece.core.pagination import PageParams

QUEUE = PageParams(limit=100, cursor=None)
COMPANIES = PageParams(limit=200, cursor=None)


@dataclass(frozen=True)
class ConsolePage:
    kyc_pending: list[KycOut]
    kyc_more: bool
    companies: list[KybOut]


async def console(session: AsyncSession, settings: Settings) -> ConsolePage:
    pending, cursor = await compliance.kyc_queue(
        session, settings, compliance.KycStatus.pending, QUEUE
    )
    companies, _ = await compliance.companies_with_kyb(session, COMPANIES, None)
    return ConsolePage(
        kyc_pending=[KycOut.of(v) for v in pending],
        kyc_more=cursor is not None,
        companies=[KybOut.of(c) for c in companies],
    )

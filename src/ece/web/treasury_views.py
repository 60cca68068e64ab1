"""The treasury console and a company's statement page: what they show, read through the
treasury's service (pages only read; every action posts to the JSON API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import Role, User
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Forbidden
from ece.core.pagination import PageParams
from ece.treasury import service as treasury
from ece.treasury.schemas import BatchOut, StatementLineOut, SummaryOut


@dataclass(frozen=True)
class TreasuryPage:
    summary: SummaryOut
    batches: list[BatchOut]
    is_admin: bool
    is_signer: bool
    signed: set[str]  # payouts the viewer has signed already
    approved: set[str]  # payouts the viewer has approved (waiting for the other approvers)
    member: bool  # the viewer's wallet is a member of the multisig


async def console(
    session: AsyncSession, settings: Settings, chain: Chain, platform: Platform, user: User
) -> TreasuryPage:
    if not user.has_role(Role.admin, Role.treasury_signer):
        raise Forbidden("The treasury console is for admins and treasury signers.")
    summary = await treasury.summary(session, settings, chain, platform)
    batches, _ = await treasury.list_batches(session, PageParams(10, None))
    payouts = await treasury.payouts_of(session, [b.id for b in batches])
    signed, approved = set(), set()
    for payout in (p for group in payouts.values() for p in group):
        if payout.status == treasury.PayoutStatus.awaiting_signatures:
            tx = await treasury.transaction_of(session, payout.id)
            if any(signer == user.address for signer, _ in tx.signatures):
                signed.add(payout.id)
            if user.address in tx.approvals:
                approved.add(payout.id)
    return TreasuryPage(
        summary=SummaryOut.of(summary),
        batches=[BatchOut.of(b, payouts[b.id]) for b in batches],
        is_admin=user.has_role(Role.admin),
        is_signer=user.has_role(Role.treasury_signer),
        signed=signed,
        approved=approved,
        member=user.address in summary.signers,
    )


@dataclass(frozen=True)
class StatementPage:
    company_id: str
    since: datetime
    until: datetime
    lines: list[StatementLineOut]


async def statement(session: AsyncSession, user: User, company_id: str) -> StatementPage:
    until = utcnow()
    since = until - timedelta(days=31)
    lines = await treasury.statement(session, user, company_id, since, until)
    return StatementPage(company_id, since, until, [StatementLineOut.of(x) for x in lines])

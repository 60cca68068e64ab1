"""HTTP for the treasury: summary, payout batches, payouts, their transaction and signatures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from ece.auth.deps import AdminUser, CurrentUser, Idempotent, require_role
from ece.auth.service import Role, User
from ece.controls.deps import open_for
from ece.controls.service import Scope
from ece.core.clock import utcnow
from ece.core.errors import Forbidden, problem_responses
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import ChainDep, PlatformDep, Session, SettingsDep
from ece.runtime.routing import UnitOfWorkRoute
from ece.treasury import service
from ece.treasury.schemas import (
    BatchOut,
    BatchPage,
    PayoutOut,
    PayoutTransactionOut,
    SignatureIn,
    StatementLineOut,
    StatementOut,
    SummaryOut,
)

PAYOUTS_OPEN = open_for(Scope.payouts)
router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["treasury"])

Staff = Annotated[User, Depends(require_role(Role.admin, Role.treasury_signer))]
Signer = Annotated[User, Depends(require_role(Role.treasury_signer))]
Pagination = Annotated[PageParams, Depends(page_params)]


@router.get("/treasury/summary", response_model=SummaryOut, responses=problem_responses(401, 403))
async def treasury_summary(
    _user: Staff, session: Session, settings: SettingsDep, chain: ChainDep, platform: PlatformDep
) -> SummaryOut:
    """Platform revenue, company payables, custody and treasury on chain, the multisig, and
    the next scheduled payout."""
    return SummaryOut.of(await service.summary(session, settings, chain, platform))


@router.post(
    "/treasury/payout-batches",
    dependencies=[PAYOUTS_OPEN],
    status_code=201,
    response_model=BatchOut,
    responses=problem_responses(401, 403, 409),
)
async def create_batch(
    user: AdminUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    platform: PlatformDep,
) -> BatchOut:
    """A payout batch now: one USDC payout per company owed at least the minimum, drained
    and screened; the `treasury_prepare` job gives each allowed one its durable nonce."""
    batch = await service.create_batch(session, settings, platform, actor=user.id)
    assert batch is not None  # only a scheduled slot can have run already
    payouts = await service.payouts_of(session, [batch.id])
    return BatchOut.of(batch, payouts[batch.id])


@router.get(
    "/treasury/payout-batches", response_model=BatchPage, responses=problem_responses(401, 403)
)
async def list_batches(_user: Staff, session: Session, params: Pagination) -> BatchPage:
    """Batches, newest first, with their payouts."""
    batches, cursor = await service.list_batches(session, params)
    payouts = await service.payouts_of(session, [b.id for b in batches])
    return BatchPage(items=[BatchOut.of(b, payouts[b.id]) for b in batches], next_cursor=cursor)


@router.get(
    "/treasury/payouts/{payout_id}",
    response_model=PayoutOut,
    responses=problem_responses(401, 403, 404),
)
async def get_payout(payout_id: str, _user: Staff, session: Session) -> PayoutOut:
    return PayoutOut.of(await service.get_payout(session, payout_id))


@router.get(
    "/treasury/payouts/{payout_id}/transaction",
    response_model=PayoutTransactionOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def payout_transaction(
    payout_id: str, _user: Staff, session: Session
) -> PayoutTransactionOut:
    """The message to sign (base64; null until enough members approved), who must sign it,
    the approvals and the signatures so far."""
    return PayoutTransactionOut.of(await service.transaction_of(session, payout_id))


@router.post(
    "/treasury/payouts/{payout_id}/approvals",
    dependencies=[PAYOUTS_OPEN],
    response_model=PayoutTransactionOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def approve_payout(
    payout_id: str,
    user: Signer,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    platform: PlatformDep,
) -> PayoutTransactionOut:
    """A member approves the payout with the wallet they signed in with; the first
    `threshold` approvers are the signers its transaction names (any M of the N)."""
    await service.approve(
        session,
        service.treasury_of(settings, platform),
        payout_id=payout_id,
        user_id=user.id,
        approver=user.address,
    )
    return PayoutTransactionOut.of(await service.transaction_of(session, payout_id))


@router.delete(
    "/treasury/payouts/{payout_id}/approvals",
    response_model=PayoutTransactionOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def withdraw_approval(
    payout_id: str,
    user: Staff,
    session: Session,
    everyone: Annotated[bool, Query(alias="all")] = False,
) -> PayoutTransactionOut:
    """A signer withdraws their own approval; an admin with `all=true` clears every approval
    (a chosen signer is away or lost their key). The transaction built on them is dropped."""
    if everyone and not user.has_role(Role.admin):
        raise Forbidden("Only an admin clears every approval.", code="not_admin")
    await service.withdraw(
        session,
        payout_id=payout_id,
        user_id=user.id,
        approver=None if everyone else user.address,
    )
    return PayoutTransactionOut.of(await service.transaction_of(session, payout_id))


@router.post(
    "/treasury/payouts/{payout_id}/signatures",
    dependencies=[PAYOUTS_OPEN],
    response_model=PayoutOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def sign_payout(
    payout_id: str,
    body: SignatureIn,
    user: Signer,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    platform: PlatformDep,
) -> PayoutOut:
    """A multisig member's signature over the payout's message (verified here); the M-th makes
    the transaction complete and the sender puts it on chain."""
    payout = await service.add_signature(
        session,
        service.treasury_of(settings, platform),
        payout_id=payout_id,
        user_id=user.id,
        user_address=user.address,
        signer=body.signer,
        signature=body.signature,
    )
    return PayoutOut.of(payout)


@router.get(
    "/companies/{company_id}/statement",
    response_model=StatementOut,
    responses={
        **problem_responses(401, 403, 404),
        200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"},
    },
)
async def company_statement(
    company_id: str,
    user: CurrentUser,
    session: Session,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> StatementOut | Response:
    """Accruals (royalties, primary sales) and payouts with their signatures, from ``from``
    (default: 31 days ago) to ``to`` (default: now); admins or the company's payout wallet."""
    end = until or utcnow()
    start = since or end - timedelta(days=31)
    lines = await service.statement(session, user, company_id, start, end)
    if format == "csv":
        return Response(service.as_csv(lines), media_type="text/csv")
    return StatementOut(
        company_id=company_id,
        since=start,
        until=end,
        lines=[StatementLineOut.of(line) for line in lines],
    )

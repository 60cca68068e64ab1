"""HTTP for the treasury: summary, payout batches, payouts, their transaction and signatures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ece.auth.deps import AdminUser, Idempotent, require_role
from ece.auth.service import Role, User
from ece.core.errors import problem_responses
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
    SummaryOut,
)

router = APIRouter(prefix="/api/v1/treasury", route_class=UnitOfWorkRoute, tags=["treasury"])

Staff = Annotated[User, Depends(require_role(Role.admin, Role.treasury_signer))]
Signer = Annotated[User, Depends(require_role(Role.treasury_signer))]
Pagination = Annotated[PageParams, Depends(page_params)]


@router.get("/summary", response_model=SummaryOut, responses=problem_responses(401, 403))
async def treasury_summary(
    _user: Staff, session: Session, settings: SettingsDep, chain: ChainDep, platform: PlatformDep
) -> SummaryOut:
    """Platform revenue, company payables, custody and treasury on chain, the multisig, and
    the next scheduled payout."""
    return SummaryOut.of(await service.summary(session, settings, chain, platform))


@router.post(
    "/payout-batches",
    status_code=201,
    response_model=BatchOut,
    responses=problem_responses(401, 403, 409),
)
async def create_batch(
    user: AdminUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    chain: ChainDep,
    platform: PlatformDep,
) -> BatchOut:
    """A payout batch now: one USDC payout per company owed at least the minimum."""
    batch = await service.create_batch(session, settings, chain, platform, actor=user.id)
    assert batch is not None  # only a scheduled slot can have run already
    payouts = await service.payouts_of(session, [batch.id])
    return BatchOut.of(batch, payouts[batch.id])


@router.get("/payout-batches", response_model=BatchPage, responses=problem_responses(401, 403))
async def list_batches(_user: Staff, session: Session, params: Pagination) -> BatchPage:
    """Batches, newest first, with their payouts."""
    batches, cursor = await service.list_batches(session, params)
    payouts = await service.payouts_of(session, [b.id for b in batches])
    return BatchPage(items=[BatchOut.of(b, payouts[b.id]) for b in batches], next_cursor=cursor)


@router.get(
    "/payouts/{payout_id}", response_model=PayoutOut, responses=problem_responses(401, 403, 404)
)
async def get_payout(payout_id: str, _user: Staff, session: Session) -> PayoutOut:
    return PayoutOut.of(await service.get_payout(session, payout_id))


@router.get(
    "/payouts/{payout_id}/transaction",
    response_model=PayoutTransactionOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def payout_transaction(
    payout_id: str, _user: Staff, session: Session
) -> PayoutTransactionOut:
    """The message to sign (base64), who must sign it, and the signatures so far."""
    return PayoutTransactionOut.of(await service.transaction_of(session, payout_id))


@router.post(
    "/payouts/{payout_id}/signatures",
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

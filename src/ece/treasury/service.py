"""The treasury's public face: payout batches (weekly and on demand), payouts and their
multisig signatures, the sender that puts them on chain, the summary and company statements.

Other packages import this module and ``schemas`` only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import AccountNotFound, Chain
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Conflict
from ece.core.money import Asset
from ece.core.pagination import PageParams
from ece.ledger import service as ledger
from ece.settlement import service as settlement
from ece.treasury import batches, repository, rules, sending, signing
from ece.treasury.models import Payout, PayoutBatch
from ece.treasury.multisig import Treasury
from ece.treasury.pricing import price_source
from ece.treasury.rules import PayoutStatus
from ece.treasury.setup import treasury_of
from ece.treasury.signing import (
    PayoutTransaction,
    add_signature,
    approve,
    transaction_of,
    withdraw,
)
from ece.treasury.statements import StatementLine, as_csv, statement

__all__ = [
    "Payout",
    "PayoutBatch",
    "PayoutStatus",
    "PayoutTransaction",
    "StatementLine",
    "Summary",
    "add_signature",
    "approve",
    "as_csv",
    "create_batch",
    "get_payout",
    "list_batches",
    "payouts_of",
    "prepare_approved",
    "resolve_review",
    "run_scheduled",
    "send_submitted",
    "statement",
    "summary",
    "transaction_of",
    "treasury_of",
    "withdraw",
]


async def create_batch(
    session: AsyncSession,
    settings: Settings,
    platform: Platform,
    *,
    actor: str,
    slot: datetime | None = None,
) -> PayoutBatch | None:
    """A payout batch now: one USDC payout per company owed at least
    ``ECE_TREASURY_MIN_PAYOUT_USDC`` (ECE converted at the price source's rate), each drained
    from its payables at once and screened. Database only (the ``treasury_prepare`` job does
    the chain part); None when ``slot`` ran."""
    return await batches.create_batch(
        session,
        treasury_of(settings, platform),
        price_source(settings),
        settings=settings,
        minimum=settings.treasury_min_payout_usdc,
        actor=actor,
        slot=slot,
    )


async def run_scheduled(db: Database, settings: Settings, chain: Chain, platform: Platform) -> bool:
    """The weekly batch of the latest scheduled slot, once whatever number of workers run it.
    (A slot is only run while it is the latest one: a batch is never made up for later.)"""
    slot = rules.last_slot(utcnow(), settings.treasury_payout_schedule)
    async with db.unit_of_work() as session:
        batch = await create_batch(session, settings, platform, actor=audit.SYSTEM, slot=slot)
    return batch is not None


async def prepare_approved(
    db: Database, settings: Settings, chain: Chain, platform: Platform
) -> int:
    """Give each approved payout its durable nonce, one payout per transaction; returns how
    many. Safe to crash anywhere: the nonce account is found again by its seed, and nothing
    is paid here."""
    treasury = treasury_of(settings, platform)
    async with db.unit_of_work(write=False) as session:
        approved = await repository.approved_ids(session, 50)
    prepared = 0
    for payout_id in approved:
        async with db.unit_of_work() as session:
            payout = await signing.load(session, payout_id, lock=True)
            if payout.status == PayoutStatus.approved.value:
                await batches.prepare(session, chain, treasury, payout, audit.SYSTEM)
                prepared += 1
    return prepared


async def send_submitted(db: Database, settings: Settings, chain: Chain, platform: Platform) -> int:
    """Put every submitted payout on chain and finish it from what the chain says."""
    return await sending.send_submitted(db, chain, treasury_of(settings, platform))


async def _review_decided(session: AsyncSession, review: compliance.ComplianceReview) -> None:
    """A compliance officer decided a payout's review (four eyes: not who ran the batch)."""
    payout = await signing.load(session, review.subject_id, lock=True)
    officer = review.decided_by or audit.SYSTEM
    if review.status == compliance.ReviewStatus.approved.value:
        await batches.mark_approved(session, payout, officer)
    else:
        await batches.reject(session, payout, officer)


compliance.on_review_decided(compliance.SubjectType.payout, _review_decided)


async def list_batches(
    session: AsyncSession, params: PageParams
) -> tuple[list[PayoutBatch], str | None]:
    return await repository.list_batches(session, params)


async def payouts_of(session: AsyncSession, batch_ids: list[str]) -> dict[str, list[Payout]]:
    return await repository.payouts_of_batches(session, batch_ids)


async def get_payout(session: AsyncSession, payout_id: str) -> Payout:
    return await signing.load(session, payout_id)


async def resolve_review(
    session: AsyncSession, *, payout_id: str, approve: bool, actor: str
) -> Payout:
    """A compliance decision on a payout in review: approved (its nonce next, by the job), or
    rejected (amount back)."""
    payout = await signing.load(session, payout_id, lock=True)
    if payout.status != PayoutStatus.review.value:
        raise Conflict("This payout is not in review.", code="payout_not_in_review")
    if approve:
        await batches.mark_approved(session, payout, actor)
    else:
        await batches.reject(session, payout, actor)
    return payout


@dataclass(frozen=True, slots=True)
class Summary:
    revenue: dict[Asset, int]
    payables: list[tuple[str, Asset, int]]  # company id, asset, amount
    in_flight: int
    custody_on_chain: dict[Asset, int]
    treasury_on_chain: int | None
    multisig: str | None  # None until ECE_TREASURY_SIGNERS configures one
    threshold: int
    signers: list[str]
    next_payout_at: datetime


async def _balance(chain: Chain, account: object) -> int:
    try:
        return (await chain.get_token_account_balance(account)).amount  # type: ignore[arg-type]
    except AccountNotFound:
        return 0


async def summary(
    session: AsyncSession, settings: Settings, chain: Chain, platform: Platform
) -> Summary:
    try:
        treasury: Treasury | None = treasury_of(settings, platform)
    except Conflict:
        treasury = None
    payables: dict[tuple[str, Asset], int] = {}
    for company_id, asset, _purpose, amount in await ledger.available_by_owner(
        session, ledger.OwnerType.company, cards.PAYABLE_PURPOSES
    ):
        key = (company_id, Asset(asset))
        payables[key] = payables.get(key, 0) + amount
    open_payouts = await repository.open_amounts(session)
    return Summary(
        revenue={a: await settlement.platform_fees(session, a) for a in Asset},
        payables=[(c, a, v) for (c, a), v in payables.items()],
        in_flight=sum(p.amount for p in open_payouts),
        custody_on_chain={
            a: await _balance(chain, platform.custody_token_account(a)) for a in Asset
        },
        treasury_on_chain=None
        if treasury is None
        else await _balance(chain, treasury.usdc_account),
        multisig=None if treasury is None else str(treasury.multisig),
        threshold=settings.treasury_threshold,
        signers=list(settings.treasury_signers),
        next_payout_at=rules.next_slot(utcnow(), settings.treasury_payout_schedule),
    )

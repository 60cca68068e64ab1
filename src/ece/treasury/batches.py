"""A payout batch: every company owed at least the minimum gets one USDC payout, its payables
drained into flight at once, screened, and (if allowed) given the transaction to sign."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.cards import service as cards
from ece.chain.protocol import Chain
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Conflict
from ece.core.money import Asset, format_amount, parse_amount
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.treasury import moves, multisig, repository, rules, screening
from ece.treasury.models import Payout, PayoutBatch
from ece.treasury.multisig import Treasury
from ece.treasury.pricing import PriceSource, Quote
from ece.treasury.rules import Decision, Leg, PayoutStatus

log = structlog.get_logger("ece.treasury")


async def create_batch(
    session: AsyncSession,
    treasury: Treasury,
    prices: PriceSource,
    *,
    settings: Settings,
    minimum: str,
    actor: str,
    slot: datetime | None = None,
) -> PayoutBatch | None:
    """One batch now (``slot``: the scheduled run it is; None when that run already exists).
    Database only: allowed payouts wait as ``approved`` for the ``treasury_prepare`` job."""
    await repository.lock_batches(session)
    batch = PayoutBatch(
        id=new_id(),
        slot=None if slot is None else rules.slot_name(slot),
        created_by=actor,
        created_at=utcnow(),
    )
    if not await repository.add_batch(session, batch):
        return None
    quote = await prices.ece_in_usdc()
    owed: dict[str, list[tuple[Asset, str, int]]] = defaultdict(list)
    for company_id, asset, purpose, amount in await ledger.available_by_owner(
        session, ledger.OwnerType.company, cards.PAYABLE_PURPOSES
    ):
        owed[company_id].append((Asset(asset), purpose, amount))
    floor = parse_amount(minimum, Asset.USDC, allow_zero=True)
    count = 0
    for company_id, balances in owed.items():
        legs = rules.payable_legs(balances, quote.price_usdc)
        if rules.worth_paying(legs, floor):
            await _open_payout(session, settings, treasury, batch, company_id, legs, quote, actor)
            count += 1
    await audit.record(
        session,
        actor=actor,
        action="payout_batch.created",
        object_type="payout_batch",
        object_id=batch.id,
        details={"payouts": count, "slot": batch.slot, "rate": quote.rate, "source": quote.source},
    )
    return batch


async def _open_payout(
    session: AsyncSession,
    settings: Settings,
    treasury: Treasury,
    batch: PayoutBatch,
    company_id: str,
    legs: list[Leg],
    quote: Quote,
    actor: str,
) -> Payout:
    company = await cards.company_by_id(session, company_id)
    converted = any(leg.asset is not Asset.USDC for leg in legs)
    payout = Payout(
        id=new_id(),
        batch_id=batch.id,
        company_id=company_id,
        amount=sum(leg.usdc for leg in legs),
        currency=Asset.USDC.value,
        destination=company.payout_address,
        status=PayoutStatus.screening.value,
        legs=[leg.as_json() for leg in legs],
        rate=quote.rate if converted else None,
        rate_source=quote.source if converted else None,
        signers=[],
        threshold=treasury.threshold,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    await repository.add_payout(session, payout)
    await moves.drain(session, payout)
    amount = format_amount(payout.amount, Asset.USDC)
    await audit.record(
        session,
        actor=actor,
        action="payout.created",
        object_type="payout",
        object_id=payout.id,
        details={"company_id": company_id, "amount": amount, "asset": "USDC", "rate": payout.rate},
    )
    await emit(session, "payout.created", payout.id, company_id=company_id, amount=amount)
    await apply_screening(session, settings, treasury, payout, actor)
    return payout


async def apply_screening(
    session: AsyncSession,
    settings: Settings,
    treasury: Treasury,
    payout: Payout,
    actor: str,
) -> None:
    """Run the gate and move the payout on: approved (its nonce next), to review, or back to
    the payable."""
    platform = frozenset(
        str(a) for a in (treasury.custody.pubkey(), treasury.multisig, treasury.usdc_account)
    )
    result = await screening.screen(session, settings, payout, platform, actor)
    status = rules.status_after_screening(result.decision)
    await audit.record(
        session,
        actor=audit.SYSTEM,
        action="payout.screened",
        object_type="payout",
        object_id=payout.id,
        details={
            "decision": result.decision.value,
            "score": result.score,
            "reasons": result.reasons,
        },
    )
    if result.decision is Decision.allow:
        await mark_approved(session, payout, audit.SYSTEM)
        return
    payout.reason = ",".join(result.reasons) or None
    if result.decision is Decision.block:
        await reject(session, payout, audit.SYSTEM)
        return
    _move(payout, status)
    payout.updated_at = utcnow()
    await session.flush()


def _move(payout: Payout, to: PayoutStatus) -> None:
    if not rules.may_move(PayoutStatus(payout.status), to):
        raise Conflict(f"A {payout.status} payout cannot become {to.value}.", code="payout_state")
    payout.status = to.value


async def mark_approved(session: AsyncSession, payout: Payout, actor: str) -> None:
    """Screening or a compliance officer allowed a payout: the ``treasury_prepare`` job gives
    it its durable nonce (chain work, so never inside a request)."""
    _move(payout, PayoutStatus.approved)
    payout.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="payout.approved",
        object_type="payout",
        object_id=payout.id,
        details={},
    )


async def reject(session: AsyncSession, payout: Payout, actor: str) -> None:
    """Not paid: the amount goes back to the payables it came from."""
    _move(payout, PayoutStatus.rejected)
    payout.updated_at = payout.finished_at = utcnow()
    await moves.give_back(session, payout)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="payout.rejected",
        object_type="payout",
        object_id=payout.id,
        details={"reason": payout.reason},
    )
    await emit(session, "payout.failed", payout.id, reason=payout.reason, status="rejected")


async def prepare(
    session: AsyncSession, chain: Chain, treasury: Treasury, payout: Payout, actor: str
) -> None:
    """Give an approved payout its durable nonce (the multisig made first if missing): the
    chain part, run by the ``treasury_prepare`` job. Its signers are chosen by approval."""
    try:
        await multisig.ensure_multisig(chain, treasury)
    except multisig.TreasuryMismatch as exc:
        raise Conflict(str(exc), code="treasury_not_configured") from exc
    nonce_account, nonce = await multisig.ensure_nonce(chain, treasury, payout.id)
    payout.nonce_account = str(nonce_account)
    payout.nonce = str(nonce)
    payout.message = None
    payout.signers = []
    payout.threshold = treasury.threshold
    _move(payout, PayoutStatus.awaiting_signatures)
    payout.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="payout.prepared",
        object_type="payout",
        object_id=payout.id,
        details={
            "nonce_account": str(nonce_account),
            "threshold": treasury.threshold,
            "multisig": str(treasury.multisig),
        },
    )

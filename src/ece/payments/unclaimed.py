"""The unclaimed queue: payments custody received that no open deposit or known wallet claimed.

An admin credits one to a named user, or marks it returned (sent back, or settled off the
platform) with a note. Resolving is idempotent: the same resolution again answers the stored
outcome; a different one is a 409.

A card custody holds with no payment record at all (sent to custody with no open deposit's
reference, so no watcher pass saw it) is credited by ``credit_stranded_card``, through the same
card path, once custody verifiably holds it.
"""

from __future__ import annotations

from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.core.clock import utcnow
from ece.core.errors import Conflict, NotFound
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.core.pagination import PageParams
from ece.ledger import service as ledger
from ece.payments import assets, repository, rules
from ece.payments.assets import account_balance, custody_account, unclaimed_account
from ece.payments.models import (
    DepositReceipt,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedPayment,
    UnclaimedStatus,
)
from ece.payments.rules import Resolution


async def list_unclaimed(
    session: AsyncSession, status: UnclaimedStatus | None, params: PageParams
) -> tuple[list[UnclaimedPayment], str | None]:
    where = () if status is None else (UnclaimedPayment.status == status.value,)
    return await repository.history(session, UnclaimedPayment, params, *where)


async def list_receipts(
    session: AsyncSession, outcome: ReceiptOutcome | None, params: PageParams
) -> tuple[list[DepositReceipt], str | None]:
    """Every transfer into custody and what became of it (``ignored`` ones with the reason)."""
    return await repository.list_receipts(session, outcome, params)


async def resolve(
    session: AsyncSession,
    unclaimed_id: str,
    admin_id: str,
    resolution: Resolution,
    user_id: str | None,
    note: str | None,
) -> UnclaimedPayment:
    """Credit ``user_id`` (``credit``) or close it as sent back (``returned``), once."""
    parked = await repository.lock_unclaimed(session, unclaimed_id)
    if parked is None:
        raise NotFound("No such unclaimed payment.", code="unclaimed_not_found")
    wanted = rules.resolved_status(resolution)
    if rules.already_resolved(parked.status, parked.resolved_user_id, wanted, user_id):
        return parked  # the same resolution again: already done
    if resolution is Resolution.credit:
        assert user_id is not None  # the schema requires it
        await auth.get_user(session, user_id)  # 404 user_not_found
        await _credit(session, parked, user_id)
    elif parked.asset != PaymentAsset.CARD:
        await _move(session, parked, to_custody=True)
    parked.status = wanted.value
    parked.resolved_user_id = user_id
    parked.resolved_by = admin_id
    parked.note = note
    parked.resolved_at = utcnow()
    await session.flush()
    await emit(
        session, f"unclaimed.{wanted.value}", parked.id, user_id=user_id, resolved_by=admin_id
    )
    details = rules.audit_details(parked.asset, parked.amount, parked.card_id, user_id=user_id)
    await audit.record(
        session,
        actor=admin_id,
        action=f"unclaimed.{wanted.value}",
        object_type="unclaimed",
        object_id=parked.id,
        details=details,
    )
    return parked


async def _credit(session: AsyncSession, parked: UnclaimedPayment, user_id: str) -> None:
    if parked.asset == PaymentAsset.CARD:
        assert parked.card_id is not None
        await cards.mark_deposited(session, parked.card_id, user_id, parked.id)
        return
    await _move(session, parked, user_id=user_id)


async def _move(
    session: AsyncSession,
    parked: UnclaimedPayment,
    *,
    user_id: str | None = None,
    to_custody: bool = False,
) -> None:
    asset = Asset(parked.asset)
    if to_custody:
        # Sent back on chain by an operator: no longer owed by the platform.
        target, suffix = await custody_account(session, asset), "return"
    else:
        assert user_id is not None
        target, suffix = await ledger.user_account(session, user_id, asset), "credit"
    await ledger.create_transfers(
        session,
        [
            ledger.TransferSpec(
                id=f"unclaimed:{parked.id}:{suffix}",
                debit_account_id=await unclaimed_account(session, asset),
                credit_account_id=target,
                asset=asset,
                amount=parked.amount,
                code=ledger.TransferCode.deposit if user_id else ledger.TransferCode.adjustment,
                reference=parked.id,
            )
        ],
    )


async def credit_stranded_card(
    session: AsyncSession,
    chain: Chain,
    platform: Platform,
    card_id: str,
    user_id: str,
    admin_id: str,
) -> None:
    """Put a card custody holds back on the platform, owned by ``user_id``: only when the
    database says it is withdrawn and custody's account for it holds it on chain now."""
    card = await cards.get_card(session, card_id)
    await auth.get_user(session, user_id)  # 404 user_not_found
    rules.refuse_card_on_platform(card)
    parked = await repository.open_unclaimed_of_card(session, card_id)
    if parked is not None:
        # Its payment is on record: resolving that item is the one way to credit it.
        raise Conflict(
            "This card waits in the unclaimed queue: resolve that item.",
            code="card_unclaimed",
            unclaimed_id=parked,
        )
    held = await account_balance(
        chain, assets.card(platform, Pubkey.from_string(card.mint)).custody_account
    )
    if held != 1:
        raise Conflict("Custody does not hold this card on chain.", code="card_not_in_custody")
    # Conditional on still withdrawn: two credits at once put it back once (the other is 409).
    await cards.mark_deposited(session, card_id, user_id, f"admin:{admin_id}")
    await emit(session, "custody.card_credited", card_id, user_id=user_id, credited_by=admin_id)
    details = rules.audit_details(PaymentAsset.CARD.value, 1, card_id, user_id=user_id)
    await audit.record(
        session,
        actor=admin_id,
        action="custody.card_credited",
        object_type="card",
        object_id=card_id,
        details=details,
    )

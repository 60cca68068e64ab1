"""The unclaimed queue: payments custody received that no open deposit or known wallet claimed.

An admin credits one to a named user, or marks it returned (sent back, or settled off the
platform) with a note. Resolving is idempotent: the same resolution again answers the stored
outcome; a different one is a 409.

A card custody holds with no payment record at all (sent to custody with no open deposit's
reference, so no watcher pass saw it) is credited by ``credit_stranded_card``, through the same
card path, once custody verifiably holds it.
"""

from __future__ import annotations

from enum import StrEnum

from solders.pubkey import Pubkey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.core.clock import utcnow
from ece.core.errors import Conflict, NotFound
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.core.pagination import PageParams, SortKey, newest_first, paginate
from ece.ledger import service as ledger
from ece.ledger.service import TransferCode
from ece.payments import assets
from ece.payments.deposits import account_balance
from ece.payments.intake import custody_account, unclaimed_account
from ece.payments.models import (
    DepositReceipt,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedPayment,
    UnclaimedStatus,
)


class Resolution(StrEnum):
    credit = "credit"
    returned = "returned"


async def list_unclaimed(
    session: AsyncSession, status: UnclaimedStatus | None, params: PageParams
) -> tuple[list[UnclaimedPayment], str | None]:
    query = select(UnclaimedPayment)
    if status is not None:
        query = query.where(UnclaimedPayment.status == status.value)
    return await newest_first(session, query, UnclaimedPayment, params)


async def list_receipts(
    session: AsyncSession, outcome: ReceiptOutcome | None, params: PageParams
) -> tuple[list[DepositReceipt], str | None]:
    """Every transfer into custody and what became of it (``ignored`` ones with the reason)."""
    query = select(DepositReceipt)
    if outcome is not None:
        query = query.where(DepositReceipt.outcome == outcome.value)
    # Receipts have no id column: the signature and instruction index order them instead.
    return await paginate(
        session,
        query,
        [
            SortKey(DepositReceipt.created_at, True),
            SortKey(DepositReceipt.signature, True),
            SortKey(DepositReceipt.instruction_index, True),
        ],
        params,
        lambda row: (row.created_at, row.signature, row.instruction_index),
    )


async def resolve(
    session: AsyncSession,
    unclaimed_id: str,
    admin_id: str,
    resolution: Resolution,
    user_id: str | None,
    note: str | None,
) -> UnclaimedPayment:
    """Credit ``user_id`` (``credit``) or close it as sent back (``returned``), once."""
    parked = await session.scalar(
        select(UnclaimedPayment)
        .where(UnclaimedPayment.id == unclaimed_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if parked is None:
        raise NotFound("No such unclaimed payment.", code="unclaimed_not_found")
    wanted = (
        UnclaimedStatus.credited if resolution is Resolution.credit else UnclaimedStatus.returned
    )
    if parked.status != UnclaimedStatus.open:
        if parked.status == wanted and parked.resolved_user_id == user_id:
            return parked  # the same resolution again: already done
        raise Conflict("This payment is already resolved.", code="unclaimed_resolved")
    if resolution is Resolution.credit:
        assert user_id is not None  # the schema requires it
        if await session.get(User, user_id) is None:
            raise NotFound("No such user.", code="user_not_found")
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
                code=TransferCode.deposit if user_id else TransferCode.adjustment,
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
    if await session.get(User, user_id) is None:
        raise NotFound("No such user.", code="user_not_found")
    if card.withdrawn_at is None:
        raise Conflict("The card is already on the platform.", code="card_not_withdrawn")
    parked = await session.scalar(
        select(UnclaimedPayment.id).where(
            UnclaimedPayment.card_id == card_id,
            UnclaimedPayment.status == UnclaimedStatus.open.value,
        )
    )
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

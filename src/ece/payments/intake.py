"""What one final transaction paid into custody, and where each transfer of it goes.

Every transfer into a custody token account gets one ``DepositReceipt`` (its primary key is the
signature and instruction index), inserted before anything moves, so any number of watchers or
replays act on a transfer once. Each transfer then goes, in this order, to:

1. nothing, recorded as ``ignored`` with a reason, when custody did not verifiably receive an ECE
   asset: an amount of 0, a balance that did not grow by the amount, a mint that is neither ECE,
   USDC nor an ECE card, a card amount other than 1, or a card already on the platform; nor
   when the platform's own mint authority issued it (``platform_issuance``: whoever issues books
   the ledger side itself, as the demo does); nor when it went into a custody-owned token account
   other than custody's associated token account for the mint (``not_custody_deposit_account``:
   withdrawals pay from that one only, so value elsewhere could never leave);
2. the open deposit whose reference it carries (same mint);
3. the sending wallet's user, when that wallet has signed in here (a late payment, or one with no
   open deposit's reference);
4. the unclaimed queue an admin resolves; coins wait on the ledger's platform ``unclaimed``
   account, so reconciliation counts them as owed.

A transfer that would go to 2, 3 or 4 from a deny-listed sending wallet or token account is
``blocked`` instead (compliance screening): parked in the unclaimed queue like 4, never
credited to anyone, with a compliance check (score 100) and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import ConfirmedTransaction
from ece.compliance import service as compliance
from ece.core.clock import utcnow
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.payments import repository, rules
from ece.payments.assets import custody_account, format_units, unclaimed_account
from ece.payments.models import (
    Deposit,
    DepositStatus,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedPayment,
    UnclaimedStatus,
)
from ece.payments.rules import CustodyCard
from ece.payments.solana_pay import IncomingTransfer, incoming_transfers

log = structlog.get_logger("ece.payments.intake")


@dataclass(frozen=True, slots=True)
class _Context:
    signature: str
    slot: int
    coins: dict[Pubkey, Asset]
    cards: dict[str, CustodyCard]
    deposits: dict[str, Deposit]
    issued_by_platform: bool  # the platform's mint authority signed the transaction


@dataclass(frozen=True, slots=True)
class _Decision:
    """Where one transfer goes, before anything is recorded."""

    asset: Asset | None
    card: CustodyCard | None
    reason: str | None
    deposit: Deposit | None
    outcome: ReceiptOutcome
    user_id: str | None
    sanctioned: tuple[str, ...] = ()  # deny-listed roles ("sender", "source"): blocked
    intended_user_id: str | None = None  # who it would have reached, had it not been blocked


def signed_by(tx: ConfirmedTransaction, key: Pubkey) -> bool:
    assert tx.transaction is not None
    signers = tx.account_keys[: tx.transaction.message.header.num_required_signatures]
    return key in signers


async def take_transaction(
    session: AsyncSession, platform: Platform, tx: ConfirmedTransaction
) -> int:
    """Record and apply every transfer of ``tx`` into custody; how many reached a user."""
    transfers = incoming_transfers(tx, custody_owner=platform.custody_owner)
    if not transfers:
        return 0
    coins = {platform.mint(asset): asset for asset in Asset}
    references = sorted({str(r) for t in transfers for r in t.references})
    found = await repository.lock_deposits_by_reference(session, references)
    card_mints = {str(t.mint) for t in transfers if t.mint is not None and t.mint not in coins}
    context = _Context(
        signature=str(tx.signature),
        slot=tx.slot,
        coins=coins,
        cards=dict(await cards.cards_by_mint(session, card_mints)),
        deposits={d.reference: d for d in found},
        issued_by_platform=signed_by(tx, platform.authority.pubkey()),
    )
    credited = 0
    for transfer in transfers:
        credited += await _take(session, context, transfer)
    return credited


async def _decide(
    session: AsyncSession, context: _Context, transfer: IncomingTransfer
) -> _Decision:
    asset = context.coins.get(transfer.mint) if transfer.mint is not None else None
    card = context.cards.get(str(transfer.mint)) if asset is None else None
    reason = rules.ignore_reason(
        transfer, asset, card, issued_by_platform=context.issued_by_platform
    )
    deposit = None if reason else rules.matching_deposit(transfer, context.deposits, utcnow())
    sender = None
    if reason is None and deposit is None and transfer.sender is not None:
        known = await auth.user_by_address(session, str(transfer.sender))
        sender = known.id if known is not None else None
    outcome = rules.destination_of(reason, deposit is not None, sender is not None)
    user_id = deposit.user_id if deposit is not None else sender
    if outcome is not ReceiptOutcome.ignored:
        hits = await compliance.denied(
            session, {"sender": _text(transfer.sender), "source": _text(transfer.source)}
        )
        if hits:
            return _Decision(asset, card, None, None, ReceiptOutcome.blocked, None, hits, user_id)
    return _Decision(asset, card, reason, deposit, outcome, user_id)


def _text(key: Pubkey | None) -> str | None:
    return str(key) if key is not None else None


async def _take(session: AsyncSession, context: _Context, transfer: IncomingTransfer) -> int:
    decision = await _decide(session, context, transfer)
    deposit, user_id = decision.deposit, decision.user_id
    if not await _record(session, context, transfer, decision):
        return 0  # handled before, by us or another watcher
    key = f"{context.signature}:{transfer.instruction_index}"
    if decision.outcome is ReceiptOutcome.ignored:
        log.warning(
            "custody_transfer_ignored", transfer=key, reason=decision.reason, amount=transfer.amount
        )
        return 0
    if decision.outcome is ReceiptOutcome.unclaimed:
        await _park(session, context, transfer, decision.asset, decision.card)
        return 0
    if decision.outcome is ReceiptOutcome.blocked:
        await _block(session, context, transfer, decision)
        return 0
    assert user_id is not None
    ref = deposit.id if deposit else key
    await _give(session, key, user_id, transfer.amount, decision.asset, decision.card, ref=ref)
    asset = decision.asset.value if decision.asset else PaymentAsset.CARD.value
    card_id = decision.card.id if decision.card else None
    details = rules.audit_details(asset, transfer.amount, card_id, user_id=user_id, transfer=key)
    await audit.record(
        session,
        actor=audit.SYSTEM,
        action="deposit.credited",
        object_type="deposit",
        object_id=ref,
        details=details,
    )
    if deposit is not None:
        await _mark_credited(session, deposit, transfer.amount, context.signature)
    else:
        await emit(
            session,
            "deposit.late_credited",
            user_id,
            user_id=user_id,
            signature=context.signature,
            instruction_index=transfer.instruction_index,
            amount=transfer.amount,
        )
    return 1


async def _record(
    session: AsyncSession, context: _Context, transfer: IncomingTransfer, decision: _Decision
) -> bool:
    """The transfer's receipt, before anything moves; False if it was recorded before."""
    return await repository.insert_receipt(
        session,
        signature=context.signature,
        instruction_index=transfer.instruction_index,
        deposit_id=decision.deposit.id if decision.deposit is not None else None,
        amount=transfer.amount,
        source=str(transfer.source or ""),
        slot=context.slot,
        outcome=decision.outcome.value,
        reason=decision.reason,
        mint=str(transfer.mint) if transfer.mint is not None else None,
        sender=str(transfer.sender) if transfer.sender is not None else None,
        user_id=decision.user_id,
    )


async def _give(
    session: AsyncSession,
    key: str,
    user_id: str,
    amount: int,
    asset: Asset | None,
    card: CustodyCard | None,
    *,
    ref: str,
) -> None:
    """Custody's new coins to the user's ledger account, or the card back to the user."""
    if card is not None:
        await cards.mark_deposited(session, card.id, user_id, ref)
        return
    assert asset is not None
    await ledger.create_transfers(
        session,
        [
            ledger.TransferSpec(
                id=f"deposit:{key}",
                debit_account_id=await custody_account(session, asset),
                credit_account_id=await ledger.user_account(session, user_id, asset),
                asset=asset,
                amount=amount,
                code=ledger.TransferCode.deposit,
                reference=ref,
            )
        ],
    )


async def _park(
    session: AsyncSession,
    context: _Context,
    transfer: IncomingTransfer,
    asset: Asset | None,
    card: CustodyCard | None,
) -> UnclaimedPayment:
    parked = UnclaimedPayment(
        signature=context.signature,
        instruction_index=transfer.instruction_index,
        asset=asset.value if asset is not None else PaymentAsset.CARD.value,
        mint=str(transfer.mint),
        amount=transfer.amount,
        card_id=card.id if card is not None else None,
        sender=str(transfer.sender) if transfer.sender is not None else None,
        deposit_id=rules.named_deposit(transfer, context.deposits),
        status=UnclaimedStatus.open.value,
    )
    await repository.add(session, parked)
    if asset is not None:
        await ledger.create_transfers(
            session,
            [
                ledger.TransferSpec(
                    id=f"deposit:{context.signature}:{transfer.instruction_index}",
                    debit_account_id=await custody_account(session, asset),
                    credit_account_id=await unclaimed_account(session, asset),
                    asset=asset,
                    amount=transfer.amount,
                    code=ledger.TransferCode.deposit,
                    reference=parked.id,
                )
            ],
        )
    log.warning("custody_transfer_unclaimed", unclaimed=parked.id, amount=transfer.amount)
    details = rules.audit_details(
        parked.asset, parked.amount, parked.card_id, signature=parked.signature
    )
    await audit.record(
        session,
        actor=audit.SYSTEM,
        action="deposit.unclaimed",
        object_type="unclaimed",
        object_id=parked.id,
        details=details,
    )
    await emit(session, "deposit.unclaimed", parked.id, asset=parked.asset, amount=parked.amount)
    return parked


async def _block(
    session: AsyncSession, context: _Context, transfer: IncomingTransfer, decision: _Decision
) -> None:
    """A deposit from a deny-listed address: parked (coins on the platform's ``unclaimed``
    account, a card left withdrawn), its check and audit entry written; never credited."""
    key = f"{context.signature}:{transfer.instruction_index}"
    parked = await _park(session, context, transfer, decision.asset, decision.card)
    asset = decision.asset.value if decision.asset is not None else PaymentAsset.CARD.value
    check = await compliance.block_deposit(
        session,
        key,
        decision.sanctioned,
        user_id=decision.intended_user_id,
        asset=asset,
        amount=transfer.amount,
    )
    await audit.record(
        session,
        actor=audit.SYSTEM,
        action="deposit.blocked",
        object_type="deposit_receipt",
        object_id=key,
        details={
            "check_id": check.id,
            "unclaimed_id": parked.id,
            "asset": asset,
            "amount": format_units(transfer.amount, asset),
        },
    )


async def _mark_credited(
    session: AsyncSession, deposit: Deposit, amount: int, signature: str
) -> None:
    progress = rules.apply_payment(deposit.status, deposit.amount, deposit.received_amount, amount)
    deposit.received_amount = progress.received_amount
    if progress.completes:
        deposit.status = DepositStatus.credited.value
        deposit.signature = signature
        deposit.credited_at = utcnow()
    await emit(
        session,
        "deposit.credited",
        deposit.id,
        user_id=deposit.user_id,
        asset=deposit.asset,
        # As the API shows amounts (its notification and email show it too).
        amount=format_units(amount, deposit.asset),
        signature=signature,
    )

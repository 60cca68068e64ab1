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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from solders.pubkey import Pubkey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import Card
from ece.chain.platform import Platform
from ece.chain.protocol import ConfirmedTransaction
from ece.core.clock import utcnow
from ece.core.db import insert_or_ignore
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.ledger.service import OwnerType, TransferCode
from ece.payments import assets
from ece.payments.models import (
    Deposit,
    DepositReceipt,
    DepositStatus,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedPayment,
    UnclaimedStatus,
)
from ece.payments.solana_pay import IncomingTransfer, incoming_transfers

log = structlog.get_logger("ece.payments.intake")

# The ledger's platform account holding coins that arrived with no one to credit yet.
UNCLAIMED_OWNER_ID = "unclaimed"


@dataclass(frozen=True, slots=True)
class _Context:
    signature: str
    slot: int
    coins: dict[Pubkey, Asset]
    cards: dict[str, Card]
    deposits: dict[str, Deposit]
    issued_by_platform: bool  # the platform's mint authority signed the transaction


def signed_by(tx: ConfirmedTransaction, key: Pubkey) -> bool:
    assert tx.transaction is not None
    signers = tx.account_keys[: tx.transaction.message.header.num_required_signatures]
    return key in signers


def ignore_reason(
    transfer: IncomingTransfer,
    asset: Asset | None,
    card: Card | None,
    *,
    issued_by_platform: bool = False,
) -> str | None:
    """Why custody did not verifiably receive an ECE asset from ``transfer``; None if it did."""
    if issued_by_platform and transfer.sender is None:
        # Growth no transfer explains, in a transaction the mint authority signed: the platform
        # minted it, and books its ledger side itself; parking it would count it twice.
        return "platform_issuance"
    if not transfer.verified:
        return "balance_not_received"
    if transfer.amount == 0:
        return "zero_amount"
    if not transfer.into_deposit_account:
        # Withdrawals pay from the associated account only: value elsewhere can never leave.
        return "not_custody_deposit_account"
    if asset is None and card is None:
        return "not_an_ece_asset"
    if card is not None and transfer.amount != 1:
        return "card_amount_not_one"
    if card is not None and card.withdrawn_at is None:
        # Supply 1: custody cannot receive a card it already holds; the database disagrees.
        return "card_already_on_platform"
    return None


def matching_deposit(
    transfer: IncomingTransfer, deposits: dict[str, Deposit], now: datetime
) -> Deposit | None:
    """The first deposit still open (awaiting, paid in part or not; or paid in full and not past
    its time), for the mint that moved, whose reference the transfer carries."""
    for reference in transfer.references:
        deposit = deposits.get(str(reference))
        if deposit is None or deposit.mint != str(transfer.mint):
            continue
        if deposit.status == DepositStatus.awaiting_transfer or (
            deposit.status == DepositStatus.credited
            and deposit.asset != PaymentAsset.CARD
            and now <= deposit.expires_at
        ):
            return deposit
    return None


def destination_of(
    reason: str | None, deposit: Deposit | None, sender: User | None
) -> ReceiptOutcome:
    """Ignored, else the open deposit, else the sending user, else the unclaimed queue."""
    if reason is not None:
        return ReceiptOutcome.ignored
    if deposit is not None:
        return ReceiptOutcome.credited
    if sender is not None:
        return ReceiptOutcome.credited_sender
    return ReceiptOutcome.unclaimed


async def take_transaction(
    session: AsyncSession, platform: Platform, tx: ConfirmedTransaction
) -> int:
    """Record and apply every transfer of ``tx`` into custody; how many reached a user."""
    transfers = incoming_transfers(tx, custody_owner=platform.custody_owner)
    if not transfers:
        return 0
    coins = {platform.mint(asset): asset for asset in Asset}
    references = sorted({str(r) for t in transfers for r in t.references})
    found = (
        await session.scalars(
            select(Deposit)
            .where(Deposit.reference.in_(references))
            .order_by(Deposit.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    context = _Context(
        signature=str(tx.signature),
        slot=tx.slot,
        coins=coins,
        cards=await cards.cards_by_mint(
            session, {str(t.mint) for t in transfers if t.mint is not None and t.mint not in coins}
        ),
        deposits={d.reference: d for d in found},
        issued_by_platform=signed_by(tx, platform.authority.pubkey()),
    )
    credited = 0
    for transfer in transfers:
        credited += await _take(session, context, transfer)
    return credited


async def _take(session: AsyncSession, context: _Context, transfer: IncomingTransfer) -> int:
    asset = context.coins.get(transfer.mint) if transfer.mint is not None else None
    card = context.cards.get(str(transfer.mint)) if asset is None else None
    reason = ignore_reason(transfer, asset, card, issued_by_platform=context.issued_by_platform)
    deposit = None if reason else matching_deposit(transfer, context.deposits, utcnow())
    sender = None
    if reason is None and deposit is None and transfer.sender is not None:
        sender = await session.scalar(select(User).where(User.address == str(transfer.sender)))
    outcome = destination_of(reason, deposit, sender)
    user_id = deposit.user_id if deposit is not None else sender.id if sender else None
    result = await session.execute(
        insert_or_ignore(session, DepositReceipt).values(
            signature=context.signature,
            instruction_index=transfer.instruction_index,
            deposit_id=deposit.id if deposit is not None else None,
            amount=transfer.amount,
            source=str(transfer.source or ""),
            slot=context.slot,
            created_at=utcnow(),
            outcome=outcome.value,
            reason=reason,
            mint=str(transfer.mint) if transfer.mint is not None else None,
            sender=str(transfer.sender) if transfer.sender is not None else None,
            user_id=user_id,
        )
    )
    if getattr(result, "rowcount", 0) != 1:
        return 0  # handled before, by us or another watcher
    key = f"{context.signature}:{transfer.instruction_index}"
    if outcome is ReceiptOutcome.ignored:
        log.warning("custody_transfer_ignored", transfer=key, reason=reason, amount=transfer.amount)
        return 0
    if outcome is ReceiptOutcome.unclaimed:
        await _park(session, context, transfer, asset, card)
        return 0
    assert user_id is not None
    await _give(
        session, key, user_id, transfer.amount, asset, card, ref=deposit.id if deposit else key
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


async def _give(
    session: AsyncSession,
    key: str,
    user_id: str,
    amount: int,
    asset: Asset | None,
    card: Card | None,
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
                code=TransferCode.deposit,
                reference=ref,
            )
        ],
    )


async def _park(
    session: AsyncSession,
    context: _Context,
    transfer: IncomingTransfer,
    asset: Asset | None,
    card: Card | None,
) -> None:
    named = next(
        (context.deposits[str(r)].id for r in transfer.references if str(r) in context.deposits),
        None,
    )
    parked = UnclaimedPayment(
        signature=context.signature,
        instruction_index=transfer.instruction_index,
        asset=asset.value if asset is not None else PaymentAsset.CARD.value,
        mint=str(transfer.mint),
        amount=transfer.amount,
        card_id=card.id if card is not None else None,
        sender=str(transfer.sender) if transfer.sender is not None else None,
        deposit_id=named,
        status=UnclaimedStatus.open.value,
    )
    session.add(parked)
    await session.flush()
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
                    code=TransferCode.deposit,
                    reference=parked.id,
                )
            ],
        )
    log.warning("custody_transfer_unclaimed", unclaimed=parked.id, amount=transfer.amount)
    await emit(session, "deposit.unclaimed", parked.id, asset=parked.asset, amount=parked.amount)


async def _mark_credited(
    session: AsyncSession, deposit: Deposit, amount: int, signature: str
) -> None:
    # Every payment reaches the user's balance at once; the request itself is complete only
    # once it received its amount, so dust from anyone cannot close it early.
    first = deposit.status != DepositStatus.credited
    deposit.received_amount += amount
    if first and deposit.received_amount >= deposit.amount:
        deposit.status = DepositStatus.credited.value
        deposit.signature = signature
        deposit.credited_at = utcnow()
    await emit(
        session,
        "deposit.credited",
        deposit.id,
        user_id=deposit.user_id,
        asset=deposit.asset,
        amount=amount,
        signature=signature,
    )


async def custody_account(session: AsyncSession, asset: Asset) -> int:
    return await ledger.account_for(session, OwnerType.custody, assets.CUSTODY_OWNER_ID, asset)


async def unclaimed_account(session: AsyncSession, asset: Asset) -> int:
    return await ledger.account_for(session, OwnerType.platform, UNCLAIMED_OWNER_ID, asset)

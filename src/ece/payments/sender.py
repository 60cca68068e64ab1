"""The withdrawal sender: send each held withdrawal as a real transfer, crash-safely.

The sender never sends a transaction it has not first stored:

1. ``sign``: one committed step turns a ``pending`` withdrawal into ``sent`` with its signed
   transaction, signature and ``last_valid_block_height``.
2. ``settle``: for every ``sent`` withdrawal, ask the chain about the signature. Unknown and the
   blockhash still valid: broadcast the stored bytes (the same signature, so a repeat can never
   pay twice). Final and successful: post the hold. Final with an error, or unknown once the
   blockhash has expired (it can no longer land): void the hold.

A crash anywhere leaves a row that step 2 finishes on the next run, by any worker. Transactions
are sent without preflight so a failing one lands with its error: a definite outcome.
"""

from __future__ import annotations

import structlog
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import Chain, ChainError, TransactionFailed
from ece.chain.tokens import spl
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.payments import assets, repository, rules
from ece.payments.models import PaymentAsset, Withdrawal, WithdrawalStatus

log = structlog.get_logger("ece.payments.withdrawals")

MEMO_PROGRAM_ID = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")


def _transaction(platform: Platform, withdrawal: Withdrawal, blockhash: Hash) -> Transaction:
    if withdrawal.asset == PaymentAsset.CARD:
        target = assets.card(platform, Pubkey.from_string(withdrawal.mint))
    else:
        target = assets.coin(platform, Asset(withdrawal.asset))
    destination = Pubkey.from_string(withdrawal.destination)
    custody = platform.custody
    instructions = [
        spl.create_associated_token_account_idempotent(
            payer=custody.pubkey(),
            owner=destination,
            mint=target.mint,
            token_program=target.token_program,
        ),
        spl.transfer_checked(
            source=target.custody_account,
            mint=target.mint,
            destination=target.token_account(destination),
            owner=custody.pubkey(),
            amount=withdrawal.amount,
            decimals=target.decimals,
            token_program=target.token_program,
        ),
        # The memo names the withdrawal, so the chain itself says why the tokens moved.
        _memo(withdrawal.id, custody),
    ]
    message = Message.new_with_blockhash(instructions, custody.pubkey(), blockhash)
    return Transaction([custody], message, blockhash)


def _memo(text: str, signer: Keypair) -> Instruction:
    return Instruction(MEMO_PROGRAM_ID, text.encode(), [AccountMeta(signer.pubkey(), True, False)])


async def sign_pending(db: Database, chain: Chain, platform: Platform, *, limit: int = 50) -> int:
    """Step 1: sign pending withdrawals and store them as ``sent`` (committed before any send)."""
    latest = await chain.get_latest_blockhash()  # read before the transaction opens
    async with db.unit_of_work() as session:
        claimed = await repository.claim_pending(session, limit)
        now = utcnow()
        for withdrawal in claimed:
            tx = _transaction(platform, withdrawal, latest.blockhash)
            withdrawal.signature = str(tx.signatures[0])
            withdrawal.signed_transaction = bytes(tx)
            withdrawal.last_valid_block_height = latest.last_valid_block_height
            withdrawal.status = WithdrawalStatus.sent.value
            withdrawal.sent_at = now
            details = rules.audit_details(
                withdrawal.asset,
                withdrawal.amount,
                withdrawal.card_id,
                signature=withdrawal.signature,
            )
            await audit.record(
                session,
                actor=audit.SYSTEM,
                action="withdrawal.sent",
                object_type="withdrawal",
                object_id=withdrawal.id,
                details=details,
            )
            # Its user hears that it is signed and on its way, with the signature to follow.
            await emit(
                session,
                "withdrawal.sent",
                withdrawal.id,
                user_id=withdrawal.user_id,
                **details,
            )
        return len(claimed)


async def settle_sent(db: Database, chain: Chain, *, limit: int = 200) -> None:
    """Step 2: broadcast, re-broadcast, and finish every ``sent`` withdrawal."""
    async with db.unit_of_work(write=False) as session:
        rows = await repository.sent(session, limit)
    for withdrawal_id, signature_text, raw, last_valid in rows:
        signature = Signature.from_string(signature_text)
        # Height first: if it is past the limit and the status is then still unknown, the
        # transaction can never land.
        height = await chain.get_block_height()
        status = await chain.get_signature_status(signature)
        if rules.should_broadcast(status, height, last_valid):
            await _broadcast(chain, withdrawal_id, raw)
            status = await chain.get_signature_status(signature)
        outcome = rules.sent_outcome(status, height, last_valid)
        if outcome.status is not None:
            await _finish(db, withdrawal_id, outcome.status, outcome.reason)


async def _broadcast(chain: Chain, withdrawal_id: str, raw: bytes) -> None:
    try:
        await chain.send_transaction(Transaction.from_bytes(raw), skip_preflight=True)
    except TransactionFailed as exc:
        # Landed with an error: the status says so next. Refused (already processed, blockhash
        # gone): the status or the expiry decides, never this answer alone.
        log.warning("withdrawal_send_refused", withdrawal=withdrawal_id, err=exc.err)
    except ChainError as exc:
        log.warning("withdrawal_send_unavailable", withdrawal=withdrawal_id, error=str(exc))


async def _finish(
    db: Database, withdrawal_id: str, status: WithdrawalStatus, reason: str | None
) -> None:
    """Post (``confirmed``) or void (``failed``) the hold, once: only the worker whose UPDATE
    wins does it."""
    async with db.unit_of_work() as session:
        if not await repository.finish_sent(session, withdrawal_id, status, reason):
            return
        withdrawal = await repository.get(session, Withdrawal, withdrawal_id, fresh=True)
        assert withdrawal is not None
        ok = status is WithdrawalStatus.confirmed
        await release_hold(session, withdrawal, ok=ok)
        if not ok:
            # A failed withdrawal gives its share of the daily limit back.
            await repository.give_back_quota(session, withdrawal)
            log.error("withdrawal_failed", withdrawal=withdrawal.id, reason=reason)
        details = rules.audit_details(
            withdrawal.asset,
            withdrawal.amount,
            withdrawal.card_id,
            user_id=withdrawal.user_id,
            reason=reason,
        )
        await audit.record(
            session,
            actor=audit.SYSTEM,
            action=f"withdrawal.{status.value}",
            object_type="withdrawal",
            object_id=withdrawal.id,
            details=details,
        )
        await emit(
            session,
            f"withdrawal.{status.value}",
            withdrawal.id,
            user_id=withdrawal.user_id,
            signature=withdrawal.signature,
        )


async def release_hold(session: AsyncSession, withdrawal: Withdrawal, *, ok: bool) -> None:
    """The card leaves (``ok``) or is unlocked; the coins' hold is posted or voided."""
    if withdrawal.asset == PaymentAsset.CARD:
        assert withdrawal.card_id is not None
        if ok:
            await cards.mark_withdrawn(session, withdrawal.card_id, withdrawal.id)
        else:
            await cards.unlock_card(
                session, withdrawal.card_id, cards.LockKind.withdrawal, withdrawal.id
            )
        return
    assert withdrawal.hold_id is not None
    if ok:
        await ledger.post_pending(session, withdrawal.hold_id, new_id=f"{withdrawal.hold_id}:post")
    else:
        await ledger.void_pending(session, withdrawal.hold_id, new_id=f"{withdrawal.hold_id}:void")


async def backlog_age(db: Database) -> float:
    """Seconds since the oldest withdrawal still pending or sent was requested (0 when none):
    what the withdrawals-stuck alert watches."""
    async with db.unit_of_work(write=False) as session:
        oldest = await repository.oldest_unfinished_withdrawal(session)
    return 0.0 if oldest is None else max((utcnow() - oldest).total_seconds(), 0.0)

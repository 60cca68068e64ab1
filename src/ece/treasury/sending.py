"""Submitted payouts go on chain and end ``confirmed`` (ledger posted) or ``failed`` (amount
back in the payable). Whatever happened before a crash is read from the chain, never guessed:
a transaction that landed is confirmed, one whose durable nonce is unused is sent (again: it can
land once), and one that can no longer land is failed after its nonce is burnt."""

from __future__ import annotations

import structlog
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction

from ece.audit import service as audit
from ece.auth import service as auth
from ece.chain.protocol import Chain, ChainError, SignatureStatus, TransactionFailed
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.treasury import moves, multisig, repository
from ece.treasury.multisig import Treasury
from ece.treasury.rules import PayoutStatus

log = structlog.get_logger("ece.treasury.sending")


def _final(status: SignatureStatus | None) -> bool:
    return status is not None and (
        status.err is not None or status.confirmation_status == "finalized"
    )


async def send_submitted(db: Database, chain: Chain, treasury: Treasury, *, limit: int = 50) -> int:
    """Send, re-read and finish every submitted payout; returns how many ended."""
    async with db.unit_of_work(write=False) as session:
        ids = await repository.submitted_ids(session, limit)
    ended = 0
    for payout_id in ids:
        try:
            ended += await _advance(db, chain, treasury, payout_id)
        except ChainError as exc:  # the chain is away: the next run tries again
            log.warning("payout_chain_unavailable", payout=payout_id, error=str(exc))
    return ended


async def _advance(db: Database, chain: Chain, treasury: Treasury, payout_id: str) -> int:
    async with db.unit_of_work(write=False) as session:
        payout = await repository.get_payout(session, payout_id)
    if payout is None or payout.status != PayoutStatus.submitted.value:
        return 0
    assert payout.signature and payout.signed_transaction and payout.message
    assert payout.nonce_account
    signature = Signature.from_string(payout.signature)
    status = await chain.get_signature_status(signature)
    if not _final(status):
        nonce = await multisig.current_nonce(chain, Pubkey.from_string(payout.nonce_account))
        if nonce != Message.from_bytes(payout.message).recent_blockhash:
            # Its nonce moved and it never landed: it never can.
            return await _finish(db, payout_id, PayoutStatus.failed, "nonce_advanced")
        refused = await _send(chain, payout_id, payout.signed_transaction)
        status = await chain.get_signature_status(signature)
        if not _final(status):
            if refused is None:
                return 0
            # Refused before landing: burn the nonce so this transaction can never land later.
            await multisig.burn_nonce(chain, treasury, Pubkey.from_string(payout.nonce_account))
            return await _finish(db, payout_id, PayoutStatus.failed, refused)
    assert status is not None
    if status.err is None:
        return await _finish(db, payout_id, PayoutStatus.confirmed, None)
    return await _finish(db, payout_id, PayoutStatus.failed, "transaction_failed")


async def _send(chain: Chain, payout_id: str, raw: bytes) -> str | None:
    """Send; the refusal's name when the chain refused it before landing, else None."""
    try:
        await chain.send_transaction(Transaction.from_bytes(raw))
    except TransactionFailed as exc:
        log.warning("payout_send_refused", payout=payout_id, err=exc.err)
        if exc.landed or exc.err == "AlreadyProcessed":
            return None
        return "refused:" + (exc.err if isinstance(exc.err, str) else next(iter(exc.err), "error"))
    return None


async def _finish(db: Database, payout_id: str, status: PayoutStatus, reason: str | None) -> int:
    """Post the ledger (confirmed) or give the amount back (failed), once."""
    async with db.unit_of_work() as session:
        if not await repository.finish(session, payout_id, status, reason, utcnow()):
            return 0
        payout = await repository.get_payout(session, payout_id)
        assert payout is not None
        ok = status is PayoutStatus.confirmed
        if ok:
            await moves.paid_out(session, payout)
        else:
            await moves.give_back(session, payout)
        event = "payout.sent" if ok else "payout.failed"
        details = {
            "amount": format_amount(payout.amount, Asset.USDC),
            "destination": payout.destination,
            "signature": payout.signature,
            "reason": reason,
        }
        await audit.record(
            session,
            actor=audit.SYSTEM,
            action="payout.confirmed" if ok else "payout.failed",
            object_type="payout",
            object_id=payout.id,
            details=details,
        )
        # The user who signed in with the destination wallet (proven by its signature) is the
        # one the money reached: ``payout.sent`` notifies them. Companies have no other users.
        receiver = await auth.user_by_address(session, payout.destination)
        named = {"user_id": receiver.id} if receiver is not None else {}
        await emit(session, event, payout.id, company_id=payout.company_id, **named, **details)
        if not ok:
            log.error("payout_failed", payout=payout.id, reason=reason)
        return 1

"""Signers sign a payout's message, one at a time, hours apart if need be. At M valid
signatures the transaction is complete: it is stored as ``submitted`` (committed before any
send) and the sender job puts it on chain."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.core.clock import utcnow
from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ece.core.outbox import emit
from ece.treasury import multisig, repository, rules
from ece.treasury.models import Payout, PayoutSignature
from ece.treasury.multisig import Treasury
from ece.treasury.rules import PayoutStatus


@dataclass(frozen=True, slots=True)
class PayoutTransaction:
    message: str  # base64 of the message bytes
    signers: list[str]
    threshold: int
    signatures: list[tuple[str, str]]  # (signer, base58 signature)


async def load(session: AsyncSession, payout_id: str, *, lock: bool = False) -> Payout:
    payout = await repository.get_payout(session, payout_id, lock=lock)
    if payout is None:
        raise NotFound("No such payout.", code="payout_not_found")
    return payout


async def transaction_of(session: AsyncSession, payout_id: str) -> PayoutTransaction:
    payout = await load(session, payout_id)
    if payout.message is None:
        raise Conflict("This payout has no transaction to sign.", code="payout_not_signable")
    signed = await repository.signatures_of(session, payout_id)
    return PayoutTransaction(
        message=base64.b64encode(payout.message).decode(),
        signers=list(payout.signers),
        threshold=payout.threshold,
        signatures=[(s.signer, s.signature) for s in signed],
    )


def _verifies(signature: str, signer: str, message: bytes) -> bool:
    try:
        return Signature.from_string(signature).verify(Pubkey.from_string(signer), message)
    except ValueError:
        return False


async def add_signature(
    session: AsyncSession,
    treasury: Treasury,
    *,
    payout_id: str,
    user_id: str,
    user_address: str,
    signer: str,
    signature: str,
) -> Payout:
    """Record one member's signature; the M-th completes the transaction (``submitted``).

    403 ``not_your_wallet`` / ``not_a_signer`` / ``not_a_required_signer``, 409
    ``already_signed`` / ``payout_not_awaiting_signatures``, 422 ``invalid_signature``."""
    payout = await load(session, payout_id, lock=True)
    if payout.status != PayoutStatus.awaiting_signatures.value or payout.message is None:
        raise Conflict(
            "This payout is not waiting for signatures.", code="payout_not_awaiting_signatures"
        )
    signed = {s.signer for s in await repository.signatures_of(session, payout_id)}
    refusal = rules.signature_refusal(
        signer=signer,
        members=[str(s) for s in treasury.signers],
        required=list(payout.signers),
        user_address=user_address,
        already=signed,
        valid=_verifies(signature, signer, payout.message),
    )
    if refusal is not None:
        code, detail = refusal
        error = {"already_signed": Conflict, "invalid_signature": Unprocessable}.get(
            code, Forbidden
        )
        raise error(detail, code=code)
    row = PayoutSignature(
        payout_id=payout.id, signer=signer, signature=signature, user_id=user_id, signed_at=utcnow()
    )
    if not await repository.add_signature(session, row):
        raise Conflict("This signer has already signed this payout.", code="already_signed")
    signed.add(signer)
    await audit.record(
        session,
        actor=user_id,
        action="payout.signed",
        object_type="payout",
        object_id=payout.id,
        details={"signer": signer, "signatures": len(signed), "threshold": payout.threshold},
    )
    await emit(session, "payout.signed", payout.id, signer=signer, signatures=len(signed))
    if len(signed) >= payout.threshold:
        await _complete(session, treasury, payout)
    return payout


async def _complete(session: AsyncSession, treasury: Treasury, payout: Payout) -> None:
    assert payout.message is not None
    message = Message.from_bytes(payout.message)
    rows = await repository.signatures_of(session, payout.id)
    by_signer = {Pubkey.from_string(r.signer): Signature.from_string(r.signature) for r in rows}
    tx = multisig.signed_transaction(treasury, message, by_signer)
    payout.signature = str(tx.signatures[0])
    payout.signed_transaction = bytes(tx)
    assert rules.may_move(PayoutStatus(payout.status), PayoutStatus.submitted)
    payout.status = PayoutStatus.submitted.value
    payout.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=audit.SYSTEM,
        action="payout.submitted",
        object_type="payout",
        object_id=payout.id,
        details={"signature": payout.signature},
    )

"""Any M of the N multisig members pay a payout, in two steps, hours apart if need be:

1. **Approve** (off chain, signed in with the member's wallet): the first M approvers are the
   signers the payout's transaction names; that transaction (on the payout's durable nonce) is
   built the moment the M-th approves. An approver may withdraw while the transaction is not
   complete, and an admin may clear every approval (a chosen signer lost their key): the
   transaction is dropped with its signatures and the next M approvers are chosen afresh. Every
   version is built on the same nonce, so at most one of them can ever land.
2. **Sign**: each chosen signer signs that message. At M valid signatures the transaction is
   complete: it is stored as ``submitted`` (committed before any send) and the sender job
   puts it on chain."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from solders.hash import Hash
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.core.clock import utcnow
from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ece.core.outbox import emit
from ece.treasury import multisig, repository, rules
from ece.treasury.models import Payout, PayoutApproval, PayoutSignature
from ece.treasury.multisig import Treasury
from ece.treasury.rules import PayoutStatus


@dataclass(frozen=True, slots=True)
class PayoutTransaction:
    message: str | None  # base64 of the message bytes; None until M members approved
    signers: list[str]
    threshold: int
    signatures: list[tuple[str, str]]  # (signer, base58 signature)
    approvals: list[str]


async def load(session: AsyncSession, payout_id: str, *, lock: bool = False) -> Payout:
    payout = await repository.get_payout(session, payout_id, lock=lock)
    if payout is None:
        raise NotFound("No such payout.", code="payout_not_found")
    return payout


async def transaction_of(session: AsyncSession, payout_id: str) -> PayoutTransaction:
    payout = await load(session, payout_id)
    if payout.nonce is None:
        raise Conflict("This payout has no transaction to sign.", code="payout_not_signable")
    signed = await repository.signatures_of(session, payout_id)
    approvals = await repository.approvals_of(session, payout_id)
    return PayoutTransaction(
        message=None if payout.message is None else base64.b64encode(payout.message).decode(),
        signers=list(payout.signers),
        threshold=payout.threshold,
        signatures=[(s.signer, s.signature) for s in signed],
        approvals=[a.signer for a in approvals],
    )


def _awaiting(payout: Payout) -> None:
    if payout.status != PayoutStatus.awaiting_signatures.value or payout.nonce is None:
        raise Conflict(
            "This payout is not waiting for signatures.", code="payout_not_awaiting_signatures"
        )


async def approve(
    session: AsyncSession, treasury: Treasury, *, payout_id: str, user_id: str, approver: str
) -> Payout:
    """A member (signed in with the wallet ``approver``) approves; the M-th approval chooses
    the signers and builds the transaction they sign.

    403 ``not_a_signer``, 409 ``already_approved`` / ``signers_chosen`` /
    ``payout_not_awaiting_signatures``."""
    payout = await load(session, payout_id, lock=True)
    _awaiting(payout)
    members = [str(s) for s in treasury.signers]
    already = {a.signer for a in await repository.approvals_of(session, payout_id)}
    refusal = rules.approval_refusal(
        approver=approver, members=members, chosen=list(payout.signers), already=already
    )
    if refusal is not None:
        code, detail = refusal
        raise (Forbidden if code == "not_a_signer" else Conflict)(detail, code=code)
    row = PayoutApproval(
        payout_id=payout.id, signer=approver, user_id=user_id, approved_at=utcnow()
    )
    if not await repository.add_approval(session, row):
        raise Conflict("This signer has already approved this payout.", code="already_approved")
    already.add(approver)
    chosen = rules.chosen_signers(members, already, treasury.threshold)
    if chosen is not None:
        _build(treasury, payout, chosen)
    payout.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=user_id,
        action="payout.approved_by_signer",
        object_type="payout",
        object_id=payout.id,
        details={"signer": approver, "approvals": len(already), "chosen": chosen},
    )
    return payout


def _build(treasury: Treasury, payout: Payout, chosen: list[str]) -> None:
    assert payout.nonce_account is not None and payout.nonce is not None
    message = multisig.payout_message(
        treasury,
        nonce_account=Pubkey.from_string(payout.nonce_account),
        nonce=Hash.from_string(payout.nonce),
        destination_wallet=Pubkey.from_string(payout.destination),
        amount=payout.amount,
        signers=[Pubkey.from_string(s) for s in chosen],
    )
    payout.message = bytes(message)
    payout.signers = chosen


async def withdraw(
    session: AsyncSession, *, payout_id: str, user_id: str, approver: str | None
) -> Payout:
    """Withdraw ``approver``'s approval (None: an admin clears them all). The transaction
    built on the old choice is dropped with its signatures; 404 ``approval_not_found``."""
    payout = await load(session, payout_id, lock=True)
    _awaiting(payout)
    if not await repository.delete_approvals(session, payout_id, approver):
        raise NotFound("There is no such approval.", code="approval_not_found")
    if payout.message is not None and (approver is None or approver in payout.signers):
        await repository.delete_signatures(session, payout_id)
        payout.message = None
        payout.signers = []
    payout.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=user_id,
        action="payout.approval_withdrawn",
        object_type="payout",
        object_id=payout.id,
        details={"signer": approver},
    )
    return payout


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
    ``signers_not_chosen`` /
    ``already_signed`` / ``payout_not_awaiting_signatures``, 422 ``invalid_signature``."""
    payout = await load(session, payout_id, lock=True)
    _awaiting(payout)
    signed = {s.signer for s in await repository.signatures_of(session, payout_id)}
    refusal = rules.signature_refusal(
        signer=signer,
        members=[str(s) for s in treasury.signers],
        required=list(payout.signers),
        user_address=user_address,
        already=signed,
        valid=payout.message is not None and _verifies(signature, signer, payout.message),
    )
    if refusal is not None:
        code, detail = refusal
        error = {
            "already_signed": Conflict,
            "signers_not_chosen": Conflict,
            "invalid_signature": Unprocessable,
        }.get(code, Forbidden)
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

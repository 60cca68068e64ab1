"""Treasury tables: payout batches, their payouts (one per company), signer approvals and
signatures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin, UTCDateTime


class PayoutBatch(IdMixin, Base):
    __tablename__ = "payout_batches"

    # The scheduled run it is ("2026-11-30T00:00Z"), unique so a run happens once; None on demand.
    slot: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class Payout(IdMixin, Base):
    """One company's payout in USDC. ``legs`` are the ledger moves that put it in flight
    (each reversed if it fails); ``message`` the transaction the signers sign."""

    __tablename__ = "payouts"
    __table_args__ = (Index("ix_payouts_status_created_at", "status", "created_at"),)

    batch_id: Mapped[str] = mapped_column(ForeignKey("payout_batches.id"), index=True)
    company_id: Mapped[str] = mapped_column(String(32), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # USDC base units
    currency: Mapped[str] = mapped_column(String(8), default="USDC")
    destination: Mapped[str] = mapped_column(String(44))
    status: Mapped[str] = mapped_column(String(24))
    legs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    rate: Mapped[str | None] = mapped_column(String(32))  # USDC per ECE, when ECE was converted
    rate_source: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(200))
    nonce_account: Mapped[str | None] = mapped_column(String(44))
    # The durable nonce the transaction is built on (base58), read when the account was made.
    nonce: Mapped[str | None] = mapped_column(String(44))
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    signers: Mapped[list[str]] = mapped_column(JSON, default=list)
    threshold: Mapped[int] = mapped_column(Integer)
    signature: Mapped[str | None] = mapped_column(String(88), index=True)
    signed_transaction: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))


class PayoutApproval(Base):
    """A multisig member's off-chain approval: the first M approvers are the signers the
    payout's transaction names (any M of the N)."""

    __tablename__ = "payout_approvals"

    payout_id: Mapped[str] = mapped_column(ForeignKey("payouts.id"), primary_key=True)
    signer: Mapped[str] = mapped_column(String(44), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class PayoutSignature(Base):
    """A multisig member's signature over a payout's message, verified when it arrived."""

    __tablename__ = "payout_signatures"

    payout_id: Mapped[str] = mapped_column(ForeignKey("payouts.id"), primary_key=True)
    signer: Mapped[str] = mapped_column(String(44), primary_key=True)
    signature: Mapped[str] = mapped_column(String(88))
    user_id: Mapped[str] = mapped_column(String(32))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)

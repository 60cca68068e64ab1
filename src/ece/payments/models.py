"""Deposit and withdrawal tables.

A deposit is a Solana Pay transfer request the user pays on chain; each transfer into custody
is one ``DepositReceipt`` whose key (signature, instruction index) makes crediting happen once
however many watchers see it. What no open deposit claims is credited to the sending user or
parked as an ``UnclaimedPayment`` for an admin. A withdrawal keeps its signed transaction, signature
and ``last_valid_block_height`` from before it is first sent, so a restarted sender re-checks or
re-broadcasts the very same transaction and can never send a second one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin, TimestampMixin


class PaymentAsset(StrEnum):
    """What moves on or off the platform: a coin of the ledger, or one card (an NFT)."""

    ECE = "ECE"
    USDC = "USDC"
    CARD = "CARD"


class DepositStatus(StrEnum):
    awaiting_transfer = "awaiting_transfer"
    credited = "credited"
    expired = "expired"


class ReceiptOutcome(StrEnum):
    """What became of one transfer into custody."""

    credited = "credited"  # to the open deposit whose reference it carried
    credited_sender = "credited_sender"  # late or unreferenced, to the sending user's account
    unclaimed = "unclaimed"  # parked for an admin: no open deposit, sender not a user
    ignored = "ignored"  # nothing to credit (0, unverified, not an ECE asset); ``reason`` says why
    blocked = "blocked"  # from a deny-listed wallet or account: parked unclaimed, not credited


class UnclaimedStatus(StrEnum):
    open = "open"
    credited = "credited"  # an admin credited a named user
    returned = "returned"  # an admin sent it back (or otherwise settled it) off the platform


class WithdrawalStatus(StrEnum):
    pending = "pending"  # held on the ledger, not signed yet
    sent = "sent"  # signed and persisted, broadcast (maybe again), outcome not final
    confirmed = "confirmed"  # finalized on chain; the hold is posted
    failed = "failed"  # failed on chain or expired unseen; the hold is voided
    # Compliance (screening, risk and reviews): never reach the sender unless approved.
    review = "review"  # scored at or above the review threshold; held until an officer decides
    blocked = "blocked"  # a deny-listed address; the hold is voided, nothing is sent
    rejected = "rejected"  # an officer rejected its review; the hold is voided


class Deposit(IdMixin, TimestampMixin, Base):
    __tablename__ = "deposits"
    __table_args__ = (
        Index("ix_deposits_status_expires_at", "status", "expires_at"),
        Index("ix_deposits_user_id_created_at", "user_id", "created_at"),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    asset: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)  # requested, base units (1 for a card)
    # No foreign key: cards belong to the cards domain; the service checks the card exists.
    card_id: Mapped[str | None] = mapped_column(String(32))
    mint: Mapped[str] = mapped_column(String(44))
    recipient: Mapped[str] = mapped_column(String(44))  # the custody owner
    reference: Mapped[str] = mapped_column(String(44), unique=True)
    # The secret in the deposit's Solana Pay transaction-request link: whoever holds the link may
    # ask for the paying transaction, nothing else. None on deposits opened before links existed.
    pay_token: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    status: Mapped[str] = mapped_column(String(24))
    expires_at: Mapped[datetime]
    received_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    signature: Mapped[str | None] = mapped_column(String(88))  # first crediting transaction
    credited_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DepositReceipt(Base):
    """One transfer into custody and what became of it; the primary key forbids acting twice.

    ``instruction_index`` is negative for value that arrived without a readable transfer.
    """

    __tablename__ = "deposit_receipts"
    __table_args__ = (Index("ix_deposit_receipts_outcome_created_at", "outcome", "created_at"),)

    signature: Mapped[str] = mapped_column(String(88), primary_key=True)
    instruction_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    deposit_id: Mapped[str | None] = mapped_column(ForeignKey("deposits.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(44))  # the token account it came from ("" unknown)
    slot: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16), default=ReceiptOutcome.credited.value)
    reason: Mapped[str | None] = mapped_column(String(64))
    mint: Mapped[str | None] = mapped_column(String(44))
    sender: Mapped[str | None] = mapped_column(String(44))  # wallet owning the source account
    user_id: Mapped[str | None] = mapped_column(String(32))  # who was credited, if anyone


class UnclaimedPayment(IdMixin, TimestampMixin, Base):
    """Value custody received that no open deposit and no known wallet claims, until an admin
    resolves it. Coins sit on the ledger's platform ``unclaimed`` account meanwhile."""

    __tablename__ = "unclaimed_payments"
    __table_args__ = (
        UniqueConstraint("signature", "instruction_index"),
        Index("ix_unclaimed_payments_status_created_at", "status", "created_at"),
    )

    signature: Mapped[str] = mapped_column(String(88))
    instruction_index: Mapped[int] = mapped_column(Integer)
    asset: Mapped[str] = mapped_column(String(8))
    mint: Mapped[str] = mapped_column(String(44))
    amount: Mapped[int] = mapped_column(BigInteger)
    card_id: Mapped[str | None] = mapped_column(String(32))
    sender: Mapped[str | None] = mapped_column(String(44))
    deposit_id: Mapped[str | None] = mapped_column(String(32))  # the expired deposit it named
    status: Mapped[str] = mapped_column(String(16), default=UnclaimedStatus.open.value)
    resolved_user_id: Mapped[str | None] = mapped_column(String(32))
    resolved_by: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChainCursor(Base):
    """The newest transaction the custody scan has handled, per custody token account."""

    __tablename__ = "chain_cursors"

    account: Mapped[str] = mapped_column(String(44), primary_key=True)
    signature: Mapped[str] = mapped_column(String(88))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Withdrawal(IdMixin, TimestampMixin, Base):
    __tablename__ = "withdrawals"
    __table_args__ = (
        Index("ix_withdrawals_status_created_at", "status", "created_at"),
        Index("ix_withdrawals_user_id_created_at", "user_id", "created_at"),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    asset: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)  # base units (1 for a card)
    card_id: Mapped[str | None] = mapped_column(String(32))
    mint: Mapped[str] = mapped_column(String(44))
    destination: Mapped[str] = mapped_column(String(44))  # the wallet (owner)
    destination_token_account: Mapped[str] = mapped_column(String(44))
    status: Mapped[str] = mapped_column(String(16))
    hold_id: Mapped[str | None] = mapped_column(String(100))  # ledger pending transfer
    quota_day: Mapped[str] = mapped_column(String(10))  # UTC day counted against the limit
    signature: Mapped[str | None] = mapped_column(String(88), unique=True)
    signed_transaction: Mapped[bytes | None] = mapped_column(LargeBinary)
    last_valid_block_height: Mapped[int | None] = mapped_column(BigInteger)
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WithdrawalQuota(Base):
    """How much a user has withdrawn of an asset on one UTC day; one conditional UPDATE keeps
    concurrent withdrawals inside the limit."""

    __tablename__ = "withdrawal_quotas"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    asset: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    used: Mapped[int] = mapped_column(BigInteger, default=0)

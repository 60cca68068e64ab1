"""Ledger tables, after TigerBeetle: accounts with debits/credits by posted/pending, and
immutable transfers between two accounts of the same asset."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base

# Integer ids give the fixed order in which balance rows are locked (no deadlocks).
_ACCOUNT_ID = BigInteger().with_variant(Integer(), "sqlite")


class OwnerType(StrEnum):
    user = "user"
    company = "company"
    platform = "platform"  # revenue, fees
    custody = "custody"  # mirrors value held on chain: the other side of deposits/withdrawals
    escrow = "escrow"


class TransferKind(StrEnum):
    posted = "posted"  # single-phase: moves posted balances at once
    pending = "pending"  # a hold: moves pending balances until posted or voided
    post_pending = "post_pending"  # resolves a pending transfer, posting all or part of it
    void_pending = "void_pending"  # resolves a pending transfer, releasing it


class TransferCode(StrEnum):
    """Why value moved; later domains add their codes here."""

    deposit = "deposit"
    withdrawal = "withdrawal"
    trade = "trade"
    fee = "fee"
    royalty = "royalty"
    hold = "hold"
    payout = "payout"
    conversion = "conversion"
    reward = "reward"
    adjustment = "adjustment"


class LedgerAccount(Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("owner_type", "owner_id", "asset", "purpose"),
        CheckConstraint(
            "debits_posted >= 0 AND credits_posted >= 0"
            " AND debits_pending >= 0 AND credits_pending >= 0",
            name="non_negative",
        ),
        # Backs the service's balance check: even a bug cannot drive a guarded account negative.
        CheckConstraint(
            "NOT debits_must_not_exceed_credits"
            " OR debits_posted + debits_pending <= credits_posted",
            name="debits_within_credits",
        ),
    )

    id: Mapped[int] = mapped_column(_ACCOUNT_ID, primary_key=True, autoincrement=True)
    owner_type: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str] = mapped_column(String(64))
    asset: Mapped[str] = mapped_column(String(8))
    purpose: Mapped[str] = mapped_column(String(32))
    debits_must_not_exceed_credits: Mapped[bool] = mapped_column(Boolean)
    debits_posted: Mapped[int] = mapped_column(BigInteger, default=0)
    credits_posted: Mapped[int] = mapped_column(BigInteger, default=0)
    debits_pending: Mapped[int] = mapped_column(BigInteger, default=0)
    credits_pending: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerTransfer(Base):
    """Immutable. A pending transfer's fate is the post/void transfer that names it."""

    __tablename__ = "ledger_transfers"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="distinct_accounts"),
        # Unique: a pending transfer resolves exactly once, whatever races the service loses.
        Index("uq_ledger_transfers_pending_id", "pending_id", unique=True),
        Index("ix_ledger_transfers_debit_account_id_created_at", "debit_account_id", "created_at"),
        Index(
            "ix_ledger_transfers_credit_account_id_created_at", "credit_account_id", "created_at"
        ),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)  # chosen by the caller
    kind: Mapped[str] = mapped_column(String(16))
    debit_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    credit_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    asset: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    code: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(128))
    pending_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_transfers.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

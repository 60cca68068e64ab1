"""Compliance tables.

Screening, risk and reviews: the address deny list, every compliance check (the score, its
reasons and the decision, with the subject's amount and destination so later checks compute
their facts from this table alone), and the review items a check opens. KYC and KYB: users' KYC
records (personal fields sealed) and companies' KYB status.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin

# --- screening, risk and reviews ---------------------------------------------------------------


class SubjectType(StrEnum):
    """What a check is about."""

    withdrawal = "withdrawal"
    trade = "trade"
    payout = "payout"
    signin = "signin"
    deposit = "deposit"
    limit_override = "limit_override"  # an officer's proposal to raise a user's 24 h limit


class Decision(StrEnum):
    allow = "allow"
    review = "review"  # waits for a compliance officer, its value still held
    block = "block"  # refused (a sanctions hit): its hold released, nothing sent


class ReviewStatus(StrEnum):
    open = "open"
    approved = "approved"
    rejected = "rejected"


class DenylistEntry(Base):
    """A sanctioned (or otherwise refused) address: no value goes to or comes from it."""

    __tablename__ = "compliance_denylist"

    address: Mapped[str] = mapped_column(String(44), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(64))  # a user id, or "system" (an import)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceCheck(IdMixin, Base):
    """One assessment of one subject: its score 0 to 100, the reasons, and the decision."""

    __tablename__ = "compliance_checks"
    __table_args__ = (
        Index("ix_compliance_checks_user_id_at", "user_id", "at"),
        Index("ix_compliance_checks_company_id_at", "company_id", "at"),
        Index("ix_compliance_checks_subject", "subject_type", "subject_id"),
        Index("ix_compliance_checks_at", "at"),
        # A settled sale is checked once, whichever worker or run reaches it first.
        Index(
            "uq_compliance_checks_trade",
            "subject_id",
            unique=True,
            sqlite_where=text("subject_type = 'trade'"),
            postgresql_where=text("subject_type = 'trade'"),
        ),
    )

    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str | None] = mapped_column(String(32))
    company_id: Mapped[str | None] = mapped_column(String(32))
    asset: Mapped[str | None] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # base units of ``asset``
    destination: Mapped[str | None] = mapped_column(String(44))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[dict[str, object]]] = mapped_column(JSON)  # [{code, weight, detail}]
    decision: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplianceReview(IdMixin, Base):
    """An action waiting for a compliance officer; one per subject."""

    __tablename__ = "compliance_reviews"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id"),
        Index("ix_compliance_reviews_status_created_at", "status", "created_at"),
    )

    check_id: Mapped[str] = mapped_column(ForeignKey("compliance_checks.id"))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str | None] = mapped_column(String(32))
    requested_by: Mapped[str | None] = mapped_column(String(32))  # may never approve it
    score: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.open.value)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class MonitorCursor(Base):
    """How far a monitoring scan has read (post-trade monitoring: the last sale checked, by
    ``executed_at`` then id). Its row is locked by the scan, so two workers never scan at once."""

    __tablename__ = "compliance_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column()
    last_id: Mapped[str] = mapped_column(String(32), default="")


class UserFlag(Base):
    """A user an officer flagged after rejecting one of their trades' reviews: every withdrawal
    of theirs waits in review until an officer lifts the flag."""

    __tablename__ = "compliance_flags"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    review_id: Mapped[str | None] = mapped_column(String(32))
    flagged_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OverrideStatus(StrEnum):
    pending = "pending"  # waits for a second officer in the review queue
    active = "active"  # approved: the limit applies until ``expires_at``
    rejected = "rejected"


class LimitOverride(IdMixin, Base):
    """A raise of one user's 24 h limit for one activity, above their KYC level's: proposed by
    an officer, applied only once another officer approves its review (four eyes)."""

    __tablename__ = "compliance_limit_overrides"
    __table_args__ = (Index("ix_compliance_limit_overrides_user", "user_id", "activity", "status"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    activity: Mapped[str] = mapped_column(String(16))  # withdrawal | purchase
    amount: Mapped[int] = mapped_column(BigInteger)  # base units of ``currency``
    currency: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default=OverrideStatus.pending.value)
    proposed_by: Mapped[str] = mapped_column(String(32))
    review_id: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- KYC and KYB (kyc.py, kyb.py) ---
class KycRecord(Base):
    """A user's KYC level and latest submission. Each personal field is an AES-256-GCM
    ciphertext (nonce + sealed bytes, ``personal_data.py``) with the id of its key beside it,
    so keys rotate one value at a time."""

    __tablename__ = "kyc_records"
    __table_args__ = (Index("ix_kyc_records_status_submitted_at", "status", "submitted_at"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))  # verified level: none | basic | full
    status: Mapped[str] = mapped_column(String(12))  # pending | verified | rejected
    requested_level: Mapped[str] = mapped_column(String(8))
    full_name: Mapped[bytes] = mapped_column(LargeBinary)
    full_name_key: Mapped[str] = mapped_column(String(32))
    country: Mapped[bytes] = mapped_column(LargeBinary)
    country_key: Mapped[str] = mapped_column(String(32))
    date_of_birth: Mapped[bytes] = mapped_column(LargeBinary)
    date_of_birth_key: Mapped[str] = mapped_column(String(32))
    document_number: Mapped[bytes | None] = mapped_column(LargeBinary)
    document_number_key: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))


class KybRecord(Base):
    """A company's KYB status, set by compliance (a company without a row is unverified)."""

    __tablename__ = "kyb_records"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # unverified | verified | rejected
    note: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- end KYC and KYB ---

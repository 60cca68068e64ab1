"""Compliance tables: KYC records of users and KYB status of companies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base


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

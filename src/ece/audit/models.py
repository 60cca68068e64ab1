"""The audit log's tables: the entries, and the head of the chain (its last sequence and hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.db import Base, UTCDateTime


class AuditEntry(Base):
    """One entry. Database triggers refuse DELETE on this table and every UPDATE but an erasure
    (migrations 0014, 0040): one that keeps every hashed column and records ``erased``."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_seq", "actor", "seq"),
        Index("ix_audit_log_action_seq", "action", "seq"),
        Index("ix_audit_log_object_seq", "object_type", "object_id", "seq"),
        Index("ix_audit_log_at", "at"),
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Per personal field (``object_id``, ``details.<key>``): its salt while it is readable,
    # its commitment once erased (``ece.audit.rules``).
    salts: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    erased: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class AuditHead(Base):
    """The chain's head, one row (id 1). Appends lock it, so entries get gap-free sequence
    numbers and each names the hash before it, even with many writers at once."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))

"""Notifications per user, and each user's choices of which types reach which channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.db import Base, IdMixin


class Notification(IdMixin, Base):
    """One notification of one user, made from one outbox event (at most once per event)."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "event_id", "type", name="uq_notifications_event"),
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
    )

    user_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None] = mapped_column(default=None)


class NotificationPreference(Base):
    """A user's choice for one type on one channel; without a row the type's default holds."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)

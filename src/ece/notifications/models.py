"""Notifications per user, and each user's choices of which types reach which channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
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


class WebhookEndpoint(IdMixin, Base):
    """A developer's URL that receives the events it subscribed to, signed with its secret."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_user", "user_id", "created_at"),)

    user_id: Mapped[str] = mapped_column(String(36))
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSON)
    # Kept to sign each delivery (HMAC needs it); shown to its owner once, at creation.
    secret: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookDelivery(IdMixin, Base):
    """One event to one endpoint (or a replay of one), tried until it succeeds or gives up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "dedupe_key", name="uq_webhook_deliveries_dedupe"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "created_at", "id"),
    )

    endpoint_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    event_type: Mapped[str] = mapped_column(String(64))
    # The event id for the relay's delivery (a redelivered event adds none); unique per replay.
    dedupe_key: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # pending | succeeded | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookAttempt(IdMixin, Base):
    """One try of a delivery: the response status, or the error when there was none."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_delivery", "delivery_id", "at"),)

    delivery_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int] = mapped_column(Integer)


class EmailMessage(IdMixin, Base):
    """One email to send: a notification on the email channel, queued by the relay."""

    __tablename__ = "email_messages"
    __table_args__ = (
        UniqueConstraint("user_id", "event_id", "kind", name="uq_email_messages_event"),
        Index("ix_email_messages_due", "status", "next_attempt_at"),
    )

    user_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed | skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class PushSubscription(IdMixin, Base):
    """A browser's Web Push subscription (its push service URL and the keys that encrypt
    for it); removed when the push service answers 404 or 410."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (
        UniqueConstraint("endpoint", name="uq_push_subscriptions_endpoint"),
        Index("ix_push_subscriptions_user", "user_id"),
    )

    user_id: Mapped[str] = mapped_column(String(36))
    endpoint: Mapped[str] = mapped_column(String(2048))
    p256dh: Mapped[str] = mapped_column(String(128))  # the browser's P-256 key, base64url
    auth: Mapped[str] = mapped_column(String(64))  # the shared auth secret, base64url
    created_at: Mapped[datetime]


class PushMessage(IdMixin, Base):
    """One push alert to send to every subscription of a user, queued by the relay."""

    __tablename__ = "push_messages"
    __table_args__ = (
        UniqueConstraint("user_id", "event_id", "kind", name="uq_push_messages_event"),
        Index("ix_push_messages_due", "status", "next_attempt_at"),
    )

    user_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed | skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)

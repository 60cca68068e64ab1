"""API shapes of notifications and notification preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ece.notifications.rules import Channel, Kind

NotificationId = Annotated[str, Field(min_length=1, max_length=32)]


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    type: Kind
    event_id: int
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None = None
    unread_count: int


class MarkReadIn(BaseModel):
    """Either ``ids`` (up to 200 of your notifications) or ``"all": true``."""

    model_config = ConfigDict(extra="forbid")

    ids: list[NotificationId] | None = Field(default=None, max_length=200)
    all: bool = False

    @model_validator(mode="after")
    def one_of(self) -> MarkReadIn:
        if (self.ids is None) == (not self.all):
            raise ValueError('give either "ids" or "all": true')
        return self


class MarkedOut(BaseModel):
    marked: int
    unread_count: int


class PreferenceOut(BaseModel):
    type: Kind
    channel: Channel
    enabled: bool


class PreferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Kind
    channel: Channel
    enabled: bool


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    preferences: list[PreferenceIn] = Field(max_length=100)


class PreferencesOut(BaseModel):
    preferences: list[PreferenceOut]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2048)
    events: list[Annotated[str, Field(max_length=64)]] = Field(min_length=1, max_length=50)


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    disabled_at: datetime | None


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown once: verify ECE-Signature with it")


class AttemptOut(BaseModel):
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


DeliveryStatus = Literal["pending", "succeeded", "failed"]


class DeliveryOut(BaseModel):
    id: str
    event_id: int
    event_type: str
    status: DeliveryStatus
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = None


class PushKeysIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    p256dh: str = Field(
        min_length=80, max_length=128, pattern=r"^[A-Za-z0-9_-]+=*$", description="base64url"
    )
    auth: str = Field(
        min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+=*$", description="base64url"
    )


class PushSubscriptionIn(BaseModel):
    """A browser's ``PushSubscription.toJSON()`` (``expirationTime`` is ignored)."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(min_length=8, max_length=2048)
    keys: PushKeysIn


class PushUnsubscribeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=8, max_length=2048)


class PushSubscriptionOut(BaseModel):
    id: str
    endpoint: str
    created_at: datetime


class PushConfigOut(BaseModel):
    enabled: bool = Field(description="whether the server sends web push (VAPID configured)")
    public_key: str | None = Field(
        description="the VAPID application server key (base64url) for PushManager.subscribe"
    )

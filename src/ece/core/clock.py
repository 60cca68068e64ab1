"""The one clock. Tests move it instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

S = TypeVar("S", bound=StrEnum)


class Clock:
    """Wall-clock time in UTC, with an offset tests (and only tests) can move."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        if self._frozen is not None:
            return self._frozen
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        if self._frozen is not None:
            self._frozen += delta
        else:
            self._offset += delta

    def freeze(self, at: datetime | None = None) -> None:
        self._frozen = at or self.now()

    def reset(self) -> None:
        self._offset = timedelta(0)
        self._frozen = None


clock = Clock()


def utcnow() -> datetime:
    return clock.now()


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def seen_status(kind: type[S], status: str, expires_at: datetime, now: datetime | None = None) -> S:
    """The status a reader sees of an order that can expire (listing, offer, trade offer): an
    active one past its expiry is expired already, whether or not the expiry job has run."""
    if status == "active" and expires_at <= (now or utcnow()):
        return kind("expired")
    return kind(status)

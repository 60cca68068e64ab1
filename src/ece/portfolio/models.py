"""Collector tables: ``watchlist_items`` (a company or a card a user follows),
``price_alerts`` (a floor condition on a company or a card that fires once per crossing) and
``collector_profiles`` (display preferences, the public showcase, hiding the collection)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin, TimestampMixin


class WatchlistItem(IdMixin, TimestampMixin, Base):
    __tablename__ = "watchlist_items"
    __table_args__ = (
        CheckConstraint("(company_id IS NULL) <> (card_id IS NULL)", name="one_target"),
        UniqueConstraint("user_id", "target"),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"))
    card_id: Mapped[str | None] = mapped_column(ForeignKey("cards.id"))
    # "company:<id>" or "card:<id>": one row per user and target, whichever kind it is.
    target: Mapped[str] = mapped_column(String(40))


class PriceAlert(IdMixin, TimestampMixin, Base):
    """``armed`` is true while the condition has not held since the alert was created or last
    fired: the job fires an armed alert whose condition holds (and disarms it), and re-arms a
    disarmed one whose condition no longer holds — once per crossing."""

    __tablename__ = "price_alerts"
    __table_args__ = (
        CheckConstraint("(company_id IS NULL) <> (card_id IS NULL)", name="one_target"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint(
            "condition IN ('floor_below', 'floor_above', 'listed_below')", name="condition"
        ),
        Index("ix_price_alerts_user_id", "user_id"),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"))
    card_id: Mapped[str | None] = mapped_column(ForeignKey("cards.id"))
    condition: Mapped[str] = mapped_column(String(16))
    price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(8))
    armed: Mapped[bool] = mapped_column(default=True)
    fired_count: Mapped[int] = mapped_column(Integer, default=0)
    last_fired_at: Mapped[datetime | None]


class CollectorProfile(Base):
    """A user's preferences and public profile choices; absent until first saved (defaults)."""

    __tablename__ = "collector_profiles"
    __table_args__ = (
        CheckConstraint("theme IN ('system', 'light', 'dark')", name="theme"),
        CheckConstraint("display_currency IN ('USDC', 'ECE')", name="display_currency"),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    display_currency: Mapped[str] = mapped_column(String(8), default="USDC")
    theme: Mapped[str] = mapped_column(String(8), default="system")
    hide_collection: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    showcase: Mapped[list[str]] = mapped_column(JSON, default=list)  # up to 6 card ids
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

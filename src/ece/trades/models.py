"""Trade offers: N cards and tokens for M cards and tokens between two users.

An offer's giver (``maker``) has its cards locked (``LockKind.trade``, ref = offer id) and its
tokens held (a pending ledger transfer straight to the receiver per asset) from creation to the
end, so an active offer can always be honoured by its giver. A counter ends its parent and starts
a new offer in the opposite direction; every version of one negotiation shares ``root_id``.

An offer is *active* only while ``status = 'active'`` and ``expires_at > now``
(``rules.status_of``, ``rules.claimable`` and their SQL twins in ``repository``), so an offer
stops being acceptable at its expiry instant; the expiry job only releases its locks and holds.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin, TimestampMixin
from ece.settlement.swap_rules import SwapSide

_ITEM_ID = BigInteger().with_variant(Integer(), "sqlite")


class TradeStatus(StrEnum):
    active = "active"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"
    countered = "countered"
    expired = "expired"


# An offer's sides are those of the swap it settles as: ``give`` (the maker's cards, locked
# while the offer lives) and ``want`` (the taker's, checked and moved only on accept).
TradeSide = SwapSide


class TradeOffer(IdMixin, TimestampMixin, Base):
    __tablename__ = "trade_offers"
    __table_args__ = (
        CheckConstraint(
            "give_ece >= 0 AND give_usdc >= 0 AND want_ece >= 0 AND want_usdc >= 0",
            name="amounts_non_negative",
        ),
        CheckConstraint("maker_user_id <> taker_user_id", name="distinct_parties"),
        Index("ix_trade_offers_maker_user_id_created_at", "maker_user_id", "created_at"),
        Index("ix_trade_offers_taker_user_id_created_at", "taker_user_id", "created_at"),
        Index("ix_trade_offers_status_expires_at", "status", "expires_at"),
        Index("ix_trade_offers_root_id", "root_id"),
    )

    maker_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    taker_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    # Tokens in base units; 0 = none of that asset on that side.
    give_ece: Mapped[int] = mapped_column(BigInteger, default=0)
    give_usdc: Mapped[int] = mapped_column(BigInteger, default=0)
    want_ece: Mapped[int] = mapped_column(BigInteger, default=0)
    want_usdc: Mapped[int] = mapped_column(BigInteger, default=0)
    message: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default=TradeStatus.active.value)
    expires_at: Mapped[datetime]
    # The counter chain: parent = the version this one answered; root = the chain's first offer.
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("trade_offers.id"))
    root_id: Mapped[str] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TradeOfferItem(Base):
    """A card on one side of an offer. Card ids carry a foreign key: cards are never deleted."""

    __tablename__ = "trade_offer_items"
    __table_args__ = (
        UniqueConstraint("offer_id", "card_id"),
        CheckConstraint("side IN ('give', 'want')", name="side"),
        Index("ix_trade_offer_items_card_id", "card_id"),
    )

    id: Mapped[int] = mapped_column(_ITEM_ID, primary_key=True, autoincrement=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("trade_offers.id"))
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    side: Mapped[str] = mapped_column(String(8))

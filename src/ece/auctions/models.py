"""Auction tables: ``auctions`` (English and Dutch) and ``auction_bids`` (every bid placed).

An English auction keeps its standing on the row (``current_price``, ``leader_bid_id``,
``bid_count``) as ``rules.standing`` computed it at the last bid, so reads need no
recomputation; the runner-up (``second_*``) beside the leader lets a bid decide the new
standing from the row alone. Only the leading bid holds funds: its ``hold_transfer_id`` is a
pending ledger transfer of its max; every other bid's hold was released when it stopped
leading.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ece.auctions.rules import AuctionState
from ece.core.db import Base, IdMixin, TimestampMixin


class Auction(IdMixin, TimestampMixin, Base):
    __tablename__ = "auctions"
    __table_args__ = (
        CheckConstraint("kind IN ('english', 'dutch')", name="kind"),
        CheckConstraint("start_price > 0", name="start_price_positive"),
        CheckConstraint("end_price IS NULL OR end_price > 0", name="end_price_positive"),
        CheckConstraint("seller_kind IN ('user', 'issuer')", name="seller_kind"),
        Index("ix_auctions_state_ends_at", "state", "ends_at"),
        Index("ix_auctions_company_id_state", "company_id", "state"),
        Index("ix_auctions_card_id", "card_id"),
        Index("ix_auctions_created_at_id", "created_at", "id"),
    )

    kind: Mapped[str] = mapped_column(String(8))
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    seller_kind: Mapped[str] = mapped_column(String(8))  # user | issuer (a primary sale)
    seller_id: Mapped[str] = mapped_column(String(32))  # user id, or company id for issuer
    currency: Mapped[str] = mapped_column(String(8))
    start_price: Mapped[int] = mapped_column(BigInteger)
    end_price: Mapped[int | None] = mapped_column(BigInteger)  # Dutch only
    reserve_price: Mapped[int | None] = mapped_column(BigInteger)  # hidden from the public
    buy_now_price: Mapped[int | None] = mapped_column(BigInteger)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default=AuctionState.open.value)
    current_price: Mapped[int] = mapped_column(BigInteger)
    leader_bid_id: Mapped[str | None] = mapped_column(String(32))
    leader_user_id: Mapped[str | None] = mapped_column(String(32))
    leader_max: Mapped[int | None] = mapped_column(BigInteger)  # never shown
    # The runner-up: the second-highest current max (English), so a bid needs no other read.
    second_bid_id: Mapped[str | None] = mapped_column(String(32))
    second_user_id: Mapped[str | None] = mapped_column(String(32))
    second_max: Mapped[int | None] = mapped_column(BigInteger)  # never shown
    bid_count: Mapped[int] = mapped_column(Integer, default=0)
    bid_seq: Mapped[int] = mapped_column(Integer, default=0)
    winner_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    final_price: Mapped[int | None] = mapped_column(BigInteger)
    sale_id: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class AuctionBid(IdMixin, TimestampMixin, Base):
    __tablename__ = "auction_bids"
    __table_args__ = (
        CheckConstraint("max_amount > 0", name="max_positive"),
        Index("ix_auction_bids_auction_id_seq", "auction_id", "seq"),
        Index("ix_auction_bids_auction_id_status", "auction_id", "status"),
        Index("ix_auction_bids_bidder_user_id_created_at", "bidder_user_id", "created_at"),
    )

    auction_id: Mapped[str] = mapped_column(ForeignKey("auctions.id"))
    bidder_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    max_amount: Mapped[int] = mapped_column(BigInteger)  # never shown to anyone but the bidder
    seq: Mapped[int] = mapped_column(Integer)  # order of bids in the auction; ties go to lower
    price_after: Mapped[int] = mapped_column(BigInteger)  # the visible price this bid made
    status: Mapped[str] = mapped_column(String(16))
    hold_transfer_id: Mapped[str | None] = mapped_column(String(100))

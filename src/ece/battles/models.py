"""Battle tables: ``battles`` (one takeover simulation with its terms, frozen at creation, and
its commit-reveal seed), ``battle_entries`` (a user's side, fee hold and payout),
``battle_cards`` (each staked card as it was staked: rarity and power) and ``battle_votes``
(one per user per battle, the latest side and weight).

The seed stays on the row from creation; it is shown only once the battle is settled (or
cancelled). The result (scores, deal factors, payouts) is written once, by the settlement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ece.battles.rules import BattleState
from ece.core.db import Base, IdMixin, TimestampMixin


class Battle(IdMixin, TimestampMixin, Base):
    __tablename__ = "battles"
    __table_args__ = (
        CheckConstraint("entry_fee > 0", name="entry_fee_positive"),
        CheckConstraint("sponsor >= 0", name="sponsor_non_negative"),
        CheckConstraint("state IN ('open', 'settled', 'cancelled')", name="state"),
        Index("ix_battles_state_vote_until", "state", "vote_until"),
        Index("ix_battles_state_enrol_until", "state", "enrol_until"),
        Index("ix_battles_acquirer_company_id", "acquirer_company_id"),
        Index("ix_battles_target_company_id", "target_company_id"),
    )

    title: Mapped[str] = mapped_column(String(120))
    acquirer_company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    target_company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    entry_fee: Mapped[int] = mapped_column(BigInteger)  # ECE base units
    sponsor: Mapped[int] = mapped_column(BigInteger, default=0)  # treasury top-up, ECE
    max_cards_per_user: Mapped[int] = mapped_column(Integer)
    enrol_until: Mapped[datetime]
    vote_until: Mapped[datetime]
    # The terms as they were when it opened: a later change of settings never changes a result.
    fee_bps: Mapped[int] = mapped_column(Integer)
    voter_pool_bps: Mapped[int] = mapped_column(Integer)
    vote_points: Mapped[int] = mapped_column(Integer)
    multipliers: Mapped[str] = mapped_column(String(200))
    seed: Mapped[str] = mapped_column(String(64))  # secret until settled
    seed_commitment: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=BattleState.open.value)
    voting_announced: Mapped[bool] = mapped_column(default=False)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(32))
    winner: Mapped[str | None] = mapped_column(String(16))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class BattleEntry(IdMixin, TimestampMixin, Base):
    __tablename__ = "battle_entries"
    __table_args__ = (
        UniqueConstraint("battle_id", "user_id"),
        CheckConstraint("side IN ('acquirer', 'target')", name="side"),
        Index("ix_battle_entries_user_id", "user_id"),
    )

    battle_id: Mapped[str] = mapped_column(ForeignKey("battles.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(16))
    staked_power: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    hold_transfer_id: Mapped[str] = mapped_column(String(100))
    payout: Mapped[int | None] = mapped_column(BigInteger)


class BattleCard(Base):
    __tablename__ = "battle_cards"
    __table_args__ = (Index("ix_battle_cards_card_id", "card_id"),)

    battle_id: Mapped[str] = mapped_column(ForeignKey("battles.id"), primary_key=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("battle_entries.id"))
    rarity: Mapped[str] = mapped_column(String(16))
    power: Mapped[int] = mapped_column(Integer)


class BattleVote(IdMixin, TimestampMixin, Base):
    __tablename__ = "battle_votes"
    __table_args__ = (
        UniqueConstraint("battle_id", "user_id"),
        CheckConstraint("side IN ('acquirer', 'target')", name="side"),
    )

    battle_id: Mapped[str] = mapped_column(ForeignKey("battles.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(16))
    weight: Mapped[int] = mapped_column(BigInteger)
    cards_held: Mapped[int] = mapped_column(Integer)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]

"""Company and card tables, and the immutable history of every card.

A card has exactly one owner: a user, or its company's issuer inventory (cards not yet sold).
It carries at most one lock (listing, auction, trade offer, battle, withdrawal) in the
``lock_kind``/``lock_ref`` columns of its own row, so two locks cannot coexist by construction;
locks are taken with a conditional UPDATE (see ``ece.cards.repository``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ece.cards.rules import STATUS_OF_LOCK, CardEventKind, CardStatus, LockKind, status_of
from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin, TimestampMixin

# The catalog's sorts (see ``catalog_repository.SORTS``), one index each on exactly the sort's
# expressions, created by raw SQL in migration 0032 (expression indexes).
CARD_SORT_INDEXES = (
    "ix_cards_sort_power",
    "ix_cards_sort_price_asc",
    "ix_cards_sort_price_desc",
    "ix_cards_sort_last_sale",
)
# Search structures are created by raw SQL in the migration (an FTS5 table on SQLite, a GIN
# expression index on PostgreSQL); tell Alembic's autogenerate (migrations/env.py) to leave them.
Base.metadata.info.setdefault("unmanaged_tables", set()).add("card_search")
Base.metadata.info.setdefault("unmanaged_indexes", set()).add("ix_cards_search_tsv")
Base.metadata.info["unmanaged_tables"].add("search_suggest_fts")
Base.metadata.info["unmanaged_indexes"].update({"ix_search_suggestions_trgm", *CARD_SORT_INDEXES})

__all__ = [
    "STATUS_OF_LOCK",
    "Card",
    "CardEvent",
    "CardEventKind",
    "CardStatus",
    "Company",
    "LockKind",
    "SearchSuggestion",
]

# Event ids give history its order; integer so it is also the pagination key.
_EVENT_ID = BigInteger().with_variant(Integer(), "sqlite")


class Company(IdMixin, TimestampMixin, Base):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("royalty_bps >= 0 AND royalty_bps <= 1000", name="royalty_bps_range"),
    )

    name: Mapped[str] = mapped_column(String(100))
    ticker: Mapped[str] = mapped_column(String(10), unique=True)
    sector: Mapped[str] = mapped_column(String(64), index=True)
    country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    royalty_bps: Mapped[int] = mapped_column(Integer)
    payout_address: Mapped[str] = mapped_column(String(44))
    color: Mapped[str] = mapped_column(String(7))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Card(IdMixin, TimestampMixin, Base):
    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("company_id", "rarity", "serial_number"),
        CheckConstraint(
            "(owner_user_id IS NULL) <> (owner_company_id IS NULL)", name="exactly_one_owner"
        ),
        CheckConstraint("(lock_kind IS NULL) = (lock_ref IS NULL)", name="lock_has_ref"),
        CheckConstraint(
            "power BETWEEN 0 AND 100 AND valuation BETWEEN 0 AND 100 AND growth BETWEEN 0 AND 100"
            " AND innovation BETWEEN 0 AND 100 AND influence BETWEEN 0 AND 100",
            name="stats_range",
        ),
        Index("ix_cards_created_at_id", "created_at", "id"),
    )
    # Newest first reads ix_cards_created_at_id (not an index on created_at alone).
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    # Not indexed: four values, so a filter on it is best served by walking the sort's index.
    rarity: Mapped[str] = mapped_column(String(16))
    serial_number: Mapped[int] = mapped_column(Integer)
    edition_size: Mapped[int] = mapped_column(Integer)
    power: Mapped[int] = mapped_column(SmallInteger)
    valuation: Mapped[int] = mapped_column(SmallInteger)
    growth: Mapped[int] = mapped_column(SmallInteger)
    innovation: Mapped[int] = mapped_column(SmallInteger)
    influence: Mapped[int] = mapped_column(SmallInteger)

    mint: Mapped[str] = mapped_column(String(44), unique=True)
    mint_signature: Mapped[str] = mapped_column(String(88))
    metadata_cid: Mapped[str] = mapped_column(String(100))
    image_cid: Mapped[str] = mapped_column(String(100))
    # Card name, company name, ticker and sector in one string, kept by the service; the search
    # backends index it (FTS5 on SQLite, tsvector and trigram on PostgreSQL).
    search_text: Mapped[str] = mapped_column(Text)

    owner_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"), index=True)
    lock_kind: Mapped[str | None] = mapped_column(String(16), index=True)
    lock_ref: Mapped[str | None] = mapped_column(String(64))
    locked_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    # Maintained by the marketplace (the open listing's price, in list_asset base units) so the
    # catalog can sort by price without reaching into marketplace tables; NULL when not listed.
    list_price: Mapped[int | None] = mapped_column(BigInteger)
    list_asset: Mapped[str | None] = mapped_column(String(8))
    # Set by ``transfer_card`` when a transfer carries a price.
    last_sale_price: Mapped[int | None] = mapped_column(BigInteger)
    last_sale_asset: Mapped[str | None] = mapped_column(String(8))
    last_sale_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(lazy="raise", foreign_keys=[company_id])
    owner_company: Mapped[Company | None] = relationship(
        lazy="raise", foreign_keys=[owner_company_id]
    )

    @property
    def status(self) -> CardStatus:
        return status_of(self.lock_kind, self.withdrawn_at)

    @property
    def stats(self) -> dict[str, int]:
        return {
            "power": self.power,
            "valuation": self.valuation,
            "growth": self.growth,
            "innovation": self.innovation,
            "influence": self.influence,
        }

    @property
    def serial(self) -> str:
        return f"#{self.serial_number}/{self.edition_size}"


class CardEvent(Base):
    """One step of a card's history. Rows are only ever inserted: database triggers (see the
    migration) refuse UPDATE and DELETE on both SQLite and PostgreSQL."""

    __tablename__ = "card_events"
    __table_args__ = (
        Index("ix_card_events_card_id_id", "card_id", "id"),
        CheckConstraint("(price IS NULL) = (currency IS NULL)", name="price_has_currency"),
        Index("ix_card_events_to_user_id_id", "to_user_id", "id"),
        Index("ix_card_events_from_user_id_id", "from_user_id", "id"),
    )

    id: Mapped[int] = mapped_column(_EVENT_ID, primary_key=True, autoincrement=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    kind: Mapped[str] = mapped_column(String(16))
    from_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    from_company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"))
    to_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    to_company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"))
    price: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str | None] = mapped_column(String(100))
    # A card moved by a card-for-card swap carries no price; its market value at the swap
    # (the reference price of its company) is recorded here so a portfolio can give it a basis.
    value_hint: Mapped[int | None] = mapped_column(BigInteger)
    value_asset: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    from_company: Mapped[Company | None] = relationship(
        lazy="raise", foreign_keys=[from_company_id]
    )
    to_company: Mapped[Company | None] = relationship(lazy="raise", foreign_keys=[to_company_id])


class SearchSuggestion(Base):
    """A word a collector types towards: a company name, a ticker or a card name (distinct).

    ``ref`` is the company id (company, ticker) or the card name (card). Looked up by trigrams
    of ``label_lc``: a ``pg_trgm`` GIN index on PostgreSQL, an FTS5 ``trigram`` table kept by
    triggers on SQLite (see the migration)."""

    __tablename__ = "search_suggestions"
    __table_args__ = (UniqueConstraint("kind", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(100))
    label_lc: Mapped[str] = mapped_column(String(100))
    ref: Mapped[str] = mapped_column(String(100))

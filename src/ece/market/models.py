"""Marketplace tables: listings, their price changes, and offers (on one card or on a
collection).

A listing or offer is *active* only while ``status = 'active'`` and ``expires_at > now``: every
read and every write uses ``active_listing_filter`` / ``active_offer_filter``, so an expired row
stops counting at its expiry instant; the expiry job only tidies (releases locks and holds).
The record of an executed sale is settlement's (``ece.settlement.models.Sale``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin, TimestampMixin


class ListingStatus(StrEnum):
    active = "active"
    filled = "filled"
    cancelled = "cancelled"
    expired = "expired"


class OfferStatus(StrEnum):
    active = "active"
    filled = "filled"
    cancelled = "cancelled"
    expired = "expired"


class OfferKind(StrEnum):
    card = "card"
    collection = "collection"


class Listing(IdMixin, TimestampMixin, Base):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("seller_kind IN ('user', 'issuer')", name="seller_kind"),
        # Floors and the listing search: active listings of a company by currency and price.
        Index(
            "ix_listings_status_company_id_currency_price",
            "status",
            "company_id",
            "currency",
            "price",
        ),
        Index("ix_listings_status_expires_at", "status", "expires_at"),
        # Browsing all live listings of a currency by price (the marketplace's default view).
        Index("ix_listings_status_currency_price_id", "status", "currency", "price", "id"),
        Index("ix_listings_card_id_status", "card_id", "status"),
        Index("ix_listings_seller_id_created_at", "seller_id", "created_at"),
    )

    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    # Copied from the card (they never change) so searches and floors need no join.
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    rarity: Mapped[str] = mapped_column(String(16))
    seller_kind: Mapped[str] = mapped_column(String(8))  # user | issuer (a primary sale)
    seller_id: Mapped[str] = mapped_column(String(32))  # user id, or company id for issuer
    price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(8))
    # A private listing: only this wallet may buy.
    taker_address: Mapped[str | None] = mapped_column(String(44))
    status: Mapped[str] = mapped_column(String(16), default=ListingStatus.active.value)
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ListingPriceChange(IdMixin, TimestampMixin, Base):
    """One change of a listing's price, written in the transaction that changed it: the card's
    history and the activity feed show every change, not only a listing's current price.
    ``created_at`` is when the price changed."""

    __tablename__ = "listing_price_changes"
    __table_args__ = (
        CheckConstraint("old_price > 0 AND new_price > 0", name="prices_positive"),
        CheckConstraint("old_price <> new_price", name="price_changed"),
        CheckConstraint("seller_kind IN ('user', 'issuer')", name="seller_kind"),
        Index("ix_listing_price_changes_card_id_created_at", "card_id", "created_at"),
        Index("ix_listing_price_changes_company_id_created_at", "company_id", "created_at"),
        Index("ix_listing_price_changes_seller_id_created_at", "seller_id", "created_at"),
        Index("ix_listing_price_changes_listing_id_created_at", "listing_id", "created_at"),
    )

    listing_id: Mapped[str] = mapped_column(ForeignKey("listings.id"))
    # Copied from the listing (they never change) so the feed's filters need no join.
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    seller_kind: Mapped[str] = mapped_column(String(8))  # user | issuer
    seller_id: Mapped[str] = mapped_column(String(32))
    old_price: Mapped[int] = mapped_column(BigInteger)
    new_price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(8))


class Offer(IdMixin, TimestampMixin, Base):
    """A bid holding ``price * (quantity - filled)`` of the buyer's funds in a pending transfer.

    ``hold_transfer_id`` names the current hold; each fill posts part of it and re-holds the
    rest under a new id (``hold_seq`` counts them), so the hold always equals what is left.
    """

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("quantity > 0 AND filled >= 0 AND filled <= quantity", name="quantity"),
        CheckConstraint("kind IN ('card', 'collection')", name="kind"),
        CheckConstraint("(kind = 'card') = (card_id IS NOT NULL)", name="card_offer_has_card"),
        Index("ix_offers_status_card_id_currency_price", "status", "card_id", "currency", "price"),
        Index(
            "ix_offers_status_company_id_currency_price",
            "status",
            "company_id",
            "currency",
            "price",
        ),
        Index("ix_offers_status_expires_at", "status", "expires_at"),
        Index("ix_offers_buyer_user_id_created_at", "buyer_user_id", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    buyer_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    card_id: Mapped[str | None] = mapped_column(ForeignKey("cards.id"))
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    filter_rarity: Mapped[str | None] = mapped_column(String(16))
    filter_min_power: Mapped[int | None] = mapped_column(SmallInteger)
    price: Mapped[int] = mapped_column(BigInteger)  # per card
    currency: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[int] = mapped_column(Integer)
    filled: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.active.value)
    expires_at: Mapped[datetime]
    hold_transfer_id: Mapped[str | None] = mapped_column(String(100))
    hold_seq: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def remaining(self) -> int:
        return self.quantity - self.filled


def active_listing_filter(now: datetime | None = None) -> ColumnElement[bool]:
    """Listings that can be bought now. Use it wherever "listed" matters (floors, stats)."""
    return and_(
        Listing.status == ListingStatus.active.value, Listing.expires_at > (now or utcnow())
    )


def public_listing_filter(now: datetime | None = None) -> ColumnElement[bool]:
    """Active listings anyone may buy: private listings do not set a floor."""
    return and_(active_listing_filter(now), Listing.taker_address.is_(None))


def active_offer_filter(now: datetime | None = None) -> ColumnElement[bool]:
    """Offers that can be accepted now."""
    return and_(
        Offer.status == OfferStatus.active.value,
        Offer.expires_at > (now or utcnow()),
        Offer.filled < Offer.quantity,
    )

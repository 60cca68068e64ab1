"""The record of every executed sale (table ``sales``), whatever path sold the card: a listing,
an offer, a sweep, or a card priced by an accepted trade offer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, IdMixin


class SaleSource(StrEnum):
    listing = "listing"
    offer = "offer"
    collection_offer = "collection_offer"
    sweep = "sweep"
    trade_offer = "trade_offer"  # a card bought with the net tokens of an accepted trade offer
    auction = "auction"  # the winning bid, a buy-now or a Dutch buy


class Sale(IdMixin, Base):
    """One executed sale (the API's ``trade``): written by ``service.record_sale`` only, for a
    listing, offer or sweep (``settle_sale``) or a card priced by an accepted trade offer.

    ``wash_suspect`` is set by settlement's wash-trade rule (``ece.settlement.rules``); market
    data leaves flagged sales out of its stats.
    """

    __tablename__ = "sales"
    __table_args__ = (
        CheckConstraint("price > 0 AND fee >= 0 AND royalty >= 0", name="amounts"),
        CheckConstraint("fee + royalty <= price", name="split_within_price"),
        Index("ix_sales_company_id_executed_at", "company_id", "executed_at"),
        Index("ix_sales_card_id_executed_at", "card_id", "executed_at"),
        Index("ix_sales_buyer_user_id_executed_at", "buyer_user_id", "executed_at"),
        Index("ix_sales_seller_id_executed_at", "seller_id", "executed_at"),
    )

    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    seller_kind: Mapped[str] = mapped_column(String(8))  # user | issuer
    seller_id: Mapped[str] = mapped_column(String(32))
    buyer_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(8))
    fee: Mapped[int] = mapped_column(BigInteger)
    royalty: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64))  # the listing, offer or trade offer sold through
    executed_at: Mapped[datetime] = mapped_column(default=utcnow)
    wash_suspect: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

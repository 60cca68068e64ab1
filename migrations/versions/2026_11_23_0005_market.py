"""market

Listings (a locked card at a fixed price, with an expiry and an optional private taker),
offers (on one card or on a company's cards matching a filter, holding price x remaining on the
ledger) and sales (the one record of every executed sale, with its fee, royalty and a wash-trade
flag for market data).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:42:50.543217
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "listings",
        sa.Column("card_id", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.String(length=32), nullable=False),
        sa.Column("rarity", sa.String(length=16), nullable=False),
        sa.Column("seller_kind", sa.String(length=8), nullable=False),
        sa.Column("seller_id", sa.String(length=32), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("taker_address", sa.String(length=44), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "seller_kind IN ('user', 'issuer')", name=op.f("ck_listings_seller_kind")
        ),
        sa.CheckConstraint("price > 0", name=op.f("ck_listings_price_positive")),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_listings_card_id_cards")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_listings_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listings")),
    )
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.create_index("ix_listings_card_id_status", ["card_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_listings_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_listings_seller_id_created_at", ["seller_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_listings_status_company_id_currency_price",
            ["status", "company_id", "currency", "price"],
            unique=False,
        )
        batch_op.create_index(
            "ix_listings_status_expires_at", ["status", "expires_at"], unique=False
        )

    op.create_table(
        "offers",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("buyer_user_id", sa.String(length=32), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=True),
        sa.Column("company_id", sa.String(length=32), nullable=False),
        sa.Column("filter_rarity", sa.String(length=16), nullable=True),
        sa.Column("filter_min_power", sa.SmallInteger(), nullable=True),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("filled", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("hold_transfer_id", sa.String(length=100), nullable=True),
        sa.Column("hold_seq", sa.Integer(), nullable=False),
        sa.Column("closed_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'card') = (card_id IS NOT NULL)", name=op.f("ck_offers_card_offer_has_card")
        ),
        sa.CheckConstraint("kind IN ('card', 'collection')", name=op.f("ck_offers_kind")),
        sa.CheckConstraint("price > 0", name=op.f("ck_offers_price_positive")),
        sa.CheckConstraint(
            "quantity > 0 AND filled >= 0 AND filled <= quantity", name=op.f("ck_offers_quantity")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_user_id"], ["users.id"], name=op.f("fk_offers_buyer_user_id_users")
        ),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_offers_card_id_cards")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_offers_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_offers_buyer_user_id_created_at", ["buyer_user_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_offers_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_offers_status_card_id_currency_price",
            ["status", "card_id", "currency", "price"],
            unique=False,
        )
        batch_op.create_index(
            "ix_offers_status_company_id_currency_price",
            ["status", "company_id", "currency", "price"],
            unique=False,
        )
        batch_op.create_index("ix_offers_status_expires_at", ["status", "expires_at"], unique=False)

    op.create_table(
        "sales",
        sa.Column("card_id", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.String(length=32), nullable=False),
        sa.Column("seller_kind", sa.String(length=8), nullable=False),
        sa.Column("seller_id", sa.String(length=32), nullable=False),
        sa.Column("buyer_user_id", sa.String(length=32), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("royalty", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("executed_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("wash_suspect", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.CheckConstraint("fee + royalty <= price", name=op.f("ck_sales_split_within_price")),
        sa.CheckConstraint(
            "price > 0 AND fee >= 0 AND royalty >= 0", name=op.f("ck_sales_amounts")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_user_id"], ["users.id"], name=op.f("fk_sales_buyer_user_id_users")
        ),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_sales_card_id_cards")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_sales_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sales_buyer_user_id_executed_at", ["buyer_user_id", "executed_at"], unique=False
        )
        batch_op.create_index(
            "ix_sales_card_id_executed_at", ["card_id", "executed_at"], unique=False
        )
        batch_op.create_index(
            "ix_sales_company_id_executed_at", ["company_id", "executed_at"], unique=False
        )
        batch_op.create_index(
            "ix_sales_seller_id_executed_at", ["seller_id", "executed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_seller_id_executed_at")
        batch_op.drop_index("ix_sales_company_id_executed_at")
        batch_op.drop_index("ix_sales_card_id_executed_at")
        batch_op.drop_index("ix_sales_buyer_user_id_executed_at")

    op.drop_table("sales")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index("ix_offers_status_expires_at")
        batch_op.drop_index("ix_offers_status_company_id_currency_price")
        batch_op.drop_index("ix_offers_status_card_id_currency_price")
        batch_op.drop_index(batch_op.f("ix_offers_created_at"))
        batch_op.drop_index("ix_offers_buyer_user_id_created_at")

    op.drop_table("offers")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_index("ix_listings_status_expires_at")
        batch_op.drop_index("ix_listings_status_company_id_currency_price")
        batch_op.drop_index("ix_listings_seller_id_created_at")
        batch_op.drop_index(batch_op.f("ix_listings_created_at"))
        batch_op.drop_index("ix_listings_card_id_status")

    op.drop_table("listings")

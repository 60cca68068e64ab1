"""listing price changes: every change of a listing's price, kept

``listing_price_changes`` holds one row per change of a listing's price (old and new price,
currency, seller, card, company), written in the transaction that changes it, so the card's
history and the activity feed (type ``price_change``) show every change. Changes made before
this revision were not kept and are not recovered.

Revision ID: 0041
Revises: 0039
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0041"
down_revision: str | Sequence[str] | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "listing_price_changes"
_INDEXES = {
    "ix_listing_price_changes_card_id_created_at": ["card_id", "created_at"],
    "ix_listing_price_changes_company_id_created_at": ["company_id", "created_at"],
    "ix_listing_price_changes_seller_id_created_at": ["seller_id", "created_at"],
    "ix_listing_price_changes_listing_id_created_at": ["listing_id", "created_at"],
    "ix_listing_price_changes_created_at": ["created_at"],
}


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("listing_id", sa.String(length=32), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.String(length=32), nullable=False),
        sa.Column("seller_kind", sa.String(length=8), nullable=False),
        sa.Column("seller_id", sa.String(length=32), nullable=False),
        sa.Column("old_price", sa.BigInteger(), nullable=False),
        sa.Column("new_price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "old_price > 0 AND new_price > 0", name=op.f("ck_listing_price_changes_prices_positive")
        ),
        sa.CheckConstraint(
            "old_price <> new_price", name=op.f("ck_listing_price_changes_price_changed")
        ),
        sa.CheckConstraint(
            "seller_kind IN ('user', 'issuer')", name=op.f("ck_listing_price_changes_seller_kind")
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_price_changes_listing_id_listings"),
        ),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_listing_price_changes_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_listing_price_changes_company_id_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_price_changes")),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, _TABLE, columns, unique=False)


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name=_TABLE)
    op.drop_table(_TABLE)

"""trades

Trade offers (N cards and tokens for M, between two users) and their cards per side. Every
version of a counter chain shares ``root_id``; ``parent_id`` links a counter to the offer it
answered. Holds and locks live in the ledger and card rows, named by the offer id.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 09:44:56.796708
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trade_offers",
        sa.Column("maker_user_id", sa.String(length=32), nullable=False),
        sa.Column("taker_user_id", sa.String(length=32), nullable=False),
        sa.Column("give_ece", sa.BigInteger(), nullable=False),
        sa.Column("give_usdc", sa.BigInteger(), nullable=False),
        sa.Column("want_ece", sa.BigInteger(), nullable=False),
        sa.Column("want_usdc", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("parent_id", sa.String(length=32), nullable=True),
        sa.Column("root_id", sa.String(length=32), nullable=False),
        sa.Column("closed_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "give_ece >= 0 AND give_usdc >= 0 AND want_ece >= 0 AND want_usdc >= 0",
            name=op.f("ck_trade_offers_amounts_non_negative"),
        ),
        sa.CheckConstraint(
            "maker_user_id <> taker_user_id", name=op.f("ck_trade_offers_distinct_parties")
        ),
        sa.ForeignKeyConstraint(
            ["maker_user_id"], ["users.id"], name=op.f("fk_trade_offers_maker_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["trade_offers.id"], name=op.f("fk_trade_offers_parent_id_trade_offers")
        ),
        sa.ForeignKeyConstraint(
            ["taker_user_id"], ["users.id"], name=op.f("fk_trade_offers_taker_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_offers")),
    )
    with op.batch_alter_table("trade_offers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trade_offers_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            "ix_trade_offers_maker_user_id_created_at",
            ["maker_user_id", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_trade_offers_root_id", ["root_id"], unique=False)
        batch_op.create_index(
            "ix_trade_offers_status_expires_at", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_trade_offers_taker_user_id_created_at",
            ["taker_user_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "trade_offer_items",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("offer_id", sa.String(length=32), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.CheckConstraint("side IN ('give', 'want')", name=op.f("ck_trade_offer_items_side")),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_trade_offer_items_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["trade_offers.id"],
            name=op.f("fk_trade_offer_items_offer_id_trade_offers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_offer_items")),
        sa.UniqueConstraint(
            "offer_id", "card_id", name=op.f("uq_trade_offer_items_offer_id_card_id")
        ),
    )
    with op.batch_alter_table("trade_offer_items", schema=None) as batch_op:
        batch_op.create_index("ix_trade_offer_items_card_id", ["card_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trade_offer_items", schema=None) as batch_op:
        batch_op.drop_index("ix_trade_offer_items_card_id")

    op.drop_table("trade_offer_items")
    with op.batch_alter_table("trade_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_trade_offers_taker_user_id_created_at")
        batch_op.drop_index("ix_trade_offers_status_expires_at")
        batch_op.drop_index("ix_trade_offers_root_id")
        batch_op.drop_index("ix_trade_offers_maker_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_trade_offers_created_at"))

    op.drop_table("trade_offers")

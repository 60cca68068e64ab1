"""auctions

English and Dutch auctions (``auctions``) and every bid placed in them (``auction_bids``).
A sale made by an auction is recorded in ``sales`` with source ``auction`` (a plain string
column: no constraint to change).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auctions",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.String(length=32), nullable=False),
        sa.Column("seller_kind", sa.String(length=8), nullable=False),
        sa.Column("seller_id", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("start_price", sa.BigInteger(), nullable=False),
        sa.Column("end_price", sa.BigInteger(), nullable=True),
        sa.Column("reserve_price", sa.BigInteger(), nullable=True),
        sa.Column("buy_now_price", sa.BigInteger(), nullable=True),
        sa.Column("starts_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("current_price", sa.BigInteger(), nullable=False),
        sa.Column("leader_bid_id", sa.String(length=32), nullable=True),
        sa.Column("leader_user_id", sa.String(length=32), nullable=True),
        sa.Column("leader_max", sa.BigInteger(), nullable=True),
        sa.Column("bid_count", sa.Integer(), nullable=False),
        sa.Column("bid_seq", sa.Integer(), nullable=False),
        sa.Column("winner_user_id", sa.String(length=32), nullable=True),
        sa.Column("final_price", sa.BigInteger(), nullable=True),
        sa.Column("sale_id", sa.String(length=32), nullable=True),
        sa.Column("closed_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('english', 'dutch')", name=op.f("ck_auctions_kind")),
        sa.CheckConstraint(
            "seller_kind IN ('user', 'issuer')", name=op.f("ck_auctions_seller_kind")
        ),
        sa.CheckConstraint(
            "end_price IS NULL OR end_price > 0", name=op.f("ck_auctions_end_price_positive")
        ),
        sa.CheckConstraint("start_price > 0", name=op.f("ck_auctions_start_price_positive")),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_auctions_card_id_cards")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_auctions_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["winner_user_id"], ["users.id"], name=op.f("fk_auctions_winner_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auctions")),
    )
    with op.batch_alter_table("auctions", schema=None) as batch_op:
        batch_op.create_index("ix_auctions_card_id", ["card_id"], unique=False)
        batch_op.create_index("ix_auctions_company_id_state", ["company_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_auctions_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_auctions_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_auctions_state_ends_at", ["state", "ends_at"], unique=False)

    op.create_table(
        "auction_bids",
        sa.Column("auction_id", sa.String(length=32), nullable=False),
        sa.Column("bidder_user_id", sa.String(length=32), nullable=False),
        sa.Column("max_amount", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("price_after", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("hold_transfer_id", sa.String(length=100), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_amount > 0", name=op.f("ck_auction_bids_max_positive")),
        sa.ForeignKeyConstraint(
            ["auction_id"], ["auctions.id"], name=op.f("fk_auction_bids_auction_id_auctions")
        ),
        sa.ForeignKeyConstraint(
            ["bidder_user_id"], ["users.id"], name=op.f("fk_auction_bids_bidder_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_bids")),
    )
    with op.batch_alter_table("auction_bids", schema=None) as batch_op:
        batch_op.create_index("ix_auction_bids_auction_id_seq", ["auction_id", "seq"], unique=False)
        batch_op.create_index(
            "ix_auction_bids_bidder_user_id_created_at",
            ["bidder_user_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_auction_bids_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("auction_bids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auction_bids_created_at"))
        batch_op.drop_index("ix_auction_bids_bidder_user_id_created_at")
        batch_op.drop_index("ix_auction_bids_auction_id_seq")

    op.drop_table("auction_bids")
    with op.batch_alter_table("auctions", schema=None) as batch_op:
        batch_op.drop_index("ix_auctions_state_ends_at")
        batch_op.drop_index("ix_auctions_created_at_id")
        batch_op.drop_index(batch_op.f("ix_auctions_created_at"))
        batch_op.drop_index("ix_auctions_company_id_state")
        batch_op.drop_index("ix_auctions_card_id")

    op.drop_table("auctions")

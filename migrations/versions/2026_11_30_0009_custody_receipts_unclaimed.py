"""custody receipts record every transfer into custody; unclaimed payments; custody scan cursor

Every transfer into custody gets a receipt with its outcome (credited to a deposit, credited to
the sending user, parked as unclaimed, or ignored with a reason), so a receipt no longer always
names a deposit. Payments no open deposit claims wait in ``unclaimed_payments`` for an admin.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deposit_receipts", schema=None) as batch_op:
        batch_op.alter_column("deposit_id", existing_type=sa.String(length=32), nullable=True)
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=16), nullable=False, server_default="credited")
        )
        batch_op.add_column(sa.Column("reason", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mint", sa.String(length=44), nullable=True))
        batch_op.add_column(sa.Column("sender", sa.String(length=44), nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.String(length=32), nullable=True))
        batch_op.create_index(
            "ix_deposit_receipts_outcome_created_at", ["outcome", "created_at"], unique=False
        )
    with op.batch_alter_table("deposit_receipts", schema=None) as batch_op:
        batch_op.alter_column("outcome", existing_type=sa.String(length=16), server_default=None)

    op.create_table(
        "unclaimed_payments",
        sa.Column("signature", sa.String(length=88), nullable=False),
        sa.Column("instruction_index", sa.Integer(), nullable=False),
        sa.Column("asset", sa.String(length=8), nullable=False),
        sa.Column("mint", sa.String(length=44), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=True),
        sa.Column("sender", sa.String(length=44), nullable=True),
        sa.Column("deposit_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolved_user_id", sa.String(length=32), nullable=True),
        sa.Column("resolved_by", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("resolved_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unclaimed_payments")),
        sa.UniqueConstraint(
            "signature",
            "instruction_index",
            name=op.f("uq_unclaimed_payments_signature_instruction_index"),
        ),
    )
    with op.batch_alter_table("unclaimed_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unclaimed_payments_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            "ix_unclaimed_payments_status_created_at", ["status", "created_at"], unique=False
        )

    op.create_table(
        "chain_cursors",
        sa.Column("account", sa.String(length=44), nullable=False),
        sa.Column("signature", sa.String(length=88), nullable=False),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_chain_cursors")),
    )


def downgrade() -> None:
    op.drop_table("chain_cursors")
    with op.batch_alter_table("unclaimed_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_unclaimed_payments_status_created_at")
        batch_op.drop_index(batch_op.f("ix_unclaimed_payments_created_at"))
    op.drop_table("unclaimed_payments")
    # Receipts that name no deposit cannot survive the older shape.
    op.execute("DELETE FROM deposit_receipts WHERE deposit_id IS NULL")
    with op.batch_alter_table("deposit_receipts", schema=None) as batch_op:
        batch_op.drop_index("ix_deposit_receipts_outcome_created_at")
        batch_op.drop_column("user_id")
        batch_op.drop_column("sender")
        batch_op.drop_column("mint")
        batch_op.drop_column("reason")
        batch_op.drop_column("outcome")
        batch_op.alter_column("deposit_id", existing_type=sa.String(length=32), nullable=False)

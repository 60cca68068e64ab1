"""treasury payouts

Payout batches (weekly by slot, or on demand), one USDC payout per company with the ledger legs
that put it in flight and the durable-nonce transaction its multisig signers sign, and the
signers' signatures.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, ece.core.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "payout_batches",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("slot", sa.String(32), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_batches")),
        sa.UniqueConstraint("slot", name=op.f("uq_payout_batches_slot")),
    )
    op.create_table(
        "payouts",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("batch_id", sa.String(32), nullable=False),
        sa.Column("company_id", sa.String(32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("destination", sa.String(44), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("legs", sa.JSON(), nullable=False),
        sa.Column("rate", sa.String(32), nullable=True),
        sa.Column("rate_source", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("nonce_account", sa.String(44), nullable=True),
        sa.Column("message", sa.LargeBinary(), nullable=True),
        sa.Column("signers", sa.JSON(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(88), nullable=True),
        sa.Column("signed_transaction", sa.LargeBinary(), nullable=True),
        _at("created_at"),
        _at("updated_at"),
        _at("finished_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["payout_batches.id"], name=op.f("fk_payouts_batch_id_payout_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payouts")),
    )
    op.create_index(op.f("ix_payouts_batch_id"), "payouts", ["batch_id"])
    op.create_index(op.f("ix_payouts_company_id"), "payouts", ["company_id"])
    op.create_index(op.f("ix_payouts_signature"), "payouts", ["signature"])
    op.create_index("ix_payouts_status_created_at", "payouts", ["status", "created_at"])
    op.create_table(
        "payout_signatures",
        sa.Column("payout_id", sa.String(32), nullable=False),
        sa.Column("signer", sa.String(44), nullable=False),
        sa.Column("signature", sa.String(88), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        _at("signed_at"),
        sa.ForeignKeyConstraint(
            ["payout_id"], ["payouts.id"], name=op.f("fk_payout_signatures_payout_id_payouts")
        ),
        sa.PrimaryKeyConstraint("payout_id", "signer", name=op.f("pk_payout_signatures")),
    )


def downgrade() -> None:
    op.drop_table("payout_signatures")
    op.drop_index("ix_payouts_status_created_at", table_name="payouts")
    op.drop_index(op.f("ix_payouts_signature"), table_name="payouts")
    op.drop_index(op.f("ix_payouts_company_id"), table_name="payouts")
    op.drop_index(op.f("ix_payouts_batch_id"), table_name="payouts")
    op.drop_table("payouts")
    op.drop_table("payout_batches")

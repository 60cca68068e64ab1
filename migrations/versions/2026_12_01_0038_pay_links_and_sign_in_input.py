"""Solana Pay transaction-request links and Wallet Standard sign-in

``deposits.pay_token``: the unguessable secret of each deposit's transaction-request link
(``/pay/deposits/{token}``), unique; deposits opened before have none. ``signin_nonces``: the
address becomes optional (a ``solana:signIn`` challenge lets the wallet name its account) and
``issued_at`` records the instant the challenge states, so a signed message is checked field by
field instead of byte for byte.

Revision ID: 0038
Revises: 0032
Create Date: 2026-12-01 09:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0038"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pay_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_deposits_pay_token"), ["pay_token"])
    with op.batch_alter_table("signin_nonces", schema=None) as batch_op:
        batch_op.alter_column("address", existing_type=sa.String(length=44), nullable=True)
        batch_op.add_column(
            sa.Column("issued_at", ece.core.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    op.execute("DELETE FROM signin_nonces WHERE address IS NULL")
    with op.batch_alter_table("signin_nonces", schema=None) as batch_op:
        batch_op.drop_column("issued_at")
        batch_op.alter_column("address", existing_type=sa.String(length=44), nullable=False)
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_deposits_pay_token"), type_="unique")
        batch_op.drop_column("pay_token")

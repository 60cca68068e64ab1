"""emergency pauses

One row per paused scope (``all``, ``trading``, ``deposits``, ``withdrawals``, ``payouts``,
``auctions``, ``battles``): why, who paused it last and since when. No row: the scope runs.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pauses",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_pauses")),
    )


def downgrade() -> None:
    op.drop_table("pauses")

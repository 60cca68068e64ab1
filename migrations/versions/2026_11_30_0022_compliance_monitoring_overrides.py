"""post-trade monitoring, user flags and four-eyes limit overrides

The cursor of the post-trade scan, a sale checked at most once (a partial unique index on
trade checks), users flagged after a rejected trade review, and officers' limit raises that
apply only once a second officer approves them.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ece.core.db.UTCDateTime(timezone=True)
TRADE = sa.text("subject_type = 'trade'")


def upgrade() -> None:
    op.create_index(
        "uq_compliance_checks_trade",
        "compliance_checks",
        ["subject_id"],
        unique=True,
        sqlite_where=TRADE,
        postgresql_where=TRADE,
    )
    op.create_table(
        "compliance_cursors",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("last_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_compliance_cursors")),
    )
    op.create_table(
        "compliance_flags",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("review_id", sa.String(length=32), nullable=True),
        sa.Column("flagged_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_compliance_flags_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_compliance_flags")),
    )
    op.create_table(
        "compliance_limit_overrides",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("activity", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposed_by", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_compliance_limit_overrides_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_limit_overrides")),
    )
    op.create_index(
        "ix_compliance_limit_overrides_user",
        "compliance_limit_overrides",
        ["user_id", "activity", "status"],
    )


def downgrade() -> None:
    op.drop_index("ix_compliance_limit_overrides_user", table_name="compliance_limit_overrides")
    op.drop_table("compliance_limit_overrides")
    op.drop_table("compliance_flags")
    op.drop_table("compliance_cursors")
    op.drop_index("uq_compliance_checks_trade", table_name="compliance_checks")

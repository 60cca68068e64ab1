"""compliance screening, risk checks and reviews

The address deny list, every compliance check (score, reasons, decision, with the subject's
amount and destination), and the four-eyes review queue.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ece.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "compliance_denylist",
        sa.Column("address", sa.String(length=44), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_compliance_denylist")),
    )
    op.create_table(
        "compliance_checks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("company_id", sa.String(length=32), nullable=True),
        sa.Column("asset", sa.String(length=8), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("destination", sa.String(length=44), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_checks")),
    )
    op.create_index("ix_compliance_checks_user_id_at", "compliance_checks", ["user_id", "at"])
    op.create_index("ix_compliance_checks_company_id_at", "compliance_checks", ["company_id", "at"])
    op.create_index(
        "ix_compliance_checks_subject", "compliance_checks", ["subject_type", "subject_id"]
    )
    op.create_index("ix_compliance_checks_at", "compliance_checks", ["at"])
    op.create_table(
        "compliance_reviews",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("check_id", sa.String(length=32), nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("requested_by", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("decided_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["compliance_checks.id"],
            name=op.f("fk_compliance_reviews_check_id_compliance_checks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_reviews")),
        sa.UniqueConstraint(
            "subject_type", "subject_id", name=op.f("uq_compliance_reviews_subject_type_subject_id")
        ),
    )
    op.create_index(
        "ix_compliance_reviews_status_created_at", "compliance_reviews", ["status", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_compliance_reviews_status_created_at", table_name="compliance_reviews")
    op.drop_table("compliance_reviews")
    for name in (
        "ix_compliance_checks_at",
        "ix_compliance_checks_subject",
        "ix_compliance_checks_company_id_at",
        "ix_compliance_checks_user_id_at",
    ):
        op.drop_index(name, table_name="compliance_checks")
    op.drop_table("compliance_checks")
    op.drop_table("compliance_denylist")

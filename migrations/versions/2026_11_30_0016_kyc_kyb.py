"""kyc and kyb

The verified KYC level on ``users.kyc_level`` (mirrored by compliance for the buy path), users' KYC records (``kyc_records``: level, status, and each personal field as an AES-256-GCM
ciphertext with the id of its key beside it) and companies' KYB status (``kyb_records``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = ece.core.db.UTCDateTime(timezone=True)


def _sealed(name: str, nullable: bool) -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(name, sa.LargeBinary(), nullable=nullable),
        sa.Column(f"{name}_key", sa.String(length=32), nullable=nullable),
    ]


def upgrade() -> None:
    # The verified level, mirrored on the user so the buy path reads it without a query.
    op.add_column(
        "users",
        sa.Column("kyc_level", sa.String(length=8), server_default="none", nullable=False),
    )
    op.create_table(
        "kyc_records",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_level", sa.String(length=8), nullable=False),
        *_sealed("full_name", False),
        *_sealed("country", False),
        *_sealed("date_of_birth", False),
        *_sealed("document_number", True),
        sa.Column("submitted_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_kyc_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_kyc_records")),
    )
    op.create_index("ix_kyc_records_status_submitted_at", "kyc_records", ["status", "submitted_at"])
    op.create_table(
        "kyb_records",
        sa.Column("company_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=False),
        sa.Column("decided_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_kyb_records_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_kyb_records")),
    )


def downgrade() -> None:
    op.drop_table("kyb_records")
    op.drop_index("ix_kyc_records_status_submitted_at", table_name="kyc_records")
    op.drop_table("kyc_records")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("kyc_level")

"""platform pins: the custody wallet and mints the platform committed to

``ece init`` records them; every start refuses keys that do not match.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_pins",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_platform_pins")),
    )


def downgrade() -> None:
    op.drop_table("platform_pins")

"""API key scopes

Each developer API key carries the scopes chosen when it was made (``read``, ``trade``,
``withdraw``; comma-separated). Sessions carry none: they can do all their user can. Keys made
before scopes existed keep reading and trading, but may no longer withdraw: moving funds off the
platform needs a key made for it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("scopes", sa.String(64), nullable=True))
    op.execute("UPDATE credentials SET scopes = 'read,trade' WHERE kind = 'api_key'")


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("scopes")

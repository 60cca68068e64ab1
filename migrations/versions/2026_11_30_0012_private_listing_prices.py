"""private listing prices off the cards

A card listed privately used to carry the listing's price in ``cards.list_price``, which the
catalog sorts by and the web tiles show to everyone. From now on only public listings set it;
this clears the price that open private listings left on their cards.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 13:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        UPDATE cards SET list_price = NULL, list_asset = NULL
        WHERE lock_kind = 'listing'
          AND lock_ref IN (SELECT id FROM listings WHERE taker_address IS NOT NULL)
        """
    )


def downgrade() -> None:
    # The prices are still on the listings; putting them back on the cards would leak them.
    pass

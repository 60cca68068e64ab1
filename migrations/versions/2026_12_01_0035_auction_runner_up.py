"""auction runner-up on the row, current bids by auction and status

An English auction keeps its runner-up (the second-highest current max: bid id, bidder, max)
beside its leader, so a bid decides the new standing from the auction row alone instead of
reading every current bid: with one max per bidder and maxes that only rise, the new leader and
runner-up are always among the old two and the new bid. Open auctions with bids get their
runner-up from their current ``outbid`` bids. The index on ``auction_bids (auction_id,
status)`` finds an auction's few current bids among all its raised ones (a bidder's earlier
max marked ``raised``, the settlement's won/lost).

Revision ID: 0035
Revises: 0038
Create Date: 2026-12-01 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | Sequence[str] | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_RUNNER_UP = (
    "FROM auction_bids b WHERE b.auction_id = auctions.id AND b.status = 'outbid'"
    " ORDER BY b.max_amount DESC, b.seq LIMIT 1"
)
# The runner-up of an open auction is its highest current bid that does not lead.
_BACKFILL = (
    "UPDATE auctions SET"
    " second_bid_id = (SELECT b.id " + _RUNNER_UP + "),"
    " second_user_id = (SELECT b.bidder_user_id " + _RUNNER_UP + "),"
    " second_max = (SELECT b.max_amount " + _RUNNER_UP + ")"
    " WHERE kind = 'english' AND state = 'open'"
)


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) on both backends: the table is not rebuilt.
    op.add_column("auctions", sa.Column("second_bid_id", sa.String(32), nullable=True))
    op.add_column("auctions", sa.Column("second_user_id", sa.String(32), nullable=True))
    op.add_column("auctions", sa.Column("second_max", sa.BigInteger(), nullable=True))
    op.create_index("ix_auction_bids_auction_id_status", "auction_bids", ["auction_id", "status"])
    op.execute(_BACKFILL)


def downgrade() -> None:
    op.drop_index("ix_auction_bids_auction_id_status", table_name="auction_bids")
    # DROP COLUMN without rebuilding the table (SQLite 3.35+; the columns have no index).
    for column in ("second_max", "second_user_id", "second_bid_id"):
        op.execute(f"ALTER TABLE auctions DROP COLUMN {column}")

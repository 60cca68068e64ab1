"""the bids waiting for one auction placed in one call (PostgreSQL)

``ece_place_bids(...)`` applies a batch of bids on one auction in the order given, each one
exactly as ``ece_place_bid`` (migration 0042) applies it alone, each in a subtransaction of
its own: a bid that is not placed (a refusal, ``not_found``, ``invalid_amount``, a ledger
refusal) has everything it wrote undone (an account made on first use included) before the
next bid is applied, so one refusal never undoes the others and each later bid sees the
auction exactly as the placed bids before it left it. One row per bid, ``out_n`` its position
(1-based), with ``ece_place_bid``'s columns.

The web worker's batcher (``ece.auctions.batching``) sends the bids that wait for the same
auction in one such call and commits them together: the auction row's lock is taken once and
held for one commit per batch instead of one per bid.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-01 15:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0044"
down_revision: str | Sequence[str] | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACE_BIDS = """
CREATE FUNCTION ece_place_bids(
    p_auction_id text, p_bidder_ids text[], p_bid_ids text[], p_nows timestamptz[],
    p_amounts_usdc bigint[], p_amounts_ece bigint[],
    p_usdc_bounds bigint[], p_usdc_steps bigint[], p_ece_bounds bigint[], p_ece_steps bigint[],
    p_window_s integer, p_correlation_ids text[], p_traceparents text[]
) RETURNS TABLE (
    out_n integer,
    out_outcome text, out_currency text, out_amount bigint, out_missing numeric,
    out_seq integer, out_price bigint, out_min_next numeric, out_ends_at timestamptz,
    out_extended boolean, out_bid_count integer, out_outbid_user text, out_outbid_bid text
) LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR i IN 1 .. coalesce(cardinality(p_bid_ids), 0) LOOP
        BEGIN
            SELECT * INTO r FROM ece_place_bid(p_auction_id, p_bidder_ids[i], p_bid_ids[i],
                p_nows[i], p_amounts_usdc[i], p_amounts_ece[i], p_usdc_bounds, p_usdc_steps,
                p_ece_bounds, p_ece_steps, p_window_s, p_correlation_ids[i],
                p_traceparents[i]);
            IF r.out_outcome NOT IN ('winning', 'outbid') THEN
                -- Undo what the refused bid wrote (the variable r survives the rollback).
                RAISE EXCEPTION USING ERRCODE = 'EB001', MESSAGE = 'bid not placed';
            END IF;
        EXCEPTION WHEN SQLSTATE 'EB001' THEN
            NULL;
        END;
        out_n := i;
        out_outcome := r.out_outcome; out_currency := r.out_currency;
        out_amount := r.out_amount; out_missing := r.out_missing; out_seq := r.out_seq;
        out_price := r.out_price; out_min_next := r.out_min_next;
        out_ends_at := r.out_ends_at; out_extended := r.out_extended;
        out_bid_count := r.out_bid_count; out_outbid_user := r.out_outbid_user;
        out_outbid_bid := r.out_outbid_bid;
        RETURN NEXT;
    END LOOP;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.get_bind().exec_driver_sql(PLACE_BIDS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP FUNCTION ece_place_bids(text, text[], text[], timestamptz[], bigint[], bigint[], "
        "bigint[], bigint[], bigint[], bigint[], integer, text[], text[])"
    )

"""a proxy bid placed in one call (PostgreSQL)

``ece_place_bid(...)`` does on the server, in one round trip, every step of
``ece.auctions.bidding.place_bid`` after the bidder is authenticated: it locks the auction row,
picks the bid's amount in the auction's currency (the caller parses the decimal text for each
currency, so the text rules stay in Python), refuses as ``rules.bid_refusal`` does (Dutch,
cancelled, ended by the server clock, not started, own auction, below the minimum next bid, not
above the bidder's own max), works out the new standing from the stored leader, the stored
runner-up and the new max (``rules.standing``: the highest max leads, the earlier bid on a tie;
the price is the runner-up's max plus one increment of the tiered table, capped at the leader's
max, at least the start price and a reserve the leader meets), and then:

- a bid that leads: the previous leading hold released and the new max held in one linked
  group (accounts made on first use, locked in id order; a guarded account never below zero);
- a bid that does not lead: the bidder's available funds must cover the max;
- the earlier current bids retired (the bidder's own ``raised``, a dethroned leader's
  ``outbid``), the bid inserted, the auction's standing and (soft close) its end updated, and
  the outbox events (``auction.extended``, ``auction.bid``, ``auction.outbid``) written.

It returns what the API answers. Outcomes: ``winning`` / ``outbid`` (written), ``not_found``,
``invalid_amount``, a refusal code (nothing written), ``short`` (the hold lacks ``missing``),
``short_max`` (funds below a max that does not lead) or ``overflow``: on those the caller
raises and its transaction is rolled back. SQLite runs the same steps as statements from
Python; ``tests/auctions/test_one_call.py`` holds the two to the same rows.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0042"
down_revision: str | Sequence[str] | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INCREMENT = """
CREATE FUNCTION ece_bid_increment(p_price numeric, p_bounds bigint[], p_steps bigint[])
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT t.step FROM unnest(p_bounds, p_steps) WITH ORDINALITY AS t(below, step, n)
     WHERE t.below IS NULL OR p_price < t.below
     ORDER BY t.n LIMIT 1
$$
"""

# Python's datetime.isoformat() of a UTC instant: microseconds only when there are some.
ISO_UTC = """
CREATE FUNCTION ece_iso_utc(p_at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN extract(microseconds FROM p_at)::bigint % 1000000 = 0 THEN ''
                ELSE to_char(p_at AT TIME ZONE 'UTC', '.US') END
        || '+00:00'
$$
"""

PLACE_BID = """
CREATE FUNCTION ece_place_bid(
    p_auction_id text, p_bidder_id text, p_bid_id text, p_now timestamptz,
    p_amount_usdc bigint, p_amount_ece bigint,
    p_usdc_bounds bigint[], p_usdc_steps bigint[], p_ece_bounds bigint[], p_ece_steps bigint[],
    p_window_s integer, p_correlation_id text, p_traceparent text
) RETURNS TABLE (
    out_outcome text, out_currency text, out_amount bigint, out_missing numeric,
    out_seq integer, out_price bigint, out_min_next numeric, out_ends_at timestamptz,
    out_extended boolean, out_bid_count integer, out_outbid_user text, out_outbid_bid text
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    a record;
    m record;
    e record;
    v_amount bigint;
    v_bounds bigint[];
    v_steps bigint[];
    v_own bigint;
    v_min numeric;
    v_seq integer;
    v_ids text[];
    v_users text[];
    v_amounts bigint[];
    v_price numeric;
    v_wins boolean;
    v_hold text;
    v_old_id text;
    v_old_debit bigint;
    v_old_credit bigint;
    v_old_amount bigint := 0;
    v_old_asset text;
    v_old_code text;
    v_old_reference text;
    v_old_kind text;
    v_main bigint;
    v_escrow bigint;
    v_debits_pending numeric;
    v_credits_pending numeric;
    v_available numeric;
    v_ends_at timestamptz;
    v_window interval := make_interval(secs => p_window_s);
    v_extended boolean := false;
    v_outbid boolean;
    v_shown text;
    v_max numeric := 9223372036854775807;
BEGIN
    SELECT * INTO a FROM auctions WHERE id = p_auction_id FOR UPDATE;
    IF NOT FOUND THEN
        out_outcome := 'not_found';
        RETURN NEXT;
        RETURN;
    END IF;
    out_currency := a.currency;
    IF a.currency = 'ECE' THEN
        v_amount := p_amount_ece; v_bounds := p_ece_bounds; v_steps := p_ece_steps;
    ELSE
        v_amount := p_amount_usdc; v_bounds := p_usdc_bounds; v_steps := p_usdc_steps;
    END IF;
    IF v_amount IS NULL THEN
        out_outcome := 'invalid_amount';
        RETURN NEXT;
        RETURN;
    END IF;
    out_amount := v_amount;

    -- The refusals, in rules.bid_refusal's order.
    v_own := CASE WHEN a.leader_user_id = p_bidder_id THEN a.leader_max
                  WHEN a.second_user_id = p_bidder_id THEN a.second_max END;
    v_min := CASE WHEN a.bid_count = 0 THEN a.start_price::numeric
                  ELSE a.current_price::numeric
                       + ece_bid_increment(a.current_price, v_bounds, v_steps) END;
    out_outcome := CASE
        WHEN a.kind <> 'english' THEN 'auction_not_english'
        WHEN a.state = 'cancelled' THEN 'auction_cancelled'
        WHEN a.state <> 'open' OR p_now >= a.ends_at THEN 'auction_ended'
        WHEN p_now < a.starts_at THEN 'auction_not_started'
        WHEN p_bidder_id = a.seller_id THEN 'own_auction'
        WHEN v_amount < v_min THEN 'bid_too_low'
        WHEN v_own IS NOT NULL AND v_amount <= v_own THEN 'bid_too_low_own'
    END;
    IF out_outcome IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;

    -- The standing (rules.standing) over the other bidders' stored maxes and this one: the
    -- stored two rank before any new bid on a tie (the leader first), as their seqs say.
    v_seq := a.bid_seq + 1;
    SELECT array_agg(c.bid_id ORDER BY c.amount DESC, c.seq),
           array_agg(c.user_id ORDER BY c.amount DESC, c.seq),
           array_agg(c.amount ORDER BY c.amount DESC, c.seq)
      INTO v_ids, v_users, v_amounts
      FROM (VALUES (a.leader_bid_id, a.leader_user_id, a.leader_max, -2),
                   (a.second_bid_id, a.second_user_id, a.second_max, -1),
                   (p_bid_id, p_bidder_id, v_amount, v_seq)) AS c(bid_id, user_id, amount, seq)
     WHERE c.bid_id IS NOT NULL AND (c.user_id <> p_bidder_id OR c.seq = v_seq);
    v_price := a.start_price;
    IF cardinality(v_amounts) > 1 THEN
        v_price := greatest(v_price, least(
            v_amounts[2]::numeric + ece_bid_increment(v_amounts[2], v_bounds, v_steps),
            v_amounts[1]));
    END IF;
    IF a.reserve_price IS NOT NULL AND v_amounts[1] >= a.reserve_price THEN
        v_price := greatest(v_price, a.reserve_price);
    END IF;
    v_price := least(v_price, v_amounts[1]);
    v_wins := v_ids[1] = p_bid_id;

    v_main := ece_ledger_account('user', p_bidder_id, a.currency, 'main', true, p_now);
    IF v_wins THEN
        -- The leading hold released (a raise re-holds the same funds), the new max held.
        v_hold := 'auction-bid:' || p_bid_id;
        v_escrow := ece_ledger_account('escrow', p_bidder_id, a.currency, 'offer_holds', true,
            p_now);
        IF a.leader_bid_id IS NOT NULL THEN
            v_old_id := 'auction-bid:' || a.leader_bid_id;
            SELECT kind, debit_account_id, credit_account_id, amount, asset, code, reference
              INTO v_old_kind, v_old_debit, v_old_credit, v_old_amount, v_old_asset, v_old_code,
                   v_old_reference
              FROM ledger_transfers WHERE id = v_old_id;
            IF v_old_kind IS DISTINCT FROM 'pending'
               OR EXISTS (SELECT 1 FROM ledger_transfers WHERE pending_id = v_old_id) THEN
                RAISE EXCEPTION 'the leading hold % is not pending', v_old_id;
            END IF;
        END IF;
        PERFORM 1 FROM ledger_accounts
         WHERE id IN (v_main, v_escrow, v_old_debit, v_old_credit) ORDER BY id FOR UPDATE;
        SELECT * INTO m FROM ledger_accounts WHERE id = v_main;
        SELECT * INTO e FROM ledger_accounts WHERE id = v_escrow;
        v_debits_pending := m.debits_pending::numeric + v_amount
            - CASE WHEN v_old_debit = v_main THEN v_old_amount ELSE 0 END;
        v_credits_pending := e.credits_pending::numeric + v_amount
            - CASE WHEN v_old_credit = v_escrow THEN v_old_amount ELSE 0 END;
        IF m.debits_must_not_exceed_credits
           AND m.debits_posted + v_debits_pending > m.credits_posted THEN
            out_outcome := 'short';
            out_missing := m.debits_posted + v_debits_pending - m.credits_posted;
            RETURN NEXT;
            RETURN;
        END IF;
        IF greatest(m.debits_posted + v_debits_pending,
                    e.credits_posted + v_credits_pending) > v_max THEN
            out_outcome := 'overflow';
            RETURN NEXT;
            RETURN;
        END IF;
        INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, asset,
            amount, code, reference, pending_id, created_at)
        SELECT g.id, g.kind, g.debit, g.credit, g.asset, g.amount, g.code, g.reference,
               g.pending_id, p_now
          FROM (VALUES
                (1, v_old_id || ':release', 'void_pending', v_old_debit, v_old_credit,
                 v_old_asset, v_old_amount, v_old_code, v_old_reference, v_old_id),
                (2, v_hold, 'pending', v_main, v_escrow, a.currency, v_amount, 'hold',
                 'auction:' || a.id, NULL)
               ) AS g(n, id, kind, debit, credit, asset, amount, code, reference, pending_id)
         WHERE g.id IS NOT NULL ORDER BY g.n;
        UPDATE ledger_accounts
           SET debits_pending = debits_pending
                   + CASE WHEN id = v_main THEN v_amount ELSE 0 END
                   - CASE WHEN id = v_old_debit THEN v_old_amount ELSE 0 END,
               credits_pending = credits_pending
                   + CASE WHEN id = v_escrow THEN v_amount ELSE 0 END
                   - CASE WHEN id = v_old_credit THEN v_old_amount ELSE 0 END
         WHERE id IN (v_main, v_escrow, v_old_debit, v_old_credit);
    ELSE
        SELECT credits_posted::numeric - debits_posted - debits_pending INTO v_available
          FROM ledger_accounts WHERE id = v_main;
        IF v_available < v_amount THEN
            out_outcome := 'short_max';
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    IF a.bid_count > 0 THEN  -- the bidder's earlier max raised; a dethroned leader outbid
        UPDATE auction_bids
           SET status = CASE WHEN bidder_user_id = p_bidder_id THEN 'raised' ELSE 'outbid' END
         WHERE auction_id = a.id AND status IN ('winning', 'outbid')
           AND (bidder_user_id = p_bidder_id OR (v_wins AND status = 'winning'));
    END IF;
    INSERT INTO auction_bids (id, auction_id, bidder_user_id, max_amount, seq, price_after,
        status, hold_transfer_id, created_at)
    VALUES (p_bid_id, a.id, p_bidder_id, v_amount, v_seq, v_price,
        CASE WHEN v_wins THEN 'winning' ELSE 'outbid' END,
        CASE WHEN v_wins THEN v_hold END, p_now);

    -- Soft close: a bid in the last window moves the end to now + the window.
    v_ends_at := a.ends_at;
    IF a.ends_at - p_now < v_window AND p_now + v_window > a.ends_at THEN
        v_ends_at := p_now + v_window;
        v_extended := true;
    END IF;
    UPDATE auctions
       SET current_price = v_price, bid_count = a.bid_count + 1, bid_seq = v_seq,
           second_bid_id = v_ids[2], second_user_id = v_users[2], second_max = v_amounts[2],
           leader_bid_id = CASE WHEN v_wins THEN p_bid_id ELSE leader_bid_id END,
           leader_user_id = CASE WHEN v_wins THEN p_bidder_id ELSE leader_user_id END,
           leader_max = CASE WHEN v_wins THEN v_amount ELSE leader_max END,
           ends_at = v_ends_at
     WHERE id = a.id;

    v_shown := ece_amount_text(v_price::bigint, a.currency);
    v_outbid := v_wins AND a.leader_bid_id IS NOT NULL AND a.leader_user_id <> p_bidder_id;
    INSERT INTO outbox_events (type, aggregate_id, payload, correlation_id, traceparent,
        created_at)
    SELECT t.type, a.id, t.payload, p_correlation_id, p_traceparent, p_now
      FROM (VALUES
            (1, 'auction.extended', json_build_object('ends_at', ece_iso_utc(v_ends_at)),
             v_extended),
            (2, 'auction.bid', json_build_object(
                'bid_id', p_bid_id, 'bidder_user_id', p_bidder_id, 'current_price', v_shown,
                'currency', a.currency, 'bid_count', a.bid_count + 1,
                'ends_at', ece_iso_utc(v_ends_at)), true),
            (3, 'auction.outbid', json_build_object(
                'user_id', a.leader_user_id, 'bid_id', a.leader_bid_id,
                'current_price', v_shown, 'currency', a.currency), v_outbid)
           ) AS t(n, type, payload, wanted)
     WHERE t.wanted ORDER BY t.n;

    out_outcome := CASE WHEN v_wins THEN 'winning' ELSE 'outbid' END;
    out_seq := v_seq;
    out_price := v_price;
    out_min_next := v_price + ece_bid_increment(v_price, v_bounds, v_steps);
    out_ends_at := v_ends_at;
    out_extended := v_extended;
    out_bid_count := a.bid_count + 1;
    IF v_outbid THEN
        out_outbid_user := a.leader_user_id;
        out_outbid_bid := a.leader_bid_id;
    END IF;
    RETURN NEXT;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # As the driver's SQL: the function's text holds colons that are no bind parameters.
    for function in (INCREMENT, ISO_UTC, PLACE_BID):
        op.get_bind().exec_driver_sql(function)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP FUNCTION ece_place_bid(text, text, text, timestamptz, bigint, bigint, bigint[], "
        "bigint[], bigint[], bigint[], integer, text, text)"
    )
    op.execute("DROP FUNCTION ece_iso_utc(timestamptz)")
    op.execute("DROP FUNCTION ece_bid_increment(numeric, bigint[], bigint[])")

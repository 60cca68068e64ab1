"""a listing's sale settled in one call (PostgreSQL)

``ece_settle_listing(...)`` does on the server, in one round trip, every step of
``ece.settlement.sales.settle_sale`` for a buy of a listing (``ece.market.buying``): it takes the
listing with the buy's conditional UPDATE (status, expiry, buyer not the seller, private taker,
price limit), moves the card (conditional on the seller and the listing's lock) and writes its
history row, writes the sale, applies the wash-trade rule (an earlier sale of the card between
the two users within the window, either way and not of the same trade offer, flags both; a
payment between them that is not a sale's flags this one), writes the linked ledger legs
(seller or company sales payable, the fee shard the caller names, the company royalty) with
their balances (accounts made on first use, locked in id order, a guarded buyer never below
zero), and the sale's one ``trade.executed`` event, and returns what the API answers.

Outcomes: ``sold`` (the sale's fields), ``unmatched`` (the listing matched nothing: the caller
reads why), ``short`` (``missing`` base units for the whole price), ``card`` (the card did not
move), ``overflow`` (a balance would pass the largest amount). On every outcome but ``sold``
the caller raises and its transaction is rolled back. SQLite runs the same steps as statements
from Python; ``tests/settlement/test_one_call.py`` holds the two to the same rows.

Revision ID: 0034
Revises: 0040
Create Date: 2026-12-01 09:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | Sequence[str] | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCOUNT = """
CREATE FUNCTION ece_ledger_account(
    p_owner_type text, p_owner_id text, p_asset text, p_purpose text, p_guarded boolean,
    p_now timestamptz
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    SELECT id INTO v_id FROM ledger_accounts
     WHERE owner_type = p_owner_type AND owner_id = p_owner_id
       AND asset = p_asset AND purpose = p_purpose;
    IF v_id IS NULL THEN
        INSERT INTO ledger_accounts (owner_type, owner_id, asset, purpose,
            debits_must_not_exceed_credits, debits_posted, credits_posted, debits_pending,
            credits_pending, created_at)
        VALUES (p_owner_type, p_owner_id, p_asset, p_purpose, p_guarded, 0, 0, 0, 0, p_now)
        ON CONFLICT (owner_type, owner_id, asset, purpose) DO NOTHING;
        SELECT id INTO v_id FROM ledger_accounts
         WHERE owner_type = p_owner_type AND owner_id = p_owner_id
           AND asset = p_asset AND purpose = p_purpose;
    END IF;
    RETURN v_id;
END $$
"""

AMOUNT_TEXT = """
CREATE FUNCTION ece_amount_text(p_value bigint, p_asset text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT trim_scale(p_value::numeric
        / power(10::numeric, CASE p_asset WHEN 'ECE' THEN 9 ELSE 6 END))::text
$$
"""

SETTLE = """
CREATE FUNCTION ece_settle_listing(
    p_listing_id text, p_buyer_id text, p_buyer_address text, p_now timestamptz,
    p_limit bigint, p_fee_bps integer, p_sale_id text, p_fee_purpose text,
    p_wash_since timestamptz, p_correlation_id text, p_traceparent text
) RETURNS TABLE (
    out_outcome text, out_missing bigint, out_card_id text, out_company_id text,
    out_seller_kind text, out_seller_id text, out_price bigint, out_currency text,
    out_fee bigint, out_royalty bigint, out_seller_address text, out_wash_suspect boolean
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    l record;
    v_royalty_bps integer;
    v_seller_address text;
    v_fee bigint;
    v_royalty bigint;
    v_seller_part bigint;
    v_buyer_acct bigint;
    v_seller_acct bigint;
    v_fee_acct bigint;
    v_royalty_acct bigint;
    v_moved integer;
    v_earlier text[];
    v_funded boolean := false;
    v_wash boolean := false;
    v_reference text := 'sale:' || p_sale_id;
    b record;
    v_ids text[];
    v_credits bigint[];
    v_amounts bigint[];
    v_codes text[];
    v_max numeric := 9223372036854775807;
BEGIN
    UPDATE listings SET status = 'filled', closed_at = p_now, updated_at = p_now
     WHERE id = p_listing_id AND status = 'active' AND expires_at > p_now
       AND (seller_kind <> 'user' OR seller_id <> p_buyer_id)
       AND (taker_address IS NULL OR taker_address = p_buyer_address)
       AND (p_limit IS NULL OR price <= p_limit)
    RETURNING * INTO l;
    IF NOT FOUND THEN
        SELECT 'unmatched'::text, NULL::bigint, NULL::text, NULL::text, NULL::text,
            NULL::text, NULL::bigint, NULL::text, NULL::bigint, NULL::bigint, NULL::text,
            NULL::boolean
          INTO out_outcome, out_missing, out_card_id, out_company_id, out_seller_kind,
               out_seller_id, out_price, out_currency, out_fee, out_royalty,
               out_seller_address, out_wash_suspect;
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT royalty_bps INTO v_royalty_bps FROM companies WHERE id = l.company_id;
    IF l.seller_kind = 'user' THEN
        SELECT address INTO v_seller_address FROM users WHERE id = l.seller_id;
    ELSE
        v_royalty_bps := 0;  -- a primary sale pays no royalty: the company is the seller
    END IF;
    v_fee := floor(l.price::numeric * p_fee_bps / 10000)::bigint;
    v_royalty := floor(l.price::numeric * v_royalty_bps / 10000)::bigint;
    v_seller_part := l.price - v_fee - v_royalty;

    -- The card, then its history, then the sale (the same order as settle_sale).
    UPDATE cards SET owner_user_id = p_buyer_id, owner_company_id = NULL, lock_kind = NULL,
           lock_ref = NULL, locked_at = NULL, list_price = NULL, list_asset = NULL,
           last_sale_price = l.price, last_sale_asset = l.currency, last_sale_at = p_now
     WHERE id = l.card_id
       AND (CASE WHEN l.seller_kind = 'user' THEN owner_user_id = l.seller_id
                 ELSE owner_company_id = l.seller_id END)
       AND withdrawn_at IS NULL AND (lock_kind IS NULL OR lock_ref = p_listing_id);
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    IF v_moved <> 1 THEN
        SELECT 'card'::text, NULL::bigint, l.card_id, l.company_id,
            l.seller_kind, l.seller_id, l.price, l.currency, v_fee, v_royalty,
            v_seller_address, false
          INTO out_outcome, out_missing, out_card_id, out_company_id, out_seller_kind,
               out_seller_id, out_price, out_currency, out_fee, out_royalty,
               out_seller_address, out_wash_suspect;
        RETURN NEXT;
        RETURN;
    END IF;
    INSERT INTO card_events (card_id, kind, from_user_id, from_company_id, to_user_id,
        to_company_id, price, currency, reason, ref, value_hint, value_asset, created_at)
    VALUES (l.card_id, 'sale',
        CASE WHEN l.seller_kind = 'user' THEN l.seller_id END,
        CASE WHEN l.seller_kind = 'user' THEN NULL ELSE l.seller_id END,
        p_buyer_id, NULL, l.price, l.currency, 'listing', p_listing_id, NULL, NULL, p_now);
    INSERT INTO sales (id, card_id, company_id, seller_kind, seller_id, buyer_user_id, price,
        currency, fee, royalty, source, ref, executed_at, wash_suspect)
    VALUES (p_sale_id, l.card_id, l.company_id, l.seller_kind, l.seller_id, p_buyer_id,
        l.price, l.currency, v_fee, v_royalty, 'listing', p_listing_id, p_now, false);

    -- The wash-trade rule (ece.settlement.rules): only a sale between two users.
    IF l.seller_kind = 'user' THEN
        SELECT coalesce(array_agg(s.id), '{}') INTO v_earlier FROM sales s
         WHERE s.card_id = l.card_id AND s.seller_kind = 'user' AND s.id <> p_sale_id
           AND s.executed_at >= p_wash_since AND s.executed_at <= p_now
           AND NOT (s.source = 'trade_offer' AND s.ref = p_listing_id)
           AND ((s.seller_id = l.seller_id AND s.buyer_user_id = p_buyer_id)
             OR (s.seller_id = p_buyer_id AND s.buyer_user_id = l.seller_id));
        IF cardinality(v_earlier) = 0 THEN
            SELECT EXISTS (
                SELECT 1 FROM ledger_transfers t
                 WHERE t.debit_account_id IN (SELECT a.id FROM ledger_accounts a
                        WHERE a.owner_type = 'user' AND a.owner_id = l.seller_id)
                   AND t.credit_account_id IN (SELECT a.id FROM ledger_accounts a
                        WHERE a.owner_type = 'user' AND a.owner_id = p_buyer_id)
                   AND t.kind IN ('posted', 'post_pending')
                   AND t.created_at >= p_wash_since AND t.created_at <= p_now
                   AND (t.reference IS NULL OR t.reference NOT LIKE 'sale:%'))
              INTO v_funded;
        ELSE
            UPDATE sales SET wash_suspect = true WHERE id = ANY (v_earlier);
        END IF;
        v_wash := cardinality(v_earlier) > 0 OR v_funded;
        IF v_wash THEN
            UPDATE sales SET wash_suspect = true WHERE id = p_sale_id;
        END IF;
    END IF;

    -- The money moves last: accounts (made on first use), locked in id order.
    v_buyer_acct := ece_ledger_account('user', p_buyer_id, l.currency, 'main', true, p_now);
    IF l.seller_kind = 'user' THEN
        v_seller_acct := ece_ledger_account('user', l.seller_id, l.currency, 'main', true, p_now);
    ELSE
        v_seller_acct := ece_ledger_account('company', l.company_id, l.currency, 'sales', true,
            p_now);
    END IF;
    v_fee_acct := ece_ledger_account('platform', 'ece', l.currency, p_fee_purpose, false, p_now);
    IF v_royalty > 0 THEN
        v_royalty_acct := ece_ledger_account('company', l.company_id, l.currency, 'royalties',
            true, p_now);
    END IF;
    -- The legs in the order they are written (seller, fee, royalty); a zero cut is no leg.
    v_ids := ARRAY[v_reference || ':seller', v_reference || ':fee', v_reference || ':royalty'];
    v_credits := ARRAY[v_seller_acct, v_fee_acct, v_royalty_acct];
    v_amounts := ARRAY[v_seller_part, v_fee, v_royalty];
    v_codes := ARRAY['trade', 'fee', 'royalty'];
    PERFORM 1 FROM ledger_accounts
     WHERE id = v_buyer_acct OR id = ANY (v_credits)
     ORDER BY id FOR UPDATE;
    SELECT * INTO b FROM ledger_accounts WHERE id = v_buyer_acct;
    IF b.debits_must_not_exceed_credits
       AND b.debits_posted::numeric + b.debits_pending + l.price > b.credits_posted THEN
        SELECT 'short'::text,
            (b.debits_posted::numeric + b.debits_pending + l.price - b.credits_posted)::bigint,
            l.card_id, l.company_id, l.seller_kind, l.seller_id, l.price, l.currency, v_fee,
            v_royalty, v_seller_address, v_wash
          INTO out_outcome, out_missing, out_card_id, out_company_id, out_seller_kind,
               out_seller_id, out_price, out_currency, out_fee, out_royalty,
               out_seller_address, out_wash_suspect;
        RETURN NEXT;
        RETURN;
    END IF;
    IF b.debits_posted::numeric + b.debits_pending + l.price > v_max OR EXISTS (
        SELECT 1 FROM ledger_accounts a
          JOIN unnest(v_credits, v_amounts) AS g(credit, amount) ON g.credit = a.id
         WHERE a.credits_posted::numeric + a.credits_pending + g.amount > v_max) THEN
        SELECT 'overflow'::text, NULL::bigint, l.card_id, l.company_id,
            l.seller_kind, l.seller_id, l.price, l.currency, v_fee, v_royalty,
            v_seller_address, v_wash
          INTO out_outcome, out_missing, out_card_id, out_company_id, out_seller_kind,
               out_seller_id, out_price, out_currency, out_fee, out_royalty,
               out_seller_address, out_wash_suspect;
        RETURN NEXT;
        RETURN;
    END IF;
    INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, asset, amount,
        code, reference, pending_id, created_at)
    SELECT g.id, 'posted', v_buyer_acct, g.credit, l.currency, g.amount, g.code, v_reference,
           NULL, p_now
      FROM unnest(v_ids, v_credits, v_amounts, v_codes) WITH ORDINALITY
           AS g(id, credit, amount, code, ord)
     WHERE g.amount > 0 ORDER BY g.ord;
    UPDATE ledger_accounts a
       SET debits_posted = a.debits_posted
               + CASE WHEN a.id = v_buyer_acct THEN l.price ELSE 0 END,
           credits_posted = a.credits_posted + coalesce((
               SELECT sum(g.amount) FROM unnest(v_credits, v_amounts) AS g(credit, amount)
                WHERE g.credit = a.id), 0)
     WHERE a.id = v_buyer_acct OR a.id = ANY (v_credits);

    INSERT INTO outbox_events (type, aggregate_id, payload, correlation_id, traceparent,
        created_at)
    VALUES ('trade.executed', p_sale_id, json_build_object(
        'card_id', l.card_id, 'company_id', l.company_id,
        'seller', json_build_object('kind', l.seller_kind, 'id', l.seller_id),
        'buyer_user_id', p_buyer_id,
        'price', ece_amount_text(l.price, l.currency),
        'fee', ece_amount_text(v_fee, l.currency),
        'royalty', ece_amount_text(v_royalty, l.currency),
        'currency', l.currency, 'source', 'listing', 'ref', p_listing_id),
        p_correlation_id, p_traceparent, p_now);
    SELECT 'sold'::text, NULL::bigint, l.card_id, l.company_id, l.seller_kind,
        l.seller_id, l.price, l.currency, v_fee, v_royalty, v_seller_address, v_wash
      INTO out_outcome, out_missing, out_card_id, out_company_id, out_seller_kind,
               out_seller_id, out_price, out_currency, out_fee, out_royalty,
               out_seller_address, out_wash_suspect;
    RETURN NEXT;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # As the driver's SQL: the function's text holds colons that are no bind parameters.
    for function in (ACCOUNT, AMOUNT_TEXT, SETTLE):
        op.get_bind().exec_driver_sql(function)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP FUNCTION ece_settle_listing(text, text, text, timestamptz, bigint, integer, text, "
        "text, timestamptz, text, text)"
    )
    op.execute("DROP FUNCTION ece_amount_text(bigint, text)")
    op.execute("DROP FUNCTION ece_ledger_account(text, text, text, text, boolean, timestamptz)")

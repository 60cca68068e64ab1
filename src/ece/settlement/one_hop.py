"""A listing's sale in one hop (SQLite): the twin of PostgreSQL's ``ece_settle_listing``
(migration 0034), run as one synchronous function on the SQLite connection's own thread.

Through SQLAlchemy and aiosqlite every statement of a buy is a hop from the event loop to the
driver's thread and back, with SQLAlchemy's compilation and result handling around it, while
the request holds SQLite's single writer. Here the buy's open transaction (``BEGIN
IMMEDIATE``, so no other writer runs meanwhile) goes to that thread once, with plain
``sqlite3`` statements: take the listing (with its company's royalty and the seller's wallet),
move the card, read the accounts and the wash-trade evidence, then write the history, the sale,
the ledger legs (one INSERT), the balances (one UPDATE) and the sale's one ``trade.executed``
event. The decisions are ``ece.settlement.rules``'s own (split, fee shard, legs, wash trade);
only the SQL is written out here, and ``tests/settlement/test_one_call.py`` holds it to the rows
of the statement-by-statement path, as it holds the PostgreSQL function.

Outcomes and their row are the function's (``one_call``): on any outcome but ``sold`` nothing
was written that the caller's rollback does not undo (refusals are decided before any write
but the listing's and the card's). The statements run are reported to
``ece.core.dbmetrics.driver_statements`` (latency metrics; the statement counts of the bench
and of the statement-budget test), since SQLAlchemy's cursor events do not see them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.core import dbmetrics
from ece.core.clock import as_utc
from ece.core.db import on_sqlite_thread
from ece.core.money import MAX_AMOUNT
from ece.core.tracing import tracer
from ece.ledger import service as ledger
from ece.ledger.service import OwnerType, TransferKind
from ece.settlement import rules
from ece.settlement.models import Sale, SaleSource
from ece.settlement.repository import facts as sale_facts
from ece.settlement.rules import SaleFacts
from ece.settlement.sales import sale_event
from ece.settlement.transfers import LEG_CODES, PLATFORM_OWNER_ID

_DIALECT = sqlite_dialect.dialect()
# The very text SQLAlchemy stores and reads for a datetime column on SQLite.
_DATETIME = DateTime(timezone=True).dialect_impl(_DIALECT)
_stored = cast(Callable[[datetime], str], _DATETIME.bind_processor(_DIALECT))
_loaded = cast(Callable[[str], datetime], _DATETIME.result_processor(_DIALECT, None))

LISTING = SaleSource.listing.value

_TAKE = """
UPDATE listings SET status = 'filled', closed_at = :now, updated_at = :now
 WHERE id = :listing_id AND status = 'active' AND expires_at > :now
   AND (seller_kind != 'user' OR seller_id != :buyer_id)
   AND (taker_address IS NULL OR taker_address = :buyer_address)
   AND (:limit IS NULL OR price <= :limit)
RETURNING card_id, company_id, seller_kind, seller_id, price, currency,
    (SELECT royalty_bps FROM companies WHERE companies.id = listings.company_id),
    (SELECT address FROM users WHERE listings.seller_kind = 'user'
        AND users.id = listings.seller_id),
    taker_address
"""

_MOVE = """
UPDATE cards SET owner_user_id = :buyer_id, owner_company_id = NULL, lock_kind = NULL,
       lock_ref = NULL, locked_at = NULL, list_price = NULL, list_asset = NULL,
       last_sale_price = :price, last_sale_asset = :currency, last_sale_at = :now
 WHERE id = :card_id
   AND (CASE WHEN :seller_kind = 'user' THEN owner_user_id ELSE owner_company_id END) = :seller_id
   AND withdrawn_at IS NULL AND (lock_kind IS NULL OR lock_ref = :listing_id)
"""

_HISTORY = """
INSERT INTO card_events (card_id, kind, from_user_id, from_company_id, to_user_id,
    to_company_id, price, currency, reason, ref, value_hint, value_asset, created_at)
VALUES (:card_id, 'sale', :from_user_id, :from_company_id, :buyer_id, NULL, :price, :currency,
    :reason, :listing_id, NULL, NULL, :now)
"""

_SALE = """
INSERT INTO sales (id, card_id, company_id, seller_kind, seller_id, buyer_user_id, price,
    currency, fee, royalty, source, ref, executed_at, wash_suspect)
VALUES (:id, :card_id, :company_id, :seller_kind, :seller_id, :buyer_user_id, :price,
    :currency, :fee, :royalty, :source, :ref, :executed_at, :wash_suspect)
"""

# The card's sales between two users within the window (the candidates ``rules.is_bounce``
# judges) and whether the seller paid the buyer otherwise than for a sale, in one statement:
# a one-row anchor left-joined to the candidates (``repository.wash_evidence``'s shape).
_WASH = """
SELECT EXISTS (
        SELECT 1 FROM ledger_transfers t
         WHERE t.debit_account_id IN (SELECT a.id FROM ledger_accounts a
                WHERE a.owner_type = 'user' AND a.owner_id = :seller_id)
           AND t.credit_account_id IN (SELECT a.id FROM ledger_accounts a
                WHERE a.owner_type = 'user' AND a.owner_id = :buyer_id)
           AND t.kind IN ('posted', 'post_pending')
           AND t.created_at >= :since AND t.created_at <= :now
           AND (t.reference IS NULL OR t.reference NOT LIKE :sale_prefix)),
       s.id, s.card_id, s.seller_kind, s.seller_id, s.buyer_user_id, s.source, s.ref,
       s.executed_at
  FROM (SELECT 1) AS anchor
  LEFT JOIN sales s ON s.card_id = :card_id AND s.seller_kind = 'user'
       AND s.executed_at >= :since AND s.executed_at <= :now
"""

_ACCOUNT_COLUMNS = (
    "id, owner_type, owner_id, purpose, debits_must_not_exceed_credits, debits_posted,"
    " credits_posted, debits_pending, credits_pending"
)

_NEW_ACCOUNT = """
INSERT INTO ledger_accounts (owner_type, owner_id, asset, purpose,
    debits_must_not_exceed_credits, debits_posted, credits_posted, debits_pending,
    credits_pending, created_at)
VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, ?)
ON CONFLICT (owner_type, owner_id, asset, purpose) DO NOTHING
"""

_OUTBOX = """
INSERT INTO outbox_events (type, aggregate_id, payload, correlation_id, traceparent,
    created_at, delivered_at)
VALUES (?, ?, ?, ?, ?, ?, NULL)
"""

Key = tuple[str, str, str]  # owner type, owner id, purpose (the asset is the sale's)


@dataclass(frozen=True, slots=True)
class Request:
    """What the one hop needs, all decided on the caller's side (``one_call``)."""

    listing_id: str
    buyer_id: str
    buyer_address: str
    now: datetime
    limit: int | None
    fee_bps: int
    sale_id: str
    correlation_id: str | None
    traceparent: str | None


@dataclass(frozen=True, slots=True)
class _Account:
    id: int
    guarded: bool
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int


class _Run:
    """Executes statements on the driver's connection, noting each (text, seconds)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.seen: list[tuple[str, float]] = []

    def __call__(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        started = time.perf_counter()
        cursor = self.db.execute(sql, params)
        self.seen.append((sql, time.perf_counter() - started))
        return cursor


Row = tuple[Any, ...]  # the row ``ece_settle_listing`` returns (``one_call`` reads it)


async def settle(session: AsyncSession, request: Request) -> Row:
    """Run the buy on the driver's thread inside ``session``'s open write transaction."""
    if session.new or session.dirty or session.deleted:
        await session.flush()  # what the session still holds goes first, as it would
    conn = await session.connection()  # begins the transaction (BEGIN IMMEDIATE) if needed
    # The connection is checked out and in its transaction: reaching the driver is no I/O.
    assert conn.sync_connection is not None
    driver = conn.sync_connection.connection.driver_connection
    assert driver is not None
    run: _Run | None = None

    def work(sqlite_conn: sqlite3.Connection) -> Row:
        nonlocal run
        run = _Run(sqlite_conn)
        return _settle(run, request)

    # One span for the hop (SQLAlchemy's instrumentation does not see the driver's statements).
    with tracer.start_as_current_span(
        "settlement.one_hop", attributes={"db.system": "sqlite"}
    ) as span:
        try:
            row = await on_sqlite_thread(driver, work)
        finally:
            if run is not None:
                dbmetrics.driver_statements(run.seen)
                if span.is_recording():
                    span.set_attribute("db.statement", ";\n".join(s for s, _ in run.seen))
    return row


def _settle(run: _Run, r: Request) -> Row:
    now = _stored(r.now)
    taken = run(
        _TAKE,
        {
            "now": now,
            "listing_id": r.listing_id,
            "buyer_id": r.buyer_id,
            "buyer_address": r.buyer_address,
            "limit": r.limit,
        },
    ).fetchall()  # all: the statement is done, not left open on the connection
    if not taken:
        return ("unmatched", *([None] * 12))
    (card_id, company_id, seller_kind, seller_id, price, currency, royalty_bps, wallet, taker) = (
        taken[0]
    )
    split = rules.sale_split(
        price,
        fee_bps=r.fee_bps,
        royalty_bps=int(royalty_bps),
        primary=rules.is_primary(seller_kind),
    )
    sale = Sale(
        id=r.sale_id,
        card_id=card_id,
        company_id=company_id,
        seller_kind=seller_kind,
        seller_id=seller_id,
        buyer_user_id=r.buyer_id,
        price=price,
        currency=currency,
        fee=split.fee,
        royalty=split.royalty,
        source=LISTING,
        ref=r.listing_id,
        executed_at=r.now,
        wash_suspect=False,
    )

    def answer(outcome: str, missing: int | None = None) -> Row:
        return (
            outcome,
            missing,
            card_id,
            company_id,
            seller_kind,
            seller_id,
            price,
            currency,
            split.fee,
            split.royalty,
            wallet,
            bool(sale.wash_suspect),
            taker is None,  # a public listing
        )

    moved = run(
        _MOVE,
        {
            "buyer_id": r.buyer_id,
            "price": price,
            "currency": currency,
            "now": now,
            "card_id": card_id,
            "seller_kind": seller_kind,
            "seller_id": seller_id,
            "listing_id": r.listing_id,
        },
    ).rowcount
    if moved != 1:
        return answer("card")
    accounts, keys = _accounts(run, sale, now)
    refused = _refusal(sale, accounts, keys)
    if refused is not None:
        return answer(*refused)
    earlier = _wash(run, sale, now) if rules.may_be_wash(sale_facts(sale)) else []
    _write(run, sale, accounts, keys, now, r, earlier)
    return answer("sold")


def _keys(sale: Sale) -> dict[str, Key]:
    """The accounts a sale touches, by role (a royalty account only when a royalty is paid)."""
    user, company = OwnerType.user.value, OwnerType.company.value
    keys = {
        "buyer": (user, sale.buyer_user_id, ledger.MAIN),
        "seller": (company, sale.company_id, cards.SALES)
        if rules.is_primary(sale.seller_kind)
        else (user, sale.seller_id, ledger.MAIN),
        "fee": (OwnerType.platform.value, PLATFORM_OWNER_ID, rules.fee_purpose(sale.id)),
    }
    if sale.royalty:
        keys["royalty"] = (company, sale.company_id, cards.ROYALTIES)
    return keys


def _accounts(run: _Run, sale: Sale, now: str) -> tuple[dict[Key, _Account], dict[str, Key]]:
    """The sale's accounts with their balances, by key: one read, and on first use of an
    account one insert (guarded but for the platform's) and a second read."""
    keys = _keys(sale)
    wanted = list(dict.fromkeys(keys.values()))
    found = _read_accounts(run, sale.currency, wanted)
    missing = [key for key in wanted if key not in found]
    if missing:
        for owner_type, owner_id, purpose in missing:
            guarded = OwnerType(owner_type) in ledger.GUARDED_OWNERS
            run(_NEW_ACCOUNT, (owner_type, owner_id, sale.currency, purpose, guarded, now))
        found = _read_accounts(run, sale.currency, wanted)
    return found, keys


def _read_accounts(run: _Run, asset: str, keys: Sequence[Key]) -> dict[Key, _Account]:
    where = " OR ".join(["(owner_type = ? AND owner_id = ? AND purpose = ?)"] * len(keys))
    params = [asset, *(part for key in keys for part in key)]
    rows = run(
        f"SELECT {_ACCOUNT_COLUMNS} FROM ledger_accounts WHERE asset = ? AND ({where})",  # noqa: S608
        params,
    ).fetchall()
    return {
        (row[1], row[2], row[3]): _Account(row[0], bool(row[4]), *map(int, row[5:9]))
        for row in rows
    }


def _refusal(
    sale: Sale, accounts: dict[Key, _Account], keys: dict[str, Key]
) -> tuple[str, int | None] | None:
    """``short`` (with what the buyer lacks for the whole price) or ``overflow``, as the
    ledger decides them for the sale's linked legs; None when the money can move."""
    buyer = accounts[keys["buyer"]]
    spent = buyer.debits_posted + buyer.debits_pending + sale.price
    if buyer.guarded and spent > buyer.credits_posted:
        return "short", spent - buyer.credits_posted
    if spent > MAX_AMOUNT:
        return "overflow", None
    for leg in rules.sale_legs(sale.price, sale.fee, sale.royalty):
        credit = accounts[keys[leg.kind.value]]
        if credit.credits_posted + credit.credits_pending + leg.amount > MAX_AMOUNT:
            return "overflow", None
    return None


def _wash(run: _Run, sale: Sale, now: str) -> list[str]:
    """Apply the wash-trade rule: flag ``sale`` (not yet written) and return the earlier
    sales of a bounce, which are flagged with it."""
    facts = sale_facts(sale)
    since, _ = rules.wash_window(facts)
    rows = run(
        _WASH,
        {
            "seller_id": sale.seller_id,
            "buyer_id": sale.buyer_user_id,
            "since": _stored(since),
            "now": now,
            "sale_prefix": f"{rules.SALE_REFERENCE_PREFIX}%",
            "card_id": sale.card_id,
        },
    ).fetchall()
    paid = any(bool(row[0]) for row in rows)
    candidates = [
        SaleFacts(
            id=row[1],
            card_id=row[2],
            seller_kind=row[3],
            seller_id=row[4],
            buyer_user_id=row[5],
            source=row[6],
            ref=row[7],
            executed_at=as_utc(_loaded(row[8])),
        )
        for row in rows
        if row[1] is not None
    ]
    earlier = rules.bounces(facts, candidates)
    funded = not earlier and paid
    sale.wash_suspect = rules.is_wash_suspect(facts, earlier, funded)
    return earlier


def _write(
    run: _Run,
    sale: Sale,
    accounts: dict[Key, _Account],
    keys: dict[str, Key],
    now: str,
    r: Request,
    earlier: list[str],
) -> None:
    """The card's history, the sale (and the earlier leg of a bounce), the legs, the
    balances and the event."""
    user_seller = sale.seller_kind == rules.USER
    run(
        _HISTORY,
        {
            "card_id": sale.card_id,
            "from_user_id": sale.seller_id if user_seller else None,
            "from_company_id": None if user_seller else sale.seller_id,
            "buyer_id": sale.buyer_user_id,
            "price": sale.price,
            "currency": sale.currency,
            "reason": LISTING,
            "listing_id": sale.ref,
            "now": now,
        },
    )
    row = {c.key: getattr(sale, c.key) for c in Sale.__table__.columns}
    run(_SALE, {**row, "executed_at": now})
    if earlier:
        marks = ", ".join("?" * len(earlier))
        run(f"UPDATE sales SET wash_suspect = 1 WHERE id IN ({marks})", earlier)  # noqa: S608
    _pay(run, sale, accounts, keys, now)
    type_, aggregate_id, payload = sale_event(sale)
    run(_OUTBOX, (type_, aggregate_id, json.dumps(payload), r.correlation_id, r.traceparent, now))


def _pay(
    run: _Run, sale: Sale, accounts: dict[Key, _Account], keys: dict[str, Key], now: str
) -> None:
    """The linked legs (seller, fee, royalty; a zero cut is no leg) in one INSERT, and every
    moved balance in one UPDATE."""
    buyer = accounts[keys["buyer"]].id
    reference = rules.sale_reference(sale.id)
    legs = rules.sale_legs(sale.price, sale.fee, sale.royalty)
    values: list[Any] = []
    credits: dict[int, int] = {}
    for leg in legs:
        credit = accounts[keys[leg.kind.value]].id
        credits[credit] = credits.get(credit, 0) + leg.amount
        values += [
            leg.transfer_id(sale.id),
            TransferKind.posted.value,
            buyer,
            credit,
            sale.currency,
            leg.amount,
            LEG_CODES[leg.kind].value,
            reference,
            now,
        ]
    rows = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)"] * len(legs))
    run(
        "INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, asset,"  # noqa: S608
        f" amount, code, reference, pending_id, created_at) VALUES {rows}",
        values,
    )
    cases = " ".join(["WHEN ? THEN ?"] * len(credits))
    moved = [buyer, *credits]
    run(
        "UPDATE ledger_accounts"  # noqa: S608
        " SET debits_posted = debits_posted + CASE WHEN id = ? THEN ? ELSE 0 END,"
        f" credits_posted = credits_posted + CASE id {cases} ELSE 0 END"
        f" WHERE id IN ({', '.join('?' * len(moved))})",
        [buyer, sale.price, *(x for pair in credits.items() for x in pair), *moved],
    )

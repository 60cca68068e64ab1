"""One transfer in its own transaction, on the driver's connection (below SQLAlchemy).

The session path (``repository`` through ``AsyncSession``) costs more Python per transaction
than the ledger's statements do: every statement, BEGIN and COMMIT is a trip through
SQLAlchemy's execute path and, on SQLite, a hop to aiosqlite's thread. A caller whose whole
transaction is one transfer (``service.transfer``) takes this path instead:

- **SQLite**: the whole transaction (``BEGIN IMMEDIATE``, the balances and the stored transfer
  read, ``rules.plan``, the writes, ``COMMIT``) runs as one function on the thread of the
  process's SQLite writer connection (``ece.core.db.SqliteWriter``), in one hop shared with
  every other transfer queued meanwhile. It decides with the same rules as the session path, so it
  answers and refuses alike (``exists``, ``transfer_exists_different``, ``insufficient_funds``,
  ...) with nothing written on a refusal.
- **PostgreSQL**: one statement outside any explicit transaction (so it commits by itself):
  it locks both balance rows in id order, checks what ``rules`` checks (both accounts hold the
  asset, a guarded debit stays within its credits, no balance passes ``MAX_AMOUNT``), inserts
  the transfer unless its id is taken and moves both balances only if it did. When it writes
  nothing it says so, and the caller decides through the session path (which reads the stored
  transfer and raises the right refusal). One round trip, prepared by asyncpg.

The rows either path writes are the session path's, column for column
(tests/ledger/test_direct.py holds them equal).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from ece.core.db import SqliteWriter
from ece.core.money import MAX_AMOUNT
from ece.ledger.models import LedgerTransfer, TransferKind
from ece.ledger.repository import TRANSFER_COLUMNS
from ece.ledger.rules import Balance, TransferRecord, TransferResult, TransferSpec, plan, record_of

# ---------------------------------------------------------------------------------------------
# SQLite: the transaction as one function on the connection's thread

_SQLITE_BALANCES = (
    "SELECT id, asset, debits_must_not_exceed_credits, debits_posted, credits_posted,"
    " debits_pending, credits_pending FROM ledger_accounts WHERE id IN (?, ?)"
)
_SQLITE_STORED = (
    "SELECT id, kind, debit_account_id, credit_account_id, asset, amount, code, reference,"
    " pending_id FROM ledger_transfers WHERE id = ?"
)
_SQLITE_INSERT = (
    "INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, asset, amount,"
    " code, reference, pending_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQLITE_MOVE = (
    "UPDATE ledger_accounts SET debits_posted = debits_posted + ?,"
    " credits_posted = credits_posted + ?, debits_pending = debits_pending + ?,"
    " credits_pending = credits_pending + ? WHERE id = ?"
)

# created_at stored exactly as SQLAlchemy stores it: the column type's own bind processing
# for SQLite (text without the offset; Python's sqlite3 would add one).
_SQLITE = sqlite_dialect.dialect()
_sqlite_time: Callable[[Any], Any] | None = LedgerTransfer.__table__.c.created_at.type.dialect_impl(
    _SQLITE
).bind_processor(_SQLITE)


def _sqlite_steps(conn: sqlite3.Connection, spec: TransferSpec, now: datetime) -> TransferResult:
    """Read, decide with ``rules.plan``, write: inside the caller's ``BEGIN IMMEDIATE``."""
    balances = {
        row[0]: Balance(row[1], bool(row[2]), row[3], row[4], row[5], row[6])
        for row in conn.execute(_SQLITE_BALANCES, (spec.debit_account_id, spec.credit_account_id))
    }
    stored = conn.execute(_SQLITE_STORED, (spec.id,)).fetchone()
    existing = {} if stored is None else {spec.id: _record(stored)}
    batch = plan([spec], balances=balances, stored_holds={}, existing=existing, resolved=set())
    created_at = now if _sqlite_time is None else _sqlite_time(now)
    for record in batch.records:
        conn.execute(_SQLITE_INSERT, (*_values(record), created_at))
    conn.executemany(
        _SQLITE_MOVE,
        [
            (c.debits_posted, c.credits_posted, c.debits_pending, c.credits_pending, account_id)
            for account_id, c in batch.changes.items()
        ],
    )
    return batch.results[0]


def _sqlite_transaction(
    conn: sqlite3.Connection, spec: TransferSpec, now: datetime
) -> TransferResult:
    """The whole transaction, on the thread that owns ``conn`` (which is in autocommit mode:
    ``ece.core.db`` hands transaction control to the statements)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = _sqlite_steps(conn, spec, now)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return result


async def driver_of(conn: AsyncConnection) -> Any:
    """The driver's own connection under ``conn`` (aiosqlite's or asyncpg's)."""
    return (await conn.get_raw_connection()).driver_connection


async def sqlite_transfer(
    writer: SqliteWriter, spec: TransferSpec, now: datetime
) -> TransferResult:
    """``spec`` in its own transaction through the process's SQLite writer, which runs it on
    its connection's thread with the other transfers queued meanwhile (one hop for all, each
    its own transaction). Raises what ``create_transfers`` raises."""
    return await writer.run(lambda conn: _sqlite_transaction(conn, spec, now))


# ---------------------------------------------------------------------------------------------
# PostgreSQL: one statement, its own transaction

# $1 debit, $2 credit, $3 asset, $4 amount, $5 posted (amount or 0), $6 pending (0 or amount),
# $7 id, $8 kind, $9 code, $10 reference, $11 created_at, $12 the bound on every balance
# (``MAX_AMOUNT``; the checks add in numeric, where a sum past bigint cannot fail the
# statement). ``locked`` takes the row locks in id order (the session path's order: no
# deadlock between the two) and sees the newest balances; the checks read them, and the new
# balances are set from them too, not added to the row version the UPDATE starts from (with
# increments, 32 concurrent lines lost a credit committed while the statement waited for
# its lock: the CHECK constraint refused the result). Both balances move or the statement
# fails.
_PG_TRANSFER = """
WITH locked AS (
    SELECT id, asset, debits_must_not_exceed_credits AS guarded, debits_posted, credits_posted,
           debits_pending, credits_pending
    FROM ledger_accounts WHERE id IN ($1::bigint, $2::bigint) ORDER BY id FOR UPDATE
), allowed AS (
    SELECT 1 FROM locked debit, locked credit
    WHERE debit.id = $1::bigint AND credit.id = $2::bigint
      AND debit.asset = $3::text AND credit.asset = $3::text
      AND (NOT debit.guarded OR debit.debits_posted::numeric + debit.debits_pending
                                 + $4::bigint <= debit.credits_posted)
      AND debit.debits_posted::numeric + debit.debits_pending + $4::bigint <= $12::bigint
      AND credit.credits_posted::numeric + credit.credits_pending + $4::bigint <= $12::bigint
), written AS (
    INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, asset, amount,
                                  code, reference, pending_id, created_at)
    SELECT $7::text, $8::text, $1::bigint, $2::bigint, $3::text, $4::bigint, $9::text,
           $10::text, NULL, $11::timestamptz
    FROM allowed
    ON CONFLICT (id) DO NOTHING
    RETURNING id
), moved AS (
    UPDATE ledger_accounts a SET
        debits_posted = l.debits_posted + CASE WHEN l.id = $1::bigint THEN $5::bigint ELSE 0 END,
        credits_posted = l.credits_posted + CASE WHEN l.id = $2::bigint THEN $5::bigint ELSE 0 END,
        debits_pending = l.debits_pending + CASE WHEN l.id = $1::bigint THEN $6::bigint ELSE 0 END,
        credits_pending = l.credits_pending
            + CASE WHEN l.id = $2::bigint THEN $6::bigint ELSE 0 END
    FROM locked l, written WHERE a.id = l.id
    RETURNING a.id
)
SELECT CASE WHEN moved = 2 * written THEN written
            -- any other count fails the statement, so nothing of it commits
            ELSE ('ledger transfer moved ' || moved || ' balances, wrote ' || written)::int
       END AS written
FROM (SELECT count(*) AS written FROM written) w, (SELECT count(*) AS moved FROM moved) m
"""


async def pg_transfer(driver: Any, spec: TransferSpec, now: datetime) -> bool:
    """``spec`` written and both balances moved in one statement that commits by itself (no
    transaction is open on asyncpg connection ``driver``): True when it was; False when it
    wrote nothing (an account is missing, short, of another asset or would overflow, or the
    id is taken), for the session path to decide. ``spec`` passed ``rules.check_shape``."""
    record = record_of(spec)
    posted, pending = (0, spec.amount) if spec.pending else (spec.amount, 0)
    row = await driver.fetchrow(
        _PG_TRANSFER,
        record.debit_account_id,
        record.credit_account_id,
        record.asset,
        record.amount,
        posted,
        pending,
        record.id,
        record.kind.value,
        record.code,
        record.reference,
        now,
        MAX_AMOUNT,
    )
    return bool(row["written"])


# ---------------------------------------------------------------------------------------------


def _values(record: TransferRecord) -> tuple[Any, ...]:
    return tuple(
        record.kind.value if name == "kind" else getattr(record, name) for name in TRANSFER_COLUMNS
    )


def _record(row: Any) -> TransferRecord:
    fields = dict(zip(TRANSFER_COLUMNS, row, strict=True))
    return TransferRecord(**{**fields, "kind": TransferKind(fields["kind"])})

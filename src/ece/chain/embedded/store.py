"""Durable state of the embedded chain: accounts, the transaction index and chain metadata.

One SQLite file (`<data_dir>/chain/chain.sqlite3`, or in memory). Each landed transaction is
committed in one SQLite transaction together with every account it touched, so the file is
always a consistent snapshot; writes are incremental, so a send costs the same however big the
state grows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solders.account import Account
from solders.pubkey import Pubkey
from solders.signature import Signature

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    address TEXT PRIMARY KEY,
    lamports INTEGER NOT NULL,
    owner TEXT NOT NULL,
    executable INTEGER NOT NULL,
    rent_epoch TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS transactions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    signature TEXT NOT NULL UNIQUE,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    err TEXT,
    memo TEXT,
    record TEXT NOT NULL,
    tx BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS address_signatures (
    address TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (address, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS transactions_slot ON transactions (slot);
"""


@dataclass(frozen=True, slots=True)
class StoredTransaction:
    signature: str
    slot: int
    block_time: int | None
    err: Any
    memo: str | None
    record: dict[str, Any]
    tx: bytes


@dataclass(frozen=True, slots=True)
class StoredSignature:
    signature: str
    slot: int
    block_time: int | None
    err: Any
    memo: str | None


class UnusableChainState(Exception):
    """The state file holds no chain (empty, not a chain store, unreadable)."""


class ChainStore:
    """SQLite persistence. Not thread-safe by itself: `LiteSvmChain` serializes access.

    ``create=False`` opens only a file that already holds a chain, and writes nothing otherwise.
    """

    def __init__(self, path: Path | None, *, create: bool = True) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # The chain is shared between the app's event loop and e.g. a server thread; access is
        # serialized by the chain's lock, so the same-thread check only gets in the way.
        self._db = sqlite3.connect(
            ":memory:" if path is None else str(path), check_same_thread=False, isolation_level=None
        )
        if path is not None and not create:
            self._require_chain()
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._open = True

    def _require_chain(self) -> None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'genesis_hash'").fetchone()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise UnusableChainState(f"is empty or unreadable ({exc})") from None
        if row is None:
            self._db.close()
            raise UnusableChainState("holds no chain")

    @property
    def is_open(self) -> bool:
        return self._open

    def close(self) -> None:
        self._open = False
        self._db.close()

    def load_meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def load_accounts(self) -> Iterator[tuple[Pubkey, Account]]:
        rows = self._db.execute(
            "SELECT address, lamports, owner, executable, rent_epoch, data FROM accounts"
        )
        for address, lamports, owner, executable, rent_epoch, data in rows:
            account = Account(
                lamports=lamports,
                data=bytes(data),
                owner=Pubkey.from_string(owner),
                executable=bool(executable),
                rent_epoch=int(rent_epoch),
            )
            yield Pubkey.from_string(address), account

    def has_signature(self, signature: Signature) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM transactions WHERE signature = ?", (str(signature),)
        ).fetchone()
        return row is not None

    def commit(
        self,
        *,
        accounts: Iterable[tuple[Pubkey, Account | None]],
        meta: dict[str, str],
        transaction: StoredTransaction | None = None,
        addresses: Iterable[Pubkey] = (),
    ) -> None:
        """Write one atomic step: touched accounts (None = deleted), metadata, the transaction."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for address, account in accounts:
                if account is None:
                    db.execute("DELETE FROM accounts WHERE address = ?", (str(address),))
                    continue
                db.execute(
                    "INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        str(address),
                        account.lamports,
                        str(account.owner),
                        int(account.executable),
                        str(account.rent_epoch),
                        bytes(account.data),
                    ),
                )
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            if transaction is not None:
                cursor = db.execute(
                    "INSERT INTO transactions (signature, slot, block_time, err, memo, record, tx)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        transaction.signature,
                        transaction.slot,
                        transaction.block_time,
                        None if transaction.err is None else json.dumps(transaction.err),
                        transaction.memo,
                        json.dumps(transaction.record),
                        transaction.tx,
                    ),
                )
                seq = cursor.lastrowid
                db.executemany(
                    "INSERT OR IGNORE INTO address_signatures VALUES (?, ?)",
                    [(str(address), seq) for address in set(addresses)],
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def transaction(self, signature: Signature) -> StoredTransaction | None:
        row = self._db.execute(
            "SELECT signature, slot, block_time, err, memo, record, tx FROM transactions"
            " WHERE signature = ?",
            (str(signature),),
        ).fetchone()
        if row is None:
            return None
        sig, slot, block_time, err, memo, record, tx = row
        return StoredTransaction(
            sig, slot, block_time, _json_or_none(err), memo, json.loads(record), bytes(tx)
        )

    def signatures_for_address(
        self, address: Pubkey, *, limit: int, before: Signature | None, until: Signature | None
    ) -> list[StoredSignature]:
        """Newest first, like `getSignaturesForAddress`: strictly older than `before`, strictly
        newer than `until`."""
        before_text = None if before is None else str(before)
        until_text = None if until is None else str(until)
        rows = self._db.execute(
            "SELECT t.signature, t.slot, t.block_time, t.err, t.memo"
            " FROM address_signatures a JOIN transactions t ON t.seq = a.seq"
            " WHERE a.address = ?"
            " AND (? IS NULL OR a.seq < (SELECT seq FROM transactions WHERE signature = ?))"
            " AND (? IS NULL OR a.seq > (SELECT seq FROM transactions WHERE signature = ?))"
            " ORDER BY a.seq DESC LIMIT ?",
            (str(address), before_text, before_text, until_text, until_text, limit),
        ).fetchall()
        return [
            StoredSignature(sig, slot, block_time, _json_or_none(err), memo)
            for sig, slot, block_time, err, memo in rows
        ]

    def first_transaction_slot(self) -> int | None:
        row = self._db.execute("SELECT MIN(slot) FROM transactions").fetchone()
        return None if row[0] is None else int(row[0])

    def transaction_count(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM transactions").fetchone()
        return int(row[0])

    def transactions_in_slot(self, slot: int) -> list[StoredTransaction]:
        """The transactions of one slot, in the order they landed."""
        rows = self._db.execute(
            "SELECT signature, slot, block_time, err, memo, record, tx FROM transactions"
            " WHERE slot = ? ORDER BY seq",
            (slot,),
        ).fetchall()
        return [
            StoredTransaction(sig, s, bt, _json_or_none(err), memo, json.loads(record), bytes(tx))
            for sig, s, bt, err, memo, record, tx in rows
        ]

    def block_time_at(self, slot: int) -> int | None:
        """The time of the last transaction landed at or before ``slot``."""
        row = self._db.execute(
            "SELECT block_time FROM transactions WHERE slot <= ? AND block_time IS NOT NULL"
            " ORDER BY slot DESC, seq DESC LIMIT 1",
            (slot,),
        ).fetchone()
        return None if row is None else int(row[0])

    def total_lamports(self) -> int:
        row = self._db.execute("SELECT COALESCE(SUM(lamports), 0) FROM accounts").fetchone()
        return int(row[0])

    def largest_accounts(self, limit: int) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT address, lamports FROM accounts ORDER BY lamports DESC, address LIMIT ?",
            (limit,),
        ).fetchall()
        return [(address, int(lamports)) for address, lamports in rows]


def _json_or_none(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)

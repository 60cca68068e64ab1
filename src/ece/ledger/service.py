"""The double-entry ledger: every movement of money goes through ``create_transfers``.

Modelled on TigerBeetle, inside the caller's transaction:

- A batch is validated in full against the locked balances, then written in one round (a bulk
  insert of transfer rows, one UPDATE per touched account). Any failure raises before anything
  is written, so a batch is a linked group: all of it applies or none of it does, and the
  caller's session stays usable after a domain error.
- Transfers are idempotent by their caller-chosen id: the same transfer again is reported as
  ``exists`` and applied once; a different transfer under a used id is a conflict.
- Balance rows are locked with ``SELECT ... FOR UPDATE`` in account-id order on PostgreSQL (no
  deadlocks, no lost updates); SQLite writers already hold the database lock (``BEGIN IMMEDIATE``).

``create_transfers`` reads in ``repository``, decides in ``rules`` (pure: ``check_shape``, then
``plan`` on typed ``Balance``s), and writes in ``repository``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Exists
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import DomainError, NotFound
from ece.core.money import Asset
from ece.core.pagination import PageParams, newest_first
from ece.ledger import direct_repository, repository
from ece.ledger.account_ids import AccountIdCache, cache_of, created_here
from ece.ledger.checks import (
    AssetCheck,
    LedgerCheck,
    check,
    longer_hold_ages,
    run_check,
    stale_hold_age,
)
from ece.ledger.models import LedgerTransfer, OwnerType, TransferCode, TransferKind
from ece.ledger.rules import (
    MAIN,
    Operation,
    PostPending,
    TransferResult,
    TransferSpec,
    VoidPending,
    accounts_named,
    check_shape,
    plan,
    short_of_funds,
)

# Batches up to this size are written optimistically (ids new) before any read by id.
OPTIMISTIC_MAX = 8

# Owners whose accounts hold real claims and so can never go below zero. Custody and platform
# accounts mirror value outside the ledger and may be negative, keeping every asset's sum at 0.
GUARDED_OWNERS = frozenset({OwnerType.user, OwnerType.company, OwnerType.escrow})

# The checks live in ece.ledger.checks, the rules in ece.ledger.rules, the account owners and
# transfer codes in ece.ledger.models; these names are part of the service's surface, so other
# domains import only this module.
__all__ = [
    "MAIN",
    "AccountIdCache",
    "AssetCheck",
    "LedgerCheck",
    "Operation",
    "OwnerType",
    "PostPending",
    "TransferCode",
    "TransferKind",
    "TransferResult",
    "TransferSpec",
    "VoidPending",
    "check",
    "longer_hold_ages",
    "run_check",
    "short_of_funds",
    "stale_hold_age",
]


@dataclass(frozen=True, slots=True)
class AccountBalance:
    account_id: int
    asset: Asset
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int

    @property
    def total(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def held(self) -> int:
        return self.debits_pending

    @property
    def available(self) -> int:
        return self.credits_posted - self.debits_posted - self.debits_pending


# ---------------------------------------------------------------------------------------------
# Operations


async def create_transfers(
    session: AsyncSession, operations: Sequence[Operation], *, new_ids: bool = False
) -> list[TransferResult]:
    """Apply a batch of transfers atomically; one result per operation, in order.

    ``new_ids=True`` says the caller derived every id from an id it made just now (a new
    sale's), so none can be stored yet: the read that makes a repeated id idempotent is skipped.

    Raises ``InsufficientFunds`` (a guarded account would go below zero), ``NotFound``
    (account or pending transfer), ``Conflict`` (``transfer_exists_different``,
    ``pending_already_resolved``, ``post_exceeds_pending``, ``not_pending``,
    ``asset_mismatch``, ``balance_overflow``) or ``Unprocessable`` (``invalid_transfer``);
    on any error nothing of the batch is written.

    Statements: the balances locked (with the accounts of the holds it resolves), the stored
    transfers it names read (the holds, their resolutions and, without ``new_ids``, its own
    ids; skipped for plain transfers, written as new with ``ON CONFLICT DO NOTHING`` and read
    only when an id was taken), the transfers inserted, the balances moved: 3 or 4.
    """
    ops = list(operations)
    if not ops:
        return []
    check_shape(ops)
    conn = await session.connection()
    hold_ids = {op.pending_id for op in ops if not isinstance(op, TransferSpec)}
    balances = await repository.lock_balances(conn, accounts_named(ops, {}), hold_ids)
    now = utcnow()
    if not hold_ids and not new_ids and len(ops) <= OPTIMISTIC_MAX:
        # Ids are nearly always new: write them as such, and read what is stored under them
        # only when one was taken (or the batch is refused: a repeat may be why). A large
        # batch reads first: its read is cheap beside it, its plain insert a fast executemany.
        try:
            batch = plan(ops, balances=balances, stored_holds={}, existing={}, resolved=set())
        except DomainError:
            batch = None
        if batch is not None and await repository.insert_new_transfers(conn, batch.records, now):
            await repository.write_transfers(conn, batch.records, batch.changes, now, inserted=True)
            return batch.results
    # Read after the locks: a concurrent batch on these accounts has committed or not started.
    op_ids = set() if new_ids else {op.id for op in ops}
    stored, resolved = await repository.stored_transfers(conn, hold_ids | op_ids)
    batch = plan(
        ops,
        balances=balances,
        stored_holds={i: t for i, t in stored.items() if i in hold_ids},
        existing={i: t for i, t in stored.items() if i in op_ids},
        resolved=resolved & hold_ids,
    )
    await repository.write_transfers(conn, batch.records, batch.changes, now)
    return batch.results


class TransferLine:
    """A series of transfers, each in a transaction of its own, committed before ``transfer``
    returns (``transfer_line`` opens one; on PostgreSQL it holds a connection).

    ``transfer(spec)`` answers as ``create_transfers(session, [spec])`` in a unit of work
    does, with the same refusals and the same rows, for a fraction of the CPU and round trips
    (``ece.ledger.direct_repository`` says how): for callers whose whole transaction is one
    transfer and who make many (a worker, a bulk credit). On SQLite the transfers of every
    line go through the process's writer (``Database.sqlite_writer``), which takes the writer
    gate (``Database.writer_gate``): never call it while holding the gate.
    """

    def __init__(self, db: Database, conn: AsyncConnection | None, driver: Any) -> None:
        self._db = db
        self._conn = conn
        self._driver = driver

    async def transfer(self, spec: TransferSpec) -> TransferResult:
        check_shape([spec])
        now = utcnow()
        if self._db.sqlite_writer is not None:
            return await direct_repository.sqlite_transfer(self._db.sqlite_writer, spec, now)
        assert self._conn is not None  # a PostgreSQL line holds its connection
        if await direct_repository.pg_transfer(self._driver, spec, now):
            return TransferResult.created
        # Declined (an id already taken, a refusal): decided again by the session path, which
        # reads the stored transfer and raises the refusal, on this line's connection.
        async with AsyncSession(bind=self._conn, expire_on_commit=False) as session:
            try:
                result = (await create_transfers(session, [spec]))[0]
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        # The session may have replaced a broken connection: use the one it left.
        self._driver = await direct_repository.driver_of(self._conn)
        return result


@asynccontextmanager
async def transfer_line(db: Database) -> AsyncIterator[TransferLine]:
    """A ``TransferLine``: on PostgreSQL it holds a connection of ``db``'s pool, returned when
    the block ends; on SQLite its transfers go through the process's writer
    (``Database.sqlite_writer``), which holds one connection for every line."""
    if db.sqlite_writer is not None:
        yield TransferLine(db, None, None)
        return
    async with db.engine.connect() as conn:
        yield TransferLine(db, conn, await direct_repository.driver_of(conn))


async def transfer(db: Database, spec: TransferSpec) -> TransferResult:
    """One transfer in a transaction of its own, on a connection taken for it: a
    ``TransferLine`` used once (a series of transfers is cheaper on one line)."""
    async with transfer_line(db) as line:
        return await line.transfer(spec)


async def post_pending(
    session: AsyncSession, pending_id: str, *, new_id: str, amount: int | None = None
) -> TransferResult:
    """Post a hold: all of it, or ``amount`` of it with the rest released."""
    return (await create_transfers(session, [PostPending(new_id, pending_id, amount)]))[0]


async def void_pending(session: AsyncSession, pending_id: str, *, new_id: str) -> TransferResult:
    """Release a hold in full."""
    return (await create_transfers(session, [VoidPending(new_id, pending_id)]))[0]


# ---------------------------------------------------------------------------------------------
# Accounts


async def account_for(
    session: AsyncSession,
    owner_type: OwnerType,
    owner_id: str,
    asset: Asset,
    purpose: str = MAIN,
) -> int:
    """The id of the owner's account for (asset, purpose), created on first use."""
    key = (owner_type.value, owner_id, asset.value, purpose)
    cache = cache_of(session)
    known = cache.get(key) if cache is not None else None
    if known is not None:
        return known
    columns = dict(zip(repository.ACCOUNT_KEY, key, strict=True))
    found = await repository.account_id(session, columns)
    if found is not None:
        if cache is not None:
            cache.remember(session, key, found)
        return found
    await repository.insert_account(
        session, columns, guarded=owner_type in GUARDED_OWNERS, now=utcnow()
    )
    created_here(session, key)
    created = await repository.account_id(session, columns)
    assert created is not None
    return created


async def posted_total(
    session: AsyncSession, owner_type: OwnerType, owner_id: str, asset: Asset, purpose: str
) -> int:
    """What an owner's accounts for ``purpose`` hold in ``asset`` (credits minus debits
    posted), summed over the purpose's shards (``purpose:<n>``), e.g. platform fee revenue."""
    return await repository.posted_sum(session, owner_type, owner_id, asset, purpose)


async def available_by_owner(
    session: AsyncSession, owner_type: OwnerType, purposes: Sequence[str]
) -> list[tuple[str, str, str, int]]:
    """(owner id, asset, purpose, available) of every account of ``owner_type`` for one of
    ``purposes`` that holds something (e.g. every company payable due a payout)."""
    return await repository.available_by_owner(session, owner_type, purposes)


async def user_account(session: AsyncSession, user_id: str, asset: Asset) -> int:
    return await account_for(session, OwnerType.user, user_id, asset)


def _balance_of(row: Any) -> AccountBalance:
    return AccountBalance(
        account_id=int(row.id),
        asset=Asset(row.asset),
        debits_posted=int(row.debits_posted),
        credits_posted=int(row.credits_posted),
        debits_pending=int(row.debits_pending),
        credits_pending=int(row.credits_pending),
    )


async def balance(session: AsyncSession, account_id: int) -> AccountBalance:
    row = await repository.account_row(session, account_id)
    if row is None:
        raise NotFound(f"No ledger account {account_id}.", code="account_not_found")
    return _balance_of(row)


async def has_transfers(session: AsyncSession) -> bool:
    """Whether any value was ever recorded (a database in use, whatever its balances)."""
    return await repository.has_transfers(session)


async def user_balances(session: AsyncSession, user_id: str) -> list[AccountBalance]:
    """The user's spendable balance in every asset, zero where no account exists yet."""
    rows = await repository.user_main_rows(session, user_id)
    by_asset = {row.asset: _balance_of(row) for row in rows}
    return [by_asset.get(asset.value) or AccountBalance(0, asset, 0, 0, 0, 0) for asset in Asset]


# ---------------------------------------------------------------------------------------------
# A user's entries


EntryStatus = Literal["pending", "posted", "voided"]


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    time: datetime
    asset: Asset
    amount: int  # signed: + credited to the user, - debited
    code: str
    reference: str | None
    status: EntryStatus


async def list_entries(
    session: AsyncSession, user_id: str, asset: Asset | None, params: PageParams
) -> tuple[list[Entry], str | None]:
    """The user's transfers, newest first. A hold is one entry: pending, then posted (with the
    amount actually posted) or voided; the resolving transfers are folded into it."""
    own = await repository.user_main_ids(session, user_id, asset)
    page: list[LedgerTransfer]
    page, cursor = await newest_first(
        session, repository.entries_query(own), LedgerTransfer, params
    )
    resolutions = await repository.resolutions_of(
        session, [t.id for t in page if t.kind == TransferKind.pending]
    )
    entries = []
    for t in page:
        status: EntryStatus = "posted"
        amount = t.amount
        if t.kind == TransferKind.pending:
            outcome = resolutions.get(t.id)
            if outcome is None:
                status = "pending"
            elif outcome.kind == TransferKind.post_pending:
                amount = outcome.amount
            else:
                status = "voided"
        sign = 1 if t.credit_account_id in own else -1
        entries.append(
            Entry(t.id, t.created_at, Asset(t.asset), sign * amount, t.code, t.reference, status)
        )
    return entries, cursor


async def company_account(
    session: AsyncSession, company_id: str, asset: Asset, purpose: str
) -> int:
    """A company's payable account for ``purpose`` (royalties or sales) in ``asset``."""
    return await account_for(session, OwnerType.company, company_id, asset, purpose)


def user_paid_user_clause(
    payer_user_id: str,
    payee_user_id: str,
    since: datetime,
    until: datetime,
    *,
    except_reference_prefix: str,
) -> Exists:
    """Whether a posted transfer went from any account of one user to any of another between
    ``since`` and ``until`` (inclusive), other than those whose reference has the prefix (the
    wash-trade rule's evidence of a round trip): an ``EXISTS`` clause, read in settlement's
    statement with the card's earlier sales."""
    return repository.user_paid_user_clause(
        payer_user_id, payee_user_id, since, until, except_reference_prefix
    )

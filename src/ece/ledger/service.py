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
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.pool import Pool

from ece.core.clock import utcnow
from ece.core.errors import Conflict, InsufficientFunds, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset
from ece.core.pagination import PageParams, newest_first
from ece.ledger.checks import AssetCheck, LedgerCheck, check, run_check
from ece.ledger.models import LedgerAccount, LedgerTransfer, OwnerType, TransferCode, TransferKind

MAIN = "main"  # the purpose of an owner's spendable account
# Owners whose accounts hold real claims and so can never go below zero. Custody and platform
# accounts mirror value outside the ledger and may be negative, keeping every asset's sum at 0.
GUARDED_OWNERS = frozenset({OwnerType.user, OwnerType.company, OwnerType.escrow})

# The checks live in ece.ledger.checks; these names are part of the service's surface.
__all__ = ["AssetCheck", "LedgerCheck", "check", "run_check"]

accounts: Table = LedgerAccount.__table__  # type: ignore[assignment]
transfers: Table = LedgerTransfer.__table__  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# Operations


@dataclass(frozen=True, slots=True)
class TransferSpec:
    """Move ``amount`` from the debit account to the credit account, at once or as a hold."""

    id: str
    debit_account_id: int
    credit_account_id: int
    asset: Asset
    amount: int
    code: TransferCode
    reference: str | None = None
    pending: bool = False


@dataclass(frozen=True, slots=True)
class PostPending:
    """Post a pending transfer: all of it (``amount=None``) or part, releasing the rest."""

    id: str
    pending_id: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class VoidPending:
    """Release a pending transfer in full."""

    id: str
    pending_id: str


Operation = TransferSpec | PostPending | VoidPending


class TransferResult(StrEnum):
    created = "created"
    exists = "exists"  # the same transfer was applied before: nothing changed


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


# Transfer rows as plain dicts: the hot path uses Core (executemany), not one ORM object per row.
_FIELDS = ("kind", "debit_account_id", "credit_account_id", "asset", "amount", "code")
_COMPARED = (*_FIELDS, "reference", "pending_id")
_IN_CHUNK = 500  # ids per IN (...) list, well under every driver's parameter limit


def _invalid(detail: str) -> Unprocessable:
    return Unprocessable(detail, code="invalid_transfer")


def _check_shape(ops: Sequence[Operation]) -> None:
    seen: set[str] = set()
    for op in ops:
        if not isinstance(op.id, str) or not 1 <= len(op.id) <= 100:
            raise _invalid("A transfer id is 1 to 100 characters.")
        if op.id in seen:
            raise _invalid(f"Transfer id {op.id!r} appears twice in one batch.")
        seen.add(op.id)
        amount = op.amount if isinstance(op, TransferSpec | PostPending) else 1
        if amount is not None and (
            isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT
        ):
            raise _invalid(f"Transfer {op.id!r}: the amount must be 1 to {MAX_AMOUNT} base units.")
        if isinstance(op, TransferSpec):
            if op.debit_account_id == op.credit_account_id:
                raise _invalid(f"Transfer {op.id!r} debits and credits the same account.")
            Asset(op.asset)
            TransferCode(op.code)
            if op.reference is not None and len(op.reference) > 128:
                raise _invalid(f"Transfer {op.id!r}: the reference is over 128 characters.")


def _chunks(values: Iterable[Any]) -> list[list[Any]]:
    items = list(values)
    return [items[i : i + _IN_CHUNK] for i in range(0, len(items), _IN_CHUNK)]


async def _fetch_transfers(session: AsyncSession, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        rows = await session.execute(select(transfers).where(transfers.c.id.in_(chunk)))
        found.update((row.id, dict(row._mapping)) for row in rows)
    return found


async def _lock_accounts(session: AsyncSession, ids: set[int]) -> dict[int, list[Any]]:
    """Balances of ``ids`` as ``[asset, guarded, dp, cp, dpend, cpend]``, locked in id order."""
    stmt = (
        select(
            accounts.c.id,
            accounts.c.asset,
            accounts.c.debits_must_not_exceed_credits,
            accounts.c.debits_posted,
            accounts.c.credits_posted,
            accounts.c.debits_pending,
            accounts.c.credits_pending,
        )
        .where(accounts.c.id.in_(sorted(ids)))
        .order_by(accounts.c.id)
        .with_for_update()
    )
    return {row[0]: list(row[1:]) for row in await session.execute(stmt)}


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
    """
    ops = list(operations)
    if not ops:
        return []
    _check_shape(ops)

    # Pending transfers are immutable, so they can be read before any lock is taken.
    resolving = {op.pending_id for op in ops if not isinstance(op, TransferSpec)}
    stored_pending = await _fetch_transfers(session, resolving) if resolving else {}
    account_ids: set[int] = set()
    for op in ops:
        if isinstance(op, TransferSpec):
            account_ids.update((op.debit_account_id, op.credit_account_id))
    for row in stored_pending.values():
        account_ids.update((row["debit_account_id"], row["credit_account_id"]))
    balances = await _lock_accounts(session, account_ids)

    # Read after the locks: a concurrent batch on these accounts has committed or not started.
    existing = {} if new_ids else await _fetch_transfers(session, (op.id for op in ops))
    resolved: set[str] = set()
    for chunk in _chunks(resolving):
        resolved.update(
            await session.scalars(
                select(transfers.c.pending_id).where(transfers.c.pending_id.in_(chunk))
            )
        )

    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    batch_pending: dict[str, dict[str, Any]] = {}
    touched: dict[int, list[int]] = {}  # account id -> deltas [dp, cp, dpend, cpend]
    results: list[TransferResult] = []

    def move(row: dict[str, Any], posted: int, pending: int) -> None:
        debit, credit = balances[row["debit_account_id"]], balances[row["credit_account_id"]]
        debit[2] += posted
        debit[4] += pending
        credit[3] += posted
        credit[5] += pending
        if debit[1] and debit[2] + debit[4] > debit[3]:
            raise InsufficientFunds(
                f"Not enough available funds for transfer {row['id']!r}.",
                asset=row["asset"],
            )
        if max(debit[2] + debit[4], credit[3] + credit[5]) > MAX_AMOUNT:
            raise Conflict(f"Transfer {row['id']!r} overflows a balance.", code="balance_overflow")
        for account_id, index_posted, index_pending in (
            (row["debit_account_id"], 0, 2),
            (row["credit_account_id"], 1, 3),
        ):
            delta = touched.setdefault(account_id, [0, 0, 0, 0])
            delta[index_posted] += posted
            delta[index_pending] += pending

    for op in ops:
        if isinstance(op, TransferSpec):
            row = {
                "id": op.id,
                "kind": TransferKind.pending if op.pending else TransferKind.posted,
                "debit_account_id": op.debit_account_id,
                "credit_account_id": op.credit_account_id,
                "asset": Asset(op.asset).value,
                "amount": op.amount,
                "code": TransferCode(op.code).value,
                "reference": op.reference,
                "pending_id": None,
                "created_at": now,
            }
            if _same_as_stored(row, existing.get(op.id)):
                results.append(TransferResult.exists)
                continue
            for side in ("debit_account_id", "credit_account_id"):
                if row[side] not in balances:
                    raise NotFound(f"No ledger account {row[side]}.", code="account_not_found")
                if balances[row[side]][0] != row["asset"]:
                    raise Conflict(
                        f"Transfer {op.id!r}: account {row[side]} does not hold {row['asset']}.",
                        code="asset_mismatch",
                    )
            if op.pending:
                move(row, 0, op.amount)
                batch_pending[op.id] = row
            else:
                move(row, op.amount, 0)
        else:
            pending_row = stored_pending.get(op.pending_id) or batch_pending.get(op.pending_id)
            if pending_row is None:
                raise NotFound(f"No pending transfer {op.pending_id!r}.", code="pending_not_found")
            if pending_row["kind"] != TransferKind.pending:
                raise Conflict(f"Transfer {op.pending_id!r} is not pending.", code="not_pending")
            held = pending_row["amount"]
            is_post = isinstance(op, PostPending)
            amount = (op.amount if isinstance(op, PostPending) else None) or held
            row = {
                **{field: pending_row[field] for field in _FIELDS},
                "id": op.id,
                "kind": TransferKind.post_pending if is_post else TransferKind.void_pending,
                "amount": amount,
                "reference": pending_row["reference"],
                "pending_id": op.pending_id,
                "created_at": now,
            }
            if _same_as_stored(row, existing.get(op.id)):
                results.append(TransferResult.exists)
                continue
            if op.pending_id in resolved:
                raise Conflict(
                    f"Pending transfer {op.pending_id!r} was already posted or voided.",
                    code="pending_already_resolved",
                )
            if amount > held:
                raise Conflict(
                    f"Cannot post {amount} of a transfer holding {held}.",
                    code="post_exceeds_pending",
                )
            move(row, amount if is_post else 0, -held)
            resolved.add(op.pending_id)
        new_rows.append(row)
        results.append(TransferResult.created)

    if new_rows:
        await session.execute(transfers.insert(), new_rows)
        await session.execute(
            update(accounts)
            .where(accounts.c.id == bindparam("b_id"))
            .values(
                debits_posted=accounts.c.debits_posted + bindparam("b_dp"),
                credits_posted=accounts.c.credits_posted + bindparam("b_cp"),
                debits_pending=accounts.c.debits_pending + bindparam("b_dpend"),
                credits_pending=accounts.c.credits_pending + bindparam("b_cpend"),
            ),
            [
                {"b_id": a, "b_dp": d[0], "b_cp": d[1], "b_dpend": d[2], "b_cpend": d[3]}
                for a, d in sorted(touched.items())
            ],
        )
    return results


def _same_as_stored(row: dict[str, Any], stored: dict[str, Any] | None) -> bool:
    """True for an idempotent repeat; raises when the id is taken by a different transfer."""
    if stored is None:
        return False
    if any(row[field] != stored[field] for field in _COMPARED):
        raise Conflict(
            f"Transfer {row['id']!r} exists with different details.",
            code="transfer_exists_different",
        )
    return True


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


# Account ids never change and accounts are never deleted, so the id of an (owner, asset,
# purpose) is remembered per connection pool once it is known to be committed: a hot path (a
# sale touches four accounts) then reads no account rows but the ones it locks.
_AccountKey = tuple[str, str, str, str]
_known_accounts: weakref.WeakKeyDictionary[Pool, dict[_AccountKey, int]] = (
    weakref.WeakKeyDictionary()
)
_CREATED_HERE = "ece.ledger.accounts_created"  # session.info: keys this session inserted
_ACCOUNT_ID = select(accounts.c.id).where(
    accounts.c.owner_type == bindparam("owner_type"),
    accounts.c.owner_id == bindparam("owner_id"),
    accounts.c.asset == bindparam("asset"),
    accounts.c.purpose == bindparam("purpose"),
)


def forget_known_accounts() -> None:
    """Drop the remembered account ids (for code that deletes accounts, i.e. tests only)."""
    _known_accounts.clear()


async def account_for(
    session: AsyncSession,
    owner_type: OwnerType,
    owner_id: str,
    asset: Asset,
    purpose: str = MAIN,
) -> int:
    """The id of the owner's account for (asset, purpose), created on first use."""
    key = (owner_type.value, owner_id, asset.value, purpose)
    bind = session.get_bind()
    pool = bind.pool if isinstance(bind, Engine) else bind.engine.pool
    known = _known_accounts.setdefault(pool, {})
    if key in known:
        return known[key]
    params = dict(zip(("owner_type", "owner_id", "asset", "purpose"), key, strict=True))
    found = await session.scalar(_ACCOUNT_ID, params)
    if found is not None:
        # Rows this transaction inserted are visible to it but may yet be rolled back.
        if key not in session.info.get(_CREATED_HERE, ()):
            known[key] = int(found)
        return int(found)
    values = {
        **params,
        "debits_must_not_exceed_credits": owner_type in GUARDED_OWNERS,
        "debits_posted": 0,
        "credits_posted": 0,
        "debits_pending": 0,
        "credits_pending": 0,
        "created_at": utcnow(),
    }
    # A concurrent first use inserts the same key: DO NOTHING waits for it and then reads it.
    conflict = ["owner_type", "owner_id", "asset", "purpose"]
    if bind.dialect.name == "postgresql":
        stmt: Any = (
            pg_insert(accounts).values(values).on_conflict_do_nothing(index_elements=conflict)
        )
    else:
        stmt = (
            sqlite_insert(accounts).values(values).on_conflict_do_nothing(index_elements=conflict)
        )
    await session.execute(stmt)
    session.info.setdefault(_CREATED_HERE, set()).add(key)
    created = await session.scalar(_ACCOUNT_ID, params)
    assert created is not None
    return int(created)


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
    row = (await session.execute(select(accounts).where(accounts.c.id == account_id))).first()
    if row is None:
        raise NotFound(f"No ledger account {account_id}.", code="account_not_found")
    return _balance_of(row)


async def has_transfers(session: AsyncSession) -> bool:
    """Whether any value was ever recorded (a database in use, whatever its balances)."""
    return (await session.scalar(select(LedgerTransfer.id).limit(1))) is not None


async def user_balances(session: AsyncSession, user_id: str) -> list[AccountBalance]:
    """The user's spendable balance in every asset, zero where no account exists yet."""
    rows = await session.execute(
        select(accounts).where(
            accounts.c.owner_type == OwnerType.user.value,
            accounts.c.owner_id == user_id,
            accounts.c.purpose == MAIN,
        )
    )
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
    query = select(accounts.c.id).where(
        accounts.c.owner_type == OwnerType.user.value,
        accounts.c.owner_id == user_id,
        accounts.c.purpose == MAIN,
    )
    if asset is not None:
        query = query.where(accounts.c.asset == asset.value)
    own = set((await session.scalars(query)).all())
    stmt = select(LedgerTransfer).where(
        LedgerTransfer.kind.in_([TransferKind.posted.value, TransferKind.pending.value]),
        or_(LedgerTransfer.debit_account_id.in_(own), LedgerTransfer.credit_account_id.in_(own)),
    )
    page: list[LedgerTransfer]
    page, cursor = await newest_first(session, stmt, LedgerTransfer, params)
    holds = [t.id for t in page if t.kind == TransferKind.pending]
    resolutions: dict[str, LedgerTransfer] = {}
    if holds:
        found = await session.scalars(
            select(LedgerTransfer).where(LedgerTransfer.pending_id.in_(holds))
        )
        resolutions = {t.pending_id: t for t in found if t.pending_id is not None}
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

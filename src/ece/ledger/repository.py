"""Every SQL statement on the ledger's tables. Decisions live in ``rules``; this only reads and
writes rows, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Exists,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ece.core.money import Asset
from ece.ledger.models import LedgerAccount, LedgerTransfer, OwnerType, TransferKind
from ece.ledger.rules import MAIN, Balance, BalanceChange, TransferRecord

accounts: Table = LedgerAccount.__table__  # type: ignore[assignment]
transfers: Table = LedgerTransfer.__table__  # type: ignore[assignment]

IN_CHUNK = 500  # ids per IN (...) list, well under every driver's parameter limit
ACCOUNT_KEY = ("owner_type", "owner_id", "asset", "purpose")


def _chunks(values: Iterable[Any]) -> list[list[Any]]:
    items = list(values)
    return [items[i : i + IN_CHUNK] for i in range(0, len(items), IN_CHUNK)]


# ---------------------------------------------------------------------------------------------
# Transfers


def _record(row: Mapping[Any, Any]) -> TransferRecord:
    return TransferRecord(
        id=row["id"],
        kind=TransferKind(row["kind"]),
        debit_account_id=row["debit_account_id"],
        credit_account_id=row["credit_account_id"],
        asset=row["asset"],
        amount=row["amount"],
        code=row["code"],
        reference=row["reference"],
        pending_id=row["pending_id"],
    )


TRANSFER_COLUMNS = (
    "id",
    "kind",
    "debit_account_id",
    "credit_account_id",
    "asset",
    "amount",
    "code",
    "reference",
    "pending_id",
)
_resolution = transfers.alias("resolution")
_STORED = select(
    *(transfers.c[name] for name in TRANSFER_COLUMNS),
    exists()
    .where(_resolution.c.pending_id == transfers.c.id)
    .correlate(transfers)
    .label("resolved"),
).where(transfers.c.id.in_(bindparam("ids", expanding=True)))


async def stored_transfers(
    conn: AsyncConnection, ids: Iterable[str]
) -> tuple[dict[str, TransferRecord], set[str]]:
    """The stored transfers among ``ids``, and which of them a post or void already names:
    one statement per ``IN_CHUNK`` ids (read after the locks, so a concurrent batch on the
    same accounts has committed or not started)."""
    found: dict[str, TransferRecord] = {}
    resolved: set[str] = set()
    for chunk in _chunks(ids):
        for row in await conn.execute(_STORED, {"ids": chunk}):
            found[row.id] = _record(row._mapping)
            if row.resolved:
                resolved.add(row.id)
    return found, resolved


_BALANCE_COLUMNS = (
    accounts.c.id,
    accounts.c.asset,
    accounts.c.debits_must_not_exceed_credits,
    accounts.c.debits_posted,
    accounts.c.credits_posted,
    accounts.c.debits_pending,
    accounts.c.credits_pending,
)
_LOCK = (
    select(*_BALANCE_COLUMNS)
    .where(accounts.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(accounts.c.id)
    .with_for_update()
)
_holds_named = select(transfers.c.debit_account_id).where(
    transfers.c.id.in_(bindparam("holds", expanding=True))
)
# The accounts of the holds a batch resolves are locked in the same statement, found from the
# hold rows (immutable), so nothing about a hold is read before its accounts are locked.
_LOCK_WITH_HOLDS = (
    select(*_BALANCE_COLUMNS)
    .where(
        or_(
            accounts.c.id.in_(bindparam("ids", expanding=True)),
            accounts.c.id.in_(_holds_named),
            accounts.c.id.in_(
                select(transfers.c.credit_account_id).where(
                    transfers.c.id.in_(bindparam("holds", expanding=True))
                )
            ),
        )
    )
    .order_by(accounts.c.id)
    .with_for_update()
)


def _balance(row: Any) -> Balance:
    return Balance(row[1], bool(row[2]), row[3], row[4], row[5], row[6])


async def lock_balances(
    conn: AsyncConnection, ids: set[int], hold_ids: Collection[str] = ()
) -> dict[int, Balance]:
    """The balances of ``ids`` and of the accounts the holds ``hold_ids`` name, locked in id
    order (``FOR UPDATE`` on PostgreSQL; SQLite writers hold the database lock): one
    statement."""
    if len(hold_ids) > IN_CHUNK or len(ids) > IN_CHUNK:
        named = set(ids)
        for chunk in _chunks(hold_ids):
            rows = await conn.execute(
                select(transfers.c.debit_account_id, transfers.c.credit_account_id).where(
                    transfers.c.id.in_(chunk)
                )
            )
            for debit, credit in rows:
                named.update((debit, credit))
        found: dict[int, Balance] = {}
        # Chunks in id order keep the locks in one global order.
        for chunk in _chunks(sorted(named)):
            rows = await conn.execute(_LOCK, {"ids": chunk})
            found.update((row[0], _balance(row)) for row in rows)
        return found
    if hold_ids:
        rows = await conn.execute(_LOCK_WITH_HOLDS, {"ids": sorted(ids), "holds": list(hold_ids)})
    else:
        rows = await conn.execute(_LOCK, {"ids": sorted(ids)})
    return {row[0]: _balance(row) for row in rows}


def _insert_new(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id``: the rows it wrote."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(transfers).on_conflict_do_nothing(index_elements=["id"]).returning(transfers.c.id)


_INSERT_NEW = {name: _insert_new(name) for name in ("postgresql", "sqlite")}
_DELETE_MINE = transfers.delete().where(transfers.c.id.in_(bindparam("ids", expanding=True)))


async def insert_new_transfers(
    conn: AsyncConnection, records: list[TransferRecord], now: datetime
) -> bool:
    """Insert ``records`` unless one of their ids is stored already: True when all were
    written; else none is left (the rows this call wrote are deleted again) and the caller
    reads the stored ones. One statement when the ids are new, as they nearly always are."""
    if not records:
        return True
    rows = [r.as_row(now) for r in records]
    statement = _INSERT_NEW[conn.dialect.name]
    written = (
        [row[0] for row in await conn.execute(statement, rows[0])]
        if len(rows) == 1
        else list((await conn.execute(statement, rows)).scalars())
    )
    if len(written) == len(records):
        return True
    if written:
        await conn.execute(_DELETE_MINE, {"ids": written})
    return False


_MOVE = (
    update(accounts)
    .where(accounts.c.id == bindparam("b_id"))
    .values(
        debits_posted=accounts.c.debits_posted + bindparam("b_dp"),
        credits_posted=accounts.c.credits_posted + bindparam("b_cp"),
        debits_pending=accounts.c.debits_pending + bindparam("b_dpend"),
        credits_pending=accounts.c.credits_pending + bindparam("b_cpend"),
    )
)


async def write_transfers(
    conn: AsyncConnection,
    records: list[TransferRecord],
    changes: Mapping[int, BalanceChange],
    now: datetime,
    *,
    inserted: bool = False,
) -> None:
    """Insert the transfers in one round (unless ``inserted`` already), then one UPDATE per
    moved account (in id order, one executemany)."""
    if not records:
        return
    if not inserted:
        await conn.execute(transfers.insert(), [r.as_row(now) for r in records])
    await conn.execute(
        _MOVE,
        [
            {
                "b_id": account_id,
                "b_dp": c.debits_posted,
                "b_cp": c.credits_posted,
                "b_dpend": c.debits_pending,
                "b_cpend": c.credits_pending,
            }
            for account_id, c in changes.items()
        ],
    )


async def has_transfers(session: AsyncSession) -> bool:
    return (await session.scalar(select(transfers.c.id).limit(1))) is not None


async def posted_sum(
    session: AsyncSession, owner_type: OwnerType, owner_id: str, asset: Asset, purpose: str
) -> int:
    """Credits minus debits posted over an owner's accounts in ``asset`` whose purpose is
    ``purpose`` or one of its shards (``purpose:<n>``)."""
    total = await session.scalar(
        select(
            func.coalesce(func.sum(accounts.c.credits_posted - accounts.c.debits_posted), 0)
        ).where(
            accounts.c.owner_type == owner_type.value,
            accounts.c.owner_id == owner_id,
            accounts.c.asset == asset.value,
            or_(accounts.c.purpose == purpose, accounts.c.purpose.like(f"{purpose}:%")),
        )
    )
    return int(total or 0)


async def available_by_owner(
    session: AsyncSession, owner_type: OwnerType, purposes: Sequence[str]
) -> list[tuple[str, str, str, int]]:
    """(owner id, asset, purpose, available) of every account of ``owner_type`` for one of
    ``purposes`` holding something, by owner id."""
    available = accounts.c.credits_posted - accounts.c.debits_posted - accounts.c.debits_pending
    rows = await session.execute(
        select(accounts.c.owner_id, accounts.c.asset, accounts.c.purpose, available)
        .where(
            accounts.c.owner_type == owner_type.value,
            accounts.c.purpose.in_(list(purposes)),
            available > 0,
        )
        .order_by(accounts.c.owner_id, accounts.c.asset, accounts.c.purpose)
    )
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


# ---------------------------------------------------------------------------------------------
# Accounts

_ACCOUNT_ID = select(accounts.c.id).where(
    *(accounts.c[name] == bindparam(name) for name in ACCOUNT_KEY)
)


async def account_id(session: AsyncSession, key: Mapping[str, str]) -> int | None:
    found = await session.scalar(_ACCOUNT_ID, dict(key))
    return None if found is None else int(found)


async def insert_account(
    session: AsyncSession, key: Mapping[str, str], *, guarded: bool, now: datetime
) -> None:
    """Insert an empty account; a concurrent first use of the same key makes this a no-op."""
    values = {
        **key,
        "debits_must_not_exceed_credits": guarded,
        "debits_posted": 0,
        "credits_posted": 0,
        "debits_pending": 0,
        "credits_pending": 0,
        "created_at": now,
    }
    # DO NOTHING waits for a concurrent insert of the same key, which the caller then reads.
    stmt: Any
    if session.get_bind().dialect.name == "postgresql":
        stmt = pg_insert(accounts).values(values).on_conflict_do_nothing(index_elements=ACCOUNT_KEY)
    else:
        stmt = (
            sqlite_insert(accounts)
            .values(values)
            .on_conflict_do_nothing(index_elements=ACCOUNT_KEY)
        )
    await session.execute(stmt)


async def account_row(session: AsyncSession, account_id: int) -> Row[Any] | None:
    return (await session.execute(select(accounts).where(accounts.c.id == account_id))).first()


def _is_main_of(user_id: str) -> tuple[Any, ...]:
    return (
        accounts.c.owner_type == OwnerType.user.value,
        accounts.c.owner_id == user_id,
        accounts.c.purpose == MAIN,
    )


async def user_main_rows(session: AsyncSession, user_id: str) -> list[Row[Any]]:
    return list(await session.execute(select(accounts).where(*_is_main_of(user_id))))


async def user_main_ids(session: AsyncSession, user_id: str, asset: Asset | None) -> set[int]:
    query = select(accounts.c.id).where(*_is_main_of(user_id))
    if asset is not None:
        query = query.where(accounts.c.asset == asset.value)
    return set((await session.scalars(query)).all())


# ---------------------------------------------------------------------------------------------
# A user's entries


def entries_query(own: set[int]) -> Select[Any]:
    """Posted and pending transfers touching ``own`` (resolutions fold into their holds)."""
    return select(LedgerTransfer).where(
        LedgerTransfer.kind.in_([TransferKind.posted.value, TransferKind.pending.value]),
        or_(LedgerTransfer.debit_account_id.in_(own), LedgerTransfer.credit_account_id.in_(own)),
    )


async def resolutions_of(session: AsyncSession, hold_ids: list[str]) -> dict[str, LedgerTransfer]:
    if not hold_ids:
        return {}
    found = await session.scalars(
        select(LedgerTransfer).where(LedgerTransfer.pending_id.in_(hold_ids))
    )
    return {t.pending_id: t for t in found if t.pending_id is not None}


# ---------------------------------------------------------------------------------------------
# The checks' reads

Sums = tuple[int, int, int, int]  # debits posted, credits posted, debits pending, credits pending


@dataclass(frozen=True, slots=True)
class AssetSums:
    balance_sum: int  # sum (credits_posted - debits_posted) over the asset's accounts
    pending_sum: int  # sum (credits_pending - debits_pending)
    below_zero: int  # guarded accounts whose debits pass their posted credits


async def asset_sums(session: AsyncSession) -> dict[str, AssetSums]:
    guarded_below_zero = and_(
        accounts.c.debits_must_not_exceed_credits,
        accounts.c.debits_posted + accounts.c.debits_pending > accounts.c.credits_posted,
    )
    rows = await session.execute(
        select(
            accounts.c.asset,
            func.coalesce(func.sum(accounts.c.credits_posted - accounts.c.debits_posted), 0),
            func.coalesce(func.sum(accounts.c.credits_pending - accounts.c.debits_pending), 0),
            func.coalesce(func.sum(case((guarded_below_zero, 1), else_=0)), 0),
        ).group_by(accounts.c.asset)
    )
    return {row[0]: AssetSums(int(row[1]), int(row[2]), int(row[3])) for row in rows}


def _is_open_hold(t: Any) -> Any:
    resolution = transfers.alias("resolution")
    return and_(
        t.c.kind == TransferKind.pending.value,
        ~exists().where(resolution.c.pending_id == t.c.id),
    )


async def open_holds_before(
    session: AsyncSession, cutoff: datetime, longer: Mapping[str, datetime]
) -> dict[str, int]:
    """Per asset, how many holds made before ``cutoff`` are neither posted nor voided; a hold
    whose reference starts with a prefix of ``longer`` counts only if made before that cutoff."""
    ref = transfers.c.reference
    special = [ref.like(f"{prefix}%") for prefix in longer]
    too_old = or_(
        and_(transfers.c.created_at < cutoff, *(or_(ref.is_(None), ~s) for s in special)),
        *(
            and_(is_kind, transfers.c.created_at < when)
            for is_kind, when in zip(special, longer.values(), strict=True)
        ),
    )
    rows = await session.execute(
        select(transfers.c.asset, func.count())
        .where(_is_open_hold(transfers), too_old)
        .group_by(transfers.c.asset)
    )
    return {str(asset): int(count) for asset, count in rows}


async def balances_from_transfers(session: AsyncSession) -> dict[int, Sums]:
    """Each account's four balances summed from the transfers (what the stored ones must be)."""
    t = transfers
    moved = t.c.kind.in_([TransferKind.posted.value, TransferKind.post_pending.value])
    held = _is_open_hold(t)
    zero = literal(0)

    def leg(account: Any, where: Any, slot: int) -> Any:
        columns: list[Any] = [zero, zero, zero, zero]
        columns[slot] = t.c.amount
        return select(
            account.label("account_id"),
            *(c.label(n) for c, n in zip(columns, ("dp", "cp", "dpend", "cpend"), strict=True)),
        ).where(where)

    legs = union_all(
        leg(t.c.debit_account_id, moved, 0),
        leg(t.c.credit_account_id, moved, 1),
        leg(t.c.debit_account_id, held, 2),
        leg(t.c.credit_account_id, held, 3),
    ).subquery()
    rows = await session.execute(
        select(
            legs.c.account_id,
            func.sum(legs.c.dp),
            func.sum(legs.c.cp),
            func.sum(legs.c.dpend),
            func.sum(legs.c.cpend),
        ).group_by(legs.c.account_id)
    )
    return {row[0]: (int(row[1]), int(row[2]), int(row[3]), int(row[4])) for row in rows}


async def stored_balances(session: AsyncSession) -> list[tuple[int, str, Sums]]:
    rows = await session.execute(select(accounts))
    return [
        (
            row.id,
            row.asset,
            (row.debits_posted, row.credits_posted, row.debits_pending, row.credits_pending),
        )
        for row in rows
    ]


def user_paid_user_clause(
    payer_user_id: str,
    payee_user_id: str,
    since: datetime,
    until: datetime,
    except_reference_prefix: str,
) -> Exists:
    def accounts_of(user_id: str) -> Select[Any]:
        return select(LedgerAccount.id).where(
            LedgerAccount.owner_type == OwnerType.user.value, LedgerAccount.owner_id == user_id
        )

    return exists().where(
        LedgerTransfer.debit_account_id.in_(accounts_of(payer_user_id)),
        LedgerTransfer.credit_account_id.in_(accounts_of(payee_user_id)),
        # A posted hold is recorded as its post_pending row (same two accounts).
        LedgerTransfer.kind.in_([TransferKind.posted.value, TransferKind.post_pending.value]),
        LedgerTransfer.created_at >= since,
        LedgerTransfer.created_at <= until,
        or_(
            LedgerTransfer.reference.is_(None),
            LedgerTransfer.reference.not_like(f"{except_reference_prefix}%"),
        ),
    )

"""Ledger checks: the invariants proved from the stored rows (``ece ledger check``, admins).

Per asset: all accounts sum to zero (posted and pending), no guarded account is below zero,
every account's balances equal the sums of its transfers, and no hold is left open too long.

"Too long" is one rule, ``stale_hold_age``: the longest an order may hold tokens (the offer and
trade-offer maximum lifetimes) plus a margin for the expiry jobs to release it. A hold older
than that outlived every order that could own it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, and_, case, exists, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.money import Asset
from ece.ledger.models import LedgerAccount, LedgerTransfer, TransferKind

# After its order expires, a hold waits for the expiry job (every minute or so); a day of margin
# means only a hold whose job has failed for a day is reported.
STALE_HOLD_MARGIN = timedelta(days=1)


def stale_hold_age(settings: Settings) -> timedelta:
    """How old an open hold must be to count as stale under ``settings``."""
    longest = max(settings.offer_max_ttl_seconds, settings.trade_offer_max_ttl_seconds)
    return timedelta(seconds=longest) + STALE_HOLD_MARGIN


# The age under the default settings (no environment read): for callers without settings.
DEFAULT_MAX_PENDING_AGE = stale_hold_age(Settings.model_construct())

accounts: Table = LedgerAccount.__table__  # type: ignore[assignment]
transfers: Table = LedgerTransfer.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class AssetCheck:
    asset: Asset
    balance_sum: int  # sum (credits_posted - debits_posted) over all accounts: must be 0
    pending_sum: int  # sum (credits_pending - debits_pending): must be 0
    accounts_below_zero: int  # guarded accounts with available < 0: must be 0
    mismatched_accounts: int  # accounts whose balances differ from their transfers: must be 0
    stale_pending: int  # holds older than the limit, neither posted nor voided

    @property
    def ok(self) -> bool:
        return (
            self.balance_sum == 0
            and self.pending_sum == 0
            and self.accounts_below_zero == 0
            and self.mismatched_accounts == 0
            and self.stale_pending == 0
        )


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    assets: list[AssetCheck]
    max_pending_age: timedelta

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.assets)


async def check(
    session: AsyncSession, *, max_pending_age: timedelta = DEFAULT_MAX_PENDING_AGE
) -> LedgerCheck:
    """Prove the ledger's invariants from the stored rows (for ``ece ledger check`` and admins)."""
    sums = {
        row.asset: row
        for row in await session.execute(
            select(
                accounts.c.asset,
                func.coalesce(
                    func.sum(accounts.c.credits_posted - accounts.c.debits_posted), 0
                ).label("balance_sum"),
                func.coalesce(
                    func.sum(accounts.c.credits_pending - accounts.c.debits_pending), 0
                ).label("pending_sum"),
                func.coalesce(
                    func.sum(
                        case(
                            (
                                and_(
                                    accounts.c.debits_must_not_exceed_credits,
                                    accounts.c.debits_posted + accounts.c.debits_pending
                                    > accounts.c.credits_posted,
                                ),
                                1,
                            ),
                            else_=0,
                        )
                    ),
                    0,
                ).label("below_zero"),
            ).group_by(accounts.c.asset)
        )
    }
    mismatched = await _mismatched_accounts(session)
    resolution = transfers.alias("resolution")
    open_holds = ~exists().where(resolution.c.pending_id == transfers.c.id)
    stale_rows = await session.execute(
        select(transfers.c.asset, func.count())
        .where(
            transfers.c.kind == TransferKind.pending.value,
            transfers.c.created_at < utcnow() - max_pending_age,
            open_holds,
        )
        .group_by(transfers.c.asset)
    )
    stale = {str(asset): int(count) for asset, count in stale_rows}
    results = []
    for asset in Asset:
        row = sums.get(asset.value)
        results.append(
            AssetCheck(
                asset=asset,
                balance_sum=int(row.balance_sum) if row else 0,
                pending_sum=int(row.pending_sum) if row else 0,
                accounts_below_zero=int(row.below_zero) if row else 0,
                mismatched_accounts=mismatched.get(asset.value, 0),
                stale_pending=int(stale.get(asset.value, 0)),
            )
        )
    return LedgerCheck(assets=results, max_pending_age=max_pending_age)


async def _mismatched_accounts(session: AsyncSession) -> dict[str, int]:
    """Per asset, how many accounts' four balances differ from the sums of their transfers."""
    t = transfers
    resolution = transfers.alias("resolution")
    moved = t.c.kind.in_([TransferKind.posted.value, TransferKind.post_pending.value])
    held = and_(
        t.c.kind == TransferKind.pending.value,
        ~exists().where(resolution.c.pending_id == t.c.id),
    )
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
    expected = {
        row[0]: tuple(int(v) for v in row[1:])
        for row in await session.execute(
            select(
                legs.c.account_id,
                func.sum(legs.c.dp),
                func.sum(legs.c.cp),
                func.sum(legs.c.dpend),
                func.sum(legs.c.cpend),
            ).group_by(legs.c.account_id)
        )
    }
    counts: dict[str, int] = {}
    for row in await session.execute(select(accounts)):
        actual = (row.debits_posted, row.credits_posted, row.debits_pending, row.credits_pending)
        if expected.get(row.id, (0, 0, 0, 0)) != actual:
            counts[row.asset] = counts.get(row.asset, 0) + 1
    return counts


async def run_check(
    db: Database, *, max_pending_age: timedelta = DEFAULT_MAX_PENDING_AGE
) -> LedgerCheck:
    """``ece ledger check``: the checks in their own read-only transaction."""
    async with db.unit_of_work(write=False) as session:
        return await check(session, max_pending_age=max_pending_age)

"""Ledger checks: the invariants proved from the stored rows (``ece ledger check``, admins).

Per asset: all accounts sum to zero (posted and pending), no guarded account is below zero,
every account's balances equal the sums of its transfers, and no hold is left open too long.

"Too long" is one rule, ``stale_hold_age``: the longest an order may hold tokens (the offer and
trade-offer maximum lifetimes) plus a margin for the expiry jobs to release it. A hold older
than that outlived every order that could own it. Holds that may rightly live longer are known
by their reference and get their own age (``longer_hold_ages``): an auction's leading bid is
held until the auction ends, up to its longest duration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.metrics import LEDGER_CHECK_OK
from ece.core.money import Asset
from ece.ledger import repository
from ece.ledger.repository import Sums

# After its order expires, a hold waits for the expiry job (every minute or so); a day of margin
# means only a hold whose job has failed for a day is reported.
STALE_HOLD_MARGIN = timedelta(days=1)


def stale_hold_age(settings: Settings) -> timedelta:
    """How old an open hold must be to count as stale under ``settings``."""
    longest = max(settings.offer_max_ttl_seconds, settings.trade_offer_max_ttl_seconds)
    return timedelta(seconds=longest) + STALE_HOLD_MARGIN


# The reference prefix of the holds an auction's leading bid makes (``auction:<id>``), and of a
# battle's entry fee holds (``battle:<id>``).
AUCTION_HOLDS = "auction:"
BATTLE_HOLDS = "battle:"


def longer_hold_ages(settings: Settings) -> dict[str, timedelta]:
    """Holds that may outlive ``stale_hold_age``, by reference prefix, with their own age."""
    return {
        AUCTION_HOLDS: timedelta(seconds=settings.auction_max_duration_s) + STALE_HOLD_MARGIN,
        BATTLE_HOLDS: timedelta(seconds=settings.battle_max_duration_s) + STALE_HOLD_MARGIN,
    }


# The age under the default settings (no environment read): for callers without settings.
DEFAULT_MAX_PENDING_AGE = stale_hold_age(Settings.model_construct())
DEFAULT_LONGER_HOLD_AGES = longer_hold_ages(Settings.model_construct())


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
    session: AsyncSession,
    *,
    max_pending_age: timedelta = DEFAULT_MAX_PENDING_AGE,
    longer: Mapping[str, timedelta] = DEFAULT_LONGER_HOLD_AGES,
) -> LedgerCheck:
    """Prove the ledger's invariants from the stored rows (for ``ece ledger check`` and admins)."""
    sums = await repository.asset_sums(session)
    mismatched = _mismatched_accounts(
        await repository.balances_from_transfers(session),
        await repository.stored_balances(session),
    )
    now = utcnow()
    stale = await repository.open_holds_before(
        session,
        now - max_pending_age,
        {prefix: now - max(age, max_pending_age) for prefix, age in longer.items()},
    )
    results = []
    for asset in Asset:
        found = sums.get(asset.value, repository.AssetSums(0, 0, 0))
        results.append(
            AssetCheck(
                asset=asset,
                balance_sum=found.balance_sum,
                pending_sum=found.pending_sum,
                accounts_below_zero=found.below_zero,
                mismatched_accounts=mismatched.get(asset.value, 0),
                stale_pending=stale.get(asset.value, 0),
            )
        )
    return LedgerCheck(assets=results, max_pending_age=max_pending_age)


def _mismatched_accounts(
    expected: dict[int, Sums], stored: list[tuple[int, str, Sums]]
) -> dict[str, int]:
    """Per asset, how many accounts' four balances differ from the sums of their transfers."""
    counts: dict[str, int] = {}
    for account_id, asset, actual in stored:
        if expected.get(account_id, (0, 0, 0, 0)) != actual:
            counts[asset] = counts.get(asset, 0) + 1
    return counts


async def run_check(
    db: Database,
    *,
    max_pending_age: timedelta = DEFAULT_MAX_PENDING_AGE,
    longer: Mapping[str, timedelta] = DEFAULT_LONGER_HOLD_AGES,
) -> LedgerCheck:
    """``ece ledger check``: the checks in their own read-only transaction."""
    async with db.unit_of_work(write=False) as session:
        result = await check(session, max_pending_age=max_pending_age, longer=longer)
    LEDGER_CHECK_OK.set(1 if result.ok else 0)
    return result

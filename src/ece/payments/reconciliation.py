"""Reconciliation: per asset, what the ledger owes equals what custody holds on chain.

The ledger's custody account is the mirror image of everything deposited and not yet withdrawn:
minus its balance is user balances + open holds + withdrawals in flight (and any platform
revenue, which custody also holds). A withdrawal that already landed on chain but whose hold is
not posted yet has left custody, so it is taken off before comparing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from solders.signature import Signature
from sqlalchemy import select

from ece.chain.base import Chain
from ece.chain.platform import Platform
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.metrics import RECONCILIATION_OK
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType
from ece.payments import assets
from ece.payments.deposits import account_balance
from ece.payments.models import Withdrawal, WithdrawalStatus

log = structlog.get_logger("ece.payments.reconciliation")


@dataclass(frozen=True, slots=True)
class AssetReconciliation:
    asset: Asset
    ledger_liabilities: int
    onchain_custody: int
    landed_unposted: int  # withdrawals already paid on chain, holds not yet posted

    @property
    def difference(self) -> int:
        return self.onchain_custody - self.ledger_liabilities

    @property
    def ok(self) -> bool:
        return self.difference == 0


@dataclass(frozen=True, slots=True)
class Reconciliation:
    checked_at: datetime
    assets: list[AssetReconciliation]

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.assets)


async def reconcile(db: Database, chain: Chain, platform: Platform) -> Reconciliation:
    """Compare, per asset, and publish the outcome (metric, and an error log on a mismatch)."""
    checked_at = utcnow()
    # The ledger first, then the chain: a withdrawal finishing in between has landed already and
    # is seen as landed-unposted below, so the two reads stay consistent.
    owed: dict[Asset, int] = {}
    async with db.unit_of_work() as session:
        for asset in Asset:
            account = await ledger.account_for(
                session, OwnerType.custody, assets.CUSTODY_OWNER_ID, asset
            )
            owed[asset] = -(await ledger.balance(session, account)).total
        in_flight = (
            await session.execute(
                select(Withdrawal.asset, Withdrawal.amount, Withdrawal.signature).where(
                    Withdrawal.status == WithdrawalStatus.sent.value,
                    Withdrawal.asset.in_([a.value for a in Asset]),
                )
            )
        ).all()
    landed = dict.fromkeys(Asset, 0)
    for asset_text, amount, signature in in_flight:
        assert signature is not None  # set together with status "sent"
        status = await chain.get_signature_status(Signature.from_string(signature))
        if status is not None and status.err is None and status.confirmation_status == "finalized":
            landed[Asset(asset_text)] += amount
    results = []
    for asset in Asset:
        held = await account_balance(chain, platform.custody_token_account(asset))
        result = AssetReconciliation(asset, owed[asset] - landed[asset], held, landed[asset])
        RECONCILIATION_OK.labels(asset.value).set(1 if result.ok else 0)
        if not result.ok:
            log.error(
                "reconciliation_mismatch",
                asset=asset.value,
                ledger_liabilities=result.ledger_liabilities,
                onchain_custody=result.onchain_custody,
                difference=result.difference,
            )
        results.append(result)
    return Reconciliation(checked_at, results)

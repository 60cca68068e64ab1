"""API shapes for balances, ledger entries and the ledger check. Amounts are decimal strings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from ece.core.money import Asset, format_amount
from ece.ledger.checks import LedgerCheck
from ece.ledger.service import AccountBalance, Entry

Amount = str  # a decimal string in whole tokens, e.g. "12.5" (see ece.core.money)


class BalanceOut(BaseModel):
    asset: Asset
    available: Amount = Field(description="Spendable now: total minus held")
    held: Amount = Field(description="Reserved by open holds (offers, bids, withdrawals)")
    total: Amount

    @classmethod
    def of(cls, balance: AccountBalance) -> BalanceOut:
        asset = balance.asset
        return cls(
            asset=asset,
            available=format_amount(balance.available, asset),
            held=format_amount(balance.held, asset),
            total=format_amount(balance.total, asset),
        )


class BalancesOut(BaseModel):
    balances: list[BalanceOut]


class EntryOut(BaseModel):
    id: str
    time: datetime
    asset: Asset
    amount: Amount = Field(description="Signed: positive credited to you, negative debited")
    code: str
    reference: str | None
    status: Literal["pending", "posted", "voided"]

    @classmethod
    def of(cls, entry: Entry) -> EntryOut:
        return cls(
            id=entry.id,
            time=entry.time,
            asset=entry.asset,
            amount=format_amount(entry.amount, entry.asset),
            code=entry.code,
            reference=entry.reference,
            status=entry.status,
        )


class EntryPage(BaseModel):
    items: list[EntryOut]
    next_cursor: str | None = None


class AssetCheckOut(BaseModel):
    asset: Asset
    ok: bool
    balance_sum: Amount = Field(description="Sum of all accounts' posted balances: must be 0")
    pending_sum: Amount = Field(description="Sum of all accounts' pending balances: must be 0")
    accounts_below_zero: int
    mismatched_accounts: int = Field(description="Accounts whose balances differ from transfers")
    stale_pending: int = Field(description="Holds older than max_pending_age_seconds")


class LedgerCheckOut(BaseModel):
    ok: bool
    max_pending_age_seconds: int
    assets: list[AssetCheckOut]

    @classmethod
    def of(cls, result: LedgerCheck) -> LedgerCheckOut:
        return cls(
            ok=result.ok,
            max_pending_age_seconds=int(result.max_pending_age / timedelta(seconds=1)),
            assets=[
                AssetCheckOut(
                    asset=a.asset,
                    ok=a.ok,
                    balance_sum=format_amount(a.balance_sum, a.asset),
                    pending_sum=format_amount(a.pending_sum, a.asset),
                    accounts_below_zero=a.accounts_below_zero,
                    mismatched_accounts=a.mismatched_accounts,
                    stale_pending=a.stale_pending,
                )
                for a in result.assets
            ],
        )

"""Reconciliation: per asset, what the ledger owes equals what custody holds on chain; and every
card the platform counts as in custody is held by custody on chain, and no other ECE card is.

The ledger's custody account is the mirror image of everything deposited and not yet withdrawn:
minus its balance is user balances + open holds + withdrawals in flight (and any platform
revenue and unclaimed payments, which custody also holds). A withdrawal that already landed on
chain but whose hold is not posted yet has left custody, so it is taken off before comparing.
Tokens in custody-owned accounts other than the associated one are reported as ``stray``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import structlog
from solders.signature import Signature

from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import Chain, TokenAccount
from ece.chain.tokens import spl
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.metrics import RECONCILIATION_CARD_MISMATCHES, RECONCILIATION_OK
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.payments import repository, rules
from ece.payments.assets import account_balance, custody_account
from ece.payments.models import PaymentAsset
from ece.payments.solana_pay import is_deposit_account

log = structlog.get_logger("ece.payments.reconciliation")


@dataclass(frozen=True, slots=True)
class AssetReconciliation:
    asset: Asset
    ledger_liabilities: int
    onchain_custody: int
    landed_unposted: int  # withdrawals already paid on chain, holds not yet posted
    # Held by other custody-owned token accounts of the mint: never credited (withdrawals pay
    # from the associated account only), surplus no one is owed, so not a mismatch.
    stray: int = 0
    stray_accounts: list[str] = field(default_factory=list)

    @property
    def difference(self) -> int:
        return self.onchain_custody - self.ledger_liabilities

    @property
    def ok(self) -> bool:
        return self.difference == 0


@dataclass(frozen=True, slots=True)
class CardReconciliation:
    """Cards the platform says custody holds against the card NFTs custody holds on chain."""

    expected: int  # in custody per the database (on the platform, or parked as unclaimed)
    held: int  # ECE card NFTs custody's token accounts hold
    missing: list[str]  # card ids the platform counts as in custody that custody does not hold
    unexpected: list[str]  # card ids custody holds that the platform counts as withdrawn
    # card ids held by a custody-owned account other than the card's associated one, from where
    # no withdrawal can pay them
    stray: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected


@dataclass(frozen=True, slots=True)
class Reconciliation:
    checked_at: datetime
    assets: list[AssetReconciliation]
    cards: CardReconciliation

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.assets) and self.cards.ok

    @property
    def warnings(self) -> list[str]:
        """What readiness reports (a warning, not a failure: the service can still run)."""
        found = [
            f"reconciliation: {a.asset.value} off by {a.difference}"
            for a in self.assets
            if not a.ok
        ]
        found += [
            f"reconciliation: custody holds {a.stray} {a.asset.value} base units outside its "
            f"deposit account: {', '.join(a.stray_accounts)}"
            for a in self.assets
            if a.stray
        ]
        if self.cards.missing:
            found.append(
                f"reconciliation: cards not held by custody: {', '.join(self.cards.missing)}"
            )
        if self.cards.unexpected:
            found.append(
                f"reconciliation: custody holds withdrawn cards: {', '.join(self.cards.unexpected)}"
            )
        return found


async def reconcile(db: Database, chain: Chain, platform: Platform) -> Reconciliation:
    """Compare, per asset, and publish the outcome (metric, and an error log on a mismatch)."""
    checked_at = utcnow()
    # The ledger first, then the chain: a withdrawal finishing in between has landed already and
    # is seen as landed-unposted below, so the two reads stay consistent.
    owed: dict[Asset, int] = {}
    async with db.unit_of_work() as session:
        for asset in Asset:
            account = await custody_account(session, asset)
            owed[asset] = -(await ledger.balance(session, account)).total
        in_flight = await repository.in_flight(session)
    landed = dict.fromkeys(Asset, 0)
    for sent in in_flight:
        if sent.asset not in {a.value for a in Asset}:
            continue  # cards are reconciled below
        if rules.landed(await chain.get_signature_status(Signature.from_string(sent.signature))):
            landed[Asset(sent.asset)] += sent.amount
    cards_result = await _reconcile_cards(db, chain, platform)
    results = []
    for asset in Asset:
        held = await account_balance(chain, platform.custody_token_account(asset))
        strays = await _stray_accounts(chain, platform, asset)
        result = AssetReconciliation(
            asset,
            owed[asset] - landed[asset],
            held,
            landed[asset],
            stray=sum(a.amount for a in strays),
            stray_accounts=sorted(str(a.address) for a in strays),
        )
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
    return Reconciliation(checked_at, results, cards_result)


async def _stray_accounts(chain: Chain, platform: Platform, asset: Asset) -> list[TokenAccount]:
    """Custody-owned accounts of ``asset``'s mint, other than its associated one, holding some."""
    mint = platform.mint(asset)
    return [
        account
        for account in await chain.get_token_accounts_by_owner(platform.custody_owner, mint=mint)
        if account.amount > 0
        and not is_deposit_account(account.address, platform.custody_owner, mint)
    ]


async def _reconcile_cards(db: Database, chain: Chain, platform: Platform) -> CardReconciliation:
    # The database first, then the chain, as for coins: a card withdrawal landing in between
    # is in flight (sent and finalized, not yet marked) and counted as gone below.
    async with db.unit_of_work(write=False) as session:
        mints = await cards.custody_card_mints(session)
        parked = await repository.open_unclaimed_card_ids(session)
        in_flight = await repository.in_flight(session)
    gone = set()
    for sent in in_flight:
        if sent.asset != PaymentAsset.CARD:
            continue
        if rules.landed(await chain.get_signature_status(Signature.from_string(sent.signature))):
            gone.add(sent.card_id)
    expected = {card_id for card_id, in_custody in mints.values() if in_custody} - gone
    expected |= parked
    accounts = await chain.get_token_accounts_by_owner(
        platform.custody_owner, program_id=spl.TOKEN_2022_PROGRAM_ID
    )
    owned = [a for a in accounts if a.amount >= 1 and str(a.mint) in mints]
    # Only the card's associated account counts as holding it: withdrawals pay from there.
    held = {
        mints[str(a.mint)][0]
        for a in owned
        if is_deposit_account(a.address, platform.custody_owner, a.mint)
    }
    stray = {mints[str(a.mint)][0] for a in owned} - held
    result = CardReconciliation(
        expected=len(expected),
        held=len(held),
        missing=sorted(expected - held),
        unexpected=sorted((held | stray) - expected),
        stray=sorted(stray),
    )
    RECONCILIATION_CARD_MISMATCHES.set(len(result.missing) + len(result.unexpected))
    if not result.ok:
        log.error(
            "reconciliation_card_mismatch", missing=result.missing, unexpected=result.unexpected
        )
    return result

"""Sweeps: buy many listings in one request, all of them or as many as fit.

``all_or_nothing`` buys every listing or none (any refusal rolls the whole request back);
``best_effort`` buys each listing in its own savepoint and reports the ones it skipped, with
the reason a single buy would have given. Either way the total never exceeds ``max_total``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.errors import Conflict, DomainError
from ece.core.money import Asset
from ece.market import repository, rules
from ece.market.buying import buy_listing
from ece.market.listing_reads import actor
from ece.settlement.service import SaleSource, SettledSale

MAX_SWEEP = 50  # listings per sweep
KYC_REQUIRED = "kyc_required"


class SweepMode(StrEnum):
    all_or_nothing = "all_or_nothing"
    best_effort = "best_effort"


@dataclass(frozen=True, slots=True)
class Skipped:
    listing_id: str
    reason: str  # the error code a single buy would have returned


@dataclass(slots=True)
class SweepResult:
    currency: Asset
    trades: list[SettledSale] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(t.sale.price for t in self.trades)


async def sweep(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    listing_ids: list[str] | None,
    company_id: str | None,
    count: int | None,
    rarity: str | None,
    currency: Asset,
    max_total: int,
    mode: SweepMode,
) -> SweepResult:
    """Buy the named listings in the order given, or the ``count`` cheapest of a company.

    ``all_or_nothing`` raises 409 ``sweep_failed`` (with ``skipped``) on the first refusal, and
    when fewer than ``count`` listings are available; the caller rolls everything back.
    """
    if listing_ids is not None:
        targets = list(dict.fromkeys(listing_ids))  # a listing named twice is bought once
    else:
        assert company_id is not None and count is not None
        targets = await repository.cheapest_listing_ids(
            session, actor(user), company_id, currency, count, rarity
        )
        if mode is SweepMode.all_or_nothing and len(targets) < count:
            raise Conflict(
                f"Only {len(targets)} of {count} listings are available.",
                code="sweep_failed",
                skipped=[],
            )
    result = SweepResult(currency)
    allowance = await compliance.purchase_allowance(session, settings, user)
    for listing_id in targets:
        bought = await _buy_one(
            session, settings, user, listing_id, currency, max_total - result.total, mode, allowance
        )
        if isinstance(bought, SettledSale):
            result.trades.append(bought)
            continue
        reason = bought
        if mode is SweepMode.all_or_nothing:
            raise Conflict(
                f"Listing {listing_id} cannot be bought ({reason}); nothing was bought.",
                code="sweep_failed",
                skipped=[{"listing_id": listing_id, "reason": reason}],
            )
        result.skipped.append(Skipped(listing_id, reason))
    return result


async def _refusal(
    session: AsyncSession, listing_id: str, currency: Asset, budget: int
) -> str | None:
    """Why the sweep must not buy this listing before trying (currency, budget), if so."""
    row = await repository.listing_price(session, listing_id)
    if row is None:
        return "listing_not_found"
    return rules.sweep_refusal(row.price, row.currency, currency, budget)


async def _buy_one(
    session: AsyncSession,
    settings: Settings,
    user: User,
    listing_id: str,
    currency: Asset,
    budget: int,
    mode: SweepMode,
    allowance: compliance.PurchaseAllowance,
) -> SettledSale | str:
    """Buy one listing within ``budget`` (the price is re-read under the lock), or say why not
    (the code a single buy would have given). ``best_effort`` buys in a savepoint."""
    reason = await _refusal(session, listing_id, currency, budget)
    if reason is not None:
        return reason
    try:
        if mode is SweepMode.all_or_nothing:
            return await buy_listing(
                session,
                settings,
                user,
                listing_id,
                None,
                SaleSource.sweep,
                limit=budget,
                allowance=allowance,
            )
        async with session.begin_nested():
            return await buy_listing(
                session,
                settings,
                user,
                listing_id,
                None,
                SaleSource.sweep,
                limit=budget,
                allowance=allowance,
            )
    except DomainError as exc:
        if exc.instance_code == KYC_REQUIRED:
            raise  # past the KYC limit: the whole sweep is refused (403), nothing bought
        return rules.sweep_reason(exc.instance_code)

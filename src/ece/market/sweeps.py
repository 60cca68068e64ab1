"""Sweeps: buy many listings in one request, all of them or as many as fit.

``all_or_nothing`` buys every listing or none (any refusal rolls the whole request back);
``best_effort`` buys each listing in its own savepoint and reports the ones it skipped, with
the reason a single buy would have given. Either way the total never exceeds ``max_total``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.config import Settings
from ece.core.errors import Conflict, DomainError
from ece.core.money import Asset
from ece.market.listings import buy_listing
from ece.market.models import Listing, active_listing_filter
from ece.settlement.service import SaleSource, Trade

MAX_SWEEP = 50  # listings per sweep


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
    trades: list[Trade] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(t.sale.price for t in self.trades)


async def cheapest_listings(
    session: AsyncSession,
    buyer: User,
    company_id: str,
    currency: Asset,
    count: int,
    rarity: str | None,
) -> list[str]:
    """Ids of the ``count`` cheapest listings of a company the buyer may buy (not their own;
    public or reserved for them)."""
    stmt = (
        select(Listing.id)
        .where(
            active_listing_filter(),
            Listing.company_id == company_id,
            Listing.currency == currency.value,
            Listing.seller_id != buyer.id,
            or_(Listing.taker_address.is_(None), Listing.taker_address == buyer.address),
        )
        .order_by(Listing.price, Listing.created_at, Listing.id)
        .limit(count)
    )
    if rarity is not None:
        stmt = stmt.where(Listing.rarity == rarity)
    return list(await session.scalars(stmt))


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
        targets = await cheapest_listings(session, user, company_id, currency, count, rarity)
        if mode is SweepMode.all_or_nothing and len(targets) < count:
            raise Conflict(
                f"Only {len(targets)} of {count} listings are available.",
                code="sweep_failed",
                skipped=[],
            )
    result = SweepResult(currency)
    for listing_id in targets:
        reason = await _refusal(session, listing_id, currency, max_total - result.total)
        if reason is None:
            try:
                # The budget goes into the buy itself: the price is re-read under the lock.
                budget = max_total - result.total
                if mode is SweepMode.all_or_nothing:
                    trade = await buy_listing(
                        session, settings, user, listing_id, None, SaleSource.sweep, limit=budget
                    )
                else:
                    async with session.begin_nested():
                        trade = await buy_listing(
                            session,
                            settings,
                            user,
                            listing_id,
                            None,
                            SaleSource.sweep,
                            limit=budget,
                        )
            except DomainError as exc:
                reason = (
                    "over_max_total"
                    if exc.instance_code == "price_above_max"
                    else exc.instance_code
                )
            else:
                result.trades.append(trade)
                continue
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
    row = (
        await session.execute(
            select(Listing.price, Listing.currency).where(Listing.id == listing_id)
        )
    ).first()
    if row is None:
        return "listing_not_found"
    if row.currency != currency.value:
        return "currency_mismatch"
    if row.price > budget:
        return "over_max_total"
    return None

"""Bulk listing: list, or cancel, many listings in one request.

Each item goes through the single-listing use case (``listings.create_listing`` /
``listings.cancel_listing``) in its own savepoint, so an item is accepted or refused by exactly
the rules, and with exactly the error code, of ``POST /listings`` / ``DELETE /listings/{id}``.

``all_or_nothing`` raises 409 ``batch_failed`` (naming every refused item) when any item is
refused; the request's transaction is rolled back and nothing is listed or cancelled.
``best_effort`` keeps the items that passed and reports the others with their reason.
Items are applied in id order (rows are always locked in one order), reported in request order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.config import Settings
from ece.core.errors import Conflict, DomainError
from ece.core.money import Asset
from ece.market import listings
from ece.market.listing_reads import ListingView

MAX_BATCH = 100  # items per batch request


class BatchMode(StrEnum):
    all_or_nothing = "all_or_nothing"
    best_effort = "best_effort"


@dataclass(frozen=True, slots=True)
class NewListing:
    card_id: str
    price: int  # base units
    currency: Asset
    expires_at: datetime | None
    taker_address: str | None


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item's outcome, in request order: the listing, or the refusal a single call gave."""

    index: int
    ref: str  # the card id (listing) or the listing id (cancel)
    listing: ListingView | None
    code: str | None = None
    status: int | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.listing is not None


async def _each(
    session: AsyncSession,
    refs: Sequence[str],
    mode: BatchMode,
    action: Callable[[int], Awaitable[ListingView]],
    what: str,
    ref_name: str,
) -> list[ItemResult]:
    results: list[ItemResult] = []
    # Rows are locked in one order (by id) whatever the request's order: two batches naming the
    # same cards in opposite orders would otherwise deadlock on PostgreSQL.
    for index in sorted(range(len(refs)), key=refs.__getitem__):
        ref = refs[index]
        try:
            async with session.begin_nested():
                results.append(ItemResult(index, ref, await action(index)))
        except DomainError as exc:
            results.append(ItemResult(index, ref, None, exc.instance_code, exc.status, exc.detail))
    results.sort(key=lambda r: r.index)
    refused = [r for r in results if not r.ok]
    if refused and mode is BatchMode.all_or_nothing:
        raise Conflict(
            f"{len(refused)} of {len(results)} items cannot be {what}; nothing was {what}.",
            code="batch_failed",
            failed=[
                {"index": r.index, ref_name: r.ref, "code": r.code, "detail": r.detail}
                for r in refused
            ],
        )
    return results


async def create_listings(
    session: AsyncSession,
    settings: Settings,
    user: User,
    items: Sequence[NewListing],
    mode: BatchMode,
) -> list[ItemResult]:
    """List every item (as ``POST /listings`` would), all of them or as many as pass."""

    async def list_one(index: int) -> ListingView:
        item = items[index]
        return await listings.create_listing(
            session,
            settings,
            user,
            item.card_id,
            item.price,
            item.currency,
            item.expires_at,
            item.taker_address,
        )

    return await _each(session, [i.card_id for i in items], mode, list_one, "listed", "card_id")


async def cancel_listings(
    session: AsyncSession, user: User, listing_ids: Sequence[str], mode: BatchMode
) -> list[ItemResult]:
    """Cancel every listing (as ``DELETE /listings/{id}`` would), all or as many as pass."""

    async def cancel_one(index: int) -> ListingView:
        return await listings.cancel_listing(session, user, listing_ids[index])

    return await _each(session, listing_ids, mode, cancel_one, "cancelled", "listing_id")

"""The market's public face: listings, buying, sweeps and offers. Routers, the web pages, the
demo and other domains import this module (and ``schemas``) only.

The use cases live in ``listings`` (``batches`` for many at once) and ``listing_reads``,
``buying``, ``sweeps``, ``offers`` and ``offer_reads``; the decisions in ``rules`` (the buy
rule: ``rules.buy_refusal``); every SQL statement in ``repository``; a sale's card and money
move through ``ece.settlement``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.clock import utcnow
from ece.market import repository
from ece.market.batches import (
    MAX_BATCH,
    BatchMode,
    ItemResult,
    NewListing,
    cancel_listings,
    create_listings,
)
from ece.market.buying import buy_listing
from ece.market.listing_reads import (
    ListingFilters,
    ListingSort,
    ListingView,
    get_listing,
    list_listings,
    visible_to,
)
from ece.market.listings import (
    LISTINGS_CHANNEL,
    cancel_listing,
    check_expiry,
    create_listing,
    expire_listing,
    update_listing,
)
from ece.market.models import OfferStatus
from ece.market.offer_reads import (
    OfferFilters,
    OfferParty,
    OfferView,
    best_offers,
    get_offer,
    list_offers,
)
from ece.market.offers import MAX_QUANTITY, accept_offer, cancel_offer, create_offer, expire_offer
from ece.market.quotes import Quote, QuoteSide, quote
from ece.market.read_repository import (
    best_offer_prices,
    cheapest_public_listings,
    counted_sales_since,
    floor_prices,
    last_counted_sale,
    latest_counted_sales,
    latest_market_sales,
    listed_card_count,
    listed_prices,
    listing_feed,
    market_sale_filter,
    offer_feed,
    price_change_feed,
    sale_feed,
    sale_totals,
)
from ece.market.rules import parse_price
from ece.market.rules import unavailable as listing_unavailable
from ece.market.sweeps import MAX_SWEEP, Skipped, SweepMode, SweepResult, sweep
from ece.settlement.service import SettledSale

__all__ = [
    "LISTINGS_CHANNEL",
    "MAX_BATCH",
    "MAX_QUANTITY",
    "MAX_SWEEP",
    "BatchMode",
    "ItemResult",
    "ListingFilters",
    "ListingSort",
    "ListingView",
    "NewListing",
    "OfferFilters",
    "OfferParty",
    "OfferStatus",
    "OfferView",
    "Quote",
    "QuoteSide",
    "SettledSale",
    "Skipped",
    "SweepMode",
    "SweepResult",
    "accept_offer",
    "best_offer_prices",
    "best_offers",
    "buy_listing",
    "cancel_listing",
    "cancel_listings",
    "cancel_offer",
    "cheapest_public_listings",
    "check_expiry",
    "counted_sales_since",
    "create_listing",
    "create_listings",
    "create_offer",
    "expire_due_listings",
    "expire_due_offers",
    "expire_listing",
    "expire_offer",
    "floor_prices",
    "get_listing",
    "get_offer",
    "last_counted_sale",
    "latest_counted_sales",
    "latest_market_sales",
    "list_listings",
    "list_offers",
    "listed_card_count",
    "listed_prices",
    "listing_feed",
    "listing_unavailable",
    "market_sale_filter",
    "offer_feed",
    "parse_price",
    "price_change_feed",
    "quote",
    "sale_feed",
    "sale_totals",
    "sweep",
    "update_listing",
    "visible_to",
]


async def expire_due_listings(session: AsyncSession, limit: int) -> int:
    """Tidy up to ``limit`` expired listings; rows another worker holds are skipped."""
    due = await repository.due_listings(session, utcnow(), limit)
    return sum([await expire_listing(session, listing) for listing in due])


async def expire_due_offers(session: AsyncSession, limit: int) -> int:
    """Release the holds of up to ``limit`` expired offers."""
    due = await repository.due_offers(session, utcnow(), limit)
    return sum([await expire_offer(session, offer) for offer in due])

"""Settlement, the public face: the one settlement of a sale and of a swap.

- a **sale** (a filled listing, offer, collection offer, sweep and, later, auction) settles with
  ``settle_sale`` (``sales.py``): fee and royalty split, card move, the recorded sale, wash-trade
  flag, in one transaction;
- a **swap** (an accepted trade offer) settles with ``settle_swap`` (``swaps.py``), priced by
  ``swap_rules.py`` as sales of its cards.

The decisions are pure functions in ``rules.py`` and ``swap_rules.py``; every SQL statement on
``sales`` is in ``repository.py``; account legs are built in ``transfers.py``. Other packages
import this module only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.settlement import repository
from ece.settlement.models import Sale, SaleSource
from ece.settlement.one_call import ListingBuy, OneCallOutcome, in_one_call
from ece.settlement.one_call import refusal as one_call_refusal
from ece.settlement.one_call import settle_listing as settle_listing_in_one_call
from ece.settlement.rules import (
    FEE_SHARDS,
    FEES,
    SALE_REFERENCE_PREFIX,
    Split,
    is_primary,
    sale_reference,
    sale_split,
    split_price,
)
from ece.settlement.sales import (
    Goods,
    SettledSale,
    addresses,
    flag_wash_trade,
    purchased_since,
    record_sale,
    sale_event,
    settle_sale,
    settled_sales,
)
from ece.settlement.swap_rules import REFERENCE_SALES, Swap, SwapSide, reference_price
from ece.settlement.swaps import (
    ReferencePrices,
    hold_swap_tokens,
    release_swap_tokens,
    settle_swap,
)
from ece.settlement.transfers import (
    OFFER_HOLDS,
    PLATFORM_OWNER_ID,
    FromHold,
    fee_account,
    offer_escrow_account,
    platform_fees,
    sale_payments,
)

__all__ = [
    "FEES",
    "FEE_SHARDS",
    "OFFER_HOLDS",
    "PLATFORM_OWNER_ID",
    "REFERENCE_SALES",
    "FromHold",
    "Goods",
    "ListingBuy",
    "OneCallOutcome",
    "ReferencePrices",
    "Sale",
    "SaleSource",
    "SettledSale",
    "Split",
    "Swap",
    "SwapSide",
    "addresses",
    "company_sales",
    "fee_account",
    "flag_wash_trade",
    "has_traded",
    "hold_swap_tokens",
    "in_one_call",
    "is_primary",
    "offer_escrow_account",
    "one_call_refusal",
    "pair_sales",
    "platform_fees",
    "purchased_since",
    "record_sale",
    "reference_price",
    "release_swap_tokens",
    "sale_event",
    "sale_id_of",
    "sale_payments",
    "sale_reference",
    "sale_split",
    "sales_after",
    "sales_by_id",
    "settle_listing_in_one_call",
    "settle_sale",
    "settle_swap",
    "settled_sales",
    "sold_by_user",
    "split_price",
]


async def company_sales(
    session: AsyncSession, company_id: str, since: datetime, until: datetime
) -> Sequence[Sale]:
    """Sales of the company's cards in [since, until), oldest first: what its payables accrued
    (a royalty on a resale, the proceeds of a primary sale less the fee)."""
    return await repository.company_sales(session, company_id, since, until)


async def sales_after(
    session: AsyncSession, after: tuple[datetime, str], until: datetime, limit: int
) -> Sequence[Sale]:
    """Sales after ``after`` (``executed_at``, id), executed by ``until``, oldest first."""
    return await repository.sales_after(session, after, until, limit)


async def pair_sales(
    session: AsyncSession, user_a: str, user_b: str, since: datetime, until: datetime
) -> int:
    """How many sales between two users, either way, in [since, until]."""
    return await repository.pair_sales(session, user_a, user_b, since, until)


async def sales_by_id(session: AsyncSession, sale_ids: Sequence[str]) -> dict[str, Sale]:
    """The sales named, by id (unknown ids are left out)."""
    return {s.id: s for s in await repository.sales_by_id(session, sale_ids)}


def sale_id_of(reference: str | None) -> str | None:
    """The sale a ledger reference pays for (``sale:<id>``), if it is one."""
    if reference and reference.startswith(SALE_REFERENCE_PREFIX):
        return reference[len(SALE_REFERENCE_PREFIX) :]
    return None


async def has_traded(session: AsyncSession, user_id: str) -> bool:
    """Whether the user ever bought or sold a card (a battle vote's anti-sybil evidence)."""
    return await repository.has_traded(session, user_id)


async def sold_by_user(session: AsyncSession, user_id: str) -> Sequence[Sale]:
    """Every sale ``user_id`` made as the seller, oldest first (the user's disposals)."""
    return await repository.sold_by_user(session, user_id)

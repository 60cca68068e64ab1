"""The cards domain's service surface, for routers and for other domains.

Other domains call the ownership functions (``lock_card``, ``unlock_card``, ``transfer_card``,
``mark_withdrawn``, ``mark_deposited``) and ``payable_account``; the rules live in the modules
named below, split by concern.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.catalog import (
    CardFilters,
    CardSort,
    card_history,
    card_image,
    cards_by_id,
    cards_by_mint,
    custody_card_mints,
    fetch_block,
    get_card,
    has_cards,
    list_cards,
)
from ece.cards.companies import (
    PAYABLE_PURPOSES,
    ROYALTIES,
    SALES,
    create_company,
    get_company,
    list_companies,
    payable_account,
    update_company,
)
from ece.cards.metadata import Rarity
from ece.cards.minting import EDITION_SIZES, ChainFailed, Minter, mint_batch, mint_card, mint_cards
from ece.cards.models import Card, CardEvent, CardEventKind, CardStatus, Company
from ece.cards.ownership import (
    CardLock,
    CardOwner,
    OwnerKind,
    Price,
    lock_card,
    mark_deposited,
    mark_withdrawn,
    transfer_card,
    unlock_card,
)
from ece.core.errors import NotFound
from ece.core.feed import FeedSlice, older_than

__all__ = [
    "EDITION_SIZES",
    "PAYABLE_PURPOSES",
    "ROYALTIES",
    "SALES",
    "CardFilters",
    "CardLock",
    "CardOwner",
    "CardSort",
    "ChainFailed",
    "Minter",
    "OwnerKind",
    "Price",
    "card_history",
    "card_image",
    "cards_by_id",
    "cards_by_mint",
    "companies_by_ticker",
    "company_by_id",
    "company_card_ids",
    "create_company",
    "custody_card_mints",
    "fetch_block",
    "get_card",
    "get_company",
    "has_cards",
    "holder_count",
    "list_cards",
    "list_companies",
    "lock_card",
    "mark_deposited",
    "mark_withdrawn",
    "mint_batch",
    "mint_card",
    "mint_cards",
    "payable_account",
    "transfer_card",
    "transfer_feed",
    "unlock_card",
    "update_company",
]


# ---------------------------------------------------------------------------------------------
# Reads for market data (ece.marketdata), the trades feed and the web pages: companies by id,
# holders, card transfers, a company's card ids; the card types the pages lay out.

__all__ += ["Card", "CardStatus", "Company", "Rarity"]


async def company_by_id(session: AsyncSession, company_id: str) -> Company:
    """By id only (not ticker). 404 ``company_not_found``."""
    company = await session.get(Company, company_id)
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    return company


async def companies_by_ticker(session: AsyncSession) -> list[Company]:
    return list(await session.scalars(select(Company).order_by(Company.ticker)))


async def holder_count(session: AsyncSession, company_id: str) -> int:
    """Distinct users holding the company's cards on the platform."""
    holders = await session.scalar(
        select(func.count(func.distinct(Card.owner_user_id))).where(
            Card.company_id == company_id,
            Card.owner_user_id.is_not(None),
            Card.withdrawn_at.is_(None),
        )
    )
    return int(holders or 0)


def company_card_ids(company_id: str) -> Select[Any]:
    """The ids of a company's cards, as a subquery for another domain's filter."""
    return select(Card.id).where(Card.company_id == company_id)


async def transfer_feed(session: AsyncSession, q: FeedSlice) -> list[CardEvent]:
    """Card history rows of kind ``transfer`` (gifts, trade legs), newest first."""
    stmt = select(CardEvent).where(CardEvent.kind == CardEventKind.transfer.value)
    if q.company_id is not None:
        stmt = stmt.where(
            exists().where(Card.id == CardEvent.card_id, Card.company_id == q.company_id)
        )
    if q.card_id is not None:
        stmt = stmt.where(CardEvent.card_id == q.card_id)
    if q.user_id is not None:
        stmt = stmt.where(
            or_(CardEvent.from_user_id == q.user_id, CardEvent.to_user_id == q.user_id)
        )
    stmt = (
        stmt.where(older_than(CardEvent.created_at, CardEvent.id, q.after))
        .order_by(CardEvent.created_at.desc(), CardEvent.id.desc())
        .limit(q.limit)
    )
    return list(await session.scalars(stmt))

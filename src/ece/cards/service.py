"""The cards domain's service surface, for routers and for other domains.

Other domains call the ownership functions (``lock_card``, ``unlock_card``, ``transfer_card``,
``mark_withdrawn``, ``mark_deposited``) and ``payable_account``; the rules live in the modules
named below, split by concern.
"""

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
from ece.cards.minting import EDITION_SIZES, ChainFailed, Minter, mint_batch, mint_card, mint_cards
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
    "create_company",
    "custody_card_mints",
    "fetch_block",
    "get_card",
    "get_company",
    "has_cards",
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
    "unlock_card",
    "update_company",
]


# Card state for other domains' checks (trade offers), read fresh from the database.
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, Company, LockKind

__all__ += ["CardHolding", "LockKind", "card_holdings", "royalty_bps_of"]


@dataclass(frozen=True, slots=True)
class CardHolding:
    """Who holds a card and whether it can move: its row as it is now."""

    id: str
    company_id: str
    owner_user_id: str | None
    withdrawn_at: datetime | None
    lock_kind: str | None


async def card_holdings(session: AsyncSession, card_ids: Sequence[str]) -> dict[str, CardHolding]:
    """These cards by id (unknown ids are left out), never from the session's stale copies."""
    if not card_ids:
        return {}
    rows = await session.execute(
        select(Card.id, Card.company_id, Card.owner_user_id, Card.withdrawn_at, Card.lock_kind)
        .where(Card.id.in_(list(card_ids)))
        .execution_options(populate_existing=True)
    )
    return {row.id: CardHolding(*row) for row in rows}


async def royalty_bps_of(session: AsyncSession, company_ids: Sequence[str]) -> dict[str, int]:
    """Each company's royalty rate in basis points."""
    if not company_ids:
        return {}
    rows = await session.execute(
        select(Company.id, Company.royalty_bps).where(Company.id.in_(list(company_ids)))
    )
    return {row.id: row.royalty_bps for row in rows}

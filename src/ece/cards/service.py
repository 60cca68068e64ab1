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


# --- what the market asks of a card (one block: the card as it stands, its shown list price) ---

from sqlalchemy import ScalarSelect, Subquery, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, Company, LockKind
from ece.cards.ownership import _current

__all__ += [
    "Card",
    "LockKind",
    "card_names",
    "cards_owned_by",
    "company_id_of",
    "current_card",
    "find_card",
    "show_list_price",
]


async def current_card(session: AsyncSession, card_id: str) -> Card:
    """The card as it stands now (re-read: ownership and lock columns change by conditional
    UPDATEs). 404 ``card_not_found``."""
    return await _current(session, card_id)


async def show_list_price(
    session: AsyncSession, card_id: str, price: int | None, asset: str | None
) -> None:
    """Set the price the catalog sorts by and tiles show (None: not listed)."""
    await session.execute(
        update(Card)
        .where(Card.id == card_id)
        .values(list_price=price, list_asset=asset)
        .execution_options(synchronize_session=False)
    )


def card_names() -> Subquery:
    """Every card's id and name, to join a card's name onto another domain's rows."""
    return select(Card.id, Card.name).subquery("card_names")


def cards_owned_by(user_id: str) -> Subquery:
    """The id, company, rarity and power of each card ``user_id`` owns (to match offers)."""
    return (
        select(Card.id, Card.company_id, Card.rarity, Card.power)
        .where(Card.owner_user_id == user_id)
        .subquery("owned_cards")
    )


def company_id_of(id_or_ticker: str) -> ScalarSelect[str]:
    """The id of the company with this id or ticker (any case), as a scalar subquery."""
    return (
        select(Company.id)
        .where(or_(Company.id == id_or_ticker, Company.ticker == id_or_ticker.upper()))
        .limit(1)
        .scalar_subquery()
    )


async def find_card(session: AsyncSession, card_id: str) -> Card | None:
    return await session.get(Card, card_id)

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

# --- for payments: the lock a card withdrawal takes -------------------------------------------
from ece.cards.models import LockKind

__all__ += ["LockKind"]

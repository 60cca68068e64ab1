"""Dependencies of the card endpoints: the blockstore and the minter, built from app state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from ece.cards.blockstore import Blockstore, LocalBlockstore
from ece.cards.minting import Minter
from ece.config import Settings


def blockstore_for(settings: Settings) -> Blockstore:
    """The embedded blockstore in the data dir; an IPFS node or pinning service implementing
    ``Blockstore`` replaces it at scale."""
    return LocalBlockstore(settings.data_dir / "blocks")


async def get_blockstore(request: Request) -> Blockstore:
    state: Any = request.app.state
    store: Blockstore | None = getattr(state, "card_blockstore", None)
    if store is None:
        store = state.card_blockstore = blockstore_for(state.settings)
    return store


BlockstoreDep = Annotated[Blockstore, Depends(get_blockstore)]


async def get_minter(request: Request, blockstore: BlockstoreDep) -> Minter:
    state: Any = request.app.state
    settings: Settings = state.settings
    return Minter(state.chain, state.platform, blockstore, settings.uri)


MinterDep = Annotated[Minter, Depends(get_minter)]

"""Dependencies of the card endpoints: the blockstore and the minter, built from the services."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ece.cards.blockstore import Blockstore, LocalBlockstore
from ece.cards.minting import Minter
from ece.config import Settings
from ece.runtime.deps import ServicesDep, SettingsDep


def blockstore_for(settings: Settings) -> Blockstore:
    """The embedded blockstore in the data dir; an IPFS node or pinning service implementing
    ``Blockstore`` replaces it at scale."""
    return LocalBlockstore(settings.data_dir / "blocks")


async def get_blockstore(settings: SettingsDep) -> Blockstore:
    return blockstore_for(settings)


BlockstoreDep = Annotated[Blockstore, Depends(get_blockstore)]


async def get_minter(services: ServicesDep, blockstore: BlockstoreDep) -> Minter:
    return Minter(services.chain, services.platform, blockstore, services.settings.uri)


MinterDep = Annotated[Minter, Depends(get_minter)]

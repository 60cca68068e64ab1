"""Auction settlement on the worker's clock: every second, each auction past its end is
settled once (sold to its leader, or the card returned), whoever else runs the same job."""

from __future__ import annotations

from ece.auctions import service
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("auction_settlement", every=1)
async def settle_auctions(services: Services) -> int:
    return await service.settle_due(services.db, services.settings)

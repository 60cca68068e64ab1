"""Auction settlement on the worker's clock: every second, each auction past its end is
settled once (sold to its leader, or the card returned), whoever else runs the same job."""

from __future__ import annotations

from ece.auctions import service
from ece.controls.service import Scope
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("auction_settlement", every=1)
async def settle_auctions(services: Services) -> int:
    # Paused trading or auctions: no sale settles; an auction that ended meanwhile settles after
    # the resume at the price it ended with (no bid is taken after its end either way).
    if await services.pauses.blocking(Scope.trading, Scope.auctions):
        return 0
    return await service.settle_due(services.db, services.settings)

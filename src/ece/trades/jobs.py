"""Trade offers on the worker's clock: release offers past their expiry."""

from __future__ import annotations

from ece.runtime.jobs import job
from ece.runtime.services import Services
from ece.trades import service


@job("trade_offer_expiry", every=30)
async def expire_trade_offers(services: Services) -> int:
    """Expired offers already refuse accept at their expiry instant; this gives the giver's
    cards and tokens back. One batch per transaction until none is left."""
    released = 0
    while True:
        async with services.db.unit_of_work() as session:
            count = await service.expire_swaps(session)
        released += count
        if count < service.EXPIRY_BATCH:
            return released

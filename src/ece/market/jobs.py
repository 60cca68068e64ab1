"""Expiry tidying on the worker's clock: release the cards of expired listings and the holds of
expired offers. Reads never wait for it: an expired row stops counting at its expiry instant."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import Database
from ece.market import service
from ece.runtime.jobs import job
from ece.runtime.services import Services

BATCH = 200  # rows per transaction


async def expire_listings(session: AsyncSession, limit: int = BATCH) -> int:
    """Tidy up to ``limit`` expired listings; rows another worker holds are skipped."""
    return await service.expire_due_listings(session, limit)


async def expire_offers(session: AsyncSession, limit: int = BATCH) -> int:
    """Release the holds of up to ``limit`` expired offers."""
    return await service.expire_due_offers(session, limit)


async def expire_due(db: Database) -> int:
    """Every expired listing and offer, one batch per transaction."""
    done = 0
    for step in (expire_listings, expire_offers):
        while True:
            async with db.unit_of_work() as session:
                count = await step(session)
            done += count
            if count < BATCH:
                break
    return done


@job("market_expiry", every=30)
async def market_expiry(services: Services) -> int:
    return await expire_due(services.db)

"""Sign-in housekeeping."""

from __future__ import annotations

from ece.auth import service
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("purge_signin_nonces", every=600)
async def purge_signin_nonces(services: Services) -> None:
    async with services.db.unit_of_work() as session:
        await service.purge_expired_nonces(session)

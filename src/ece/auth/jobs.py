"""Sign-in housekeeping."""

from __future__ import annotations

from typing import Any

from ece.auth import service
from ece.worker.runner import job


@job("purge_signin_nonces", every=600)
async def purge_signin_nonces(state: Any) -> None:
    async with state.db.unit_of_work() as session:
        await service.purge_expired_nonces(session)

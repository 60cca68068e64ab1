"""Sign-in housekeeping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from ece.auth.models import SigninNonce
from ece.core.clock import utcnow
from ece.worker.runner import job


@job("purge_signin_nonces", every=600)
async def purge_signin_nonces(state: Any) -> None:
    async with state.db.unit_of_work() as session:
        await session.execute(delete(SigninNonce).where(SigninNonce.expires_at <= utcnow()))

"""Housekeeping jobs of the core."""

from __future__ import annotations

from typing import Any

from ece.core.idempotency import purge_expired
from ece.worker.runner import job


@job("purge_idempotency_keys", every=600)
async def purge_idempotency_keys(state: Any) -> None:
    async with state.db.unit_of_work() as session:
        await purge_expired(session)

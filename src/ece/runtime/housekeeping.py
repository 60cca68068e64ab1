"""Housekeeping of the core's own tables, on the worker's clock."""

from __future__ import annotations

from datetime import timedelta

from ece.core import outbox
from ece.core.idempotency import purge_expired
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("purge_idempotency_keys", every=600)
async def purge_idempotency_keys(services: Services) -> None:
    async with services.db.unit_of_work() as session:
        await purge_expired(session)


@job("purge_outbox", every=3600)
async def purge_outbox(services: Services) -> None:
    retention = timedelta(hours=services.settings.outbox_retention_hours)
    async with services.db.unit_of_work() as session:
        await outbox.purge_delivered(session, retention)

"""The outbox relay: every committed event goes to notifications and to live subscribers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core import outbox
from ece.core.outbox import Deliver, Event
from ece.notifications import service
from ece.runtime.jobs import job
from ece.runtime.services import Services


def deliverer(services: Services) -> Deliver:
    """What the relay does with each batch, in its claiming transaction: publish to the
    fan-out, then make notifications, emails, push alerts and webhook deliveries (a crash
    before the commit repeats them all: at least once; a socket drops an event id it had).
    Publishing first spares live subscribers the batch's database round trips."""

    async def deliver(session: AsyncSession, events: Sequence[Event]) -> None:
        await services.hub.publish(events)
        made = await service.record(session, events)
        await service.queue_emails(session, services.settings, made)
        await service.queue_push(session, services.settings, made)
        await service.enqueue(session, events)

    return deliver


@job("outbox_relay", every=0.25, wake=lambda services: services.outbox_bell)
async def relay_outbox(services: Services) -> int:
    return await outbox.relay(
        services.db, deliverer(services), batch=services.settings.outbox_relay_batch
    )


@job("send_webhooks", every=1)
async def send_webhooks(services: Services) -> int:
    return await service.send_due(services.db, services.settings)


@job("send_emails", every=2)
async def send_emails(services: Services) -> int:
    return await service.send_due_emails(services.db, services.settings)


@job("send_push", every=2)
async def send_push(services: Services) -> int:
    return await service.send_due_push(services.db, services.settings)

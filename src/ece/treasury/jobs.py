"""The weekly payout batch, the payouts' durable nonces and the payout sender, on the
worker's clock."""

from __future__ import annotations

from ece.controls.service import Scope
from ece.runtime.jobs import job
from ece.runtime.services import Services
from ece.treasury import service


@job("treasury_payouts", every=60)
async def weekly_payouts(services: Services) -> bool:
    """The batch of the latest scheduled slot (``ECE_TREASURY_PAYOUT_SCHEDULE``), once."""
    if not services.settings.treasury_signers:
        return False  # no multisig configured: nothing can be paid
    if await services.pauses.blocking(Scope.payouts):
        return False  # the slot's batch is made after the resume
    return await service.run_scheduled(
        services.db, services.settings, services.chain, services.platform
    )


@job("treasury_prepare", every=5)
async def prepare_payouts(services: Services) -> int:
    """The chain part of a batch: each approved payout gets its durable nonce (the request
    that made the batch only wrote to the database)."""
    if not services.settings.treasury_signers:
        return 0
    if await services.pauses.blocking(Scope.payouts):
        return 0
    return await service.prepare_approved(
        services.db, services.settings, services.chain, services.platform
    )


@job("treasury_sender", every=5)
async def send_payouts(services: Services) -> int:
    if not services.settings.treasury_signers:
        return 0
    if await services.pauses.blocking(Scope.payouts):
        return 0  # signed payouts wait, their funds in flight, until the resume
    return await service.send_submitted(
        services.db, services.settings, services.chain, services.platform
    )

"""The weekly payout batch and the payout sender, on the worker's clock."""

from __future__ import annotations

from ece.runtime.jobs import job
from ece.runtime.services import Services
from ece.treasury import service


@job("treasury_payouts", every=60)
async def weekly_payouts(services: Services) -> bool:
    """The batch of the latest scheduled slot (``ECE_TREASURY_PAYOUT_SCHEDULE``), once."""
    if not services.settings.treasury_signers:
        return False  # no multisig configured: nothing can be paid
    return await service.run_scheduled(
        services.db, services.settings, services.chain, services.platform
    )


@job("treasury_sender", every=5)
async def send_payouts(services: Services) -> int:
    if not services.settings.treasury_signers:
        return 0
    return await service.send_submitted(
        services.db, services.settings, services.chain, services.platform
    )

"""Deposit watcher, withdrawal sender and reconciliation, on the worker's clock."""

from __future__ import annotations

from datetime import timedelta

from ece.payments import service
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("deposit_watcher", every=5)
async def watch_deposits(services: Services) -> int:
    late_window = timedelta(seconds=services.settings.deposit_late_window_seconds)
    return await service.watch_deposits(
        services.db, services.chain, services.platform, late_window=late_window
    )


@job("withdrawal_sender", every=5)
async def send_withdrawals(services: Services) -> None:
    await service.sign_pending(services.db, services.chain, services.platform)
    await service.settle_sent(services.db, services.chain)


@job("reconciliation", every=300)
async def reconcile(services: Services) -> service.Reconciliation:
    result = await service.reconcile(services.db, services.chain, services.platform)
    # Readiness reports the latest outcome's warnings without reading the chain itself.
    services.reconciliation_warnings = result.warnings
    return result

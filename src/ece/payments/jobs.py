"""Deposit watcher, withdrawal sender and reconciliation, on the worker's clock."""

from __future__ import annotations

from datetime import timedelta

import structlog

from ece.controls.service import Scope
from ece.core.metrics import WITHDRAWAL_BACKLOG_AGE
from ece.payments import service
from ece.runtime.jobs import job
from ece.runtime.services import Services

log = structlog.get_logger("ece.payments.jobs")


@job("deposit_watcher", every=5)
async def watch_deposits(services: Services) -> int:
    # Paused deposits: nothing is credited (nor expired); the chain keeps what arrives and the
    # first run after the resume credits it from the stored cursors.
    if await services.pauses.blocking(Scope.deposits):
        log.info("deposit_watcher_paused")
        return 0
    late_window = timedelta(seconds=services.settings.deposit_late_window_seconds)
    return await service.watch_deposits(
        services.db, services.chain, services.platform, late_window=late_window
    )


@job("withdrawal_sender", every=5)
async def send_withdrawals(services: Services) -> None:
    # Measured first: withdrawals waiting out a pause are stuck too, as users see it.
    WITHDRAWAL_BACKLOG_AGE.set(await service.backlog_age(services.db))
    # Paused withdrawals: nothing is signed or broadcast; held withdrawals wait for the resume.
    if await services.pauses.blocking(Scope.withdrawals):
        log.info("withdrawal_sender_paused")
        return
    await service.sign_pending(services.db, services.chain, services.platform)
    await service.settle_sent(services.db, services.chain)


@job("reconciliation", every=300)
async def reconcile(services: Services) -> service.Reconciliation:
    result = await service.reconcile(services.db, services.chain, services.platform)
    # Readiness reports the latest outcome's warnings without reading the chain itself.
    services.reconciliation_warnings = result.warnings
    return result

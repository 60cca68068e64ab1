"""Deposit watcher, withdrawal sender and reconciliation, on the worker's clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ece.payments import service
from ece.worker.runner import job


@job("deposit_watcher", every=5)
async def watch_deposits(state: Any) -> int:
    late_window = timedelta(seconds=state.settings.deposit_late_window_seconds)
    return await service.watch_deposits(
        state.db, state.chain, state.platform, late_window=late_window
    )


@job("withdrawal_sender", every=5)
async def send_withdrawals(state: Any) -> None:
    await service.sign_pending(state.db, state.chain, state.platform)
    await service.settle_sent(state.db, state.chain)


@job("reconciliation", every=300)
async def reconcile(state: Any) -> service.Reconciliation:
    result = await service.reconcile(state.db, state.chain, state.platform)
    # Readiness reports the latest outcome's warnings without reading the chain itself.
    state.last_reconciliation = result
    return result

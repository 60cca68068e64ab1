"""Post-trade monitoring on the worker's clock."""

from __future__ import annotations

from ece.compliance import service
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("trade_monitoring", every=30)
async def monitor_trades(services: Services) -> int:
    """Check the sales settled since the last run (each once, whichever worker runs it)."""
    return await service.scan_trades(services.db, services.settings)

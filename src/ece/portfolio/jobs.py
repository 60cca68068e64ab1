"""Price alerts on the worker: every 15 seconds, every alert is checked against the floors."""

from __future__ import annotations

from ece.portfolio import service
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("price_alerts", every=15)
async def check_price_alerts(services: Services) -> int:
    return await service.check_alerts(services.db)

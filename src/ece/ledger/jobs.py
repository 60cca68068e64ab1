"""The ledger check on the worker's clock: its outcome is the ``ece_ledger_check_ok`` gauge."""

from __future__ import annotations

import structlog

from ece.ledger import service
from ece.runtime.jobs import job
from ece.runtime.services import Services

log = structlog.get_logger("ece.ledger.jobs")


@job("ledger_check", every=300)
async def check_ledger(services: Services) -> bool:
    result = await service.run_check(services.db)
    if not result.ok:
        log.error("ledger_check_failed", assets=[a.asset for a in result.assets if not a.ok])
    return result.ok

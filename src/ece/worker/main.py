"""``ece worker``: the background jobs in their own process, stopped cleanly by SIGTERM/SIGINT.

The entry point that knows every domain's jobs: importing their ``jobs`` modules registers them.
"""

from __future__ import annotations

import asyncio
import signal

import structlog

from ece.auctions import jobs as auction_jobs
from ece.auth import jobs as auth_jobs
from ece.backup import jobs as backup_jobs
from ece.battles import jobs as battle_jobs
from ece.compliance import jobs as compliance_jobs
from ece.config import Settings
from ece.core import tracing
from ece.core.logging import configure_logging
from ece.ledger import jobs as ledger_jobs
from ece.market import jobs as market_jobs
from ece.notifications import jobs as notification_jobs
from ece.payments import jobs as payments_jobs
from ece.platform_init import check_on_start
from ece.portfolio import jobs as portfolio_jobs
from ece.runtime import housekeeping
from ece.runtime.services import Services, build_services
from ece.trades import jobs as trades_jobs
from ece.treasury import jobs as treasury_jobs
from ece.worker import runner

log = structlog.get_logger("ece.worker")

# Whose jobs run: importing a ``jobs`` module registers its ``@job`` functions.
JOB_MODULES = (
    auction_jobs,
    auth_jobs,
    backup_jobs,
    battle_jobs,
    compliance_jobs,
    ledger_jobs,
    market_jobs,
    notification_jobs,
    payments_jobs,
    portfolio_jobs,
    trades_jobs,
    treasury_jobs,
    housekeeping,
)


async def run_jobs(services: Services, stop: asyncio.Event) -> None:
    """Every domain's jobs on their clocks until ``stop`` is set."""
    await runner.run_forever(services, stop)


async def run_worker(settings: Settings) -> None:
    configure_logging(settings.log_level, json=settings.log_json)
    tracing.install()  # before the services open the database
    settings.refuse_unsafe_production()
    services = build_services(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await check_on_start(settings, services.db, services.platform, services.chain)
        await services.start()  # the pause announcements (Redis) reach this worker at once
        log.info("worker_started")
        await run_jobs(services, stop)
    finally:
        await services.close()
        log.info("worker_stopped")

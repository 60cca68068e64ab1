"""``ece worker``: the background jobs in their own process, stopped cleanly by SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal

import structlog

from ece.app import create_app, shutdown, startup
from ece.config import Settings
from ece.worker import runner

log = structlog.get_logger("ece.worker")


async def run_worker(settings: Settings) -> None:
    app = create_app(settings, run_workers=False)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await startup(app)
    log.info("worker_started")
    try:
        await runner.run_forever(app.state, stop)
    finally:
        await shutdown(app)
        log.info("worker_stopped")

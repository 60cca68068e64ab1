"""Runs the registered jobs, each on its own clock, until told to stop.

The runner knows no domain: ``ece.worker.main`` imports the domains' ``jobs`` modules, whose
``@job`` registrations (``ece.runtime.jobs``) are what runs here.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog

from ece.core.logging import request_id_var
from ece.core.metrics import JOB_DURATION, JOB_RUNS
from ece.core.tracing import tracer
from ece.runtime.jobs import Job, registered
from ece.runtime.services import Services

log = structlog.get_logger("ece.worker")


async def run_once(job_: Job, services: Services) -> bool:
    token = request_id_var.set(f"job:{job_.name}")
    started = time.perf_counter()
    # Each run is a trace of its own: its SQL and chain calls nest under it.
    with tracer.start_as_current_span(f"job {job_.name}", attributes={"ece.job": job_.name}):
        try:
            await job_.run(services)
            JOB_RUNS.labels(job_.name, "ok").inc()
            return True
        except Exception:  # a failed run is logged and counted; the next tick retries
            JOB_RUNS.labels(job_.name, "error").inc()
            log.exception("job_failed", job=job_.name)
            return False
        finally:
            JOB_DURATION.labels(job_.name).observe(time.perf_counter() - started)
            request_id_var.reset(token)


async def run_job(job_: Job, services: Services, stop: asyncio.Event) -> None:
    """Run ``job_`` on its clock (and whenever its doorbell rings) until ``stop`` is set."""
    bell = job_.wake(services) if job_.wake is not None else None
    if bell is not None:
        await bell.start()
    while not stop.is_set():
        seen = bell.rung if bell is not None else 0
        await run_once(job_, services)
        if bell is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=job_.interval_seconds)
            continue
        waits = {
            asyncio.ensure_future(stop.wait()),
            asyncio.ensure_future(bell.wait(seen, job_.interval_seconds)),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()


async def run_forever(services: Services, stop: asyncio.Event) -> None:
    await asyncio.gather(*(run_job(j, services, stop) for j in registered()))

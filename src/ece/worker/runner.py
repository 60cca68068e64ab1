"""Jobs that run on a clock: plain async functions registered with an interval.

Each job opens its own unit of work(s) and must be idempotent: several workers may run the same
job at once (rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from ece.core.logging import request_id_var
from ece.core.metrics import JOB_RUNS

log = structlog.get_logger("ece.worker")

JobFn = Callable[[Any], Awaitable[object]]


@dataclass(frozen=True)
class Job:
    name: str
    interval_seconds: float
    run: JobFn


JOBS: list[Job] = []


def job(name: str, every: float) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        JOBS.append(Job(name, every, fn))
        return fn

    return register


async def run_once(job_: Job, state: Any) -> bool:
    token = request_id_var.set(f"job:{job_.name}")
    try:
        await job_.run(state)
        JOB_RUNS.labels(job_.name, "ok").inc()
        return True
    except Exception:  # a failed run is logged and counted; the next tick retries
        JOB_RUNS.labels(job_.name, "error").inc()
        log.exception("job_failed", job=job_.name)
        return False
    finally:
        request_id_var.reset(token)


async def _loop(job_: Job, state: Any, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await run_once(job_, state)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=job_.interval_seconds)


async def run_forever(state: Any, stop: asyncio.Event) -> None:
    load_jobs()
    await asyncio.gather(*(_loop(j, state, stop) for j in JOBS))


def load_jobs() -> None:
    """Import every domain's ``jobs`` module so its jobs register."""
    import ece.auth.jobs
    import ece.core.jobs
    import ece.market.jobs
    import ece.payments.jobs
    import ece.trades.jobs  # noqa: F401

"""The job registry: jobs that run on a clock, registered with their interval.

A leaf: it imports no domain. Each domain's ``jobs`` module registers its jobs with ``@job``;
the worker's entry point imports those modules, and the runner runs what is registered. A job
opens its own unit(s) of work and must be idempotent: several workers may run it at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ece.core.outbox import Doorbell
    from ece.runtime.services import Services

JobFn = Callable[["Services"], Awaitable[object]]
# The doorbell that runs a job before its next tick is due (see ``ece.core.outbox``).
WakeFn = Callable[["Services"], "Doorbell"]


@dataclass(frozen=True)
class Job:
    name: str
    interval_seconds: float
    run: JobFn
    wake: WakeFn | None = None


_REGISTRY: dict[str, Job] = {}


def job(name: str, every: float, wake: WakeFn | None = None) -> Callable[[JobFn], JobFn]:
    """Register the decorated function as the job ``name``, run every ``every`` seconds and,
    with ``wake``, also as soon as that doorbell rings."""

    def register(fn: JobFn) -> JobFn:
        _REGISTRY[name] = Job(name, every, fn, wake)
        return fn

    return register


def registered() -> list[Job]:
    """The jobs registered so far, in registration order."""
    return list(_REGISTRY.values())

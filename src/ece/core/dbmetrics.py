"""Database metrics: the connection pools' use (read at scrape time) and statement latency.

``ece_db_pool_connections{state}`` sums every live engine of this process: ``in_use``
(checked out by a unit of work), ``idle`` (open, in the pool), ``waiting`` (units of work
blocked for a connection: the pool is exhausted), and ``capacity`` (pool size plus overflow).
``ece_db_statement_duration_seconds{operation}`` times each statement from the driver's call
to its answer, by its first keyword (select, insert, update, delete, other).

A hot path that runs plain statements on the driver's own connection, past SQLAlchemy (a
SQLite buy, ``ece.settlement.one_hop``), reports them with ``driver_statements``: they are timed
the same way, and whoever counts a request's statements (the bench, the statement-budget test)
subscribes to ``DRIVER_STATEMENT_LISTENERS`` as it listens to ``before_cursor_execute``.
"""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, QueuePool

from ece.core.metrics import REGISTRY

STATEMENT_LATENCY = Histogram(
    "ece_db_statement_duration_seconds",
    "SQL statement latency, from the driver call to its answer, by operation",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0),
    registry=REGISTRY,
)
_OPERATIONS = frozenset({"select", "insert", "update", "delete"})
# One child per operation, bound once: a label lookup per statement would cost more than the
# timing itself.
_BY_OPERATION = {op: STATEMENT_LATENCY.labels(op) for op in (*sorted(_OPERATIONS), "other")}
_STARTED = "ece_statement_started"


class MeteredQueuePool(AsyncAdaptedQueuePool):
    """The async engines' queue pool, counting the checkouts still waiting for a connection."""

    waiting = 0

    def _do_get(self) -> Any:
        self.waiting += 1
        try:
            return super()._do_get()
        finally:
            self.waiting -= 1


_POOLS: weakref.WeakSet[QueuePool] = weakref.WeakSet()


@functools.lru_cache(maxsize=4096)  # statements repeat: the same few hundred texts
def operation(statement: str) -> str:
    """The statement's first keyword when it is one of the four that matter, else ``other``."""
    word = statement.lstrip(" \n\t(").split(None, 1)[:1]
    first = word[0].lower() if word else ""
    return first if first in _OPERATIONS else "other"


def _before(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    conn.info.setdefault(_STARTED, []).append(time.perf_counter())


def _after(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    started = conn.info.get(_STARTED)
    if started:
        _BY_OPERATION[operation(statement)].observe(time.perf_counter() - started.pop())


def _failed(context: Any) -> None:
    # A statement that raised never reaches "after": drop its start, count nothing.
    started = context.connection.info.get(_STARTED) if context.connection is not None else None
    if started:
        started.pop()


# Called with each statement's text, in order, after a hop that ran them on the driver.
DRIVER_STATEMENT_LISTENERS: list[Callable[[str], None]] = []


def driver_statements(ran: Sequence[tuple[str, float]]) -> None:
    """Statements a path ran on the driver connection itself, each with its seconds."""
    for statement, seconds in ran:
        _BY_OPERATION[operation(statement)].observe(seconds)
        for listener in DRIVER_STATEMENT_LISTENERS:
            listener(statement)


def instrument(engine: Engine) -> None:
    """Time ``engine``'s statements and report its pool (when it is a queue pool)."""
    event.listen(engine, "before_cursor_execute", _before)
    event.listen(engine, "after_cursor_execute", _after)
    event.listen(engine, "handle_error", _failed)
    if isinstance(engine.pool, QueuePool):
        _POOLS.add(engine.pool)


class PoolCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "ece_db_pool_connections",
            "Database connections of this process's pools by state (in_use, idle, waiting, "
            "capacity)",
            labels=["state"],
        )
        totals = {"in_use": 0, "idle": 0, "waiting": 0, "capacity": 0}
        for pool in list(_POOLS):
            totals["in_use"] += pool.checkedout()
            totals["idle"] += pool.checkedin()
            totals["waiting"] += getattr(pool, "waiting", 0)
            totals["capacity"] += pool.size() + max(pool._max_overflow, 0)
        for state, value in totals.items():
            family.add_metric([state], value)
        yield family


REGISTRY.register(PoolCollector())

"""Emergency controls, the public face: pause and resume a scope, and the guard every paused
action asks first.

Each process keeps the pauses in a ``PauseCache`` and reads the table again at most every
``ECE_PAUSE_REFRESH_S`` (on ``ece.core.clock``). A pause or resume invalidates the cache of its
own process when it commits, and, with Redis, tells every other process to read again at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.controls import repository
from ece.controls.rules import REASON_MAX, Scope, blocking_scope, paused_detail
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Conflict, ServiceUnavailable
from ece.core.metrics import PAUSED

__all__ = [
    "CHANNEL",
    "REASON_MAX",
    "PauseCache",
    "PauseView",
    "Paused",
    "Scope",
    "pause",
    "pauses",
    "resume",
]

log = structlog.get_logger("ece.controls")

CHANNEL = "ece_pauses"
"""The Redis channel a pause or resume is announced on."""


class Paused(ServiceUnavailable):
    """503 ``paused``: the action's scope is paused; the body names the ``scope``."""

    code = "paused"


@dataclass(frozen=True, slots=True)
class PauseView:
    scope: Scope
    reason: str
    actor: str
    at: datetime


class PauseCache:
    """The pauses as this process knows them, read again once ``refresh`` has passed."""

    def __init__(
        self, db: Database, *, refresh: timedelta, redis: aioredis.Redis | None = None
    ) -> None:
        self._db = db
        self._refresh = refresh
        self._redis = redis
        self._pauses: dict[Scope, PauseView] = {}
        self._read_at: datetime | None = None
        self._generation = 0
        self._lock = asyncio.Lock()
        self._listener: asyncio.Task[None] | None = None
        self._announcing: set[asyncio.Task[None]] = set()

    def known(self) -> Mapping[Scope, PauseView]:
        """The pauses as last read, without reading (a page banner)."""
        return self._pauses

    def invalidate(self) -> None:
        """Read the table on the next check (a read already under way does not count)."""
        self._generation += 1
        self._read_at = None

    def _fresh(self) -> bool:
        now = utcnow()
        return self._read_at is not None and self._read_at <= now < self._read_at + self._refresh

    async def current(self) -> Mapping[Scope, PauseView]:
        """The pauses in force, read from the table when the cached copy is too old."""
        if self._fresh():
            return self._pauses
        async with self._lock:
            if self._fresh():
                return self._pauses
            generation, started = self._generation, utcnow()
            async with self._db.unit_of_work(write=False) as session:
                rows = await repository.all_pauses(session)
            self._pauses = {
                Scope(row.scope): PauseView(Scope(row.scope), row.reason, row.actor, row.at)
                for row in rows
            }
            for scope in Scope:
                PAUSED.labels(scope.value).set(1 if scope in self._pauses else 0)
            if generation == self._generation:
                self._read_at = started
        return self._pauses

    async def blocking(self, *scopes: Scope) -> PauseView | None:
        """The pause that stops an action needing ``scopes`` (``all`` stops every action)."""
        pauses = await self.current()
        scope = blocking_scope(pauses.keys(), scopes)
        return None if scope is None else pauses[scope]

    async def refuse_if_paused(self, *scopes: Scope) -> None:
        """Raise ``Paused`` (503) when an action needing ``scopes`` may not run now. Ask before
        anything is held or written, so a refused action changes nothing."""
        pause = await self.blocking(*scopes)
        if pause is not None:
            raise Paused(paused_detail(pause.scope, pause.reason), scope=pause.scope.value)

    # --- across processes -------------------------------------------------------------------

    def after_commit(self, session: AsyncSession) -> None:
        """Once ``session`` commits: this process reads again, and every other is told to."""

        def committed(_session: Any) -> None:
            self.invalidate()
            if self._redis is not None:
                task = asyncio.get_running_loop().create_task(self._announce())
                self._announcing.add(task)
                task.add_done_callback(self._announcing.discard)

        event.listen(session.sync_session, "after_commit", committed, once=True)

    async def _announce(self) -> None:
        assert self._redis is not None
        try:
            await self._redis.publish(CHANNEL, "changed")
        except RedisError as exc:  # the others still read within their refresh window
            log.warning("pause_announce_failed", error=str(exc))

    async def start(self) -> None:
        if self._redis is not None and self._listener is None:
            self._listener = asyncio.create_task(self._listen(self._redis))

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        for task in list(self._announcing):
            with contextlib.suppress(Exception):
                await task

    async def _listen(self, redis: aioredis.Redis) -> None:
        while True:
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.invalidate()  # anything announced while unsubscribed
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.invalidate()
            except RedisError as exc:
                log.warning("pause_listener_retry", error=str(exc))
            await asyncio.sleep(1)  # reconnect; meanwhile the refresh window still applies


async def pause(
    session: AsyncSession, cache: PauseCache, actor: str, scope: Scope, reason: str
) -> PauseView:
    """Pause ``scope`` (again: a new reason), with its audit entry, in the caller's transaction."""
    row, new = await repository.put(session, scope=scope, reason=reason, actor=actor, at=utcnow())
    await audit.record(
        session,
        actor=actor,
        action="platform.paused",
        object_type="pause",
        object_id=scope.value,
        details={"reason": reason, "already_paused": not new},
    )
    cache.after_commit(session)
    return PauseView(scope, row.reason, row.actor, row.at)


async def resume(session: AsyncSession, cache: PauseCache, actor: str, scope: Scope) -> PauseView:
    """Lift the pause of ``scope``; 409 ``not_paused`` when it is not paused."""
    row = await repository.remove(session, scope.value)
    if row is None:
        raise Conflict(f"{scope.value} is not paused.", code="not_paused", scope=scope.value)
    await audit.record(
        session,
        actor=actor,
        action="platform.resumed",
        object_type="pause",
        object_id=scope.value,
        details={"paused_since": row.at.isoformat(), "reason": row.reason},
    )
    cache.after_commit(session)
    return PauseView(scope, row.reason, row.actor, row.at)


async def pauses(cache: PauseCache) -> list[PauseView]:
    """What is paused now (the public status)."""
    return sorted((await cache.current()).values(), key=lambda p: list(Scope).index(p.scope))

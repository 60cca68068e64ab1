"""Public pages served from memory until the data behind them changes.

On PostgreSQL a ``ChangeFeed`` holds one connection that ``LISTEN``s on a channel; triggers
(migration 0008) ``NOTIFY`` it when a transaction that changed the watched tables commits, from
any process: web workers, ``ece worker``, the CLI. Every notification, connection and loss of the
connection bumps the feed's ``generation``. On SQLite a ``SqliteChangeFeed`` asks ``PRAGMA
data_version`` of a read-only connection of its own, which never writes: the value moves
whenever any other connection commits, in this process or another (``ece worker``, the CLI), so
every commit to the file is a change (SQLite has no per-table notification; one writer at a time
keeps that rare enough for the pages to pay). A ``PageCache`` entry is served only while

- the feed is connected (without it nothing is cached: a missed change could not be seen),
- the generation it was built in is still current,
- and the clock is before its own deadline: the soonest moment its content changes by time alone
  (e.g. a listing on the page expiring), capped at a random half to all of the maximum age (a
  safety net; spread so that pages stored together are not all rebuilt together).

A page is stored only when the generation did not move while it was being built, so a page read
from a snapshot older than a change that committed meanwhile is thrown away, never served.
What remains is the time a notification takes to arrive after its commit (about a millisecond
on one host): the cache is for anonymous public reads; a signed-in caller always reads the
database, so whoever made a change sees it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sqlite3
from collections.abc import Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ece.core.clock import utcnow
from ece.core.errors import DomainError, render_domain_error
from ece.core.metrics import PAGE_CACHE

log = structlog.get_logger(__name__)

RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 30.0


class Feed(Protocol):
    """What a ``PageCache`` asks of its source of changes."""

    @property
    def generation(self) -> int: ...

    @property
    def live(self) -> bool: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class ChangeFeed:
    """``LISTEN channel`` on its own connection, reconnecting with back-off when it drops."""

    def __init__(self, dsn: str, channel: str, on_change: Callable[[], None] | None = None) -> None:
        self.dsn = dsn
        self.channel = channel
        # Called on every notification, connection and loss (anything may have changed).
        self.on_change = on_change
        self.generation = 0
        self.live = False
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    async def start(self, *, wait_seconds: float = 5.0) -> None:
        """Start listening; waits (a bounded time) for the first connection so a fresh worker
        caches from its first request. A feed that cannot connect keeps retrying."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"changefeed:{self.channel}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), wait_seconds)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._lost()

    def _changed(self, *_args: Any) -> None:
        self.generation += 1
        if self.on_change is not None:
            self.on_change()

    def _lost(self) -> None:
        self.live = False
        self._connected.clear()
        self._changed()

    async def _run(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        delay = RETRY_FIRST_SECONDS
        while True:
            closed = asyncio.Event()
            try:
                conn = await asyncpg.connect(self.dsn)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("changefeed.connect_failed", channel=self.channel, error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)
                continue
            try:
                conn.add_termination_listener(lambda _conn, closed=closed: closed.set())
                await conn.add_listener(self.channel, self._changed)
                # Anything cached before this moment may have missed a change: start afresh.
                self._changed()
                self.live = True
                self._connected.set()
                delay = RETRY_FIRST_SECONDS
                await closed.wait()
                log.warning("changefeed.lost", channel=self.channel)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("changefeed.failed", channel=self.channel, error=str(exc))
            finally:
                self._lost()
                if not conn.is_closed():
                    await conn.close(timeout=2)
            await asyncio.sleep(delay)


class SqliteChangeFeed:
    """Commits to a SQLite file by any other connection, seen through ``PRAGMA data_version``.

    The pragma is answered from the WAL index in shared memory (a few microseconds, no I/O), so
    it is asked at each look-up instead of being pushed: a page is checked against the file as
    it is at that moment, and a commit between a page's read and its ``put`` throws it away.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._generation = 0

    @property
    def live(self) -> bool:
        return self._conn is not None

    @property
    def generation(self) -> int:
        conn = self._conn
        if conn is not None:
            try:
                version = conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:  # the file went away: nothing can be cached
                log.warning("changefeed.sqlite_failed", path=self.path, error=str(exc))
                self._close()
                return self._generation
            if version != self._version:
                self._version = version
                self._generation += 1
        return self._generation

    async def start(self) -> None:
        if self._conn is None:
            try:
                # Read-only, autocommit: it never holds a read transaction open, so every
                # pragma sees the latest commit.
                self._conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro",
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                )
            except sqlite3.Error as exc:
                log.warning("changefeed.sqlite_failed", path=self.path, error=str(exc))

    async def stop(self) -> None:
        self._close()

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        self._generation += 1
        if conn is not None:
            conn.close()


@dataclass(slots=True)
class _Entry:
    body: bytes
    generation: int
    deadline: datetime


class PageCache:
    """Rendered pages by key, valid while ``feed`` reports no change (see the module text)."""

    def __init__(
        self, name: str, feed: Feed | None, *, max_age_seconds: int, max_bytes: int
    ) -> None:
        self.feed = feed if max_age_seconds > 0 else None
        self.max_age = timedelta(seconds=max_age_seconds)
        # Bodies, in bytes: any query string is a key (unknown parameters are ignored), so the
        # number of pages a caller can make us keep is bounded by size, not by their count.
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: dict[Hashable, _Entry] = {}
        self._hit = PAGE_CACHE.labels(name, "hit")
        self._miss = PAGE_CACHE.labels(name, "miss")

    def generation(self) -> int | None:
        """The generation to pass to ``put`` for a page about to be read; None when off."""
        feed = self.feed
        return feed.generation if feed is not None and feed.live else None

    def get(self, key: Hashable) -> bytes | None:
        entry = self._entries.get(key)
        if entry is not None:
            if entry.generation == self.generation() and utcnow() < entry.deadline:
                self._hit.inc()
                return entry.body
            self._drop(key)
        self._miss.inc()
        return None

    def put(
        self, key: Hashable, body: bytes, generation: int | None, changes_at: datetime | None
    ) -> None:
        """Keep ``body`` if nothing changed since ``generation`` was taken; it is served until
        ``changes_at`` (when time alone changes the page) or the maximum age, if sooner."""
        current = self.generation()
        if generation is None or generation != current:
            return
        # Pages stored together must not all expire together: the next requests would all
        # rebuild at once. Each lives between half and all of the maximum age.
        deadline = utcnow() + self.max_age * random.uniform(0.5, 1.0)
        if changes_at is not None and changes_at < deadline:
            deadline = changes_at
        if len(body) > self.max_bytes:
            return
        self._drop(key)
        if self.size + len(body) > self.max_bytes:
            for stale in [k for k, e in self._entries.items() if e.generation != current]:
                self._drop(stale)
            while self.size + len(body) > self.max_bytes:
                self._drop(next(iter(self._entries)))  # the oldest stored
        self._entries[key] = _Entry(body, generation, deadline)
        self.size += len(body)

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.size -= len(entry.body)

    def __len__(self) -> int:
        return len(self._entries)


class _Route:
    """What the metrics middleware reads of a route: its template."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class PageCacheMiddleware:
    """Answers a cached anonymous ``GET`` before routing, keyed by the raw query string.

    The endpoint stores a page under its query string only after validating it, so a query
    answered from memory is one that was valid. ``anonymous`` tells whether a request carries no
    credential; ``admit`` applies the route's rate limit (it raises ``DomainError`` when over),
    so a page from memory is limited as it would be from the endpoint.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        pages: Mapping[str, PageCache],
        anonymous: Callable[[Request], bool],
        admit: Callable[[Request, Response], Awaitable[None]],
    ) -> None:
        self.app = app
        self.pages = pages
        self.anonymous = anonymous
        self.admit = admit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.pages.get(scope["path"]) if scope["type"] == "http" else None
        if cache is None or scope["method"] != "GET" or cache.generation() is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        body = cache.get(bytes(scope["query_string"])) if self.anonymous(request) else None
        if body is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = _Route(scope["path"])
        response = Response(body, media_type="application/json")
        try:
            await self.admit(request, response)
        except DomainError as exc:
            response = render_domain_error(exc, scope["path"])
        await response(scope, receive, send)

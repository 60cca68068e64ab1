"""Database engine, declarative base and the unit of work.

One service call is one transaction: the request (or job runner) opens a unit of work, services
only ``flush``, and the unit of work commits on success or rolls back on error.

SQLite is the embedded default. It runs in WAL mode (readers never block the writer) and every
write transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock up front, so two
writers queue on the busy timeout instead of deadlocking when a reader upgrades to a writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Generic, TypeVar, cast
from weakref import WeakKeyDictionary

import sqlalchemy.ext.asyncio
from sqlalchemy import DateTime, MetaData, String, TypeDecorator, event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import Pool

from ece.core import dbmetrics
from ece.core.clock import as_utc, utcnow
from ece.core.sqlite_driver import one_hop_dbapi

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class IdMixin:
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


_T = TypeVar("_T")

# A pooled PostgreSQL connection idle longer than this is pinged before use (a server restart
# or an idle timeout may have closed it). One just returned is not: asyncpg's ping is a BEGIN,
# a ";" and a ROLLBACK, three round trips that cost a buy as much as its own statements. A
# server restart thus fails once the requests that were in flight or used a connection within
# this window (the pool then drops the dead connection), as it fails the requests in flight.
IDLE_PING_S = 2.0


def _ping_when_idle(pool: Pool, idle_s: float) -> None:
    @event.listens_for(pool, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["ece_idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("ece_idle_since", None)
        if since is None or time.monotonic() - since < idle_s:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:  # any failure: the pool replaces the connection and retries
            raise DisconnectionError(str(exc)) from exc


async def on_sqlite_thread(driver: Any, work: Callable[[sqlite3.Connection], _T]) -> _T:
    """Run ``work`` with the ``sqlite3`` connection under aiosqlite connection ``driver`` on the
    thread that owns it, in one hop: the queue every aiosqlite method (and SQLAlchemy's adapter)
    goes through. The one place that reaches aiosqlite's internals (its version is pinned in
    the lock file; the settlement and ledger tests fail if they change)."""
    result: _T = await driver._execute(work, driver._conn)
    return result


# Works one hop carries at most: the writer gate is held for the hop, so a request waiting
# for it waits at most this many short transactions (~0.1 ms of SQLite each).
SQLITE_WRITER_BATCH = 64


def _each_on_its_own(
    conn: sqlite3.Connection, works: list[Callable[[sqlite3.Connection], Any]]
) -> list[tuple[bool, Any]]:
    """Every work in order on the connection's thread, each outcome apart: a work that raises
    has its exception returned (after a rollback of anything it left open), and the next runs."""
    outcomes: list[tuple[bool, Any]] = []
    for work in works:
        try:
            outcomes.append((True, work(conn)))
        except Exception as exc:  # the exception is that work's answer, raised to its caller
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            outcomes.append((False, exc))
    return outcomes


class SqliteWriter:
    """The process's short SQLite write transactions, run one after another on one connection
    held for them, many per hop to its aiosqlite thread.

    ``run(work)`` queues ``work`` (a synchronous function that opens and ends its own
    transaction on the ``sqlite3`` connection it is given) and returns what it returns, or
    raises what it raises. One drainer task takes the writer gate, then every work queued by
    then (up to ``SQLITE_WRITER_BATCH``), and runs them in order in one hop: each is still its
    own transaction, committed before its caller is answered, and a failing one changes
    nothing of the others. What the hop saves is the hand-offs: with 32 callers, one gate
    turn and one thread round trip for 32 transactions instead of 32 of each. A work that
    finds the writer idle (nothing queued, the gate free) runs at once from its caller's task.
    A work whose caller was cancelled before its hop is not run."""

    def __init__(self, engine: AsyncEngine, gate: asyncio.Lock) -> None:
        self._engine = engine
        self._gate = gate
        self._queue: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []
        self._drainer: asyncio.Task[None] | None = None
        self._conn: sqlalchemy.ext.asyncio.AsyncConnection | None = None
        self._driver: Any = None  # aiosqlite's connection under ``_conn``

    async def run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        loop = asyncio.get_running_loop()
        if self._drainer is not None and self._drainer.get_loop() is not loop:
            # Left behind by a loop dropped without cancelling it: it and its queue never run.
            self._drainer = None
            self._queue = [(w, a) for w, a in self._queue if a.get_loop() is loop]
        if self._drainer is None and not self._queue and not self._gate.locked():
            # Nobody else is writing: run it from this task (no drainer task, no future).
            # Works queued meanwhile start a drainer, which waits for the gate.
            async with self._gate:
                [(ok, value)] = await self._outcomes([work])
            if ok:
                return cast(_T, value)
            raise value
        answer: asyncio.Future[_T] = loop.create_future()
        self._queue.append((work, answer))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())
        return await answer

    async def _drain(self) -> None:
        try:
            while self._queue:
                async with self._gate:
                    batch = [(w, a) for w, a in self._queue[:SQLITE_WRITER_BATCH] if not a.done()]
                    del self._queue[:SQLITE_WRITER_BATCH]
                    if batch:
                        await self._hop(batch)
        except asyncio.CancelledError:  # cancelled with its loop: nothing queued will run
            for _, answer in self._queue:
                answer.cancel()
            self._queue.clear()
            raise
        finally:
            self._drainer = None

    async def _hop(
        self, batch: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]]
    ) -> None:
        try:
            outcomes = await self._outcomes([work for work, _ in batch])
        except BaseException:  # cancelled during the hop: whether the works ran is unknown
            for _, answer in batch:
                answer.cancel()
            raise
        for (_, answer), (ok, value) in zip(batch, outcomes, strict=True):
            if answer.done():  # its caller was cancelled during the hop
                continue
            if ok:
                answer.set_result(value)
            else:
                answer.set_exception(value)

    async def _outcomes(
        self, works: list[Callable[[sqlite3.Connection], Any]]
    ) -> list[tuple[bool, Any]]:
        """The works in one hop, under the gate the caller holds."""
        try:
            if self._conn is None:
                self._conn = await self._engine.connect()
                self._driver = (await self._conn.get_raw_connection()).driver_connection
            return await on_sqlite_thread(self._driver, lambda c: _each_on_its_own(c, works))
        except Exception as exc:  # the connection failed: every work of the hop hears it
            await self._drop_connection()
            return [(False, exc)] * len(works)
        except BaseException:
            await self._drop_connection()
            raise

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.invalidate()
            await conn.close()

    async def close(self) -> None:
        """Wait for the queued works, then return the connection."""
        if self._drainer is not None:
            await asyncio.shield(self._drainer)
        async with self._gate:  # a work run from its caller's task has finished
            conn, self._conn = self._conn, None
            if conn is not None:
                await conn.close()


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so "begin" below decides the lock mode.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    write = conn.get_execution_options().get("ece_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def libpq_url(url: str) -> str:
    """A PostgreSQL URL without SQLAlchemy's driver name, for a raw asyncpg connection."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class Database:
    """Owns the engine and hands out units of work."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        max_overflow: int = 20,
        sqlite_busy_timeout_ms: int = 30_000,
        idle_ping_s: float = IDLE_PING_S,
        echo: bool = False,
        session_info: Mapping[str, object] | None = None,
    ) -> None:
        """``session_info`` is copied into every session's ``info`` (how the ledger's account-id
        cache, owned by whoever builds this database, reaches the sessions of its pool)."""
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # SQLite has one writer: this process's writing requests take turns here, waiting
        # without a connection, instead of each holding a pooled connection while SQLite's busy
        # handler polls for the file lock (a burst of buyers then ran the pool dry and the busy
        # timeout out: 500s). Other processes (``ece worker``, the CLI) still meet the busy
        # handler. None on PostgreSQL, whose row locks let writers run side by side.
        self.writer_gate: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        kwargs: dict[str, Any] = {"echo": echo}
        if not (self.is_sqlite and make_url(url).database in (None, "", ":memory:")):
            kwargs["poolclass"] = dbmetrics.MeteredQueuePool  # counts waiting checkouts
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow)
        if self.is_sqlite:
            kwargs["module"] = one_hop_dbapi()  # one hop to aiosqlite's thread per statement
        # Looked up at call time: OpenTelemetry's SQLAlchemy instrumentation, when tracing is
        # on, wraps the module's function (ece.core.tracing).
        self.engine: AsyncEngine = sqlalchemy.ext.asyncio.create_async_engine(url, **kwargs)
        dbmetrics.instrument(self.engine.sync_engine)
        if not self.is_sqlite:
            _ping_when_idle(self.engine.sync_engine.pool, idle_ping_s)
        if self.is_sqlite:
            event.listen(
                self.engine.sync_engine, "connect", _sqlite_pragmas(sqlite_busy_timeout_ms)
            )
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        # SQLite: short write transactions queued from many tasks, run many per hop.
        self.sqlite_writer: SqliteWriter | None = (
            SqliteWriter(self.engine, self.writer_gate) if self.writer_gate is not None else None
        )
        info = dict(session_info or {})
        self._read = async_sessionmaker(
            self.engine, expire_on_commit=False, autoflush=True, info=info
        )
        self._write = async_sessionmaker(
            self.engine.execution_options(ece_write=True),
            expire_on_commit=False,
            autoflush=True,
            info=info,
        )

    @property
    def libpq_url(self) -> str:
        return libpq_url(self.url)

    def session(self, *, write: bool) -> AsyncSession:
        return (self._write if write else self._read)()

    @asynccontextmanager
    async def unit_of_work(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """One transaction: commit when the block ends normally, roll back on any error."""
        async with self.session(write=write) as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def ping(self) -> None:
        """One round trip to the database (readiness); raises when it is unreachable."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        if self.sqlite_writer is not None:
            await self.sqlite_writer.close()
        await self.engine.dispose()


def insert_or_ignore(session: AsyncSession, model: type[Base]) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's backend (no rollback needed)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).on_conflict_do_nothing()


def is_unique_violation(exc: Exception) -> bool:
    """True when a flush failed on a unique constraint (SQLite and PostgreSQL wording)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "unique" in text or "duplicate key" in text


class PerDatabase(Generic[_T]):
    """``make(db)`` once per database, on first use, forgotten with the database (a process's
    bid batcher, its session check...)."""

    def __init__(self, make: Callable[[Database], _T]) -> None:
        self._make = make
        self._made: WeakKeyDictionary[Database, _T] = WeakKeyDictionary()

    def __call__(self, db: Database) -> _T:
        found = self._made.get(db)
        if found is None:
            found = self._made[db] = self._make(db)
        return found

    def pop(self, db: Database) -> _T | None:
        """Forget ``db``'s one (at shutdown), returning it if it was made."""
        return self._made.pop(db, None)

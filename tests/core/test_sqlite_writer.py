"""``SqliteWriter``: short SQLite write transactions queued by many tasks run many per hop to
the connection's thread (one that finds the writer idle runs at once, alone), each still its
own transaction with its own answer; a failing one changes nothing of the others; a work
cancelled before its hop never runs."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

import ece.core.db as core_db
from ece.core.db import Database, SqliteWriter

pytestmark = [pytest.mark.db]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    path = tmp_path / "writer.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entries (n INTEGER PRIMARY KEY)")
    database = Database(f"sqlite+aiosqlite:///{path}")
    yield database
    await database.dispose()


def _writer(db: Database) -> SqliteWriter:
    assert db.sqlite_writer is not None
    return db.sqlite_writer


def insert(n: int, *, then_fail: bool = False) -> Callable[[sqlite3.Connection], int]:
    """A work: ``n`` inserted in a transaction of its own (refused when ``n`` is taken); with
    ``then_fail`` it raises after the insert, before its COMMIT."""

    def work(conn: sqlite3.Connection) -> int:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO entries (n) VALUES (?)", (n,))
        if then_fail:
            raise ValueError(f"refused after writing {n}")
        conn.execute("COMMIT")
        return n

    return work


def stored(db: Database) -> list[int]:
    path = db.engine.url.database
    assert path is not None
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT n FROM entries ORDER BY n")]


def counted_hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many works each hop to the connection's thread carried."""
    hops: list[int] = []
    real = core_db.on_sqlite_thread

    async def counting(driver: Any, work: Callable[[sqlite3.Connection], Any]) -> Any:
        outcome = await real(driver, work)
        hops.append(len(outcome))
        return outcome

    monkeypatch.setattr(core_db, "on_sqlite_thread", counting)
    return hops


async def _answer(call: Any) -> object:
    try:
        return await call
    except Exception as exc:
        return type(exc).__name__


async def test_queued_works_share_one_hop_and_fail_apart(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hops = counted_hops(monkeypatch)
    writer = _writer(db)
    answers = await asyncio.gather(
        *(
            _answer(writer.run(work))
            for work in (
                insert(1),
                insert(2),
                insert(1),  # taken by the first: refused by SQLite
                insert(3, then_fail=True),  # left open by its work: rolled back by the writer
                insert(4),
            )
        )
    )
    assert answers == [1, 2, "IntegrityError", "ValueError", 4]
    assert hops == [1, 4]  # the first found the writer idle and ran alone; the rest queued
    assert stored(db) == [1, 2, 4]


async def test_the_writer_waits_for_the_gate_and_skips_a_cancelled_work(db: Database) -> None:
    writer = _writer(db)
    assert db.writer_gate is not None
    async with db.writer_gate:  # a request holding SQLite's writer
        cancelled = asyncio.create_task(writer.run(insert(9)))
        waiting = asyncio.create_task(writer.run(insert(10)))
        await asyncio.sleep(0)  # both queued; the drainer waits at the gate
        cancelled.cancel()
        assert stored(db) == []
    assert await waiting == 10
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert stored(db) == [10]


async def test_dispose_runs_what_was_queued_first(db: Database) -> None:
    writer = _writer(db)
    queued = [asyncio.create_task(writer.run(insert(n))) for n in (5, 6, 7)]
    await asyncio.sleep(0)
    await db.dispose()
    assert [await task for task in queued] == [5, 6, 7]
    assert stored(db) == [5, 6, 7]

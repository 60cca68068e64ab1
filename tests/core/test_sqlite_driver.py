"""``ece.core.sqlite_driver``: every statement through SQLAlchemy on SQLite is one hop to
aiosqlite's thread, and answers what the stock adapter answers (rows, rowcount, lastrowid,
RETURNING, executemany, errors)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from ece.core.db import Database

pytestmark = [pytest.mark.db]

metadata = MetaData()
entries = Table(
    "entries",
    metadata,
    Column("n", Integer, primary_key=True),
    Column("name", String, unique=True),
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per call that went to an aiosqlite connection's thread."""
    seen: list[int] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Callable[..., Any], *a: Any) -> Any:
        seen.append(1)
        return await real(self, fn, *a)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_each_statement_is_one_hop_and_answers_as_the_stock_adapter(
    db: Database, hops: list[int]
) -> None:
    async with db.unit_of_work() as session:
        await session.execute(insert(entries), [{"name": "a"}, {"name": "b"}, {"name": "c"}])
        hops.clear()
        rows = (await session.execute(select(entries.c.name).order_by(entries.c.n))).all()
        assert [r.name for r in rows] == ["a", "b", "c"]
        assert len(hops) == 1  # the stock adapter: cursor, execute, fetchall, close
        hops.clear()
        moved = await session.execute(update(entries).where(entries.c.n > 1).values(name=None))
        assert moved.rowcount == 2  # type: ignore[attr-defined]
        assert len(hops) == 1
        made = await session.execute(insert(entries).values(name="d").returning(entries.c.n))
        assert made.scalar_one() == 4
        plain = await session.execute(insert(entries).values(name="e"))
        assert plain.inserted_primary_key == (5,)  # from the cursor's lastrowid
        assert (await session.execute(text("SELECT count(*) FROM entries"))).scalar_one() == 5


async def test_an_error_is_sqlalchemys_and_the_connection_goes_on(db: Database) -> None:
    async with db.unit_of_work() as session:
        await session.execute(insert(entries).values(name="a"))

    async def b_then_a_again() -> None:
        async with db.unit_of_work() as session:
            await session.execute(insert(entries).values(name="b"))
            await session.execute(insert(entries).values(name="a"))

    with pytest.raises(IntegrityError):
        await b_then_a_again()
    async with db.unit_of_work(write=False) as session:
        names = (await session.execute(select(entries.c.name))).scalars().all()
    assert names == ["a"]  # the refused transaction's first insert rolled back with it

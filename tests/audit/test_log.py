"""The audit log in the database: entries chain, the table refuses changes, and ``verify`` finds
the first entry changed around the triggers (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ece.audit import service as audit
from ece.core.db import Database
from ece.core.pagination import PageParams
from tests.audit.support import change_around_guards

# ``ece init`` (run by the ``settings`` fixture) writes the first entry: platform.initialized.
INIT = 1


async def write(db: Database, count: int, actor: str = "admin-1") -> None:
    for n in range(count):
        async with db.unit_of_work() as session:
            await audit.record(
                session,
                actor=actor,
                action="test.action",
                object_type="user",
                object_id=f"u{n}",
                details={"n": n, "amount": f"{n}.5"},
            )


async def test_entries_chain_and_verify(db: Database) -> None:
    await write(db, 4)
    async with db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert result.ok and result.entries == INIT + 4 and result.first_bad_seq is None
    assert len(result.head) == 64


async def test_the_log_starts_with_the_platform_init(db: Database) -> None:
    async with db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
        entries, _ = await audit.list_entries(session, audit.AuditFilters(), PageParams(10, None))
    assert result.ok and result.entries == INIT
    assert [(e.seq, e.actor, e.action) for e in entries] == [
        (1, audit.OPERATOR, "platform.initialized")
    ]


async def failing_action(db: Database) -> None:
    async with db.unit_of_work() as session:
        await audit.record(session, actor="a", action="x", object_type="t", object_id="1")
        raise RuntimeError("the action failed")


async def test_an_entry_rolled_back_with_its_action_leaves_no_gap(db: Database) -> None:
    with pytest.raises(RuntimeError, match="the action failed"):
        await failing_action(db)
    await write(db, 2)
    async with db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert result.ok and result.entries == INIT + 2


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
async def test_the_table_refuses_update_and_delete(db: Database, statement: str) -> None:
    await write(db, 2)
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.unit_of_work() as session:
            await session.execute(text(statement))
    async with db.unit_of_work(write=False) as session:
        assert (await audit.verify(session)).entries == INIT + 2


@pytest.mark.parametrize(
    "tamper",
    [
        'UPDATE audit_log SET details = \'{"n": 2, "amount": "99.5"}\' WHERE seq = 3',
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3",
        "DELETE FROM audit_log WHERE seq = 3",
    ],
)
async def test_a_row_changed_around_the_triggers_is_found(db: Database, tamper: str) -> None:
    await write(db, 5)
    await change_around_guards(db, tamper)
    async with db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert not result.ok and result.first_bad_seq == 3
    # The guards are back: the table refuses changes again.
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.unit_of_work() as session:
            await session.execute(text("UPDATE audit_log SET actor = 'x'"))


async def test_concurrent_appends_keep_one_chain(db: Database) -> None:
    """Many writers at once: gap-free sequence numbers, each entry names the hash before it."""
    await asyncio.gather(*(write(db, 3, actor=f"a{n}") for n in range(6)))
    async with db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert result.ok and result.entries == INIT + 18

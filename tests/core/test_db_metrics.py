"""Database metrics on /metrics: the pool's connections in use and waiting, statement latency."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ece.config import Settings
from ece.core.db import Database
from ece.core.dbmetrics import operation
from ece.core.metrics import REGISTRY


def pool(state: str) -> float:
    return REGISTRY.get_sample_value("ece_db_pool_connections", {"state": state}) or 0.0


def statements(op: str) -> float:
    name = "ece_db_statement_duration_seconds_count"
    return REGISTRY.get_sample_value(name, {"operation": op}) or 0.0


async def _until_waiting(expected: float) -> None:
    # The second checkout blocks inside the pool: yield to it until the pool counts it.
    for _ in range(10_000):
        if pool("waiting") == expected:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"waiting never reached {expected}: {pool('waiting')}")


async def test_the_pool_reports_connections_in_use_and_checkouts_waiting(
    blank_settings: Settings, client: httpx.AsyncClient
) -> None:
    db = Database(blank_settings.resolved_database_url, pool_size=1, max_overflow=0)
    in_use, waiting, capacity = pool("in_use"), pool("waiting"), pool("capacity")
    assert capacity >= 1
    try:
        async with db.engine.connect() as held:
            await held.execute(text("SELECT 1"))
            assert pool("in_use") == in_use + 1

            async def second() -> int:
                async with db.engine.connect() as conn:
                    return int((await conn.execute(text("SELECT 2"))).scalar_one())

            blocked = asyncio.create_task(second())
            await _until_waiting(waiting + 1)
            scraped = (await client.get("/metrics")).text
            assert f'ece_db_pool_connections{{state="waiting"}} {waiting + 1}' in scraped
            assert f'ece_db_pool_connections{{state="in_use"}} {in_use + 1}' in scraped
        assert await blocked == 2  # it got the connection once the first was returned
        assert (pool("in_use"), pool("waiting")) == (in_use, waiting)
        assert pool("idle") >= 1
    finally:
        await db.dispose()


async def test_each_statement_is_timed_by_operation(blank_settings: Settings) -> None:
    db = Database(blank_settings.resolved_database_url)
    try:
        selects, updates = statements("select"), statements("update")
        async with db.engine.connect() as conn:
            for _ in range(3):
                await conn.execute(text("SELECT 1"))
            with pytest.raises(DBAPIError):
                await conn.execute(text("SELECT * FROM no_such_table"))
        async with db.engine.begin() as conn:
            await conn.execute(text("UPDATE audit_head SET seq = seq WHERE id = 0"))
        # The failed statement is not counted, and does not skew the next one's timing.
        assert statements("select") == selects + 3
        assert statements("update") == updates + 1
        assert REGISTRY.get_sample_value(
            "ece_db_statement_duration_seconds_bucket", {"operation": "select", "le": "+Inf"}
        ) == statements("select")
    finally:
        await db.dispose()


def test_statements_are_named_by_their_first_keyword() -> None:
    assert operation("  SELECT 1") == "select"
    assert operation("(select 1) UNION (select 2)") == "select"
    assert operation("INSERT INTO t VALUES (1)") == "insert"
    assert operation("update t set a = 1") == "update"
    assert operation("DELETE FROM t") == "delete"
    assert operation("BEGIN IMMEDIATE") == "other"
    assert operation("WITH x AS (SELECT 1) SELECT * FROM x") == "other"
    assert operation("") == "other"

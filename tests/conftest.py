"""Test set-up: a migrated database per xdist worker, a clean one per test, the real app.

Two passes run the same suite: SQLite (default) and PostgreSQL + Redis, selected with
``ECE_TEST_DATABASE_URL`` and ``ECE_TEST_REDIS_URL``. Tests marked ``pg`` (or ``redis``) run only
in the second. ``make test-pg`` runs only the tests that reach the backend (``-m "db or pg or
redis"``): a test without a database or Redis sees the same code on both passes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import settings as settings_profiles

from ece.config import Settings
from ece.core.clock import clock
from ece.core.db import libpq_url
from ece.core.migrate import upgrade
from ece.models import Base
from ece.platform_init import init_platform
from tests.builders import api_client, served

# No timing deadlines: on a shared 2-core machine they measure the neighbours, not the code
# (speed lives in bench/). CI runs are derandomized so a red build always reproduces.
settings_profiles.register_profile("ece", deadline=None)
settings_profiles.register_profile("ece-ci", deadline=None, derandomize=True, database=None)
settings_profiles.load_profile("ece-ci" if os.environ.get("CI") else "ece")

PG_URL = os.environ.get("ECE_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("ECE_TEST_REDIS_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
# Concurrent test runs on one machine must not share (and drop) each other's databases.
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())


# A test that asks for one of these reaches a database: it is marked ``db``, so that
# ``pytest -m "not db"`` runs only the pure rule tests, in seconds.
DB_FIXTURES = frozenset({"migrated_database", "blank_settings", "settings", "app", "client", "db"})


def _redis_db_named() -> bool:
    return bool(REDIS_URL) and urlsplit(REDIS_URL or "").path.strip("/").isdigit()


def pytest_configure(config: pytest.Config) -> None:
    # Workers would flush each other's data in one named Redis database: one process only.
    if _redis_db_named() and getattr(config.option, "numprocesses", None):
        raise pytest.UsageError("ECE_TEST_REDIS_URL names one Redis database: run with -n 0")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
    missing = {"pg": ("PostgreSQL", PG_URL), "redis": ("Redis", REDIS_URL)}
    for keyword, (backend, url) in missing.items():
        if url:
            continue
        skip = pytest.mark.skip(reason=f"needs {backend}: runs in the PostgreSQL + Redis pass")
        for item in items:
            if keyword in item.keywords:
                item.add_marker(skip)


def _pg_admin_dsn() -> str:
    assert PG_URL
    return libpq_url(PG_URL)


async def _recreate_pg_database(name: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(_pg_admin_dsn())
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
        # A test database is thrown away: its commits need not wait for the WAL to reach the
        # disk (the shared machine's fsyncs), and what a session sees is unchanged.
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()
    base, _, _ = PG_URL.rpartition("/")  # type: ignore[union-attr]
    return f"{base}/{name}"


async def _drop_pg_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_pg_admin_dsn())
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated from scratch by Alembic: a template file (SQLite) or a PG database."""
    if PG_URL:
        name = f"ece_test_{RUN_ID}_{WORKER}"
        url = asyncio.run(_recreate_pg_database(name))
        upgrade(url)
        yield url
        asyncio.run(_drop_pg_database(name))
        return
    template = tmp_path_factory.mktemp("template") / "ece.db"
    upgrade(f"sqlite+aiosqlite:///{template}")
    yield str(template)


# Tables holding at least this many rows are emptied by TRUNCATE (new empty files, so a plan
# test's ANALYZE never sees a big table's dead rows); the others, most tables after most tests,
# by DELETE: a TRUNCATE of every table costs about 2 s a test (a new file for each of ~200
# tables and indexes), a DELETE of a few rows milliseconds.
_TRUNCATE_FROM_ROWS = 500

# One round trip: each table is counted up to the threshold, then deleted from or truncated;
# the sequences used since the last reset restart (what TRUNCATE ... RESTART IDENTITY did).
# Replica mode skips the triggers: the audit log's refusal of DELETE and TRUNCATE, and the
# foreign keys' checks (every table is emptied). The chain's head row (written by the
# migration) is put back.
_RESET_PG = """
SET session_replication_role = replica;
DO $reset$
DECLARE
    tbl text;
    kept int;
    big text[] := '{}';
BEGIN
    FOREACH tbl IN ARRAY %(tables)s LOOP
        EXECUTE format('SELECT count(*) FROM (SELECT FROM %%I LIMIT %(limit)d) t', tbl)
            INTO kept;
        IF kept >= %(limit)d THEN
            big := big || format('%%I', tbl);
        ELSIF kept > 0 THEN
            EXECUTE format('DELETE FROM %%I', tbl);
        END IF;
    END LOOP;
    IF cardinality(big) > 0 THEN
        EXECUTE 'TRUNCATE ' || array_to_string(big, ', ') || ' CASCADE';
    END IF;
    PERFORM setval(format('%%I.%%I', schemaname, sequencename)::regclass, start_value, false)
    FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL;
END
$reset$;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
"""


def _reset_pg_sql() -> str:
    names = ", ".join(f"'{t.name}'" for t in Base.metadata.sorted_tables)
    return _RESET_PG % {"tables": f"ARRAY[{names}]", "limit": _TRUNCATE_FROM_ROWS}


async def _reset_pg(url: str) -> None:
    """Empty every table of the worker's database, as a fresh migration leaves it."""
    import asyncpg

    conn = await asyncpg.connect(libpq_url(url))
    try:
        await conn.execute(_reset_pg_sql())
    finally:
        await conn.close()


# Redis databases 1..15 serve every test run on the server (each engineer's): a worker claims
# one no other live worker holds, by a key in database 0 that expires unless a test refreshes
# it, so another run's flushes and rate-limit counters (every test client calls from
# 127.0.0.1, one bucket) never reach its tests.
_REDIS_CLAIM_SECONDS = 900
_REDIS_CLAIM_WAIT_SECONDS = 300
# Databases 13 and 14 last (tests/realtime/test_hub.py publishes on them), 1 and 2 late (a run
# of an older checkout numbers its workers' databases from 1).
_REDIS_CLAIM_ORDER = (*range(12, 0, -1), 15, 14, 13)


@dataclass(frozen=True)
class RedisDatabase:
    url: str
    claim: str | None  # the claim's key in database 0; None when the URL names the database


def _claim_redis_db(claims: Any, owner: str) -> str:
    deadline = time.monotonic() + _REDIS_CLAIM_WAIT_SECONDS
    while True:
        for index in _REDIS_CLAIM_ORDER:
            key = f"ece-test:redis-db:{index}"
            if claims.set(key, owner, nx=True, ex=_REDIS_CLAIM_SECONDS):
                return key
        if time.monotonic() > deadline:
            raise RuntimeError("Redis databases 1..15 are all held by other test runs")
        time.sleep(1)  # another run's worker ends (or its claim expires)


@pytest.fixture(scope="session")
def redis_database() -> Iterator[RedisDatabase | None]:
    if not REDIS_URL:
        yield None
        return
    if _redis_db_named():
        # The URL names one database: use it as given, leaving every other database untouched.
        yield RedisDatabase(REDIS_URL, None)
        return
    import redis

    claims = redis.Redis.from_url(REDIS_URL)
    owner = f"{RUN_ID}:{WORKER}"
    key = _claim_redis_db(claims, owner)
    try:
        yield RedisDatabase(f"{REDIS_URL.rstrip('/')}/{key.rpartition(':')[2]}", key)
    finally:
        if claims.get(key) == owner.encode():
            claims.delete(key)
        claims.close()


def run_to_completion(coroutine: Coroutine[object, object, object]) -> None:
    """``asyncio.run``, in a thread of its own when this one's loop is taken (the browser
    tests' Playwright owns it while their package runs)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _test_settings(data_dir: Path, database_url: str, redis_url: str | None = None) -> Settings:
    return Settings(
        env="test",
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        domain="127.0.0.1:8000",
        log_json=True,
        log_level="WARNING",
        run_workers=False,
        # The listing page cache is eventually consistent across processes (a notification
        # arrives just after its commit); tests/core/test_pagecache.py turns it on and waits.
        listing_cache_seconds=0,
    )


@pytest.fixture
def blank_settings(
    migrated_database: str, redis_database: RedisDatabase | None, tmp_path: Path
) -> Settings:
    """A clean migrated database and an empty data dir: no keys, no chain, nothing pinned."""
    if PG_URL:
        run_to_completion(_reset_pg(migrated_database))
        database_url = migrated_database
    else:
        shutil.copy(migrated_database, tmp_path / "ece.db")
        database_url = f"sqlite+aiosqlite:///{tmp_path / 'ece.db'}"
    redis_url = None if redis_database is None else redis_database.url
    if redis_database is not None:
        import redis

        with redis.Redis.from_url(redis_database.url) as connection:
            connection.flushdb()
        if redis_database.claim is not None:
            with redis.Redis.from_url(REDIS_URL or "") as claims:  # refreshed for this test
                claims.expire(redis_database.claim, _REDIS_CLAIM_SECONDS)
    return _test_settings(tmp_path, database_url, redis_url)


@pytest.fixture(scope="session")
def initialized_data_dir(
    migrated_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Path | None:
    """SQLite: a data dir as ``ece init`` leaves it (keys, embedded chain, the database with its
    pins), made once per worker; each test's ``settings`` starts from a copy of it (a copy
    costs milliseconds, an ``ece init`` a second on a loaded machine). None on PostgreSQL,
    whose one database per worker is emptied for each test: there every test runs the init."""
    if PG_URL:
        return None
    data_dir = tmp_path_factory.mktemp("initialized")
    shutil.copy(migrated_database, data_dir / "ece.db")
    run_to_completion(
        init_platform(_test_settings(data_dir, f"sqlite+aiosqlite:///{data_dir / 'ece.db'}"))
    )
    return data_dir


@pytest.fixture
def settings(blank_settings: Settings, initialized_data_dir: Path | None) -> Settings:
    """An initialized platform, as ``ece init`` leaves it: keys, embedded chain, pins."""
    if initialized_data_dir is None:
        run_to_completion(init_platform(blank_settings))
    else:
        shutil.copytree(initialized_data_dir, blank_settings.data_dir, dirs_exist_ok=True)
    return blank_settings


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    async with served(settings) as application:
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(app) as c:
        yield c

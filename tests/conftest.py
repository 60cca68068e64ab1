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
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
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


async def _truncate_pg(url: str) -> None:
    import asyncpg

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    conn = await asyncpg.connect(libpq_url(url))
    try:
        # The audit log refuses TRUNCATE through a trigger; replica mode lets the test reset
        # pass it. The chain's head row (written by the migration) is put back.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        await conn.execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1)", "0" * 64)
    finally:
        await conn.close()


def _redis_db_url() -> str | None:
    if not REDIS_URL:
        return None
    if _redis_db_named():
        # The URL names one database: use it as given, leaving every other database untouched.
        return REDIS_URL
    index = 1 + int(WORKER.removeprefix("gw") or 0) % 15
    return f"{REDIS_URL.rstrip('/')}/{index}"


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
def blank_settings(migrated_database: str, tmp_path: Path) -> Settings:
    """A clean migrated database and an empty data dir: no keys, no chain, nothing pinned."""
    if PG_URL:
        run_to_completion(_truncate_pg(migrated_database))
        database_url = migrated_database
    else:
        shutil.copy(migrated_database, tmp_path / "ece.db")
        database_url = f"sqlite+aiosqlite:///{tmp_path / 'ece.db'}"
    redis_url = _redis_db_url()
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
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

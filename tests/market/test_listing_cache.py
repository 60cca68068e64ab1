"""The anonymous listing page cache: served from memory until a listing changes.

The first tests drive ``PageCache`` with a feed that is told by hand what PostgreSQL would
report; the ``pg`` tests run the real thing: triggers, NOTIFY, LISTEN, a lost connection; the
last ones SQLite's ``PRAGMA data_version``, with a commit from another process.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import make_url

from ece.config import Settings
from ece.core.clock import clock, utcnow
from ece.core.pagecache import ChangeFeed, PageCache, SqliteChangeFeed
from tests.builders import api_client, recorded_statements, served, sign_in
from tests.market.support import list_card, open_market, quick_card

# --- the cache's rules, with a feed told by hand --------------------------------------------


def live_cache(max_age_seconds: int = 30, max_bytes: int = 1000) -> tuple[ChangeFeed, PageCache]:
    feed = ChangeFeed("postgresql://unused", "test")
    feed.live = True  # what a connected feed reports
    cache = PageCache("test", feed, max_age_seconds=max_age_seconds, max_bytes=max_bytes)
    return feed, cache


def test_a_page_is_served_until_a_change_is_reported() -> None:
    feed, cache = live_cache()
    cache.put("p", b"one", cache.generation(), None)
    assert cache.get("p") == b"one"
    feed._changed()
    assert cache.get("p") is None
    cache.put("p", b"two", cache.generation(), None)
    assert cache.get("p") == b"two"


def test_a_page_read_across_a_change_is_thrown_away() -> None:
    feed, cache = live_cache()
    before = cache.generation()
    feed._changed()  # a change committed while the page was being read
    cache.put("p", b"stale", before, None)
    assert cache.get("p") is None and len(cache) == 0


def test_nothing_is_cached_while_the_feed_is_down() -> None:
    feed, cache = live_cache()
    cache.put("p", b"one", cache.generation(), None)
    feed._lost()
    assert cache.generation() is None
    assert cache.get("p") is None
    cache.put("p", b"two", cache.generation(), None)
    assert len(cache) == 0


def test_a_page_ends_when_time_changes_it_or_at_the_maximum_age() -> None:
    clock.freeze()
    _, cache = live_cache(max_age_seconds=30)
    cache.put("expiring", b"x", cache.generation(), utcnow() + timedelta(seconds=10))
    cache.put("lasting", b"y", cache.generation(), utcnow() + timedelta(hours=1))
    clock.advance(timedelta(seconds=10))
    assert cache.get("expiring") is None  # its first listing has just expired
    assert cache.get("lasting") == b"y"
    clock.advance(timedelta(seconds=20))
    assert cache.get("lasting") is None  # 30 s old


def test_pages_stored_together_do_not_all_expire_together() -> None:
    clock.freeze()
    _, cache = live_cache(max_age_seconds=30)
    keys = range(50)
    for key in keys:
        cache.put(key, b"x", cache.generation(), None)
    clock.advance(timedelta(seconds=15) - timedelta(microseconds=1))
    assert all(cache.get(key) == b"x" for key in keys)  # none before half the maximum age
    clock.advance(timedelta(seconds=7, microseconds=500_000))
    left = [key for key in keys if cache.get(key) is not None]
    assert 0 < len(left) < len(keys)  # spread: some have ended, some not (p < 1e-14 otherwise)
    clock.advance(timedelta(seconds=7, microseconds=500_001))
    assert all(cache.get(key) is None for key in keys)


def test_a_full_cache_drops_stale_pages_then_the_oldest() -> None:
    feed, cache = live_cache(max_bytes=10)
    cache.put("a", b"aaaa", cache.generation(), None)
    cache.put("b", b"bbbb", cache.generation(), None)
    cache.put("c", b"cccc", cache.generation(), None)  # 12 bytes > 10: "a" goes
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, b"bbbb", b"cccc")
    assert cache.size == 8
    cache.put("b", b"bb", cache.generation(), None)  # replacing a page frees its old size
    assert cache.size == 6
    feed._changed()
    cache.put("d", b"dddd", cache.generation(), None)
    cache.put("e", b"eeee", cache.generation(), None)  # the stale "b" and "c" go first
    assert len(cache) == 2 and cache.size == 8
    assert (cache.get("d"), cache.get("e")) == (b"dddd", b"eeee")
    cache.put("huge", b"x" * 11, cache.generation(), None)  # larger than the whole budget
    assert cache.get("huge") is None and cache.size == 8


def test_a_cache_with_no_maximum_age_is_off() -> None:
    feed = ChangeFeed("postgresql://unused", "test")
    feed.live = True
    cache = PageCache("test", feed, max_age_seconds=0, max_bytes=10)
    cache.put("p", b"one", cache.generation(), None)
    assert cache.get("p") is None


# --- answered before routing, limited like the endpoint -------------------------------------


@pytest.fixture
async def hand_fed(settings: Settings) -> AsyncIterator[tuple[FastAPI, ChangeFeed]]:
    """An app whose listing cache follows a feed the test drives (on either database)."""
    changed = {"listing_cache_seconds": 30, "rate_limit_default": "4/minute"}
    async with served(settings.model_copy(update=changed)) as application:
        feed = ChangeFeed("postgresql://unused", "test")
        feed.live = True
        application.state.services.listing_pages.feed = feed
        yield application, feed


async def test_a_page_from_memory_is_the_page_and_is_limited_like_it(
    hand_fed: tuple[FastAPI, ChangeFeed],
) -> None:
    app, feed = hand_fed
    async with api_client(app) as client:
        market = await open_market(client, app)
        seller = await sign_in(client)
        card_id = await quick_card(app, market.company_id, seller.user["id"])
        await list_card(client, seller, card_id, "3")
        feed._changed()  # what the listing's commit would have notified
        query = "/api/v1/listings?currency=USDC&sort=price_asc"

        built = await client.get(query)
        with recorded_statements(app.state.services.db) as from_memory:
            remembered = await client.get(query)
        with recorded_statements(app.state.services.db) as from_database:
            signed_in = await client.get(query, headers=seller.headers)
        assert built.status_code == remembered.status_code == signed_in.status_code == 200
        assert remembered.content == built.content == signed_in.content
        assert [item["price"] for item in built.json()["items"]] == ["3"]
        assert remembered.headers["content-type"] == "application/json"
        assert remembered.headers["x-content-type-options"] == "nosniff"  # outer middleware ran
        # Only the signed-in read reached the database.
        assert from_memory == []
        assert any("FROM listings" in statement for statement in from_database)

        # One window for the endpoint and the memory: 4 a minute per caller on this route.
        assert built.headers["ratelimit-remaining"] == "3"
        assert remembered.headers["ratelimit-remaining"] == "2"
        assert (await client.get(query)).headers["ratelimit-remaining"] == "1"
        assert (await client.get(query)).headers["ratelimit-remaining"] == "0"
        limited = await client.get(query)
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        assert limited.json()["code"] == "rate_limited"

        # A query the endpoint refused was never stored: it is refused again, not served.
        for _ in range(2):
            bad = await client.get("/api/v1/listings?min_price=1", headers=seller.headers)
            assert (bad.status_code, bad.json()["code"]) == (422, "validation_error")


# --- the real thing on PostgreSQL -----------------------------------------------------------


@pytest.fixture
async def cached_app(settings: Settings) -> AsyncIterator[FastAPI]:
    async with served(settings.model_copy(update={"listing_cache_seconds": 30})) as application:
        yield application


@pytest.fixture
async def cached_client(cached_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(cached_app) as c:
        yield c


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> bool:
    """True once ``check`` holds (notifications arrive just after their commit)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def prices(client: httpx.AsyncClient, **headers: str) -> list[str]:
    response = await client.get("/api/v1/listings", headers=headers)
    assert response.status_code == 200, response.text
    return [item["price"] for item in response.json()["items"]]


async def raw_sql(app: FastAPI, sql: str, *args: Any) -> str:
    """A statement from another connection, as another process would send it."""
    conn = await asyncpg.connect(app.state.services.db.libpq_url)
    try:
        return str(await conn.execute(sql, *args))
    finally:
        await conn.close()


@pytest.mark.pg
async def test_anonymous_pages_come_from_memory_until_any_process_changes_a_listing(
    cached_app: FastAPI, cached_client: httpx.AsyncClient
) -> None:
    client, app = cached_client, cached_app
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "12.5")
    assert await eventually(lambda: _shows(client, ["12.5"]))

    first = await client.get("/api/v1/listings")
    assert await eventually(lambda: _from_memory(client, app, first.content))

    # Another process changes the price behind this one's back: the trigger tells us.
    tag = await raw_sql(app, "UPDATE listings SET price = 13000000 WHERE id = $1", listing["id"])
    assert tag == "UPDATE 1"
    assert await eventually(lambda: _shows(client, ["13"]))

    # A change through the API (here the seller's cancel) empties the page as well.
    cancelled = await client.delete(f"/api/v1/listings/{listing['id']}", headers=seller.headers)
    assert cancelled.status_code == 200
    assert await eventually(lambda: _shows(client, []))


async def _from_memory(client: httpx.AsyncClient, app: FastAPI, expected: bytes) -> bool:
    """The anonymous page, answered without a statement to the database."""
    with recorded_statements(app.state.services.db) as statements:
        response = await client.get("/api/v1/listings")
    assert response.status_code == 200 and response.content == expected
    return statements == []


async def _shows(client: httpx.AsyncClient, expected: list[str]) -> bool:
    return await prices(client) == expected


@pytest.mark.pg
async def test_signed_in_callers_always_read_the_database(
    cached_app: FastAPI, cached_client: httpx.AsyncClient
) -> None:
    client, app = cached_client, cached_app
    market = await open_market(client, app)
    seller, taker = await sign_in(client), await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    await list_card(client, seller, card_id, "7", taker=taker.address)
    assert await eventually(lambda: _shows(client, []))  # private: not on the public page
    assert await prices(client) == []  # now cached

    with recorded_statements(app.state.services.db) as statements:
        seen = await prices(client, **taker.headers)
    assert seen == ["7"] and statements  # the taker sees it, read from the database


@pytest.mark.pg
async def test_a_lost_feed_turns_the_cache_off_until_it_is_back(
    cached_app: FastAPI, cached_client: httpx.AsyncClient
) -> None:
    client, app = cached_client, cached_app
    feed: ChangeFeed = app.state.services.listing_feed
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "5")
    assert await eventually(lambda: _shows(client, ["5"]))

    # The database drops the listening connection (a restart, a network cut...).
    tag = await raw_sql(
        app,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    assert tag == "SELECT 1"
    assert await eventually(lambda: _is(feed, live=False))
    # Meanwhile every anonymous page is read from the database, so a change shows at once.
    await raw_sql(app, "UPDATE listings SET price = 6000000 WHERE id = $1", listing["id"])
    with recorded_statements(app.state.services.db) as statements:
        assert await prices(client) == ["6"]
    assert statements

    assert await eventually(lambda: _is(feed, live=True))  # reconnected by itself
    page = await client.get("/api/v1/listings")
    assert await eventually(lambda: _from_memory(client, app, page.content))


async def _is(feed: ChangeFeed, *, live: bool) -> bool:
    return feed.live is live


# --- SQLite: PRAGMA data_version ------------------------------------------------------------


def _sqlite_path(app: FastAPI) -> str:
    return str(make_url(app.state.services.db.url).database)


async def test_sqlite_pages_come_from_memory_until_another_process_commits(
    cached_app: FastAPI, cached_client: httpx.AsyncClient
) -> None:
    client, app = cached_client, cached_app
    if not app.state.services.db.is_sqlite:
        pytest.skip("SQLite's data_version feed; PostgreSQL has its triggers (above)")
    assert isinstance(app.state.services.listing_feed, SqliteChangeFeed)
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "12.5")

    first = await client.get("/api/v1/listings")
    assert [item["price"] for item in first.json()["items"]] == ["12.5"]
    assert await _from_memory(client, app, first.content)

    # Another process (the CLI, ``ece worker``) commits to the file behind this one's back.
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('UPDATE listings SET price = 13000000 WHERE id = ?', (sys.argv[2],)); "
        "c.commit()"
    )
    done = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, _sqlite_path(app), listing["id"]
    )
    assert await done.wait() == 0
    with recorded_statements(app.state.services.db) as statements:
        assert await prices(client) == ["13"]
    assert statements  # dropped: read again from the file

    # A change through the API (this process's own pool) drops it as well.
    page = await client.get("/api/v1/listings")
    assert await _from_memory(client, app, page.content)
    cancelled = await client.delete(f"/api/v1/listings/{listing['id']}", headers=seller.headers)
    assert cancelled.status_code == 200
    assert await prices(client) == []


async def test_a_sqlite_page_read_across_another_connections_commit_is_thrown_away(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feed.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x INTEGER)")
    feed = SqliteChangeFeed(str(path))
    await feed.start()
    cache = PageCache("test", feed, max_age_seconds=30, max_bytes=1000)
    try:
        cache.put("p", b"one", cache.generation(), None)
        assert cache.get("p") == b"one"  # no commit since: served

        before = cache.generation()  # a page starts being read...
        writer.execute("INSERT INTO t VALUES (1)")  # ... another connection commits ...
        cache.put("q", b"stale", before, None)  # ... and the page is offered afterwards
        assert cache.get("q") is None and cache.get("p") is None and len(cache) == 0

        cache.put("p", b"two", cache.generation(), None)
        assert cache.get("p") == b"two"
        await feed.stop()  # no feed, no cache: a missed commit could not be seen
        assert cache.generation() is None and cache.get("p") is None
    finally:
        await feed.stop()
        writer.close()

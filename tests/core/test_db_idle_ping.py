"""A pooled PostgreSQL connection is pinged before use only after it sat idle (``IDLE_PING_S``):
a buy on a busy pool pays no ping's three round trips, and a connection the server closed while
it was idle is still replaced before anyone uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ece.config import Settings
from ece.core.db import Database

pytestmark = [pytest.mark.pg]


async def _backend_pid(db: Database) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(settings: Settings, pid: int) -> None:
    other = Database(settings.resolved_database_url, pool_size=1, max_overflow=0)
    try:
        async with other.engine.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def test_a_connection_closed_while_idle_is_replaced_before_use(
    blank_settings: Settings,
) -> None:
    db = Database(blank_settings.resolved_database_url, pool_size=1, max_overflow=0, idle_ping_s=0)
    try:
        first = await _backend_pid(db)
        await _terminate(blank_settings, first)
        # Idle past the (zero) threshold: pinged, found dead, replaced; the caller sees nothing.
        assert await _backend_pid(db) != first
    finally:
        await db.dispose()


async def test_a_connection_just_returned_is_used_without_a_ping(
    blank_settings: Settings,
) -> None:
    """The other side of the trade: within the window, a connection the server closed fails
    its first use (as a request in flight would), and the pool replaces it for the next."""
    db = Database(
        blank_settings.resolved_database_url, pool_size=1, max_overflow=0, idle_ping_s=3600
    )
    try:
        first = await _backend_pid(db)
        await _terminate(blank_settings, first)
        with pytest.raises(DBAPIError):
            await _backend_pid(db)
        assert await _backend_pid(db) != first
    finally:
        await db.dispose()

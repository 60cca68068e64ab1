"""A pause reaches every process: two app instances on one database. Without Redis the other
process reads the table once its refresh window (``ECE_PAUSE_REFRESH_S``) has passed on the
clock; with Redis it is told at once. The process that pauses refuses at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from ece.config import Settings
from ece.core.clock import clock
from tests.builders import api_client, cluster_platform, make_admin, served, sign_in
from tests.controls.support import pause, resume

WINDOW = timedelta(seconds=0.5)  # the default refresh


@dataclass
class Two:
    app_a: FastAPI
    a: httpx.AsyncClient
    b: httpx.AsyncClient


@asynccontextmanager
async def two_processes(blank: Settings, **changes: object) -> AsyncIterator[Two]:
    """Clients of two app instances on one database and one (served) chain."""
    async with (
        cluster_platform(blank, **changes) as cluster,
        served(cluster.settings) as app_a,
        served(cluster.settings) as app_b,
        api_client(app_a) as a,
        api_client(app_b) as b,
    ):
        yield Two(app_a, a, b)


async def buy(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    """A buy of a listing that does not exist: 404 while trading runs, 503 while paused (the
    guard answers before anything is looked up)."""
    return (await client.post("/api/v1/listings/none/buy", headers=headers)).status_code


async def test_a_pause_reaches_the_other_process_within_its_refresh_window(
    blank_settings: Settings,
) -> None:
    async with two_processes(blank_settings, redis_url=None) as two:
        a, b = two.a, two.b
        admin = await make_admin(a, two.app_a)
        user = await sign_in(b)
        clock.freeze()
        assert await buy(b, user.headers) == 404  # b has read the pauses: none

        await pause(a, admin, "trading", "incident")
        assert await buy(a, user.headers) == 503  # at once where it was paused
        assert await buy(b, user.headers) == 404  # b's copy is still fresh
        clock.advance(WINDOW)
        assert await buy(b, user.headers) == 503

        assert (await resume(a, admin, "trading")).status_code == 200
        assert await buy(a, user.headers) == 404
        assert await buy(b, user.headers) == 503
        clock.advance(WINDOW)
        assert await buy(b, user.headers) == 404


@pytest.mark.redis
async def test_with_redis_the_other_process_is_told_at_once(blank_settings: Settings) -> None:
    assert blank_settings.redis_url
    async with two_processes(blank_settings) as two:
        a, b = two.a, two.b
        admin = await make_admin(a, two.app_a)
        user = await sign_in(b)
        clock.freeze()  # the refresh window never passes: only the announcement can tell b
        assert await buy(b, user.headers) == 404
        await pause(a, admin, "trading", "incident")
        for _ in range(200):  # the announcement arrives in milliseconds; give it up to 2 s
            if await buy(b, user.headers) == 503:
                break
            await asyncio.sleep(0.01)
        assert await buy(b, user.headers) == 503

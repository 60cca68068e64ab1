"""Composition: the FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from ece import __version__
from ece.auth.deps import caller_key, presented_token
from ece.auth.router import router as auth_router
from ece.cards.router import gateway as ipfs_gateway
from ece.cards.router import router as cards_router
from ece.chain.router import router as rpc_router
from ece.chain.setup import build_chain, build_platform
from ece.config import Settings
from ece.core.db import Database
from ece.core.errors import install_error_handlers
from ece.core.logging import configure_logging
from ece.core.middleware import RequestContextMiddleware, RequestGuardMiddleware
from ece.core.openapi import install_openapi
from ece.core.pagecache import ChangeFeed, PageCache, PageCacheMiddleware
from ece.core.ratelimit import RateLimiter, rate_limit
from ece.health.router import router as health_router
from ece.ledger.router import router as ledger_router
from ece.ledger.service import AccountIdCache
from ece.market.router import router as market_router
from ece.market.service import LISTINGS_CHANNEL
from ece.marketdata.router import router as marketdata_router
from ece.payments.router import router as payments_router
from ece.platform_init import check_on_start
from ece.trades.router import router as trades_router
from ece.web.router import router as web_router
from ece.web.templating import STATIC_DIR
from ece.worker import runner

DESCRIPTION = """
ECE is a marketplace for company cards: unique NFTs on Solana. Trading settles instantly on an
internal double-entry ledger; deposits and withdrawals are real Solana transactions.

Errors are RFC 9457 `application/problem+json` documents with a stable `code`. Lists use cursor
pagination (`limit`, `cursor` → `next_cursor`). Value-moving POSTs accept `Idempotency-Key`.
"""


async def startup(app: FastAPI) -> None:
    """Work that needs the event loop before serving: refuse keys or a chain the database did
    not pin. A start never sets a chain up: only ``ece init`` does."""
    state: Any = app.state
    if not state.started:
        await check_on_start(state.settings, state.db, state.platform, state.chain)
        if state.listing_feed is not None:
            await state.listing_feed.start()
        state.started = True


async def shutdown(app: FastAPI) -> None:
    state: Any = app.state
    if state.listing_feed is not None:
        await state.listing_feed.stop()
    await state.db.dispose()
    if state.redis is not None:
        await state.redis.aclose()
    closed = state.chain.close()
    if inspect.isawaitable(closed):
        await closed


def create_app(settings: Settings | None = None, *, run_workers: bool | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    settings.refuse_unsafe_production()  # again: settings built with model_copy skip validation
    # Before anything opens the database: the keys and the embedded chain state come from
    # ``ece init`` (or a backup), never from a start that found them missing. Opening the
    # embedded chain takes its process lock, held until shutdown.
    platform = build_platform(settings)
    chain = build_chain(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    workers_on = settings.run_workers if run_workers is None else run_workers

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await startup(app)
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run_forever(app.state, stop)) if workers_on else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task
            await shutdown(app)

    app = FastAPI(
        title="ECE — Elite Card Exchange",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    state: Any = app.state
    state.settings = settings
    # One account-id cache per database (its pool), owned here with it: a new app, a new cache.
    state.account_ids = AccountIdCache()
    state.db = Database(
        settings.resolved_database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        session_info=state.account_ids.session_info(),
    )
    state.redis = aioredis.from_url(settings.redis_url) if settings.redis_url else None
    state.rate_limiter = RateLimiter(settings.redis_url, enabled=settings.rate_limit_enabled)
    state.caller_key = caller_key
    # What a listing page shows changes only through the tables migration 0008 watches.
    state.listing_feed = (
        ChangeFeed(state.db.libpq_url, LISTINGS_CHANNEL)
        if not state.db.is_sqlite and settings.listing_cache_seconds
        else None
    )
    state.listing_pages = PageCache(
        "listings",
        state.listing_feed,
        max_age_seconds=settings.listing_cache_seconds,
        max_bytes=settings.listing_cache_bytes,
    )
    state.chain = chain
    state.platform = platform
    state.started = False

    install_error_handlers(app)
    install_openapi(app)
    # Every API route gets the default per-caller limit; some add a stricter one of their own.
    default_limit = rate_limit("rate_limit_default")
    app.add_middleware(
        PageCacheMiddleware,
        pages={"/api/v1/listings": state.listing_pages},
        anonymous=lambda request: presented_token(request)[0] is None,
        admit=default_limit,
    )
    app.add_middleware(RequestGuardMiddleware, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-CSRF-Token"],
        )
    app.add_middleware(RequestContextMiddleware, hsts=settings.is_production)
    app.include_router(health_router)
    if settings.embedded_chain:
        app.include_router(rpc_router)
    for api_router in (
        auth_router,
        ledger_router,
        cards_router,
        payments_router,
        market_router,
        trades_router,
        marketdata_router,
    ):
        app.include_router(api_router, dependencies=[Depends(default_limit)])
    app.include_router(ipfs_gateway)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(web_router)
    return app

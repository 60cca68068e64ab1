"""Composition: the FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from ece import __version__
from ece.auctions.router import router as auctions_router
from ece.audit.router import router as audit_router
from ece.auth.deps import caller_key, presented_token
from ece.auth.router import router as auth_router
from ece.battles.router import router as battles_router
from ece.cards.router import gateway as ipfs_gateway
from ece.cards.router import router as cards_router
from ece.chain.embedded.router import router as rpc_router
from ece.compliance.router import router as compliance_router
from ece.config import Settings
from ece.controls.router import router as controls_router
from ece.core import tracing
from ece.core.errors import install_error_handlers
from ece.core.logging import configure_logging
from ece.core.middleware import (
    RequestContextMiddleware,
    RequestGuardMiddleware,
    SplitCorsMiddleware,
)
from ece.core.openapi import install_openapi
from ece.core.pagecache import PageCacheMiddleware
from ece.health.router import router as health_router
from ece.ledger.router import router as ledger_router
from ece.market import middleware as closed_buys
from ece.market.router import router as market_router
from ece.market.service import LISTINGS_CHANNEL
from ece.marketdata.router import router as marketdata_router
from ece.notifications.router import router as notifications_router
from ece.payments.router import pay_router
from ece.payments.router import router as payments_router
from ece.platform_init import check_on_start
from ece.portfolio.router import router as portfolio_router
from ece.privacy.router import router as privacy_router
from ece.realtime.router import router as realtime_router
from ece.runtime.deps import app_services, attach_services, rate_limit
from ece.runtime.heap import freeze_startup_heap
from ece.runtime.services import Services, build_services
from ece.trades.router import router as trades_router
from ece.treasury.router import router as treasury_router
from ece.web.router import router as web_router
from ece.web.templating import STATIC_DIR
from ece.worker.main import run_jobs

DESCRIPTION = """
ECE is a marketplace for company cards: unique NFTs on Solana. Trading settles instantly on an
internal double-entry ledger; deposits and withdrawals are real Solana transactions.

Errors are RFC 9457 `application/problem+json` documents with a stable `code`. Lists use cursor
pagination (`limit`, `cursor` → `next_cursor`). Value-moving POSTs accept `Idempotency-Key`.

Rules the schemas cannot state field by field: no string anywhere (path, query, header, JSON
body) may hold a NUL character or a lone UTF-16 surrogate (422 `invalid_input`); JSON nests at
most 64 levels (422 `json_too_deep`). A well-formed value can still be refused for what it
means (a cursor this server never issued: 422 `invalid_cursor`); such rules are written in the
field's description.
"""

# The per-caller rate limit a route and the listing page cache both apply.
Limit = Callable[[Request, Response], Awaitable[None]]


async def startup(app: FastAPI) -> None:
    """Work that needs the event loop before serving: refuse keys or a chain the database did
    not pin. A start never sets a chain up: only ``ece init`` does."""
    services = app_services(app)
    if not services.started:
        await check_on_start(services.settings, services.db, services.platform, services.chain)
        await services.start()
        services.started = True
    freeze_startup_heap()


async def shutdown(app: FastAPI) -> None:
    services = app_services(app)
    closed_buys.close(services.db)
    await services.close()


def create_app(settings: Settings | None = None, *, run_workers: bool | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    settings.refuse_unsafe_production()  # again: settings built with model_copy skip validation
    tracing.install()  # before the database engine exists, so its statements are traced
    # Before anything opens the database: the keys and the embedded chain state come from
    # ``ece init`` (or a backup), never from a start that found them missing. Opening the
    # embedded chain takes its process lock, held until shutdown.
    services = build_services(settings, caller_key=caller_key, listings_channel=LISTINGS_CHANNEL)
    workers_on = settings.run_workers if run_workers is None else run_workers
    app = FastAPI(
        title="ECE — Elite Card Exchange",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan(run_workers=workers_on),
        # /docs is served by the web router from our own origin (the CSP allows nothing else).
        docs_url=None,
        redoc_url=None,
        # operationId = the route function's name (`buy_listing`, not
        # `buy_listing_api_v1_listings__listing_id__buy_post`): what generated clients call.
        generate_unique_id_function=_operation_id,
    )
    attach_services(app, services)
    install_error_handlers(app)
    install_openapi(app)
    # Every API route gets the default per-caller limit; some add a stricter one of their own.
    default_limit = rate_limit("rate_limit_default")
    _add_middleware(app, services, default_limit)
    _include_routers(app, settings, default_limit)
    tracing.instrument_app(app)
    return app


def _lifespan(*, run_workers: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await startup(app)
        stop = asyncio.Event()
        task = asyncio.create_task(run_jobs(app_services(app), stop)) if run_workers else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task
            await shutdown(app)

    return lifespan


def _operation_id(route: APIRoute) -> str:
    return route.name


def _add_middleware(app: FastAPI, services: Services, default_limit: Limit) -> None:
    """Outermost last: request context, then CORS, the body guard, the page cache and the
    refusal of buys of listings known closed (both answer before routing)."""
    settings = services.settings
    app.add_middleware(closed_buys.ClosedListingBuys, services=services)
    app.add_middleware(
        PageCacheMiddleware,
        pages={"/api/v1/listings": services.listing_pages},
        anonymous=lambda request: presented_token(request)[0] is None,
        admit=default_limit,
    )
    app.add_middleware(RequestGuardMiddleware, max_body_bytes=settings.max_body_bytes)
    api_cors = (
        {
            "allow_origins": settings.cors_origins,
            "allow_credentials": True,
            "allow_methods": ["GET", "POST", "PATCH", "PUT", "DELETE"],
            "allow_headers": ["Authorization", "Content-Type", "Idempotency-Key", "X-CSRF-Token"],
        }
        if settings.cors_origins
        else None
    )
    # The embedded chain's /rpc is public, like a cluster's: its own origins, no credentials.
    # Solana Pay links (/pay/) answer any origin, without credentials.
    rpc_origins = settings.rpc_cors_allowed if settings.embedded_chain else []
    app.add_middleware(SplitCorsMiddleware, api=api_cors, rpc_origins=rpc_origins)
    app.add_middleware(RequestContextMiddleware, hsts=settings.is_deployed)


def _include_routers(app: FastAPI, settings: Settings, default_limit: Limit) -> None:
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
        auctions_router,
        battles_router,
        treasury_router,
        marketdata_router,
        compliance_router,
        controls_router,
        audit_router,
        notifications_router,
        portfolio_router,
        privacy_router,
    ):
        app.include_router(api_router, dependencies=[Depends(default_limit)])
    app.include_router(pay_router, dependencies=[Depends(default_limit)])
    app.include_router(ipfs_gateway)
    app.include_router(realtime_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(web_router)

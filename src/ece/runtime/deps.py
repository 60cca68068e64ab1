"""Every FastAPI dependency that hands a route a part of ``Services``: the one module that reads
``app.state``. Also the per-caller rate limits, which need the limiter and the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from limits import RateLimitItem, parse
from sqlalchemy.ext.asyncio import AsyncSession

from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.config import Settings
from ece.core.db import Database
from ece.core.errors import RateLimited
from ece.core.ratelimit import RateLimiter, client_address
from ece.runtime.services import Services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set (true) on a dependency whose route does all its work in the request's one transaction
# (the in-work Idempotency-Key claim): on SQLite such a route takes the writer gate.
ONE_TRANSACTION = "ece_one_transaction"


def attach_services(app: FastAPI, services: Services) -> None:
    app.state.services = services


def app_services(app: FastAPI) -> Services:
    """The services ``create_app`` built for ``app``."""
    services: Services = app.state.services
    return services


def services_of(request: Request) -> Services:
    return app_services(request.app)


# FastAPI runs a plain ``def`` dependency in its thread pool: the dependencies are ``async``.
async def get_services(request: Request) -> Services:
    return services_of(request)


async def get_settings(request: Request) -> Settings:
    return services_of(request).settings


async def get_db(request: Request) -> Database:
    return services_of(request).db


async def get_chain(request: Request) -> Chain:
    return services_of(request).chain


async def get_platform(request: Request) -> Platform:
    return services_of(request).platform


def get_session(request: Request) -> AsyncSession:
    """The request's one session (``UnitOfWorkRoute`` commits or rolls it back)."""
    session: AsyncSession | None = getattr(request.state, "session", None)
    if session is None:
        session = services_of(request).db.session(write=request.method not in SAFE_METHODS)
        request.state.session = session
    return session


async def _session_dependency(request: Request) -> AsyncSession:
    return get_session(request)


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Db = Annotated[Database, Depends(get_db)]
ChainDep = Annotated[Chain, Depends(get_chain)]
PlatformDep = Annotated[Platform, Depends(get_platform)]
Session = Annotated[AsyncSession, Depends(_session_dependency)]


@lru_cache(maxsize=64)
def _parse(limit: str) -> RateLimitItem:
    return parse(limit)


async def _caller(request: Request, services: Services) -> str:
    if services.caller_key is not None:
        return await services.caller_key(request)
    return "ip:" + client_address(request, services.settings.trusted_proxy_networks)


def _limit_headers(item: RateLimitItem, remaining: int, reset_in: int) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(item.amount),
        "RateLimit-Remaining": str(max(remaining, 0)),
        "RateLimit-Reset": str(reset_in),
    }


def rate_limit(setting: str, *, scope: str | None = None) -> Callable[..., Awaitable[None]]:
    """A dependency limiting each caller on one route (or ``scope``) to the limit held in the
    settings attribute ``setting`` (e.g. ``rate_limit_auth`` = "30/minute")."""

    async def dependency(request: Request, response: Response) -> None:
        services = services_of(request)
        if not services.rate_limiter.enabled:
            return
        caller = await _caller(request, services)
        route = scope or str(getattr(request.scope.get("route"), "path", request.url.path))
        response.headers.update(await admit(services, setting, route, caller))

    return dependency


async def admit(services: Services, setting: str, route: str, caller: str) -> dict[str, str]:
    """Count one call of ``caller`` on ``route`` (a route template or a shared scope) against
    the limit in the settings attribute ``setting``: the RateLimit headers to send, or
    ``RateLimited`` when it does not fit (nothing when limits are off)."""
    limiter: RateLimiter = services.rate_limiter
    if not limiter.enabled:
        return {}
    item = _parse(getattr(services.settings, setting))
    allowed, remaining, reset_in = await limiter.hit(item, f"{setting}:{route}", caller)
    headers = _limit_headers(item, remaining, reset_in)
    if not allowed:
        raise RateLimited(
            "Too many requests; retry later.",
            headers={**headers, "Retry-After": str(max(reset_in, 1))},
        )
    return headers


# Listings, buys, sweeps, offers, auctions and bids share one per-caller order limit: a caller
# cannot multiply it by spreading orders over the routes that place them.
MARKET_ORDER_LIMIT = [Depends(rate_limit("rate_limit_orders", scope="market_orders"))]


async def charge(request: Request, setting: str, scope: str, cost: int) -> None:
    """Count ``cost`` calls of one request (e.g. a JSON-RPC batch) against the caller's limit in
    ``setting``; raises ``RateLimited`` when they do not fit, before anything runs."""
    services = services_of(request)
    limiter = services.rate_limiter
    if not limiter.enabled:
        return
    item = _parse(getattr(services.settings, setting))
    caller = await _caller(request, services)
    allowed, remaining, reset_in = await limiter.hit(item, f"{setting}:{scope}", caller, cost=cost)
    if not allowed:
        raise RateLimited(
            "Too many requests; retry later.",
            headers={
                **_limit_headers(item, remaining, reset_in),
                "Retry-After": str(max(reset_in, 1)),
            },
        )

"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ece.core import outbox
from ece.core.errors import Unauthorized
from ece.core.metrics import REGISTRY
from ece.runtime.deps import services_of

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency is unreachable"}})
async def readyz(request: Request) -> JSONResponse:
    """Database, Redis (when configured) and the chain are reachable."""
    checks: dict[str, Any] = {}
    services = services_of(request)
    try:
        await services.db.ping()
        checks["database"] = "ok"
        async with services.db.unit_of_work(write=False) as session:
            lag_seconds, waiting = await outbox.lag(session)
        # Informational: a relay behind delays notifications, it does not make the API unready.
        relay = {"lag_seconds": round(lag_seconds, 3), "undelivered": waiting}
    except Exception as exc:  # readiness reports any failure instead of raising it
        checks["database"] = f"error: {type(exc).__name__}"
    if services.redis is not None:
        try:
            await services.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    try:
        await services.chain.get_latest_blockhash()
        checks["chain"] = "ok"
    except Exception as exc:
        checks["chain"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "checks": checks}
    if checks["database"] == "ok":
        body["outbox_relay"] = relay
    # A reconciliation mismatch needs an operator, not a restart: a warning, still ready.
    if services.reconciliation_warnings:
        body["warnings"] = services.reconciliation_warnings
    return JSONResponse(body, 200 if ok else 503)


def _check_metrics_token(request: Request) -> None:
    """With ``ECE_METRICS_TOKEN`` set (always in production), only its bearer reads metrics."""
    settings = services_of(request).settings
    if settings.metrics_token is None:
        return
    expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()
    presented = request.headers.get("authorization", "").encode()
    if not hmac.compare_digest(presented, expected):
        raise Unauthorized(
            "Metrics need the ECE_METRICS_TOKEN bearer token.",
            code="metrics_token_required",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )


@router.get(
    "/metrics",
    response_class=Response,
    responses={401: {"description": "ECE_METRICS_TOKEN is set and was not presented"}},
)
async def metrics(request: Request) -> Response:
    """Prometheus metrics; with ``ECE_METRICS_TOKEN`` set, send it as a Bearer token."""
    _check_metrics_token(request)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

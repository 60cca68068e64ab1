"""Domain errors and their single rendering as RFC 9457 ``application/problem+json``.

Services raise a ``DomainError`` subclass; one handler turns it into a problem document with a
stable snake_case ``code``. Nothing else writes error bodies by hand.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from ece.core.logging import request_id_var
from ece.core.messages import plain_detail

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://ece.example/problems/"

log = structlog.get_logger("ece.errors")


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.detail = detail or HTTPStatus(self.status).phrase
        self.instance_code = code or self.code
        self.headers = dict(headers or {})
        self.extra = extra
        super().__init__(self.detail)


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class PaymentRequired(DomainError):
    status = 402
    code = "payment_required"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Gone(DomainError):
    status = 410
    code = "gone"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class Unprocessable(DomainError):
    status = 422
    code = "invalid_request"


class InsufficientFunds(DomainError):
    status = 409
    code = "insufficient_funds"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"


class InvalidParam(BaseModel):
    name: str
    reason: str


class Problem(BaseModel):
    """The error body every endpoint returns (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable, snake_case machine-readable error code")
    instance: str | None = None
    request_id: str | None = None
    invalid_params: list[InvalidParam] | None = None
    scope: str | None = Field(
        default=None, description="503 ``paused`` only: the paused scope that refused the action"
    )


def problem_body(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    invalid_params: Sequence[Mapping[str, str]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": plain_detail(code, detail, extra),
        "code": code,
        "instance": instance,
        "request_id": request_id_var.get(),
    }
    if invalid_params is not None:
        body["invalid_params"] = list(invalid_params)
    if extra:
        body.update(extra)
    return body


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    invalid_params: Sequence[Mapping[str, str]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(
            status,
            code,
            detail,
            instance=instance,
            invalid_params=invalid_params,
            extra=extra,
        ),
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_JSON,
    )


def render_domain_error(exc: DomainError, instance: str | None = None) -> JSONResponse:
    return problem_response(
        exc.status,
        exc.instance_code,
        exc.detail,
        instance=instance,
        headers=exc.headers,
        extra=exc.extra,
    )


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


# What FastAPI answers (400) when a body cannot even be decoded (not UTF-8, a broken form).
_UNPARSABLE_BODY = "There was an error parsing the body"


def _not_json(instance: str) -> JSONResponse:
    return problem_response(
        422,
        "validation_error",
        "The request body is not valid JSON.",
        instance=instance,
        invalid_params=[{"name": "body", "reason": "not valid JSON"}],
    )


# Per app: path template → (its regex, the methods served there), built on first use.
_METHOD_TABLES: weakref.WeakKeyDictionary[Any, dict[str, tuple[re.Pattern[str], set[str]]]] = (
    weakref.WeakKeyDictionary()
)


def allowed_methods(request: Request) -> list[str]:
    """Every method the API serves at this path, with OPTIONS; empty when no route has it.

    Starlette's own 405 names only the first route that matched. Where templates overlap
    (``/cards/batch`` and ``/cards/{card_id}``), the most literal one is the resource named.
    """
    table = _METHOD_TABLES.get(request.app)
    if table is None:
        table = {}
        for route in iter_route_contexts(request.app.routes):
            if route.path and route.methods:
                entry = table.setdefault(route.path, (compile_path(route.path)[0], set()))
                entry[1].update(route.methods)
        _METHOD_TABLES[request.app] = table
    path = request.scope.get("path", "")
    matching = [template for template, (regex, _) in table.items() if regex.match(path)]
    if not matching:
        return []
    template = min(matching, key=lambda t: (t.count("{"), t))
    return sorted(table[template][1] | {"OPTIONS"})


def _method_not_allowed(request: Request, exc: StarletteHTTPException) -> Response:
    allowed = allowed_methods(request)
    if not allowed:
        return problem_response(
            405,
            "method_not_allowed",
            str(exc.detail),
            instance=request.url.path,
            headers=exc.headers,
        )
    allow = {"Allow": ", ".join(allowed)}
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=allow)
    return problem_response(
        405,
        "method_not_allowed",
        f"{request.method} is not served here; this path takes {', '.join(allowed)}.",
        instance=request.url.path,
        headers=allow,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        return render_domain_error(exc, request.url.path)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            # The body is not JSON at all: say so, not "invalid fields: 0" (a byte offset).
            return _not_json(request.url.path)
        params = [
            {"name": _field_name(err.get("loc", ())), "reason": str(err.get("msg", "invalid"))}
            for err in errors
        ]
        return problem_response(
            422,
            "validation_error",
            "The request has invalid fields: " + ", ".join(p["name"] for p in params),
            instance=request.url.path,
            invalid_params=params,
        )

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
            # Undecodable bytes are a bad body like any other: 422, as documented.
            return _not_json(request.url.path)
        if exc.status_code == 405:
            return _method_not_allowed(request, exc)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return problem_response(
            exc.status_code,
            code,
            str(exc.detail),
            instance=request.url.path,
            headers=exc.headers,
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(
            500, "internal_error", "An unexpected error occurred.", instance=request.url.path
        )

    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the problem body for the given statuses."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {}},
        }
        for status in statuses
    }

"""Pure ASGI middleware: request id, access metrics, security headers, and the guard that
refuses oversized, too deeply nested or unstorable input before anything parses it."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import structlog
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ece.core.errors import problem_response
from ece.core.logging import request_fields_var, request_id_var
from ece.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# The web pages load scripts and styles only from ourselves; the API never renders HTML.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class RequestContextMiddleware:
    """Assigns the request id, records metrics by route template, writes one access log line
    per request (method, route template, status, duration, request id), adds security headers."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts
        self.access_log = structlog.get_logger("ece.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        fields_token = request_fields_var.set({})
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"x-frame-options", b"DENY"))
                headers.append((b"referrer-policy", b"same-origin"))
                if self.hsts:
                    headers.append(
                        (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
                    )
                content_type = next((v for k, v in headers if k == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "GET")
            status = status_holder["status"]
            elapsed = time.perf_counter() - started
            HTTP_REQUESTS.labels(method, template, str(status)).inc()
            HTTP_LATENCY.labels(method, template).observe(elapsed)
            self.access_log.info(
                "http_request",
                method=method,
                route=template,
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )
            request_fields_var.reset(fields_token)
            request_id_var.reset(token)


# JSON deeper than this is refused before any parser sees it: Python's json module recurses
# once per level and a few thousand levels raise RecursionError. Real bodies nest < 10 deep.
MAX_JSON_DEPTH = 64
# A string, or an unterminated one running to the end: every match succeeds where it starts,
# so a body of unbalanced quotes and escapes is scanned once (no quadratic retries).
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENERS = frozenset(b"[{")
# Only a body with a \u0000 or \uD800-\uDFFF escape can decode to a NUL or a lone surrogate.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def json_depth(body: bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """The deepest nesting of arrays and objects in ``body`` (brackets inside strings do not
    count), or the first depth over ``limit``: linear, never recursive, exact for valid JSON."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return 0  # too few brackets to go deeper than the limit
    depth = deepest = 0
    for bracket in _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        if bracket in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def _unstorable(text: str) -> bool:
    """PostgreSQL text cannot hold NUL, and UTF-8 (every database) cannot hold a lone surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_has_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return _unstorable(value)
    if isinstance(value, list):
        return any(_json_has_unstorable(v) for v in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _json_has_unstorable(v) for k, v in value.items())
    return False


def body_has_unstorable_text(body: bytes) -> bool:
    """Whether a JSON body carries a string no database column can store (call after the depth
    check: parsing is recursive). Bodies that are not JSON are left to the endpoint."""
    if not _SUSPECT_ESCAPE.search(body):
        return False
    try:
        return _json_has_unstorable(json.loads(body))
    except ValueError:
        return False


class RequestGuardMiddleware:
    """Refuses, before routing and parsing, what would otherwise reach a parser or the database
    as a 500: bodies over the size limit (413), JSON nested too deep, and NUL characters (or
    lone surrogates) in the path, the query string, a header or a JSON body (422)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refuse_head(scope)
        if refusal is None:
            body, refusal = await self._read_body(scope, receive)
        if refusal is None and body is not None:
            refusal = self._refuse_body(body)
        if refusal is not None:
            await problem_response(*refusal, instance=scope.get("path"))(scope, receive, send)
            return
        await self.app(scope, replay_body(body, receive) if body is not None else receive, send)

    def _refuse_head(self, scope: Scope) -> tuple[int, str, str] | None:
        query: bytes = scope.get("query_string", b"")
        if "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query:
            return 422, "invalid_input", "The URL contains a NUL character."
        for name, value in scope["headers"]:
            if b"\x00" in value:
                return 422, "invalid_input", "A header contains a NUL character."
            if name == b"content-length":
                if not value.isdigit():
                    return 400, "bad_request", "Content-Length is not a number."
                if int(value) > self.max_body_bytes:
                    return self._too_large()
        return None

    def _too_large(self) -> tuple[int, str, str]:
        return 413, "payload_too_large", f"The body is over {self.max_body_bytes} bytes."

    async def _read_body(
        self, scope: Scope, receive: Receive
    ) -> tuple[bytes | None, tuple[int, str, str] | None]:
        """The whole body (at most the limit; bodies without Content-Length are counted as they
        stream), or None when the client went away."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None, self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None

    @staticmethod
    def _refuse_body(body: bytes) -> tuple[int, str, str] | None:
        if json_depth(body) > MAX_JSON_DEPTH:
            return 422, "json_too_deep", f"JSON may nest at most {MAX_JSON_DEPTH} levels."
        if body_has_unstorable_text(body):
            return 422, "invalid_input", "The body contains a NUL character or a lone surrogate."
        return None


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then waits on the client."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SplitCorsMiddleware:
    """CORS with three policies: the API's (``api``: CORSMiddleware options, or None for no
    CORS); the public JSON-RPC endpoint's (``rpc_origins``: any page of these origins may POST
    to ``rpc_path``, without credentials, with whatever headers a Solana client sends); and the
    Solana Pay transaction-request links' under ``pay_prefix`` (any origin may GET and POST, no
    credentials: a wallet calls them from wherever it runs, and the link is the credential)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        api: dict[str, Any] | None,
        rpc_origins: list[str],
        rpc_path: str = "/rpc",
        pay_prefix: str = "/pay/",
    ) -> None:
        self._rpc_path = rpc_path
        self._pay_prefix = pay_prefix
        self._api: ASGIApp = CORSMiddleware(app, **api) if api else app
        self._rpc: ASGIApp = (
            CORSMiddleware(
                app,
                allow_origins=rpc_origins,
                allow_methods=["POST"],
                allow_headers=["*"],
                allow_credentials=False,
                max_age=86400,
            )
            if rpc_origins
            else app
        )
        self._pay: ASGIApp = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            allow_credentials=False,
            max_age=86400,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self._rpc_path:
            await self._rpc(scope, receive, send)
        elif scope["type"] == "http" and scope["path"].startswith(self._pay_prefix):
            await self._pay(scope, receive, send)
        else:
            await self._api(scope, receive, send)

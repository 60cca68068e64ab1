"""A drop's losers answered before routing.

When hundreds of buyers press "buy" on the same listings in the same second, all but one per
listing must hear 409 ``listing_unavailable``. Once this process knows a public listing is
closed (``ece.market.closed``), ``ClosedListingBuys`` answers a buy of it as a raw ASGI layer,
like the page cache answers a browse: no routing, no FastAPI dependencies, no ORM session;
one read (``ece.auth.session_check``) says the caller is signed in by
a live session and their ``Idempotency-Key``, if sent, was never used.

It answers only where the full path would answer the same 409, and leaves everything else to
it (which then answers as it always did):

- no bearer token, a cookie session (its CSRF check), an API key (its scopes), a token that is
  unknown, revoked or expired: the full path's 401 or 403;
- an ``Idempotency-Key`` that has a record under the caller (the winner's replay gets its
  stored 201, a reused key its 422, a running duplicate waits), or that is malformed;
- a body the route would refuse (422), or one that is not JSON;
- a listing not known closed, and private listings, which ``closed`` never keeps.

The 409 is not stored under the key (the full path stores only successes: a refused buy
releases its key, so a retry with it is a fresh request there too). The per-caller rate limits
and the trading pause apply as on the route.
"""

from __future__ import annotations

import re

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ece.auth.deps import presented_token
from ece.auth.service import SessionCheck
from ece.controls.service import Scope as PauseScope
from ece.core import idempotency
from ece.core.db import Database, PerDatabase
from ece.core.errors import DomainError, render_domain_error
from ece.core.logging import note_user
from ece.core.middleware import replay_body
from ece.market import closed, rules
from ece.market.schemas import BuyIn
from ece.runtime.deps import admit
from ece.runtime.services import Services

ROUTE = "/api/v1/listings/{listing_id}/buy"
_BUY = re.compile(r"/api/v1/listings/([^/]+)/buy")
session_check = PerDatabase(SessionCheck)
"""The caller check for a database (one per database, made on first use)."""


def close(db: Database) -> None:
    """Let go of ``db``'s caller check (at shutdown)."""
    check = session_check.pop(db)
    if check is not None:
        check.close()


def closed_listing_bought(path: str) -> str | None:
    """The listing id if ``path`` buys a listing known closed, else None (memory only)."""
    match = _BUY.fullmatch(path)
    return match[1] if match is not None and closed.known(match[1]) else None


def _well_formed_key(key: str) -> bool:
    return 1 <= len(key) <= 255 and key.isprintable()


def _plain_buy(request: Request, body: bytes) -> bool:
    """Whether the route would accept ``body`` (none, or a JSON ``BuyIn``)."""
    if not body:
        return True
    content_type = request.headers.get("content-type", "application/json")
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        return False
    try:
        BuyIn.model_validate_json(body)
    except ValidationError:
        return False
    return True


async def refusal(services: Services, request: Request, body: bytes) -> Response | None:
    """409 ``listing_unavailable`` for a buy of a listing known closed, from one read, or None
    to leave the request to the full path (see the module text for when). The route's rate
    limits (429) and the trading pause (503) answer first, as they would there."""
    token, from_cookie = presented_token(request)
    if token is None or from_cookie:
        return None
    key = request.headers.get(idempotency.HEADER)
    if key is not None and not _well_formed_key(key):
        return None
    if not _plain_buy(request, body):
        return None
    user_id = await session_check(services.db).user_with_fresh_key(token, key)
    if user_id is None:
        return None
    note_user(user_id)
    path = request.url.path
    caller = "u:" + user_id
    try:
        headers = await admit(services, "rate_limit_default", ROUTE, caller)
        headers.update(await admit(services, "rate_limit_orders", "market_orders", caller))
        await services.pauses.refuse_if_paused(PauseScope.trading)
    except DomainError as exc:
        return render_domain_error(exc, path)
    response = render_domain_error(rules.unavailable(), path)
    response.headers.update(headers)
    return response


class _Route:
    """What the metrics middleware reads of a route: its template."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class ClosedListingBuys:
    """The ASGI layer: a ``POST`` to the buy URL of a listing known closed gets ``refusal``'s
    answer before routing; any other request, or one it leaves, goes on unchanged."""

    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or closed_listing_bought(scope["path"]) is None
        ):
            await self.app(scope, receive, send)
            return
        body = await _whole_body(receive)
        if body is None:
            return  # the client went away
        replay = replay_body(body, receive)
        answer = await refusal(self.services, Request(scope), body)
        if answer is None:
            await self.app(scope, replay, send)
            return
        scope["route"] = _Route(ROUTE)
        await answer(scope, replay, send)


async def _whole_body(receive: Receive) -> bytes | None:
    """The request body (the size guard outside has bounded it), or None on a disconnect."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)

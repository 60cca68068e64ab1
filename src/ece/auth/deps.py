"""Who is calling: bearer token or session cookie, roles, and the per-user idempotency claim."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ece.auth import service
from ece.auth.models import Credential, Role, User
from ece.config import Settings
from ece.core import idempotency
from ece.core.errors import Forbidden, Unauthorized
from ece.core.routing import SAFE_METHODS, Session, get_session

SESSION_COOKIE = "ece_session"
CSRF_COOKIE = "ece_csrf"
CSRF_HEADER = "X-CSRF-Token"

bearer = HTTPBearer(auto_error=False, description="Session token or developer API key")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def presented_token(request: Request) -> tuple[str | None, bool]:
    """The caller's secret and whether it came from the cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


async def caller_key(request: Request) -> str:
    """Rate-limit identity: the credential's hash, or the client address when anonymous."""
    token, _ = presented_token(request)
    if token:
        return "c:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    return "ip:" + (request.client.host if request.client else "unknown")


async def current_principal(
    request: Request,
    session: Session,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> tuple[User, Credential]:
    cached: tuple[User, Credential] | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    token, from_cookie = presented_token(request)
    if token is None:
        raise Unauthorized("Sign in first.", code="not_authenticated")
    principal = await service.authenticate(session, token)
    if from_cookie and request.method not in SAFE_METHODS:
        # Double-submit check: a cross-site form cannot read our cookie to copy it into a header.
        sent = request.headers.get(CSRF_HEADER, "")
        expected = request.cookies.get(CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(sent, expected):
            raise Forbidden("Missing or wrong CSRF token.", code="csrf_failed")
    request.state.principal = principal
    return principal


Principal = Annotated[tuple[User, Credential], Depends(current_principal)]


async def current_user(principal: Principal) -> User:
    return principal[0]


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    async def dependency(user: CurrentUser) -> User:
        if not user.has_role(*roles):
            raise Forbidden(
                "This needs the role " + " or ".join(r.value for r in roles) + ".",
                code="forbidden",
            )
        return user

    return dependency


AdminUser = Annotated[User, Depends(require_role(Role.admin))]


async def idempotency_claim(
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    _key: Annotated[
        str | None,
        Header(
            alias=idempotency.HEADER,
            min_length=1,
            max_length=255,
            description="Same key and body within 24 h returns the first answer again",
        ),
    ] = None,
) -> idempotency.IdempotencyClaim | None:
    """Opt-in for value-moving POSTs: the ``Idempotency-Key`` scoped to the signed-in user."""
    claim = await idempotency.claim(
        request,
        get_session(request),
        scope=user.id,
        ttl=timedelta(seconds=settings.idempotency_ttl_seconds),
        lock=timedelta(seconds=settings.idempotency_lock_seconds),
    )
    request.state.idempotency = claim
    return claim


Idempotent = Annotated[idempotency.IdempotencyClaim | None, Depends(idempotency_claim)]

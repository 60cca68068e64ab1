"""Who is calling: bearer token or session cookie, roles, and the per-user idempotency claim."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import rules, service
from ece.auth.models import Credential, User
from ece.auth.rules import KeyAccess, Role
from ece.config import Settings
from ece.core import idempotency
from ece.core.errors import Forbidden, Unauthorized
from ece.core.logging import note_user
from ece.core.ratelimit import client_address
from ece.runtime.deps import (
    ONE_TRANSACTION,
    SAFE_METHODS,
    Session,
    SettingsDep,
    get_session,
    services_of,
)
from ece.runtime.routing import UnitOfWorkRoute

SESSION_COOKIE = "ece_session"
CSRF_COOKIE = "ece_csrf"
CSRF_HEADER = "X-CSRF-Token"

bearer = HTTPBearer(auto_error=False, description="Session token or developer API key")

# What an API key needs on a route, in its OpenAPI operation: a scope, "session" (no key at
# all) or "any" (any valid key). Unmarked routes need ``read`` for GET and ``trade`` otherwise.
API_KEY_ACCESS = "x-api-key-access"


def api_key_access(access: KeyAccess) -> dict[str, Any]:
    """``openapi_extra`` for a route whose API-key rule is not the default one."""
    return {API_KEY_ACCESS: str(access)}


def _check_key_access(request: Request, credential: Credential) -> None:
    route = request.scope.get("route")
    marked = (getattr(route, "openapi_extra", None) or {}).get(API_KEY_ACCESS)
    needed = rules.needed_access(marked, request.method in SAFE_METHODS)
    refusal = rules.key_access_refusal(needed, credential.scope_list)
    if refusal is not None:
        raise refusal


def presented_token(request: Request) -> tuple[str | None, bool]:
    """The caller's secret and whether it came from the cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


async def _authenticate_once(
    request: Request, session: AsyncSession
) -> tuple[User, Credential] | Unauthorized:
    """The principal behind the presented credential, or why there is none; once per request
    (the rate limit asks first, the endpoint's dependencies after)."""
    cached: tuple[User, Credential] | Unauthorized | None = getattr(
        request.state, "authenticated", None
    )
    if cached is not None:
        return cached
    token, _ = presented_token(request)
    outcome: tuple[User, Credential] | Unauthorized
    if token is None:
        outcome = Unauthorized("Sign in first.", code="not_authenticated")
    else:
        try:
            outcome = await service.authenticate(session, token)
        except Unauthorized as exc:
            outcome = exc
    request.state.authenticated = outcome
    if not isinstance(outcome, Unauthorized):
        note_user(outcome[0].id)
    return outcome


def _authenticates(route: UnitOfWorkRoute) -> bool:
    """Whether the route's endpoint authenticates the caller in the request's session anyway
    (worked out once per route from its dependency tree)."""
    known: bool | None = getattr(route, "_ece_authenticates", None)
    if known is None:
        pending, known = [route.dependant], False
        while pending and not known:
            dependant = pending.pop()
            known = dependant.call is current_principal
            pending.extend(dependant.dependencies)
        route._ece_authenticates = known  # type: ignore[attr-defined]
    return known


async def caller_key(request: Request) -> str:
    """Rate-limit identity: the user, once their credential is verified; otherwise the client
    address (so junk tokens or cookies never buy a fresh budget)."""
    token = presented_token(request)[0]
    route = request.scope.get("route")
    shares_session = isinstance(route, UnitOfWorkRoute) and (
        request.method in SAFE_METHODS or _authenticates(route)
    )
    if token is not None and shares_session:
        # The endpoint would authenticate in this session anyway: it reuses the answer.
        outcome = await _authenticate_once(request, get_session(request))
        return _address(request) if isinstance(outcome, Unauthorized) else "u:" + outcome[0].id
    if token is not None:
        # Never in a write transaction the endpoint did not ask for: on SQLite it would hold
        # the write lock from here (sign-in burns its nonce in a transaction of its own).
        async with services_of(request).db.unit_of_work(write=False) as session:
            try:
                user, _ = await service.authenticate(session, token)
                return "u:" + user.id
            except Unauthorized:
                pass
    return _address(request)


def _address(request: Request) -> str:
    settings = services_of(request).settings
    return "ip:" + client_address(request, settings.trusted_proxy_networks)


async def current_principal(
    request: Request,
    session: Session,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> tuple[User, Credential]:
    outcome = await _authenticate_once(request, session)
    if isinstance(outcome, Unauthorized):
        raise outcome
    _, from_cookie = presented_token(request)
    if from_cookie and request.method not in SAFE_METHODS:
        # Double-submit check: a cross-site form cannot read our cookie to copy it into a header.
        sent = request.headers.get(CSRF_HEADER, "")
        expected = request.cookies.get(CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(sent, expected):
            raise Forbidden("Missing or wrong CSRF token.", code="csrf_failed")
    if outcome[1].is_api_key:
        _check_key_access(request, outcome[1])
    return outcome


Principal = Annotated[tuple[User, Credential], Depends(current_principal)]


async def current_user(principal: Principal) -> User:
    return principal[0]


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[Principal], Awaitable[User]]:
    """A staff role, exercised from a signed-in session only (never with an API key)."""

    async def dependency(principal: Principal) -> User:
        user, credential = principal
        refusal = rules.staff_refusal(credential.is_api_key, user.role_names, roles)
        if refusal is not None:
            raise refusal
        return user

    return dependency


AdminUser = Annotated[User, Depends(require_role(Role.admin))]
ComplianceOfficer = Annotated[User, Depends(require_role(Role.compliance, Role.admin))]
"""Compliance officers and admins: the compliance console and the audit log."""


# Whether the claim is committed before the endpoint runs, decided per request: (the request's
# session, the signed-in user, the settings) → True to commit it first, False to keep it in work.
CommitFirst = Callable[[AsyncSession, User, Settings], bool]


def _idempotency_dependency(
    *, commit: bool | CommitFirst
) -> Callable[..., Awaitable[idempotency.IdempotencyClaim | None]]:
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
        """Opt-in for value-moving POSTs: the ``Idempotency-Key`` scoped to the signed-in
        user."""
        session = get_session(request)
        claim = await idempotency.claim(
            request,
            session,
            scope=user.id,
            ttl=timedelta(seconds=settings.idempotency_ttl_seconds),
            lock=timedelta(seconds=settings.idempotency_lock_seconds),
            commit=commit if isinstance(commit, bool) else commit(session, user, settings),
        )
        request.state.idempotency = claim
        return claim

    return idempotency_claim


idempotency_claim = _idempotency_dependency(commit=True)
Idempotent = Annotated[idempotency.IdempotencyClaim | None, Depends(idempotency_claim)]
# For endpoints doing all their work on the request's session (a buy, a bid): the claim rides in
# the work's own transaction (one commit less; a duplicate waits for the answer and replays it).
idempotency_claim_in_work = _idempotency_dependency(commit=False)
setattr(idempotency_claim_in_work, ONE_TRANSACTION, True)  # a marker, read by name
IdempotentInWork = Annotated[
    idempotency.IdempotencyClaim | None, Depends(idempotency_claim_in_work)
]


def idempotency_claim_in_work_unless(
    commit_first: CommitFirst,
) -> Callable[..., Awaitable[idempotency.IdempotencyClaim | None]]:
    """The in-work claim (``IdempotentInWork``), except for the requests ``commit_first``
    picks: their work runs in another transaction (a bid placed in a batch with other
    requests', ``ece.auctions.batching``), so their claim is committed first, as with
    ``Idempotent``, and that transaction stores their answer."""
    dependency = _idempotency_dependency(commit=commit_first)
    setattr(dependency, ONE_TRANSACTION, True)  # SQLite: the route takes the writer gate
    return dependency

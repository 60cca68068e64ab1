"""HTTP for sign-in, the caller's profile and API keys, and user administration."""

from __future__ import annotations

import secrets
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response, status

from ece.auth import service, siws
from ece.auth.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    AdminUser,
    CurrentUser,
    Principal,
    api_key_access,
)
from ece.auth.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyOut,
    ChallengeIn,
    ChallengeOut,
    LoginIn,
    LoginOut,
    MeOut,
    ProfileIn,
    RolesIn,
    SignInInputOut,
    UserOut,
    UserPage,
)
from ece.auth.service import Credential, SigninAttempt
from ece.compliance import service as compliance
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import Db, Session, SettingsDep, rate_limit
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)
LOGIN_ERRORS = problem_responses(401, 403, 422, 429)


@router.post(
    "/auth/challenge",
    tags=["auth"],
    response_model=ChallengeOut,
    response_model_exclude_none=True,
    responses=problem_responses(422, 429),
    dependencies=[Depends(rate_limit("rate_limit_auth", scope="auth"))],
)
async def challenge(
    session: Session, settings: SettingsDep, body: Annotated[ChallengeIn | None, Body()] = None
) -> ChallengeOut:
    """Start Sign-In With Solana. With an ``address``: the message text for ``signMessage`` (and
    the same as ``input``). Without one (or with no body): a Wallet Standard
    ``SolanaSignInInput`` for ``solana:signIn``, where the wallet adds its own account."""
    address = body.address if body is not None else None
    issued = await service.create_challenge(session, settings, address)
    return ChallengeOut(
        message=issued.message,
        input=SignInInputOut.model_validate(issued.sign_in_input),
        nonce=issued.nonce,
        expires_at=issued.expires_at,
    )


def _attempt(body: LoginIn) -> SigninAttempt:
    if body.output is not None:
        return SigninAttempt(
            body.output.signed_bytes, body.output.signature_bytes, body.output.account.address
        )
    assert body.message is not None and body.signature is not None  # the schema checked
    return SigninAttempt(body.message.encode(), siws.base58_signature(body.signature))


@router.post(
    "/auth/login",
    tags=["auth"],
    response_model=LoginOut,
    responses=LOGIN_ERRORS,
    dependencies=[Depends(rate_limit("rate_limit_auth", scope="auth"))],
)
async def login(
    body: LoginIn, response: Response, session: Session, db: Db, settings: SettingsDep
) -> LoginOut:
    """Finish sign-in with the signed message text and its base58 signature, or with the
    wallet's ``SolanaSignInOutput`` (``output``): every field of the signed message is checked
    against the challenge, then the signature. A refused attempt leaves the challenge usable
    until one passes the signature check. Returns a bearer token and sets a session cookie. A
    deny-listed wallet is refused with 403 ``sanctioned``."""
    screen = partial(compliance.screen_signin, db)
    signed = await service.login(db, session, settings, _attempt(body), screen)
    secure = settings.env.value != "development" and settings.env.value != "test"
    max_age = settings.session_ttl_seconds
    response.set_cookie(
        SESSION_COOKIE, signed.token, max_age=max_age, httponly=True, samesite="lax", secure=secure
    )
    response.set_cookie(
        CSRF_COOKIE, secrets.token_urlsafe(24), max_age=max_age, samesite="lax", secure=secure
    )
    return LoginOut(
        access_token=signed.token, expires_at=signed.expires_at, user=MeOut.of(signed.user)
    )


@router.post(
    "/auth/logout",
    tags=["auth"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401),
    openapi_extra=api_key_access("any"),
)
async def logout(principal: Principal, session: Session, response: Response) -> Response:
    """Revoke the credential used for this request; it stops working at once."""
    await service.revoke_credential(session, principal[1].id)
    response.status_code = status.HTTP_204_NO_CONTENT
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/users/me", tags=["users"], response_model=MeOut, responses=problem_responses(401))
async def me(user: CurrentUser) -> MeOut:
    return MeOut.of(user)


@router.patch(
    "/users/me",
    tags=["users"],
    response_model=MeOut,
    responses=problem_responses(401, 403, 422),
    openapi_extra=api_key_access("session"),
)
async def update_me(body: ProfileIn, user: CurrentUser, session: Session) -> MeOut:
    """Change your display name or email. Roles are not yours to change."""
    return MeOut.of(await service.update_profile(session, user, body.display_name, body.email))


def _key_out(credential: Credential) -> ApiKeyOut:
    return ApiKeyOut(
        id=credential.id,
        name=credential.name,
        prefix=credential.prefix,
        created_at=credential.created_at,
        expires_at=credential.expires_at,
        revoked=credential.revoked_at is not None,
        scopes=credential.scope_list,
    )


@router.post(
    "/users/me/api-keys",
    tags=["users"],
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(401, 403, 422),
    openapi_extra=api_key_access("session"),
)
async def create_api_key(
    body: ApiKeyIn, user: CurrentUser, session: Session, settings: SettingsDep
) -> ApiKeyCreated:
    """Create a developer API key with the scopes it needs; the secret is in this answer only.
    Keys stop working when their owner loses the developer role."""
    credential, key = await service.create_api_key(session, settings, user, body.name, body.scopes)
    return ApiKeyCreated(**_key_out(credential).model_dump(), key=key)


@router.get(
    "/users/me/api-keys",
    tags=["users"],
    response_model=list[ApiKeyOut],
    responses=problem_responses(401, 403),
    openapi_extra=api_key_access("session"),
)
async def list_api_keys(user: CurrentUser, session: Session) -> list[ApiKeyOut]:
    return [_key_out(c) for c in await service.list_api_keys(session, user)]


@router.delete(
    "/users/me/api-keys/{key_id}",
    tags=["users"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
    openapi_extra=api_key_access("session"),
)
async def revoke_api_key(key_id: str, user: CurrentUser, session: Session) -> Response:
    await service.revoke_api_key(session, user, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/admin/users", tags=["admin"], response_model=UserPage, responses=problem_responses(401, 403)
)
async def admin_list_users(
    _admin: AdminUser, session: Session, params: Annotated[PageParams, Depends(page_params)]
) -> UserPage:
    users, cursor = await service.list_users(session, params)
    return UserPage(items=[UserOut.of(u) for u in users], next_cursor=cursor)


@router.put(
    "/admin/users/{user_id}/roles",
    tags=["admin"],
    response_model=UserOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def admin_set_roles(
    user_id: str, body: RolesIn, admin: AdminUser, session: Session
) -> UserOut:
    return UserOut.of(await service.set_roles(session, admin, user_id, body.roles))

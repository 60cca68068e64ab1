"""HTTP for a user's own personal data: export and erasure."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from ece.auth.deps import CSRF_COOKIE, SESSION_COOKIE, CurrentUser, api_key_access
from ece.core.errors import problem_responses
from ece.privacy import service
from ece.privacy.archive import export_zip
from ece.privacy.schemas import PersonalDataExport
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)


@router.get(
    "/users/me/export",
    tags=["users"],
    response_model=PersonalDataExport,
    responses={
        **problem_responses(401, 403, 422, 429),
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "JSON, or with `format=zip` a zip of one CSV per table.",
        },
    },
    openapi_extra=api_key_access("session"),
)
async def export_me(
    user: CurrentUser,
    session: Session,
    response: Response,
    format: Annotated[Literal["json", "zip"], Query()] = "json",
) -> PersonalDataExport | Response:
    """Everything ECE holds about you: profile, sessions and API keys (without their secrets),
    ledger entries, sales, trades, listings, offers, notifications, audit entries. As JSON, or
    with `format=zip` as a zip of `<table>.csv` files (the same rows) and `manifest.json`."""
    exported = await service.export(session, user)
    if format == "zip":
        return Response(
            export_zip(exported),
            media_type="application/zip",
            headers={
                "Content-Disposition": 'attachment; filename="ece-personal-data.zip"',
                "Cache-Control": "no-store",
            },
        )
    response.headers["Content-Disposition"] = 'attachment; filename="ece-personal-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return PersonalDataExport.model_validate(exported)


@router.delete(
    "/users/me",
    tags=["users"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 409, 429),
    openapi_extra=api_key_access("session"),
)
async def erase_me(user: CurrentUser, session: Session, response: Response) -> Response:
    """Erase your personal data: wallet address, name, email, KYC values, preferences,
    watchlist, alerts and notifications. Money records (ledger, sales, trades, payments) and
    the audit log are kept, by law, under your now anonymous id. Every session and key stops
    working. Refused (409) while you have open orders (`erase_open_orders`) or any balance or
    card (`erase_balance_not_zero`)."""
    await service.erase(session, user)
    response.status_code = status.HTTP_204_NO_CONTENT
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response

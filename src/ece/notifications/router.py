"""HTTP for a user's notifications and notification preferences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ece.auth.deps import CurrentUser, api_key_access
from ece.auth.service import ApiKeyScope
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.notifications import service
from ece.notifications.schemas import (
    MarkedOut,
    MarkReadIn,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
)
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", tags=["notifications"], route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]


@router.get(
    "/notifications",
    response_model=NotificationPage,
    responses=problem_responses(401, 422, 429),
)
async def list_notifications(
    user: CurrentUser,
    session: Session,
    pages: Pages,
    unread: Annotated[bool | None, Query(description="Only unread (true) or read (false)")] = None,
) -> NotificationPage:
    """Your notifications, newest first, with your unread count."""
    return await service.list_notifications(session, user.id, unread=unread, params=pages)


@router.post(
    "/notifications/read",
    response_model=MarkedOut,
    responses=problem_responses(401, 422, 429),
    openapi_extra=api_key_access(ApiKeyScope.read),
)
async def mark_read(body: MarkReadIn, user: CurrentUser, session: Session) -> MarkedOut:
    """Mark notifications read: ``{"ids": [...]}`` or ``{"all": true}``."""
    return await service.mark_read(session, user.id, body)


@router.get(
    "/users/me/notification-preferences",
    response_model=PreferencesOut,
    responses=problem_responses(401, 429),
)
async def get_preferences(user: CurrentUser, session: Session) -> PreferencesOut:
    """Which notification types reach you on which channel (in_app, email, push)."""
    return await service.preferences(session, user.id)


@router.put(
    "/users/me/notification-preferences",
    response_model=PreferencesOut,
    responses=problem_responses(401, 422, 429),
    openapi_extra=api_key_access("session"),
)
async def set_preferences(
    body: PreferencesIn, user: CurrentUser, session: Session
) -> PreferencesOut:
    """Turn types on or off per channel; types you leave out keep their setting."""
    return await service.set_preferences(session, user.id, body)

"""HTTP for a user's notifications and notification preferences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ece.auth.deps import CurrentUser, api_key_access
from ece.auth.service import ApiKeyScope
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.notifications import service
from ece.notifications.schemas import (
    DeliveryOut,
    DeliveryPage,
    MarkedOut,
    MarkReadIn,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
    PushConfigOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from ece.runtime.deps import Session, SettingsDep
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
async def get_notification_preferences(user: CurrentUser, session: Session) -> PreferencesOut:
    """Which notification types reach you on which channel (in_app, email, push)."""
    return await service.preferences(session, user.id)


@router.put(
    "/users/me/notification-preferences",
    response_model=PreferencesOut,
    responses=problem_responses(401, 422, 429),
    openapi_extra=api_key_access("session"),
)
async def set_notification_preferences(
    body: PreferencesIn, user: CurrentUser, session: Session
) -> PreferencesOut:
    """Turn types on or off per channel; types you leave out keep their setting."""
    return await service.set_preferences(session, user.id, body)


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    responses=problem_responses(401, 409, 422, 429),
    openapi_extra=api_key_access("any"),
)
async def create_webhook(
    body: WebhookIn, user: CurrentUser, session: Session, settings: SettingsDep
) -> WebhookCreated:
    """Send the events you may see (public ones and those naming you) matching ``events``
    (``*``, ``auction.*``, ``trade.executed``) to ``url``, signed with the returned secret
    (shown only now). A delivery is retried for up to 3 days."""
    return await service.create_endpoint(session, settings, user.id, body)


@router.get(
    "/webhooks",
    response_model=list[WebhookOut],
    responses=problem_responses(401, 429),
)
async def list_webhooks(user: CurrentUser, session: Session) -> list[WebhookOut]:
    """Your webhooks (without their secrets)."""
    return await service.list_endpoints(session, user.id)


@router.delete(
    "/webhooks/{webhook_id}",
    response_model=WebhookOut,
    responses=problem_responses(401, 404, 429),
    openapi_extra=api_key_access("any"),
)
async def disable_webhook(webhook_id: str, user: CurrentUser, session: Session) -> WebhookOut:
    """Stop a webhook; its deliveries stay readable."""
    return await service.disable_endpoint(session, user.id, webhook_id)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response_model=DeliveryPage,
    responses=problem_responses(401, 404, 422, 429),
)
async def list_deliveries(
    webhook_id: str, user: CurrentUser, session: Session, pages: Pages
) -> DeliveryPage:
    """A webhook's deliveries, newest first, with every attempt."""
    return await service.deliveries(session, user.id, webhook_id, pages)


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryOut,
    responses=problem_responses(401, 404, 429),
    openapi_extra=api_key_access("any"),
)
async def replay_delivery(
    webhook_id: str, delivery_id: str, user: CurrentUser, session: Session
) -> DeliveryOut:
    """Send a delivery again (a new delivery, with retries of its own)."""
    return await service.replay(session, user.id, webhook_id, delivery_id)


@router.get("/push/config", response_model=PushConfigOut, responses=problem_responses(429))
async def push_config(settings: SettingsDep) -> PushConfigOut:
    """Whether web push is on, and the VAPID public key a service worker subscribes with."""
    return service.push_config(settings)


@router.post(
    "/push/subscriptions",
    status_code=status.HTTP_201_CREATED,
    response_model=PushSubscriptionOut,
    responses=problem_responses(401, 422, 429),
)
async def push_subscribe(
    body: PushSubscriptionIn, user: CurrentUser, session: Session, settings: SettingsDep
) -> PushSubscriptionOut:
    """Store this browser's push subscription (`PushSubscription.toJSON()`): outbid and sold
    alerts reach it while the push channel is on in your preferences."""
    return await service.push_subscribe(session, settings, user.id, body)


@router.delete(
    "/push/subscriptions",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 422, 429),
)
async def push_unsubscribe(
    user: CurrentUser,
    session: Session,
    endpoint: Annotated[str, Query(min_length=8, max_length=2048)],
) -> None:
    """Remove your subscription at ``endpoint``."""
    await service.push_unsubscribe(session, user.id, endpoint)

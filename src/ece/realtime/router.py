"""``GET /api/v1/ws``: the WebSocket of live events (see ``ece.realtime.stream``)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from ece.auth import service as auth
from ece.auth.deps import SESSION_COOKIE
from ece.config import Settings
from ece.core.errors import Unauthorized
from ece.realtime.stream import Authenticate, Stream
from ece.runtime.deps import app_services
from ece.runtime.services import Services

router = APIRouter(tags=["realtime"])


def _same_site(origin: str | None, settings: Settings) -> bool:
    """A cookie counts only from the site's own pages (or allowed origins): another site's
    page could otherwise open a socket with the visitor's cookie (cross-site hijacking)."""
    return origin is None or origin == settings.uri or origin in settings.cors_origins


def _authenticator(services: Services) -> Authenticate:
    async def authenticate(token: str) -> str | None:
        async with services.db.unit_of_work(write=False) as session:
            try:
                user, _ = await auth.authenticate(session, token)
            except Unauthorized:
                return None
            return user.id

    return authenticate


@router.websocket("/api/v1/ws")
async def stream(websocket: WebSocket) -> None:
    """Live events: public channels for anyone, ``user`` once signed in (session cookie, or
    ``{"op": "auth", "token"}``). Resume with ``last_event_id`` on subscribe."""
    services = app_services(websocket.app)
    authenticate = _authenticator(services)
    user_id = None
    cookie = websocket.cookies.get(SESSION_COOKIE)
    if cookie and _same_site(websocket.headers.get("origin"), services.settings):
        user_id = await authenticate(cookie)
    await websocket.accept()
    await Stream(
        websocket,
        services.hub,
        services.db,
        authenticate,
        user_id,
        services.settings.ws_heartbeat_seconds,
        services.settings.ws_replay_limit,
    ).run()

"""Web push (RFC 8030 with VAPID, RFC 8292, and aes128gcm payloads, RFC 8291): browsers
subscribe through the web app's service worker; the relay queues outbid and sold alerts for
the users who want them on the push channel; the ``send_push`` job encrypts each alert for
every subscription of its user and posts it to the subscription's push service. A push
service answering 404 or 410 has dropped the subscription: it is removed.

``pywebpush`` encrypts (``http_ece``) and ``py_vapid`` signs the VAPID token; the request
goes through httpx like every other outbound call."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher
from sqlalchemy.ext.asyncio import AsyncSession

from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database, new_id
from ece.core.errors import NotFound, Unprocessable
from ece.notifications import push_repository as repository
from ece.notifications import rules
from ece.notifications.emails import MAX_EVENT_AGE, Made
from ece.notifications.models import PushSubscription
from ece.notifications.rules import Channel
from ece.notifications.schemas import PushConfigOut, PushSubscriptionIn, PushSubscriptionOut
from ece.notifications.webhooks import check_url, refused_host

log = structlog.get_logger(__name__)

LEASE = timedelta(minutes=2)
TIMEOUT_SECONDS = 10.0
TTL_SECONDS = 3600  # a push service keeps an alert for an offline browser this long


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))


def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair: (private, public), base64url (the private key's 32 bytes, the
    public key's 65-byte uncompressed point)."""
    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(private), _public_of(vapid)


def _public_of(vapid: Vapid02) -> str:
    return _b64url(
        vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def _vapid(settings: Settings) -> Vapid02 | None:
    if settings.vapid_private_key is None:
        return None
    return Vapid02.from_string(settings.vapid_private_key.get_secret_value().strip())


def config(settings: Settings) -> PushConfigOut:
    vapid = _vapid(settings)
    return PushConfigOut(
        enabled=vapid is not None, public_key=None if vapid is None else _public_of(vapid)
    )


async def subscribe(
    session: AsyncSession, settings: Settings, user_id: str, body: PushSubscriptionIn
) -> PushSubscriptionOut:
    """Store the browser's subscription for ``user_id``. The same endpoint subscribed again
    (another user signed in on that browser) now belongs to the last one who subscribed it."""
    if _vapid(settings) is None:
        raise Unprocessable("Web push is not configured here.", code="push_not_configured")
    check_url(body.endpoint, settings)
    _check_keys(body)
    row = await repository.subscription_at(session, body.endpoint)
    if row is None:
        row = PushSubscription(
            id=new_id(),
            user_id=user_id,
            endpoint=body.endpoint,
            p256dh=body.keys.p256dh,
            auth=body.keys.auth,
            created_at=utcnow(),
        )
        if not await repository.add_subscription(session, row):
            row = await repository.subscription_at(session, body.endpoint)
            assert row is not None
    row.user_id, row.p256dh, row.auth = user_id, body.keys.p256dh, body.keys.auth
    await session.flush()
    return PushSubscriptionOut(id=row.id, endpoint=row.endpoint, created_at=row.created_at)


def _check_keys(body: PushSubscriptionIn) -> None:
    """The browser's key must be a P-256 point and the auth secret 16 bytes (else nothing
    could be encrypted for it)."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(body.keys.p256dh))
        auth = _unb64(body.keys.auth)
    except ValueError:
        auth = b""
    if len(auth) != 16:
        raise Unprocessable("These are not a push subscription's keys.", code="invalid_push_keys")


async def unsubscribe(session: AsyncSession, user_id: str, endpoint: str) -> None:
    """Remove the user's own subscription; 404 ``push_subscription_not_found`` otherwise."""
    if not await repository.delete_subscription(session, endpoint, user_id):
        raise NotFound("No such push subscription.", code="push_subscription_not_found")


async def queue(session: AsyncSession, settings: Settings, made: Sequence[Made]) -> None:
    """The relay's part: a push alert for each outbid or sold notification its user wants
    by push (a backlog older than the email cut-off is not pushed)."""
    if settings.vapid_private_key is None:
        return
    now = utcnow()
    await repository.add_messages(
        session,
        [
            {
                "id": new_id(),
                "user_id": m.draft.user_id,
                "kind": m.draft.kind.value,
                "event_id": m.event.id,
                "data": rules.push_payload(m.draft.kind, m.draft.data),
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for m in made
            if Channel.push in m.channels
            and m.draft.kind in rules.PUSH_KINDS
            and now - m.event.created_at < MAX_EVENT_AGE
        ],
    )


def _subscription_info(endpoint: str, p256dh: str, auth: str) -> dict[str, object]:
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def _request(
    vapid: Vapid02, subject: str, sub: PushSubscription, payload: bytes
) -> tuple[bytes, dict[str, str]]:
    """The encrypted body and the headers of one push to ``sub``."""
    pusher = WebPusher(_subscription_info(sub.endpoint, sub.p256dh, sub.auth))
    body: bytes = pusher.encode(payload, "aes128gcm")["body"]
    parts = urlsplit(sub.endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "sub": subject,
        "exp": int(utcnow().timestamp()) + 12 * 3600,
    }
    headers: dict[str, str] = dict(vapid.sign(claims))
    headers.update(
        {
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(TTL_SECONDS),
            "Urgency": "high",
        }
    )
    return body, headers


async def _post(
    client: httpx.AsyncClient,
    settings: Settings,
    vapid: Vapid02,
    sub: PushSubscription,
    payload: bytes,
) -> str:
    if settings.is_deployed and await refused_host(sub.endpoint):
        return "gone"  # an endpoint on a private network is never called: drop it
    body, headers = _request(vapid, settings.vapid_subject, sub, payload)
    try:
        response = await client.post(sub.endpoint, content=body, headers=headers)
    except httpx.HTTPError as exc:
        log.info("push_unreachable", subscription=sub.id, error=type(exc).__name__)
        return "retry"
    return rules.push_outcome(response.status_code)


async def send_due(db: Database, settings: Settings, *, limit: int = 50) -> int:
    """Send every due push alert to all its user's subscriptions once; the number tried."""
    vapid = _vapid(settings)
    if vapid is None:
        return 0
    now = utcnow()
    async with db.unit_of_work() as session:
        due = await repository.lease_due(session, now, now + LEASE, limit)
        subs = await repository.subscriptions_of(session, sorted({d.user_id for d in due}))
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        for row in due:
            payload = json.dumps(row.data, separators=(",", ":")).encode()
            outcomes = {
                sub.endpoint: await _post(client, settings, vapid, sub, payload)
                for sub in subs
                if sub.user_id == row.user_id
            }
            await _record(db, row.id, row.user_id, outcomes)
    return len(due)


async def _record(db: Database, message_id: str, user_id: str, outcomes: dict[str, str]) -> None:
    async with db.unit_of_work() as session:
        for endpoint, outcome in outcomes.items():
            if outcome == "gone":
                await repository.delete_subscription(session, endpoint, user_id)
        row = await repository.message(session, message_id)
        if row is None or row.status != "pending":
            return
        row.attempts += 1
        if "sent" in outcomes.values() or "retry" not in outcomes.values():
            sent = "sent" in outcomes.values()
            row.status, row.next_attempt_at = ("sent" if sent else "skipped"), None
            row.sent_at = utcnow() if sent else None
            return
        retry = rules.email_retry_seconds(row.attempts)
        if retry is None:
            row.status, row.next_attempt_at = "failed", None
        else:
            row.next_attempt_at = utcnow() + timedelta(seconds=retry)

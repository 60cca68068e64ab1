"""Webhooks for developers: endpoints, deliveries made by the relay, sending with retries on
the schedule in ``webhook_rules``, the history of every attempt, and replays."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import cast
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database, new_id
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.metrics import WEBHOOK_DELIVERIES
from ece.core.outbox import Event
from ece.core.pagination import PageParams
from ece.notifications import webhook_repository as repository
from ece.notifications import webhook_rules as rules
from ece.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ece.notifications.schemas import (
    AttemptOut,
    DeliveryOut,
    DeliveryPage,
    DeliveryStatus,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)

LEASE = timedelta(minutes=2)
TIMEOUT_SECONDS = 10.0


def _out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id,
        url=endpoint.url,
        events=endpoint.events,
        active=endpoint.active,
        created_at=endpoint.created_at,
        disabled_at=endpoint.disabled_at,
    )


def check_url(url: str, settings: Settings) -> None:
    """https (or http outside staging and production) to a host that is not private there;
    the same check guards web push endpoints."""
    parts = urlsplit(url)
    schemes = ("https",) if settings.is_deployed else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        raise Unprocessable(f"The URL must be {' or '.join(schemes)}.", code="invalid_url")
    if settings.is_deployed and _literal_refused(parts.hostname):
        raise Unprocessable("Private and loopback addresses are refused.", code="invalid_url")


def _literal_refused(host: str) -> bool:
    try:
        return rules.refused_address(host.strip("[]"))
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")


async def create_endpoint(
    session: AsyncSession, settings: Settings, user_id: str, body: WebhookIn
) -> WebhookCreated:
    """A new endpoint; its signing secret is in this answer only."""
    check_url(body.url, settings)
    bad = [p for p in body.events if not rules.valid_pattern(p)]
    if bad:
        raise Unprocessable(f"Unknown event pattern {bad[0]!r}.", code="invalid_event")
    if await repository.count_endpoints(session, user_id) >= rules.MAX_ENDPOINTS:
        raise Conflict(f"At most {rules.MAX_ENDPOINTS} webhooks.", code="too_many_webhooks")
    endpoint = WebhookEndpoint(
        id=new_id(),
        user_id=user_id,
        url=body.url,
        events=sorted(set(body.events)),
        secret="whsec_" + secrets.token_hex(24),
        active=True,
        created_at=utcnow(),
    )
    session.add(endpoint)
    await session.flush()
    return WebhookCreated(**_out(endpoint).model_dump(), secret=endpoint.secret)


async def list_endpoints(session: AsyncSession, user_id: str) -> list[WebhookOut]:
    return [_out(e) for e in await repository.endpoints_of(session, user_id)]


async def _own(session: AsyncSession, user_id: str, endpoint_id: str) -> WebhookEndpoint:
    endpoint = await repository.endpoint(session, endpoint_id)
    if endpoint is None or endpoint.user_id != user_id:
        raise NotFound("No such webhook.", code="webhook_not_found")
    return endpoint


async def disable_endpoint(session: AsyncSession, user_id: str, endpoint_id: str) -> WebhookOut:
    """Stop sending to an endpoint (its history stays)."""
    endpoint = await _own(session, user_id, endpoint_id)
    await repository.disable(session, endpoint.id, utcnow())
    await session.refresh(endpoint)
    return _out(endpoint)


def _body(event: Event) -> str:
    return json.dumps(
        {
            "id": event.id,
            "type": event.type,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        },
        separators=(",", ":"),
    )


async def enqueue(session: AsyncSession, events: Sequence[Event]) -> None:
    """The relay's part: a delivery per event per active endpoint that wants it and may see it
    (a redelivered event adds none)."""
    endpoints = await repository.active_endpoints(session)
    if not endpoints:
        return
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "endpoint_id": endpoint.id,
            "event_id": event.id,
            "event_type": event.type,
            "dedupe_key": str(event.id),
            "body": _body(event),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for event in events
        for endpoint in endpoints
        if rules.wants(endpoint.events, event.type)
        and rules.may_see(endpoint.user_id, event.type, event.aggregate_id, event.payload)
    ]
    await repository.add_deliveries(session, rows)


async def deliveries(
    session: AsyncSession, user_id: str, endpoint_id: str, params: PageParams
) -> DeliveryPage:
    """An endpoint's deliveries, newest first, each with every attempt."""
    endpoint = await _own(session, user_id, endpoint_id)
    rows, next_cursor = await repository.deliveries_page(session, endpoint.id, params)
    attempts = await repository.attempts_of(session, [r.id for r in rows])
    return DeliveryPage(
        items=[_delivery_out(r, attempts[r.id]) for r in rows], next_cursor=next_cursor
    )


def _delivery_out(row: WebhookDelivery, attempts: Sequence[WebhookAttempt]) -> DeliveryOut:
    return DeliveryOut(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=cast(DeliveryStatus, row.status),
        attempts=[
            AttemptOut(at=a.at, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms)
            for a in attempts
        ],
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


async def replay(
    session: AsyncSession, user_id: str, endpoint_id: str, delivery_id: str
) -> DeliveryOut:
    """Send a delivery's body again, as a new delivery with retries of its own."""
    endpoint = await _own(session, user_id, endpoint_id)
    original = await repository.delivery(session, delivery_id)
    if original is None or original.endpoint_id != endpoint.id:
        raise NotFound("No such delivery.", code="delivery_not_found")
    now = utcnow()
    copy = WebhookDelivery(
        id=new_id(),
        endpoint_id=endpoint.id,
        event_id=original.event_id,
        event_type=original.event_type,
        dedupe_key=f"{original.event_id}:replay:{new_id()}",
        body=original.body,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(copy)
    await session.flush()
    return _delivery_out(copy, [])


# --- sending ---------------------------------------------------------------------------------


async def refused_host(url: str) -> bool:
    """Whether any address the URL's host resolves to is refused (production only)."""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return False  # the request fails on its own
    return any(rules.refused_address(str(info[4][0]).split("%")[0]) for info in infos)


async def _post(
    client: httpx.AsyncClient, settings: Settings, endpoint: WebhookEndpoint, row: WebhookDelivery
) -> tuple[int | None, str | None]:
    if settings.is_deployed and await refused_host(endpoint.url):
        return None, "refused_address"
    body = row.body.encode()
    headers = {
        "Content-Type": "application/json",
        "ECE-Event-Id": str(row.event_id),
        rules.SIGNATURE_HEADER: rules.sign(endpoint.secret, int(utcnow().timestamp()), body),
    }
    try:
        response = await client.post(endpoint.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, type(exc).__name__
    return response.status_code, None


async def _record(
    db: Database, delivery_id: str, status_code: int | None, error: str | None, took: float
) -> None:
    async with db.unit_of_work() as session:
        row = await repository.delivery(session, delivery_id)
        if row is None or row.status != "pending":
            return
        now = utcnow()
        repository.add_attempt(
            session,
            WebhookAttempt(
                id=new_id(),
                delivery_id=row.id,
                at=now,
                status_code=status_code,
                error=error,
                duration_ms=int(took * 1000),
            ),
        )
        row.attempts += 1
        if status_code is not None and 200 <= status_code < 300:
            row.status, row.finished_at, row.next_attempt_at = "succeeded", now, None
            WEBHOOK_DELIVERIES.labels("succeeded").inc()
            return
        retry = rules.next_attempt(row.created_at, row.attempts, now)
        if retry is not None:
            row.next_attempt_at = retry
            WEBHOOK_DELIVERIES.labels("retrying").inc()
            return
        row.status, row.finished_at, row.next_attempt_at = "failed", now, None
        WEBHOOK_DELIVERIES.labels("failed").inc()
        # Failing for the whole schedule: stop sending the endpoint anything new.
        await repository.disable(session, row.endpoint_id, now)


async def send_due(db: Database, settings: Settings, *, limit: int = 50) -> int:
    """Try every due delivery once; the number tried. Several senders may run at once: each
    leases different rows."""
    now = utcnow()
    async with db.unit_of_work() as session:
        due = await repository.lease_due(session, now, now + LEASE, limit)
        # Loaded in full (sessions keep objects after commit): used after this transaction.
        work = [(d.id, await repository.endpoint(session, d.endpoint_id), d) for d in due]
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        for delivery_id, endpoint, row in work:
            if endpoint is None:
                continue
            started = time.monotonic()
            status_code, error = await _post(client, settings, endpoint, row)
            await _record(db, delivery_id, status_code, error, time.monotonic() - started)
    return len(work)

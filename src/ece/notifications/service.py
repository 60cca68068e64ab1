"""Notifications' public face: made from outbox events by the relay, read and marked by their
user, filtered by each user's preferences per type and channel."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.outbox import Event
from ece.core.pagination import PageParams
from ece.notifications import repository, rules
from ece.notifications.emails import Made
from ece.notifications.emails import queue as queue_emails
from ece.notifications.emails import send_due as send_due_emails
from ece.notifications.push import config as push_config
from ece.notifications.push import generate_keys as generate_vapid_keys
from ece.notifications.push import queue as queue_push
from ece.notifications.push import send_due as send_due_push
from ece.notifications.push import subscribe as push_subscribe
from ece.notifications.push import unsubscribe as push_unsubscribe
from ece.notifications.rules import Channel, Kind
from ece.notifications.schemas import (
    MarkedOut,
    MarkReadIn,
    NotificationOut,
    NotificationPage,
    PreferenceOut,
    PreferencesIn,
    PreferencesOut,
)
from ece.notifications.webhooks import (
    create_endpoint,
    deliveries,
    disable_endpoint,
    enqueue,
    list_endpoints,
    replay,
    send_due,
)

__all__ = [
    "Made",
    "create_endpoint",
    "deliveries",
    "disable_endpoint",
    "enqueue",
    "generate_vapid_keys",
    "list_endpoints",
    "list_notifications",
    "mark_read",
    "preferences",
    "push_config",
    "push_subscribe",
    "push_unsubscribe",
    "queue_emails",
    "queue_push",
    "record",
    "replay",
    "send_due",
    "send_due_emails",
    "send_due_push",
    "set_preferences",
]


async def record(session: AsyncSession, events: Sequence[Event]) -> list[Made]:
    """Make the notifications of ``events`` (in the relay's transaction). A redelivered event
    makes none twice; a type its user turned off in-app is not stored but may still go out on
    the other channels it is on for."""
    drafts = [
        (event, draft)
        for event in events
        for draft in rules.drafts_for(event.type, event.aggregate_id, event.payload)
    ]
    if not drafts:
        return []
    chosen = await repository.choices(session, {d.user_id for _, d in drafts})
    made = [
        Made(
            event,
            draft,
            frozenset(c for c in Channel if rules.enabled(chosen[draft.user_id], draft.kind, c)),
        )
        for event, draft in drafts
    ]
    now = utcnow()
    await repository.add_ignoring_repeats(
        session,
        [
            {
                "id": new_id(),
                "user_id": m.draft.user_id,
                "type": m.draft.kind.value,
                "event_id": m.event.id,
                "data": m.draft.data,
                "created_at": now,
            }
            for m in made
            if Channel.in_app in m.channels
        ],
    )
    return made


async def list_notifications(
    session: AsyncSession, user_id: str, *, unread: bool | None, params: PageParams
) -> NotificationPage:
    """The user's own notifications, newest first."""
    rows, next_cursor = await repository.page(session, user_id, unread=unread, params=params)
    return NotificationPage(
        items=[NotificationOut.model_validate(r) for r in rows],
        next_cursor=next_cursor,
        unread_count=await repository.unread_count(session, user_id),
    )


async def mark_read(session: AsyncSession, user_id: str, body: MarkReadIn) -> MarkedOut:
    """Mark some (or all) of the user's notifications read; ids of others' are ignored."""
    marked = await repository.mark_read(session, user_id, None if body.all else body.ids, utcnow())
    return MarkedOut(marked=marked, unread_count=await repository.unread_count(session, user_id))


async def preferences(session: AsyncSession, user_id: str) -> PreferencesOut:
    """Every type on every channel, as chosen or by default."""
    chosen = (await repository.choices(session, [user_id]))[user_id]
    return PreferencesOut(
        preferences=[
            PreferenceOut(type=k, channel=c, enabled=rules.enabled(chosen, k, c))
            for k in Kind
            for c in Channel
        ]
    )


async def set_preferences(
    session: AsyncSession, user_id: str, body: PreferencesIn
) -> PreferencesOut:
    """Store the given choices (others keep theirs) and return the whole set."""
    await repository.set_choices(
        session, user_id, [(p.type.value, p.channel.value, p.enabled) for p in body.preferences]
    )
    return await preferences(session, user_id)

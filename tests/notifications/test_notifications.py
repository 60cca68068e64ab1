"""In-app notifications made by the outbox relay: who gets them, reading them, preferences."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.core.outbox import Event, OutboxEvent
from ece.notifications import service
from ece.notifications.models import Notification
from tests.notifications.support import notifications, outbid, relay


async def test_an_outbid_bidder_is_told_and_nobody_else_sees_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    scene = await outbid(client, app)
    assert (await notifications(client, scene.alice))["items"] == []  # nothing before the relay
    assert await relay(app) > 0
    mine = await notifications(client, scene.alice)
    assert mine["unread_count"] == 1
    (note,) = mine["items"]
    assert note["type"] == "outbid" and note["read_at"] is None
    assert note["data"]["ref"] == scene.auction["id"]
    assert note["data"]["current_price"] == "21"
    bobs = await notifications(client, scene.bob)
    assert bobs == {"items": [], "next_cursor": None, "unread_count": 0}

    # Bob cannot mark (or learn of) Alice's notification by its id.
    stolen = await client.post(
        "/api/v1/notifications/read", json={"ids": [note["id"]]}, headers=scene.bob.headers
    )
    assert stolen.json() == {"marked": 0, "unread_count": 0}
    assert (await notifications(client, scene.alice))["unread_count"] == 1

    marked = await client.post(
        "/api/v1/notifications/read", json={"ids": [note["id"]]}, headers=scene.alice.headers
    )
    assert marked.json() == {"marked": 1, "unread_count": 0}
    assert (await notifications(client, scene.alice, "?unread=true"))["items"] == []
    assert len((await notifications(client, scene.alice, "?unread=false"))["items"]) == 1


async def test_a_redelivered_event_makes_no_second_notification(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    scene = await outbid(client, app)
    db = app.state.services.db
    async with db.unit_of_work() as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.type == "auction.outbid")
        )
        events = [Event(r.id, r.type, r.aggregate_id, r.payload, r.created_at) for r in rows]
        await service.record(session, events)
        await service.record(session, events)  # a relay that died after the first
    await relay(app)  # and the relay itself, a third time
    async with db.unit_of_work(write=False) as session:
        count = await session.scalar(select(func.count()).select_from(Notification))
    assert count == 1
    assert (await notifications(client, scene.alice))["unread_count"] == 1


async def test_a_type_turned_off_in_app_is_not_stored(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    scene = await outbid(client, app)
    url = "/api/v1/users/me/notification-preferences"
    defaults = (await client.get(url, headers=scene.alice.headers)).json()["preferences"]
    assert {"type": "outbid", "channel": "in_app", "enabled": True} in defaults
    body = {"preferences": [{"type": "outbid", "channel": "in_app", "enabled": False}]}
    for _ in range(2):  # saving twice is the same as once
        saved = await client.put(url, json=body, headers=scene.alice.headers)
        assert saved.status_code == 200, saved.text
    assert {"type": "outbid", "channel": "in_app", "enabled": False} in saved.json()["preferences"]
    assert {"type": "outbid", "channel": "email", "enabled": True} in saved.json()["preferences"]
    # Bob's choices are his own.
    bobs = (await client.get(url, headers=scene.bob.headers)).json()["preferences"]
    assert {"type": "outbid", "channel": "in_app", "enabled": True} in bobs

    await relay(app)
    assert (await notifications(client, scene.alice))["items"] == []


async def test_mark_all_and_refused_bodies(app: FastAPI, client: httpx.AsyncClient) -> None:
    scene = await outbid(client, app)
    await relay(app)
    read = "/api/v1/notifications/read"
    for bad in ({}, {"ids": ["x"], "all": True}, {"all": False}, {"ids": ["x" * 33]}):
        refused = await client.post(read, json=bad, headers=scene.alice.headers)
        assert refused.status_code == 422, bad
    assert (await client.post(read, json={"all": True})).status_code == 401
    done = await client.post(read, json={"all": True}, headers=scene.alice.headers)
    assert done.json() == {"marked": 1, "unread_count": 0}
    assert (await client.get("/api/v1/notifications")).status_code == 401

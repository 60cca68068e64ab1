"""Email notifications through SMTP (a local aiosmtpd server): an outbid bidder is told in the
app, by email and on the WebSocket; templates; preferences; no address, no email."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from ece.core.clock import clock
from ece.notifications import service
from ece.notifications.emails import render
from ece.notifications.rules import EMAIL_TEMPLATES, Kind
from tests.builders import SignedInUser
from tests.notifications.support import notifications, outbid, relay
from tests.realtime.support import open_socket, serve_here


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.mails: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        with self.lock:
            self.mails.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox(app: FastAPI) -> Iterator[Inbox]:
    box = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    services = app.state.services
    original = services.settings
    services.settings = original.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_starttls": False,
        }
    )
    try:
        yield box
    finally:
        services.settings = original
        controller.stop()


async def set_email(client: httpx.AsyncClient, user: SignedInUser, email: str) -> None:
    response = await client.patch("/api/v1/users/me", json={"email": email}, headers=user.headers)
    assert response.status_code == 200, response.text


async def send(app: FastAPI) -> int:
    services = app.state.services
    return await service.send_due_emails(services.db, services.settings)


async def test_an_outbid_bidder_is_told_in_app_by_email_and_on_the_socket(
    app: FastAPI, client: httpx.AsyncClient, inbox: Inbox
) -> None:
    async with serve_here(app) as url, open_socket(url) as ws:
        scene = await outbid(client, app)
        await set_email(client, scene.alice, "alice@example.com")
        await ws.send(op="auth", token=scene.alice.token)
        await ws.next()
        await ws.subscribe("user")
        await relay(app)
        heard = await ws.events(2)
        assert heard[1]["event"] == "auction.outbid"
        note = (await notifications(client, scene.alice))["items"][0]
        assert note["type"] == "outbid" and note["event_id"] == heard[1]["id"]
        assert await send(app) == 1
        (mail,) = inbox.mails
        assert mail["To"] == "alice@example.com" and mail["Subject"] == "You were outbid"
        text = mail.get_payload(decode=True).decode()
        assert "the price is now 21 USDC" in text and scene.auction["id"] in text
        # Redelivery sends nothing twice.
        await relay(app)
        assert await send(app) == 0 and len(inbox.mails) == 1


async def test_no_email_when_turned_off_or_without_an_address(
    app: FastAPI, client: httpx.AsyncClient, inbox: Inbox
) -> None:
    scene = await outbid(client, app)
    off = {"preferences": [{"type": "outbid", "channel": "email", "enabled": False}]}
    url = "/api/v1/users/me/notification-preferences"
    assert (await client.put(url, json=off, headers=scene.alice.headers)).status_code == 200
    await set_email(client, scene.alice, "alice@example.com")
    await relay(app)
    assert await send(app) == 0
    assert inbox.mails == []
    # In-app is still on.
    assert (await notifications(client, scene.alice))["unread_count"] == 1


async def test_a_backlog_of_old_events_is_not_emailed(
    app: FastAPI, client: httpx.AsyncClient, inbox: Inbox
) -> None:
    scene = await outbid(client, app)
    await set_email(client, scene.alice, "alice@example.com")
    clock.advance(timedelta(hours=7))  # the relay was down
    await relay(app)
    assert await send(app) == 0 and inbox.mails == []
    assert (await notifications(client, scene.alice))["unread_count"] == 1


async def test_a_user_without_an_address_is_skipped(
    app: FastAPI, client: httpx.AsyncClient, inbox: Inbox
) -> None:
    await outbid(client, app)
    await relay(app)
    assert await send(app) == 1  # tried once, skipped: no address
    assert await send(app) == 0
    assert inbox.mails == []


def test_every_template_renders_a_subject_and_body() -> None:
    data = {
        "ref": "a1",
        "current_price": "21",
        "price": "30",
        "currency": "USDC",
        "card_id": "c1",
        "amount": 12_500_000,
        "asset": "USDC",
        "signature": "5ig",
    }
    for kind in EMAIL_TEMPLATES:
        subject, body = render(kind, data, "https://ece.example")
        assert subject and body and "{{" not in body, kind
    assert "12.5 USDC" in render(Kind.deposit_credited, data, "x")[1]

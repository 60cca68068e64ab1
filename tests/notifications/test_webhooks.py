"""Webhooks: signed deliveries of the events an owner may see, the retry schedule on a moved
clock, disabling after 3 days of failure, every attempt visible, replays and SSRF refusals."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from ece.config import Environment
from ece.core.clock import clock, utcnow
from ece.core.errors import Unprocessable
from ece.notifications import service
from ece.notifications.webhook_rules import refused_address, sign, wants
from tests.builders import SignedInUser
from tests.notifications.support import outbid, relay
from tests.realtime.support import serve_http

README = Path(__file__).parents[2] / "README.md"


def readme_recipe() -> Callable[..., bool]:
    """The verification recipe exactly as the README gives it."""
    text = README.read_text()
    code = re.search(r"<!-- webhook-recipe -->\n```python\n(.*?)```", text, re.S)
    assert code is not None
    scope: dict[str, Any] = {}
    exec(code.group(1), scope)
    verify: Callable[..., bool] = scope["verify_ece_signature"]
    return verify


class Receiver:
    """A developer's endpoint: records what it gets, answers ``status``."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.app = FastAPI()

        @self.app.post("/hook")
        async def hook(request: Request) -> Response:
            self.got.append((dict(request.headers), await request.body()))
            return Response(status_code=self.status)


async def create(
    client: httpx.AsyncClient, user: SignedInUser, url: str, events: list[str]
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/webhooks", json={"url": url, "events": events}, headers=user.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def send(app: FastAPI) -> int:
    services = app.state.services
    return await service.send_due(services.db, services.settings)


async def deliveries(
    client: httpx.AsyncClient, user: SignedInUser, hook_id: str
) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=user.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_signed_deliveries_of_what_each_owner_may_see(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    receiver = Receiver()
    async with serve_http(receiver.app) as base:
        scene = await outbid(client, app)
        alices = await create(client, scene.alice, f"{base}/hook", ["auction.*"])
        bobs = await create(client, scene.bob, f"{base}/hook", ["auction.outbid"])
        assert alices["secret"].startswith("whsec_")
        listed = (await client.get("/api/v1/webhooks", headers=scene.alice.headers)).json()
        assert [h["id"] for h in listed] == [alices["id"]] and "secret" not in listed[0]
        await relay(app)
        assert await send(app) == 4  # alice: created, two bids, her outbid; bob: nothing
        verify = readme_recipe()
        now = utcnow().timestamp()
        types = []
        for headers, body in receiver.got:
            assert verify(alices["secret"], headers["ece-signature"], body, now=now)
            assert not verify(bobs["secret"], headers["ece-signature"], body, now=now)
            event = json.loads(body)
            assert headers["ece-event-id"] == str(event["id"])
            types.append(event["type"])
        assert sorted(types) == ["auction.bid", "auction.bid", "auction.created", "auction.outbid"]
        mine = await deliveries(client, scene.alice, alices["id"])
        assert {d["status"] for d in mine} == {"succeeded"}
        assert all(len(d["attempts"]) == 1 for d in mine)
        assert mine[0]["attempts"][0]["status_code"] == 200
        # Bob's hook for outbids hears nothing of Alice's; he cannot read her hook either.
        assert await deliveries(client, scene.bob, bobs["id"]) == []
        stolen = await client.get(
            f"/api/v1/webhooks/{alices['id']}/deliveries", headers=scene.bob.headers
        )
        assert stolen.status_code == 404
        # A redelivered batch adds no delivery; nothing is due any more.
        await relay(app)
        assert await send(app) == 0


def test_the_readme_recipe_refuses_a_tampered_body_or_an_old_timestamp() -> None:
    verify = readme_recipe()
    body = b'{"id":1,"type":"trade.executed"}'
    now = 1_800_000_000
    header = sign("whsec_x", now, body)
    assert verify("whsec_x", header, body, now=now + 299)
    assert not verify("whsec_x", header, body.replace(b"1", b"2"), now=now)
    assert not verify("whsec_x", header, body, now=now + 301)  # older than 5 minutes
    assert not verify("whsec_y", header, body, now=now)
    assert not verify("whsec_x", "v1=" + header.split("v1=")[1], body, now=now)


async def test_a_failing_endpoint_is_retried_on_schedule_then_disabled_and_replayed(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    receiver = Receiver()
    receiver.status = 500
    async with serve_http(receiver.app) as base:
        scene = await outbid(client, app)
        hook = await create(client, scene.alice, f"{base}/hook", ["auction.outbid"])
        clock.freeze()
        await relay(app)
        tried_at: list[datetime] = []
        for _ in range(20):
            if await send(app):
                tried_at.append(utcnow())
            (delivery,) = await deliveries(client, scene.alice, hook["id"])
            if delivery["status"] != "pending":
                break
            clock.freeze(datetime.fromisoformat(delivery["next_attempt_at"]))
        gaps = [later - earlier for earlier, later in itertools.pairwise(tried_at)]
        minutes = [30 / 60, 2, 8, 32, 128, 512] + [720] * 5
        assert gaps == [timedelta(minutes=m) for m in minutes]
        assert delivery["status"] == "failed" and len(delivery["attempts"]) == 12
        assert {a["status_code"] for a in delivery["attempts"]} == {500}
        listed = (await client.get("/api/v1/webhooks", headers=scene.alice.headers)).json()
        assert listed[0]["active"] is False

        receiver.status = 204
        replayed = await client.post(
            f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/replay",
            headers=scene.alice.headers,
        )
        assert replayed.status_code == 202, replayed.text
        assert await send(app) == 1
        latest = (await deliveries(client, scene.alice, hook["id"]))[0]
        assert latest["id"] == replayed.json()["id"] and latest["status"] == "succeeded"
        assert json.loads(receiver.got[-1][1]) == json.loads(receiver.got[0][1])
        other = await client.post(
            f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/replay",
            headers=scene.bob.headers,
        )
        assert other.status_code == 404


async def test_production_refuses_private_and_loopback_urls(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    scene = await outbid(client, app)
    services = app.state.services
    production = services.settings.model_copy(update={"env": Environment.production})
    from ece.notifications.schemas import WebhookIn

    for url in (
        "http://example.com/hook",  # not https
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest",
        "https://localhost/hook",
    ):
        async with services.db.unit_of_work() as session:
            with pytest.raises(Unprocessable) as refused:
                await service.create_endpoint(
                    session, production, scene.alice.user["id"], WebhookIn(url=url, events=["*"])
                )
            assert refused.value.instance_code == "invalid_url", url
    # A name that resolves to a loopback address is refused when sending, not only by literal.
    hook = await create(client, scene.alice, "http://localhost:9/hook", ["auction.outbid"])
    await relay(app)
    original, services.settings = services.settings, production
    try:
        assert await send(app) == 1
    finally:
        services.settings = original
    (delivery,) = await deliveries(client, scene.alice, hook["id"])
    assert delivery["attempts"][0]["error"] == "refused_address"


def test_address_and_pattern_rules() -> None:
    for private in ("127.0.0.1", "10.0.0.1", "192.168.1.1", "::1", "fe80::1", "::ffff:127.0.0.1"):
        assert refused_address(private), private
    assert not refused_address("93.184.216.34")
    assert wants(["auction.*"], "auction.bid") and wants(["*"], "x.y")
    assert not wants(["auction.bid"], "auction.outbid")

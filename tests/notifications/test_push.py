"""Web push: VAPID keys from `ece vapid-keys`, browsers subscribe and unsubscribe, outbid and
sold alerts are encrypted for each subscription (decryptable with its keys only) and posted
with a VAPID token to a local HTTP endpoint standing in for the push service; subscriptions
the push service answers 404 or 410 for are removed; other failures are retried."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from typing import Any

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from fastapi import FastAPI, Request, Response
from pydantic import SecretStr
from sqlalchemy import select
from typer.testing import CliRunner

from ece.cli import app as cli
from ece.notifications import service
from ece.notifications.models import PushMessage, PushSubscription
from ece.notifications.push import generate_keys
from tests.builders import SignedInUser, sign_in
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.notifications.support import notifications, outbid, relay
from tests.realtime.support import serve_http


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A browser's push subscription: its own P-256 key and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, endpoint: str) -> dict[str, Any]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": endpoint, "keys": {"p256dh": b64(point), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth)
        decoded: dict[str, Any] = json.loads(plain)
        return decoded


class PushService:
    """Stands in for a browser vendor's push service: records each push, answers ``status``."""

    def __init__(self) -> None:
        self.got: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 201
        self.app = FastAPI()

        @self.app.post("/push/{token}")
        async def push(token: str, request: Request) -> Response:
            self.got.append((token, dict(request.headers), await request.body()))
            return Response(status_code=self.status)


def vapid_ok(authorization: str, public_key: str, audience: str) -> bool:
    """RFC 8292: ``vapid t=<ES256 JWT>,k=<public key>``, the JWT signed by that key for the
    push service's origin."""
    scheme, _, rest = authorization.partition(" ")
    parts = dict(item.split("=", 1) for item in rest.split(","))
    if scheme != "vapid" or parts["k"] != public_key:
        return False
    header, claims, signature = parts["t"].split(".")
    raw = unb64(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(public_key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    return bool(json.loads(unb64(claims))["aud"] == audience)


@pytest.fixture
def vapid(app: FastAPI) -> str:
    """VAPID on, with a key pair made as `ece vapid-keys` makes it; the public key."""
    out = CliRunner().invoke(cli, ["vapid-keys"])
    assert out.exit_code == 0, out.output
    private = out.output.split("ECE_VAPID_PRIVATE_KEY=")[1].split()[0]
    public = out.output.rsplit(" ", 1)[1].strip()
    app.state.services.settings.vapid_private_key = SecretStr(private)
    return public


async def subscribe(
    client: httpx.AsyncClient, user: SignedInUser, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/api/v1/push/subscriptions", json=body, headers=user.headers)


async def send(app: FastAPI) -> int:
    services = app.state.services
    return await service.send_due_push(services.db, services.settings)


async def rows(app: FastAPI, model: type[Any]) -> list[Any]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return list(await session.scalars(select(model)))


async def test_without_vapid_keys_push_is_off(client: httpx.AsyncClient, app: FastAPI) -> None:
    assert (await client.get("/api/v1/push/config")).json() == {
        "enabled": False,
        "public_key": None,
    }
    user = await sign_in(client)
    refused = await subscribe(client, user, Browser().subscription("https://push.example/x"))
    assert (refused.status_code, refused.json()["code"]) == (422, "push_not_configured")


async def test_an_outbid_bidder_gets_a_push_only_their_browser_can_read(
    client: httpx.AsyncClient, app: FastAPI, vapid: str
) -> None:
    assert (await client.get("/api/v1/push/config")).json() == {
        "enabled": True,
        "public_key": vapid,
    }
    pushes = PushService()
    async with serve_http(pushes.app) as base:
        scene = await outbid(client, app)
        alices, bobs = Browser(), Browser()
        made = await subscribe(client, scene.alice, alices.subscription(f"{base}/push/alice"))
        assert made.status_code == 201, made.text
        assert (
            await subscribe(client, scene.bob, bobs.subscription(f"{base}/push/bob"))
        ).status_code == 201
        await relay(app)
        assert await send(app) == 1  # alice was outbid; bob was not
        [(token, headers, body)] = pushes.got
        assert token == "alice"
        alert = alices.decrypt(body)
        assert alert == {
            "kind": "outbid",
            "title": "You were outbid",
            "body": alert["body"],
            "url": f"/auctions/{scene.auction['id']}",
        }
        [note] = (await notifications(client, scene.alice))["items"]
        assert alert["body"] == f"{note['data']['current_price']} {note['data']['currency']}"
        assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
        assert vapid_ok(headers["authorization"], vapid, base)
        with pytest.raises(http_ece.ECEException):
            bobs.decrypt(body)  # another subscription's keys read nothing
        assert await send(app) == 0  # sent once
        await relay(app)
        assert await send(app) == 0  # a redelivered event makes no second push


async def test_a_seller_gets_a_sold_push(
    client: httpx.AsyncClient, app: FastAPI, vapid: str
) -> None:
    pushes = PushService()
    async with serve_http(pushes.app) as base:
        market = await open_market(client, app)
        seller = await sign_in(client)
        card_id = await quick_card(app, market.company_id, seller.user["id"])
        browser = Browser()
        await subscribe(client, seller, browser.subscription(f"{base}/push/seller"))
        listing = await list_card(client, seller, card_id, "25", "USDC")
        paying = await buyer(client, app, "100")
        bought = await client.post(
            f"/api/v1/listings/{listing['id']}/buy", json={}, headers=paying.headers
        )
        assert bought.status_code == 201, bought.text
        await relay(app)
        assert await send(app) == 1
        [(_, _, body)] = pushes.got
        alert = browser.decrypt(body)
        assert (alert["kind"], alert["title"], alert["url"]) == (
            "listing_sold",
            "Your card sold",
            f"/cards/{card_id}",
        )


@pytest.mark.parametrize("status", [404, 410])
async def test_a_subscription_the_push_service_dropped_is_removed(
    client: httpx.AsyncClient, app: FastAPI, vapid: str, status: int
) -> None:
    pushes = PushService()
    pushes.status = status
    async with serve_http(pushes.app) as base:
        scene = await outbid(client, app)
        await subscribe(client, scene.alice, Browser().subscription(f"{base}/push/gone"))
        await relay(app)
        assert await send(app) == 1
        assert await rows(app, PushSubscription) == []
        [message] = await rows(app, PushMessage)
        assert message.status == "skipped"  # nowhere left to send it


async def test_a_failing_push_service_is_retried_and_a_turned_off_type_is_not_pushed(
    client: httpx.AsyncClient, app: FastAPI, vapid: str
) -> None:
    pushes = PushService()
    pushes.status = 503
    async with serve_http(pushes.app) as base:
        scene = await outbid(client, app)
        await subscribe(client, scene.alice, Browser().subscription(f"{base}/push/busy"))
        off = {"preferences": [{"type": "outbid", "channel": "push", "enabled": False}]}
        put = await client.put(
            "/api/v1/users/me/notification-preferences", json=off, headers=scene.bob.headers
        )
        assert put.status_code == 200
        await relay(app)
        assert await send(app) == 1
        [message] = await rows(app, PushMessage)
        assert (message.status, message.attempts) == ("pending", 1)
        assert len(await rows(app, PushSubscription)) == 1  # kept: the service was only busy
        assert await send(app) == 0  # not due again before its back-off


async def test_subscribe_checks_and_unsubscribe_is_only_your_own(
    client: httpx.AsyncClient, app: FastAPI, vapid: str
) -> None:
    alice, mallory = await sign_in(client), await sign_in(client)
    endpoint = "https://push.example/send/abc"
    bad_key = Browser().subscription(endpoint)
    bad_key["keys"]["p256dh"] = b64(b"\x04" + b"\x00" * 64)  # not a point on the curve
    short_auth = Browser().subscription(endpoint)
    short_auth["keys"]["auth"] = b64(os.urandom(12))
    for body, code in [
        (bad_key, "invalid_push_keys"),
        (short_auth, "invalid_push_keys"),
        (Browser().subscription("ftp://push.example/x"), "invalid_url"),
    ]:
        refused = await subscribe(client, alice, body)
        assert (refused.status_code, refused.json().get("code")) == (422, code), refused.text
    anonymous = await client.post(
        "/api/v1/push/subscriptions", json=Browser().subscription(endpoint)
    )
    assert anonymous.status_code == 401
    assert (await subscribe(client, alice, Browser().subscription(endpoint))).status_code == 201
    url = "/api/v1/push/subscriptions"
    theirs = await client.delete(url, params={"endpoint": endpoint}, headers=mallory.headers)
    assert (theirs.status_code, theirs.json()["code"]) == (404, "push_subscription_not_found")
    assert len(await rows(app, PushSubscription)) == 1
    mine = await client.delete(url, params={"endpoint": endpoint}, headers=alice.headers)
    assert mine.status_code == 204
    assert await rows(app, PushSubscription) == []


def test_generated_vapid_keys_pair_up() -> None:
    private, public = generate_keys()
    key = ec.derive_private_key(int.from_bytes(unb64(private), "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert b64(point) == public and len(unb64(public)) == 65

"""The WebSocket: public channels for anyone, the user channel once signed in, live events
from the relay, heartbeats, and a resume that replays every missed event once, in order."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ece.core.clock import utcnow
from tests.auctions.support import ok_bid
from tests.builders import sign_in
from tests.market.support import buyer
from tests.notifications.support import notifications, outbid, relay
from tests.realtime.support import open_socket, serve_here


async def test_anonymous_sockets_get_public_channels_only(app: FastAPI) -> None:
    async with serve_here(app) as url, open_socket(url) as ws:
        assert await ws.subscribe("market", "auction:a1") == {
            "type": "subscribed",
            "channels": ["market", "auction:a1"],
        }
        refused = await ws.subscribe("user")
        assert (refused["type"], refused["code"]) == ("error", "auth_required")
        for bad, code in (
            ({"op": "subscribe", "channels": ["user:someone"]}, "invalid_channel"),
            ({"op": "subscribe", "channels": "market"}, "invalid_message"),
            ({"op": "dance"}, "unknown_op"),
            ({"op": "auth", "token": "forged"}, "invalid_token"),
        ):
            await ws.send(**bad)
            assert (await ws.next())["code"] == code
        await ws.connection.send("not json")
        assert (await ws.next())["code"] == "invalid_message"
        await ws.send(op="ping")
        assert await ws.next() == {"type": "pong"}


async def test_an_outbid_bidder_hears_it_on_the_socket(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with serve_here(app) as url, open_socket(url) as ws, open_socket(url) as watcher:
        scene_user = await sign_in(client)  # someone else, signed in on the watching socket
        await watcher.send(op="auth", token=scene_user.token)
        assert (await watcher.next())["type"] == "authenticated"
        assert (await watcher.subscribe("user"))["type"] == "subscribed"

        scene = await outbid(client, app)
        await ws.send(op="auth", token=scene.alice.token)
        assert await ws.next() == {"type": "authenticated"}
        await ws.subscribe("user")
        await relay(app)
        # Her own bid, then being outbid (her user channel carries her orders too).
        mine = await ws.events(2)
        assert [m["event"] for m in mine] == ["auction.bid", "auction.outbid"]
        heard = mine[1]
        assert heard["channel"] == "user"
        assert heard["data"]["user_id"] == scene.alice.user["id"]
        assert heard["data"]["current_price"] == "21"
        # The same event made her in-app notification.
        assert (await notifications(client, scene.alice))["items"][0]["event_id"] == heard["id"]
        assert await watcher.quiet()  # nobody else's user channel hears it


async def test_a_dropped_socket_resumes_with_every_missed_event_once_in_order(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    scene = await outbid(client, app)
    channel = f"auction:{scene.auction['id']}"
    await relay(app)
    async with serve_here(app) as url:
        async with open_socket(url) as ws:
            await ws.subscribe(channel, last_event_id=0)
            seen = await ws.events(3)  # created, two bids: replayed from the outbox
            assert [m["event"] for m in seen] == ["auction.created", "auction.bid", "auction.bid"]
            last = seen[-1]["id"]
        # Dropped. Bids go on meanwhile.
        carol = await buyer(client, app, "500")
        for amount in ("60", "80", "100"):
            await ok_bid(
                client, carol if amount != "80" else scene.alice, scene.auction["id"], amount
            )
        await relay(app)
        async with open_socket(url) as ws:
            await ws.subscribe(channel, last_event_id=last)
            missed = await ws.events(3)
            assert [m["event"] for m in missed] == ["auction.bid"] * 3
            ids = [m["id"] for m in missed]
            assert ids == sorted(ids) and ids[0] > last
            assert await ws.quiet()  # each once
            # Live again from here: the next bid arrives once.
            dave = await buyer(client, app, "500")
            await ok_bid(client, dave, scene.auction["id"], "300")
            await relay(app)
            (live,) = await ws.events(1)
            assert live["id"] > ids[-1] and live["event"] == "auction.bid"
            assert await ws.quiet()


async def test_heartbeats_on_a_quiet_socket(app: FastAPI) -> None:
    app.state.services.settings.ws_heartbeat_seconds = 0.05
    async with serve_here(app) as url, open_socket(url) as ws:
        beat = json_of(await ws.connection.recv())
        assert beat["type"] == "heartbeat" and beat["at"] <= utcnow().isoformat()


def json_of(raw: str | bytes) -> dict[str, object]:
    import json

    found: dict[str, object] = json.loads(raw)
    return found


async def test_a_session_cookie_counts_only_from_the_sites_own_pages(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await sign_in(client)
    cookie = f"ece_session={user.token}"
    async with serve_here(app) as url:
        async with open_socket(url, Cookie=cookie, Origin="http://127.0.0.1:8000") as ws:
            assert (await ws.subscribe("user"))["type"] == "subscribed"
        async with open_socket(url, Cookie=cookie, Origin="https://evil.example") as ws:
            assert (await ws.subscribe("user"))["code"] == "auth_required"

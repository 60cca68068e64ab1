"""The server's WebSocket protocol: a pre-built frame written straight to an open socket, and
refused (so the hub queues it) while the transport is paused or once the socket closes; a
socket whose reader stops is cut off without holding up the others."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError

from ece.core.clock import utcnow
from ece.core.outbox import Event
from ece.realtime import hub as hub_module
from ece.realtime.protocol import FRAMES, WriteFrame, text_frame
from tests.realtime.support import Socket, open_socket, serve_here, serve_http


class App:
    """An ASGI app that accepts a socket and hands its frame writer to the test."""

    def __init__(self) -> None:
        self.writer: asyncio.Future[WriteFrame] | None = None
        self.closed = asyncio.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket" and self.writer is not None
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        self.writer.set_result(scope["extensions"][FRAMES]["write"])
        message = await receive()
        assert message["type"] == "websocket.disconnect"
        self.closed.set()


async def test_frames_go_straight_out_unless_paused_or_closed() -> None:
    app = App()
    app.writer = asyncio.get_running_loop().create_future()
    async with serve_http(app) as base, open_socket(base.replace("http", "ws", 1)) as ws:
        write = await asyncio.wait_for(app.writer, 10)
        assert write(text_frame('{"type": "n1"}'))
        assert await ws.next() == {"type": "n1"}
        protocol = write.__self__  # type: ignore[attr-defined]
        protocol.pause_writing()  # the peer reads slowly: its buffer is full
        assert not write(text_frame('{"type": "n2"}'))
        protocol.resume_writing()
        assert write(text_frame('{"type": "n3"}'))
        assert await ws.next() == {"type": "n3"}  # n2 was refused, never sent
        await ws.connection.close()
        await asyncio.wait_for(app.closed.wait(), 10)
        assert not write(text_frame('{"type": "n4"}'))


async def test_the_app_s_sockets_write_through_the_protocol(app: FastAPI) -> None:
    hub = app.state.services.hub
    async with serve_here(app) as url, open_socket(url) as ws:
        await ws.subscribe("market")
        subscribers = [s for s in hub._by_channel["market"]]
        assert len(subscribers) == 1 and subscribers[0].write is not None


async def test_a_reader_that_stops_is_cut_off_and_never_holds_up_the_others(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frames go straight from the hub to each socket. One client stops reading: its buffers
    fill, its transport pauses, its bounded queue overflows and it is cut off (close 1013,
    seen once it reads again), while a reading socket gets every event once, in order."""
    monkeypatch.setattr(hub_module, "QUEUE_SIZE", 4)
    hub = app.state.services.hub
    first = random.randrange(10**12, 10**13)  # ids of this test only (a shared Redis)
    note = "x" * 32_768  # big events fill the kernel's buffers in a few hundred
    async with (
        serve_here(app) as url,
        connect(url, max_queue=1, max_size=2**20) as stalled_connection,
        open_socket(url) as reading,
    ):
        stalled = Socket(stalled_connection)
        assert (await stalled.subscribe("market"))["type"] == "subscribed"
        (cut,) = hub._by_channel["market"]
        assert (await reading.subscribe("market"))["type"] == "subscribed"
        sent = 0
        while not cut.overflowed:  # the stalled client reads nothing meanwhile
            assert sent < 5000, "the stalled socket was never cut off"
            batch = [
                Event(first + sent + n, "listing.created", f"l{n}", {"note": note}, utcnow())
                for n in range(10)
            ]
            await hub.publish(batch)
            sent += len(batch)
            assert [m["id"] for m in await reading.events(10)] == [e.id for e in batch]
        # Reading again: the events before the cut, in order, each once, then the close.
        ids: list[int] = []
        with pytest.raises(ConnectionClosedError) as closed:
            await read_ids(stalled, ids)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
        assert 0 < len(ids) < sent and ids == list(range(first, first + len(ids)))


async def read_ids(socket: Socket, into: list[int]) -> None:
    """Event ids, in the order they come, until the socket closes (which raises)."""
    while True:
        into.append((await socket.next(timeout=30))["id"])

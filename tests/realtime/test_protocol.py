"""The server's WebSocket protocol: a pre-built frame written straight to an open socket, and
refused (so the hub queues it) while the transport is paused or once the socket closes."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from ece.realtime.protocol import FRAMES, WriteFrame, text_frame
from tests.realtime.support import open_socket, serve_here, serve_http


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

"""A real server for WebSocket tests, in the test's own event loop, and a socket client."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect

from ece.realtime.protocol import UVICORN_OPTIONS


@asynccontextmanager
async def serve_here(app: FastAPI) -> AsyncIterator[str]:
    """``app`` (already started) served by uvicorn on a free port in this event loop: the
    socket handlers share the loop with the test's relay and database. Yields its socket URL."""
    # With Redis, events published before the hub's subscription is confirmed reach no one.
    await asyncio.wait_for(app.state.services.hub.subscribed(), 60)
    async with serve_http(app) as base:
        # FastAPI builds its route table on the first request: seconds on a loaded box, which
        # would otherwise fall inside the first socket's opening handshake (and its timeout).
        async with httpx.AsyncClient(timeout=120) as warm:
            await warm.get(base + "/api/v1/ws")
        yield base.replace("http://", "ws://") + "/api/v1/ws"


@asynccontextmanager
async def serve_http(app: Any) -> AsyncIterator[str]:
    """Any ASGI app served on a free port in this event loop; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # The WebSocket protocol production serves with (``ece serve``).
    config = uvicorn.Config(app, log_level="warning", lifespan="off", **UVICORN_OPTIONS)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


class Socket:
    """A client socket that reads the server's messages as JSON, skipping heartbeats."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, **message: Any) -> None:
        await self.connection.send(json.dumps(message))

    async def next(self, timeout: float = 5.0) -> dict[str, Any]:
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), timeout)
            message: dict[str, Any] = json.loads(raw)
            if message["type"] != "heartbeat":
                return message

    async def events(self, count: int) -> list[dict[str, Any]]:
        found = [await self.next() for _ in range(count)]
        assert all(m["type"] == "event" for m in found), found
        return found

    async def until(self, last: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Every event up to and including the first that ``last`` accepts. Events are sent in
        the order they were published: once a sentinel published last has arrived, anything
        published before it has arrived too, so no waiting for silence is needed."""
        found: list[dict[str, Any]] = []
        while not found or not last(found[-1]):
            message = await self.next()
            assert message["type"] == "event", message
            found.append(message)
        return found

    async def quiet(self, timeout: float = 0.3) -> bool:
        """True when nothing (but heartbeats) arrives for ``timeout`` seconds."""
        try:
            await self.next(timeout)
        except TimeoutError:
            return True
        return False

    async def subscribe(self, *channels: str, **extra: Any) -> dict[str, Any]:
        await self.send(op="subscribe", channels=list(channels), **extra)
        return await self.next()


@asynccontextmanager
async def open_socket(url: str, **headers: str) -> AsyncIterator[Socket]:
    async with connect(url, additional_headers=headers or None) as connection:
        yield Socket(connection)

"""A fan-out client process (``bench/fanout.py`` starts a few): opens COUNT anonymous sockets
subscribed to ``market``, prints ``ready``, then prints as JSON each socket's latency from the
``trade.executed`` event's ``at`` to its receipt. Imports nothing of ECE, to start fast.

Each socket is a bare asyncio protocol driving the ``websockets`` library's sans-I/O client
(handshake, framing, masking): no task, queue or reader loop per socket, so the client's own
cost per message stays small beside the server's. A socket's receipt time is taken as soon as
the frame carrying ``trade.executed`` is parsed; its JSON is read after all have arrived."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from typing import cast
from urllib.parse import urlsplit

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.uri import parse_uri

SUBSCRIBE = json.dumps({"op": "subscribe", "channels": ["market"]})
CONNECTS_AT_ONCE = 200


class Tally:
    """Sockets that got the trade (or closed): ``done`` is set when all have."""

    def __init__(self) -> None:
        self.expected = 0
        self.finished = 0
        self.done = asyncio.Event()

    def finish(self) -> None:
        self.finished += 1
        if self.expected and self.finished >= self.expected:
            self.done.set()


class Socket(asyncio.Protocol):
    def __init__(self, url: str, subscribed: asyncio.Future[None], tally: Tally) -> None:
        self.ws = ClientProtocol(parse_uri(url), max_size=2**20)
        self.subscribed = subscribed
        self.tally = tally
        self.transport: asyncio.Transport | None = None
        self.received_at: float | None = None
        self.frame: bytes | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.ws.send_request(self.ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                self._frame(event.data)
            elif not isinstance(event, Frame) and not self.subscribed.done():
                # The handshake's response: subscribe.
                if self.ws.handshake_exc is not None:
                    self.subscribed.set_exception(self.ws.handshake_exc)
                    return
                self.ws.send_text(SUBSCRIBE.encode())
        self._flush()

    def _frame(self, data: bytes) -> None:
        if self.received_at is None and b'"trade.executed"' in data:
            self.received_at = time.time()
            self.frame = data
            self.tally.finish()
        elif not self.subscribed.done() and b'"subscribed"' in data:
            self.subscribed.set_result(None)

    def _flush(self) -> None:
        assert self.transport is not None
        for chunk in self.ws.data_to_send():
            if chunk:
                self.transport.write(chunk)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.subscribed.done():
            self.subscribed.set_exception(exc or ConnectionError("closed before subscribing"))
        elif self.received_at is None:
            self.received_at = -1.0  # lost: counted as not received
            self.tally.finish()


def latency(socket: Socket) -> float:
    assert socket.frame is not None and socket.received_at is not None
    at = json.loads(socket.frame)["at"]
    return socket.received_at - datetime.fromisoformat(at).timestamp()


async def _listen(url: str, count: int, ready: asyncio.Event) -> list[float]:
    loop = asyncio.get_running_loop()
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)
    tally = Tally()
    sockets: list[Socket] = []

    async def one() -> None:
        async with gate:
            subscribed: asyncio.Future[None] = loop.create_future()
            _, socket = await loop.create_connection(
                lambda: Socket(url, subscribed, tally), parts.hostname, parts.port
            )
            await subscribed
            sockets.append(socket)

    await asyncio.gather(*(one() for _ in range(count)))
    tally.expected = count
    ready.set()
    try:
        await asyncio.wait_for(tally.done.wait(), 60)
    except TimeoutError:
        pass
    finally:
        for socket in sockets:
            assert socket.transport is not None
            socket.transport.close()
    return [latency(s) for s in sockets if s.frame is not None]


def client_main(url: str, count: int) -> None:
    """A client process: ``ready`` on stdout once subscribed, then the latencies as JSON."""

    async def go() -> list[float]:
        ready = asyncio.Event()
        task = asyncio.create_task(_listen(url, count, ready))
        await ready.wait()
        print("ready", flush=True)
        return await task

    try:
        import uvloop
    except ImportError:
        print(json.dumps(asyncio.run(go())), flush=True)
    else:
        print(json.dumps(uvloop.run(go())), flush=True)


if __name__ == "__main__":
    client_main(sys.argv[1], int(sys.argv[2]))

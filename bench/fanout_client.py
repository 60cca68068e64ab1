"""A fan-out client process (``bench/fanout.py`` starts a few): opens COUNT anonymous sockets
subscribed to ``market``, prints ``ready``, then ``received`` once every socket has the trade
(or 60 s passed), then, its sockets closed, prints as JSON each socket's latency from the
``trade.executed`` event's ``at`` to its receipt, and how many sockets got it more than once.
Imports nothing of ECE, to start fast.

Each socket is a bare asyncio protocol: no task, queue or reader loop per socket, so the
client's own cost per message stays small beside the server's (both share the same cores).
The handshake and the subscription go through the ``websockets`` library's sans-I/O client,
which offers per-message deflate as browsers do (the server declines it). Once subscribed, the
socket reads the server's frames itself: whole frames, unmasked (a server never masks), parsed
from their header. A socket's receipt time is taken when the bytes holding the frame that
carries ``trade.executed`` are read; its JSON (and that of any later frame naming the trade,
to find an event received twice) is read after all have arrived."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from datetime import datetime
from typing import cast
from urllib.parse import urlsplit

from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.uri import parse_uri

SUBSCRIBE = json.dumps({"op": "subscribe", "channels": ["market"]})
CONNECTS_AT_ONCE = 200
TRADE = b'"trade.executed"'
# After the last socket got the trade, how long a repeat still counts as one.
REPEAT_WINDOW_SECONDS = 1.0


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
        self.ws = ClientProtocol(
            parse_uri(url), extensions=[ClientPerMessageDeflateFactory()], max_size=2**20
        )
        self.subscribed = subscribed
        self.tally = tally
        self.transport: asyncio.Transport | None = None
        self.received_at: float | None = None
        self.frame: bytes | None = None
        self.later: list[bytes] = []  # frames naming the trade after the first
        self.buffer = b""
        self.raw = False  # reading frames itself (after subscribing)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.ws.send_request(self.ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        if self.raw:
            self._read_frames(data, time.time())
            return
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                self._message(event.data, time.time())
            elif not isinstance(event, Frame) and not self.subscribed.done():
                # The handshake's response: subscribe.
                if self.ws.handshake_exc is not None:
                    self.subscribed.set_exception(self.ws.handshake_exc)
                    return
                self.ws.send_text(SUBSCRIBE.encode())
        self._flush()

    def _read_frames(self, data: bytes, now: float) -> None:
        """Whole frames from the server: FIN + opcode, a length of 7, 7+16 or 7+64 bits, then
        the payload (unfragmented: the server sends each message as one frame)."""
        buffer = self.buffer + data if self.buffer else data
        at, end = 0, len(buffer)
        while end - at >= 2:
            first, size, head = buffer[at], buffer[at + 1] & 0x7F, 2
            if size == 126:
                size, head = int.from_bytes(buffer[at + 2 : at + 4], "big"), 4
            elif size == 127:
                size, head = int.from_bytes(buffer[at + 2 : at + 10], "big"), 10
            if end - at < head + size:
                break
            payload = buffer[at + head : at + head + size]
            at += head + size
            opcode = first & 0x0F
            if first & 0x80 == 0 or first & 0x70:
                raise ValueError(f"unexpected frame: {first:#x}")  # fragmented or compressed
            if opcode == Opcode.TEXT.value:
                self._message(payload, now)
            elif opcode == Opcode.PING.value:
                self.ws.send_pong(payload)  # the library masks the client's frame
                self._flush()
            elif opcode == Opcode.CLOSE.value:
                assert self.transport is not None
                self.transport.close()
        self.buffer = buffer[at:]

    def _message(self, data: bytes, now: float) -> None:
        if TRADE in data:
            if self.received_at is None:
                self.received_at = now
                self.frame = data
                self.tally.finish()
            else:
                self.later.append(data)  # read after the run: the same event again?
        elif not self.subscribed.done() and b'"subscribed"' in data:
            # Nothing more is sent to this socket until an event: from here it reads frames
            # itself, unless an extension (deflate) was agreed on.
            self.raw = not self.ws.extensions
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


def repeated(socket: Socket) -> bool:
    """Whether the trade's event (its id) reached this socket more than once."""
    if socket.frame is None:
        return False
    first = json.loads(socket.frame)
    return any(
        (m.get("id"), m.get("event")) == (first["id"], first["event"])
        for m in map(json.loads, socket.later)
    )


def latency(socket: Socket) -> float:
    assert socket.frame is not None and socket.received_at is not None
    at = json.loads(socket.frame)["at"]
    return socket.received_at - datetime.fromisoformat(at).timestamp()


async def _listen(url: str, count: int, ready: asyncio.Event) -> dict[str, object]:
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
    started = time.process_time()
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(tally.done.wait(), 60)
        cpu = time.process_time() - started  # this process's own cost of receiving the trade
        # The bench reads the servers' CPU now: before the repeat window, and before these
        # sockets close (10,000 closes cost the server more than the event did).
        print("received", flush=True)
        await asyncio.sleep(REPEAT_WINDOW_SECONDS)  # a repeat, had there been one, arrives
    finally:
        for socket in sockets:
            assert socket.transport is not None
            socket.transport.close()
    first = next((s.frame for s in sockets if s.frame is not None), None)
    return {
        "at": json.loads(first)["at"] if first is not None else None,  # the event's own time
        "latencies": [latency(s) for s in sockets if s.frame is not None],
        "repeated": sum(map(repeated, sockets)),
        "cpu_seconds": cpu,
    }


def client_main(url: str, count: int) -> None:
    """A client process: ``ready`` on stdout once subscribed, then its figures as JSON."""

    async def go() -> dict[str, object]:
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

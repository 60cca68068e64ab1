"""One WebSocket connection: its client's operations in, events and heartbeats out.

Client messages: ``{"op": "auth", "token"}``, ``{"op": "subscribe", "channels": [...],
"last_event_id"?}``, ``{"op": "unsubscribe", "channels": [...]}``, ``{"op": "ping"}``. Server
messages: ``event``, ``subscribed``, ``unsubscribed``, ``authenticated``, ``pong``,
``heartbeat`` (after ``heartbeat_seconds`` of silence) and ``error`` (``code``, ``detail``).
Everything the server sends goes through the subscriber's one queue, written by one task.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.metrics import WEBSOCKETS_OPEN
from ece.realtime import rules, service
from ece.realtime.hub import Hub, Subscriber
from ece.realtime.protocol import FRAMES

MAX_MESSAGE_CHARS = 16 * 1024
# The user id behind a token, or None when it is not a valid credential.
Authenticate = Callable[[str], Awaitable[str | None]]


def _error(code: str, detail: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "detail": detail}


@dataclass
class Stream:
    websocket: WebSocket
    hub: Hub
    db: Database
    authenticate: Authenticate
    user_id: str | None
    heartbeat_seconds: float
    replay_limit: int

    async def run(self) -> None:
        # The server's frame writer, when it has one (``ece.realtime.protocol``).
        frames = (self.websocket.scope.get("extensions") or {}).get(FRAMES)
        subscriber = Subscriber(write=frames["write"] if frames else None)
        WEBSOCKETS_OPEN.inc()
        tasks = {
            asyncio.create_task(self._read(subscriber)),
            asyncio.create_task(self._write(subscriber)),
        }
        try:
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in done:
                exc = task.exception()
                if exc is not None and not isinstance(exc, WebSocketDisconnect):
                    raise exc
        finally:
            self.hub.remove(subscriber, set(subscriber.channels))
            WEBSOCKETS_OPEN.dec()

    async def _write(self, subscriber: Subscriber) -> None:
        """Send the queue's messages in order, and a heartbeat after ``heartbeat_seconds`` in
        which nothing went out (by this task or straight from the hub)."""
        queue = subscriber.queue
        loop = asyncio.get_running_loop()
        sent_at = loop.time()
        while True:
            if queue.empty():
                # ``timeout_at`` rather than ``wait_for``: no task per wait.
                silence_ends = max(sent_at, subscriber.wrote_at) + self.heartbeat_seconds
                try:
                    async with asyncio.timeout_at(silence_ends):
                        text = await queue.get()
                except TimeoutError:
                    if loop.time() < max(sent_at, subscriber.wrote_at) + self.heartbeat_seconds:
                        continue  # events went straight out meanwhile: not silent
                    text = json.dumps({"type": "heartbeat", "at": utcnow().isoformat()})
            else:
                text = queue.get_nowait()
            subscriber.sending = True  # until sent, the hub queues behind this message
            try:
                await self.websocket.send_text(text)
            finally:
                subscriber.sending = False
            sent_at = loop.time()
            if subscriber.overflowed and subscriber.queue.empty():
                # Cut off: the client reconnects and resumes from its last event id.
                with contextlib.suppress(RuntimeError):
                    await self.websocket.close(code=1013, reason="slow_consumer")
                return

    async def _read(self, subscriber: Subscriber) -> None:
        while True:
            raw = await self.websocket.receive_text()
            if len(raw) > MAX_MESSAGE_CHARS:
                subscriber.send(_error("message_too_large", "Messages are at most 16 KiB."))
                continue
            try:
                message = json.loads(raw)
            except ValueError:
                message = None
            if not isinstance(message, dict):
                subscriber.send(_error("invalid_message", "Send a JSON object with an 'op'."))
                continue
            await self._handle(subscriber, message)

    async def _handle(self, subscriber: Subscriber, message: dict[str, Any]) -> None:
        op = message.get("op")
        if op == "ping":
            subscriber.send({"type": "pong"})
        elif op == "auth":
            await self._auth(subscriber, message.get("token"))
        elif op in ("subscribe", "unsubscribe"):
            try:
                resolved = rules.resolve(_names(message.get("channels")), self.user_id)
            except rules.ChannelRefused as refused:
                subscriber.send(_error(refused.code, refused.detail))
                return
            if op == "unsubscribe":
                self.hub.remove(subscriber, set(resolved.values()))
                subscriber.send({"type": "unsubscribed", "channels": list(resolved)})
            else:
                await self._subscribe(subscriber, resolved, message.get("last_event_id"))
        else:
            subscriber.send(_error("unknown_op", "op is auth, subscribe, unsubscribe or ping."))

    async def _auth(self, subscriber: Subscriber, token: object) -> None:
        if self.user_id is not None:
            subscriber.send(_error("already_authenticated", "This socket is signed in."))
            return
        user_id = await self.authenticate(token) if isinstance(token, str) and token else None
        if user_id is None:
            subscriber.send(_error("invalid_token", "The token is not a valid credential."))
            return
        self.user_id = user_id
        subscriber.send({"type": "authenticated"})

    async def _subscribe(
        self, subscriber: Subscriber, resolved: dict[str, str], last_event_id: object
    ) -> None:
        channels = set(resolved.values())
        if last_event_id is None:
            self.hub.add(subscriber, channels)
            subscriber.send({"type": "subscribed", "channels": list(resolved)})
            return
        if isinstance(last_event_id, bool) or not isinstance(last_event_id, int):
            subscriber.send(_error("invalid_message", "last_event_id is an event id."))
            return
        # Live events wait while the database replays what was missed; then both go out in
        # order (replay first), each event once.
        subscriber.holding = []
        self.hub.add(subscriber, channels)
        subscriber.send({"type": "subscribed", "channels": list(resolved)})
        try:
            wires, cut = await service.missed(self.db, last_event_id, channels, self.replay_limit)
        finally:
            held, subscriber.holding = subscriber.holding, None
        for wire in wires:
            subscriber.send_event(wire)
        if cut:
            subscriber.send(_error("replay_truncated", "Too much was missed: reload, then resume."))
        for wire in held or ():
            subscriber.send_event(wire)


def _names(channels: object) -> list[object]:
    if not isinstance(channels, list):
        raise rules.ChannelRefused("invalid_message", "channels is a list of channel names.")
    return channels

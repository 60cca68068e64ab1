"""The fan-out: events from the outbox relay to every subscriber of their channels.

Without Redis, ``publish`` hands events straight to this process's subscribers (``ece serve``
runs the relay in the same process). With ``ECE_REDIS_URL``, ``publish`` sends them to one Redis
pub/sub topic and every replica's hub, subscribed to it, hands them to its own subscribers: the
relay may run in any process. A subscriber whose queue is full is cut off (the socket closes and
the client resumes from its last event id) rather than slowing everyone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
import structlog
from redis.asyncio.connection import parse_url

from ece.core.outbox import Event
from ece.realtime import rules
from ece.realtime.protocol import WriteFrame, text_frame

log = structlog.get_logger(__name__)

TOPIC = "ece:events"

QUEUE_SIZE = 2000
SEEN_SIZE = 10_000


def topic_of(redis_url: str) -> str:
    """The pub/sub topic of the Redis database ``redis_url`` names. Pub/sub is server-wide in
    Redis, unlike keys: deployments (or test workers) sharing a server on separate databases
    would hear each other's events on one topic, so the database number is part of its name."""
    db = int(parse_url(redis_url).get("db", 0) or 0)
    return f"{TOPIC}:{db}"


@dataclass(frozen=True, slots=True)
class Wire:
    """An event as it travels: its id, type, data, time and the channels it is published on."""

    id: int
    event: str
    data: dict[str, Any]
    at: str
    channels: tuple[str, ...]
    # The message text and its WebSocket frame per channel, built once for all subscribers.
    _texts: dict[str, str] = field(default_factory=dict, compare=False)
    _frames: dict[str, bytes] = field(default_factory=dict, compare=False)

    def message(self, channel: str) -> dict[str, Any]:
        return {
            "type": "event",
            "channel": rules.shown_name(channel),
            "id": self.id,
            "event": self.event,
            "data": self.data,
            "at": self.at,
        }

    def text(self, channel: str) -> str:
        found = self._texts.get(channel)
        if found is None:
            found = self._texts[channel] = json.dumps(self.message(channel))
        return found

    def frame(self, channel: str) -> bytes:
        found = self._frames.get(channel)
        if found is None:
            found = self._frames[channel] = text_frame(self.text(channel))
        return found


def wire_of(event: Event) -> Wire:
    channels = rules.channels_for(event.type, event.aggregate_id, event.payload)
    return Wire(event.id, event.type, event.payload, event.created_at.isoformat(), tuple(channels))


def _encode(wires: Sequence[Wire]) -> str:
    return json.dumps([[w.id, w.event, w.data, w.at, list(w.channels)] for w in wires])


def _decode(raw: bytes | str) -> list[Wire]:
    return [Wire(i, e, d, a, tuple(c)) for i, e, d, a, c in json.loads(raw)]


@dataclass(eq=False)
class Subscriber:
    """One socket's subscriptions and its outgoing queue of message texts. Each event id goes
    out once, in order.

    With ``write`` (the server's frame writer, ``ece.realtime.protocol``), an event goes
    straight to the socket while nothing is queued or being sent before it: no task switch per
    subscriber. Otherwise (a paused transport, a backlog) it joins the queue, behind the rest."""

    channels: set[str] = field(default_factory=set)
    queue: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflowed: bool = False
    write: WriteFrame | None = None
    # The writer task is inside a send (it may wait for the transport): nothing may pass it.
    sending: bool = False
    # When an event last went straight out (loop time): the heartbeat counts silence from here.
    wrote_at: float = 0.0
    # While a resume replays from the database, live events wait here (then go, deduplicated).
    holding: list[Wire] | None = None
    _seen: set[int] = field(default_factory=set)
    _seen_order: list[int] = field(default_factory=list)

    def offer(self, wire: Wire, channel: str | None = None) -> None:
        if self.holding is not None:
            self.holding.append(wire)
            return
        self.send_event(wire, channel)

    def send_event(self, wire: Wire, channel: str | None = None) -> None:
        """Send ``wire`` on the first of its channels this subscriber has (``channel`` when
        the caller knows it: the event's only one), unless sent before."""
        if channel is None:
            for candidate in wire.channels:
                if candidate in self.channels:
                    channel = candidate
                    break
            else:
                return
        elif channel not in self.channels:
            return
        if wire.id in self._seen or self.overflowed:
            return
        self._seen.add(wire.id)
        self._seen_order.append(wire.id)
        if len(self._seen_order) > SEEN_SIZE:
            drop = self._seen_order[: SEEN_SIZE // 2]
            del self._seen_order[: SEEN_SIZE // 2]
            self._seen.difference_update(drop)
        write = self.write
        # Straight out only when nothing is queued or in flight before it (order holds).
        if (
            write is not None
            and not self.sending
            and not self.queue.qsize()
            and write(wire.frame(channel))
        ):
            self.wrote_at = asyncio.get_running_loop().time()
            return
        self._put(wire.text(channel))

    def send(self, message: dict[str, Any]) -> None:
        self._put(json.dumps(message))

    def _put(self, text: str) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            # Cut off: the writer closes the socket once the queue is drained.
            self.overflowed = True


class Hub:
    """Subscribers by channel, fed from ``publish`` here or (with Redis) on any replica."""

    def __init__(self, redis_url: str | None) -> None:
        self.redis_url = redis_url
        self.topic = topic_of(redis_url) if redis_url is not None else TOPIC
        self._by_channel: dict[str, set[Subscriber]] = {}
        self._publisher: aioredis.Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @property
    def subscribers(self) -> int:
        return len({s for subs in self._by_channel.values() for s in subs})

    def add(self, subscriber: Subscriber, channels: set[str]) -> None:
        subscriber.channels |= channels
        for channel in channels:
            self._by_channel.setdefault(channel, set()).add(subscriber)

    def remove(self, subscriber: Subscriber, channels: set[str]) -> None:
        subscriber.channels -= channels
        for channel in channels:
            subs = self._by_channel.get(channel)
            if subs is not None:
                subs.discard(subscriber)
                if not subs:
                    del self._by_channel[channel]

    def dispatch(self, wires: Sequence[Wire]) -> None:
        """Hand events to this process's subscribers."""
        for wire in wires:
            self._dispatch_one(wire)

    def _dispatch_one(self, wire: Wire) -> None:
        """Channel by channel in the event's order, so each subscriber gets it on the first
        of its channels: no set of all subscribers and no search per subscriber (a trade is
        on ``market`` for thousands, then on a few channels with a handful each)."""
        channels = wire.channels
        sent: set[Subscriber] = set()  # on an earlier channel of this event
        for n, channel in enumerate(channels):
            subscribers = self._by_channel.get(channel)
            if not subscribers:
                continue
            targets = tuple(subscribers)
            for subscriber in targets:
                if subscriber not in sent:
                    subscriber.offer(wire, channel)
            if any(self._by_channel.get(later) for later in channels[n + 1 :]):
                sent.update(targets)

    async def publish(self, events: Sequence[Event]) -> None:
        """Fan ``events`` out: through Redis to every replica, or to this process."""
        wires = [w for w in map(wire_of, events) if w.channels]
        if not wires:
            return
        if self.redis_url is None:
            self.dispatch(wires)
            return
        if self._publisher is None:
            self._publisher = aioredis.from_url(self.redis_url)
        await self._publisher.publish(self.topic, _encode(wires))

    async def start(self, *, wait_seconds: float = 5.0) -> None:
        """With Redis, subscribe to the topic (waits a bounded time for the subscription)."""
        if self.redis_url is None or self._listener is not None:
            return
        self._listener = asyncio.create_task(self._listen(), name="realtime-hub")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), wait_seconds)

    async def subscribed(self) -> None:
        """Wait until Redis has confirmed this hub's subscription (at once without Redis)."""
        if self.redis_url is not None:
            await self._listening.wait()

    async def stop(self) -> None:
        task, self._listener = self._listener, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._publisher is not None:
            await self._publisher.aclose()
            self._publisher = None

    async def _listen(self) -> None:
        assert self.redis_url is not None
        delay = 0.5
        while True:
            client = aioredis.from_url(self.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.topic)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.dispatch(_decode(message["data"]))
                        elif message.get("type") == "subscribe":
                            # Redis confirmed the subscription: from here nothing published
                            # is missed (sending the command alone does not promise that).
                            self._listening.set()
                            delay = 0.5
            except (aioredis.ConnectionError, aioredis.TimeoutError, OSError) as exc:
                log.warning("realtime.hub_lost", error=str(exc))
            finally:
                self._listening.clear()
                await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

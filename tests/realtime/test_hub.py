"""The in-process fan-out: each event once per subscriber, whatever channels it shares, and a
subscriber that cannot keep up is cut off instead of slowing the others."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime

import pytest
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from ece.core.outbox import Event
from ece.realtime.hub import Hub, Subscriber, topic_of
from tests.conftest import REDIS_URL


def trade(event_id: int) -> Event:
    payload = {"card_id": "c1", "company_id": "co1", "buyer_user_id": "u1"}
    return Event(event_id, "trade.executed", f"s{event_id}", payload, datetime.now(UTC))


async def test_each_event_once_per_subscriber_on_its_first_matching_channel() -> None:
    hub = Hub(None)
    both, card_only, nobody = Subscriber(), Subscriber(), Subscriber()
    hub.add(both, {"market", "card:c1"})
    hub.add(card_only, {"card:c1"})
    hub.add(nobody, {"card:other"})
    await hub.publish([trade(1), trade(2)])
    await hub.publish([trade(2)])  # a redelivery
    got = [json.loads(both.queue.get_nowait()) for _ in range(both.queue.qsize())]
    assert [(m["id"], m["channel"]) for m in got] == [(1, "market"), (2, "market")]
    assert card_only.queue.qsize() == 2 and nobody.queue.empty()
    hub.remove(both, {"market", "card:c1"})
    await hub.publish([trade(3)])
    assert both.queue.qsize() == 0 and card_only.queue.qsize() == 3
    assert hub.subscribers == 2


async def test_an_event_on_many_channels_goes_once_on_the_first_each_subscriber_has() -> None:
    hub = Hub(None)
    # trade(n) is on market, company:co1, card:c1 and user:u1, in that order.
    sockets = {name: Socket() for name in ("all", "card_then_company", "user", "late")}
    subscribers = {name: Subscriber(write=s.write) for name, s in sockets.items()}
    hub.add(subscribers["all"], {"user:u1", "card:c1", "company:co1", "market"})
    hub.add(subscribers["card_then_company"], {"card:c1"})
    hub.add(subscribers["card_then_company"], {"company:co1"})
    hub.add(subscribers["user"], {"user:u1"})
    subscribers["late"].holding = []  # resuming: live events wait behind the replay
    hub.add(subscribers["late"], {"card:c1", "market"})
    await hub.publish([trade(1), trade(2)])
    await hub.publish([trade(1)])  # a redelivery
    channels = {
        name: [json.loads(parse_text_frame(f))["channel"] for f in s.frames]
        for name, s in sockets.items()
    }
    assert channels == {
        "all": ["market", "market"],
        "card_then_company": ["company:co1", "company:co1"],
        "user": ["user", "user"],
        "late": [],
    }
    assert all(sockets[n].ids() == [1, 2] for n in ("all", "card_then_company", "user"))
    # The held events, each once, on the subscriber's first channel of each.
    late = subscribers["late"]
    assert late.holding is not None and [w.id for w in late.holding] == [1, 2, 1]
    held, late.holding = late.holding, None
    for wire in held:
        late.send_event(wire)
    assert sockets["late"].ids() == [1, 2]
    assert json.loads(parse_text_frame(sockets["late"].frames[0]))["channel"] == "market"


async def test_a_slow_subscriber_is_cut_off_and_others_go_on() -> None:
    hub = Hub(None)
    slow = Subscriber(queue=asyncio.Queue(2))
    fast = Subscriber()
    hub.add(slow, {"market"})
    hub.add(fast, {"market"})
    await hub.publish([trade(i) for i in range(1, 6)])
    assert slow.overflowed and slow.queue.qsize() == 2
    assert fast.queue.qsize() == 5 and not fast.overflowed


class Socket:
    """A socket's frame writer, as the server's protocol offers it: it takes frames while
    ``open`` and refuses them (the transport is paused) otherwise."""

    def __init__(self) -> None:
        self.open = True
        self.frames: list[bytes] = []

    def write(self, frame: bytes) -> bool:
        if self.open:
            self.frames.append(frame)
        return self.open

    def ids(self) -> list[int]:
        return [json.loads(parse_text_frame(f))["id"] for f in self.frames]


def parse_text_frame(frame: bytes) -> bytes:
    """The payload of an unmasked, unfragmented text frame."""
    reader = StreamReader()
    reader.feed_data(frame)
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        parsed: Frame = done.value
    assert parsed.opcode is Opcode.TEXT and parsed.fin
    return bytes(parsed.data)


def queued_ids(subscriber: Subscriber) -> list[int]:
    return [
        json.loads(subscriber.queue.get_nowait())["id"] for _ in range(subscriber.queue.qsize())
    ]


async def test_events_go_straight_to_a_writable_socket_as_one_shared_frame() -> None:
    hub = Hub(None)
    sockets = [Socket() for _ in range(3)]
    subscribers = [Subscriber(write=s.write) for s in sockets]
    for subscriber in subscribers:
        hub.add(subscriber, {"market", "card:c1"})
    await hub.publish([trade(1), trade(2)])
    await hub.publish([trade(2)])  # a redelivery: not sent again
    assert all(s.ids() == [1, 2] for s in sockets)
    assert all(sub.queue.empty() for sub in subscribers)
    # The frame is built once per event and channel: every socket got the same bytes object.
    assert sockets[0].frames[0] is sockets[1].frames[0] is sockets[2].frames[0]
    message = json.loads(parse_text_frame(sockets[0].frames[0]))
    assert (message["type"], message["channel"], message["event"]) == (
        "event",
        "market",
        "trade.executed",
    )


async def test_a_paused_socket_queues_and_nothing_overtakes_its_queue() -> None:
    hub = Hub(None)
    socket = Socket()
    subscriber = Subscriber(write=socket.write)
    hub.add(subscriber, {"market"})
    await hub.publish([trade(1)])
    socket.open = False  # the peer stopped reading: the transport is paused
    await hub.publish([trade(2), trade(3)])
    socket.open = True
    # Writable again, but 2 and 3 wait in the queue: 4 goes behind them, not past them.
    await hub.publish([trade(4)])
    assert socket.ids() == [1]
    assert queued_ids(subscriber) == [2, 3, 4]
    # Drained: straight out again.
    await hub.publish([trade(5)])
    assert socket.ids() == [1, 5] and subscriber.queue.empty()


async def test_nothing_passes_a_message_the_writer_is_sending() -> None:
    hub = Hub(None)
    socket = Socket()
    subscriber = Subscriber(write=socket.write)
    hub.add(subscriber, {"market"})
    subscriber.sending = True  # the writer task is inside a send, waiting for the transport
    await hub.publish([trade(1)])
    assert socket.ids() == [] and queued_ids(subscriber) == [1]


async def ids_until(subscriber: Subscriber, last: int) -> list[int]:
    ids: list[int] = []
    while last not in ids:
        ids.append(json.loads(await asyncio.wait_for(subscriber.queue.get(), 30))["id"])
    return ids


def test_the_topic_names_the_redis_database() -> None:
    assert topic_of("redis://127.0.0.1:6379") == topic_of("redis://127.0.0.1:6379/0")
    assert topic_of("redis://127.0.0.1:6379/3") == "ece:events:3"
    assert topic_of("redis://h:1/?db=4") == "ece:events:4"


@pytest.mark.redis
async def test_hubs_on_separate_redis_databases_never_hear_each_other() -> None:
    assert REDIS_URL is not None
    base = REDIS_URL.rstrip("/").rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL
    ours, theirs, twin = Hub(f"{base}/13"), Hub(f"{base}/14"), Hub(f"{base}/13")
    listener, stranger = Subscriber(), Subscriber()
    try:
        for hub in (ours, theirs, twin):
            await hub.start()
            await asyncio.wait_for(hub.subscribed(), 30)
        ours.add(listener, {"market"})
        theirs.add(stranger, {"market"})
        # Ids of this test only: a test worker using one of these databases may publish too.
        mine, sentinel = random.randrange(10**12, 10**13), random.randrange(10**13, 10**14)
        await twin.publish([trade(mine)])  # another replica of our deployment
        assert mine in await ids_until(listener, mine)
        # Then the other database's own event: Redis delivers in publish order, so had ours
        # reached that hub, it would have come before this one.
        await theirs.publish([trade(sentinel)])
        assert mine not in await ids_until(stranger, sentinel)
    finally:
        for hub in (ours, theirs, twin):
            await hub.stop()

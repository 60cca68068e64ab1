"""The in-process fan-out: each event once per subscriber, whatever channels it shares, and a
subscriber that cannot keep up is cut off instead of slowing the others."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime

import pytest

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


async def test_a_slow_subscriber_is_cut_off_and_others_go_on() -> None:
    hub = Hub(None)
    slow = Subscriber(queue=asyncio.Queue(2))
    fast = Subscriber()
    hub.add(slow, {"market"})
    hub.add(fast, {"market"})
    await hub.publish([trade(i) for i in range(1, 6)])
    assert slow.overflowed and slow.queue.qsize() == 2
    assert fast.queue.qsize() == 5 and not fast.overflowed


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

"""The in-process fan-out: each event once per subscriber, whatever channels it shares, and a
subscriber that cannot keep up is cut off instead of slowing the others."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from ece.core.outbox import Event
from ece.realtime.hub import Hub, Subscriber


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

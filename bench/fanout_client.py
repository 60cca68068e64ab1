"""A fan-out client process (``bench/fanout.py`` starts a few): opens COUNT anonymous sockets
subscribed to ``market``, prints ``ready``, then prints as JSON each socket's latency from the
``trade.executed`` event's ``at`` to its receipt. Imports nothing of ECE, to start fast."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from typing import Any


async def _listen(url: str, count: int, ready: asyncio.Event) -> list[float]:
    from websockets.asyncio.client import connect

    sockets = []
    gate = asyncio.Semaphore(200)

    async def one() -> None:
        async with gate:
            ws = await connect(url, max_size=2**20, ping_interval=None)
            await ws.send(json.dumps({"op": "subscribe", "channels": ["market"]}))
            while json.loads(await ws.recv()).get("type") != "subscribed":
                pass
            sockets.append(ws)

    await asyncio.gather(*(one() for _ in range(count)))
    ready.set()

    async def receive(ws: Any) -> float:
        while True:
            raw = await ws.recv()
            at = time.time()
            message = json.loads(raw)
            if message.get("event") == "trade.executed":
                return at - datetime.fromisoformat(message["at"]).timestamp()

    try:
        return list(await asyncio.wait_for(asyncio.gather(*(receive(w) for w in sockets)), 60))
    finally:
        await asyncio.gather(*(w.close() for w in sockets), return_exceptions=True)


def client_main(url: str, count: int) -> None:
    """A client process: ``ready`` on stdout once subscribed, then the latencies as JSON."""

    async def go() -> list[float]:
        ready = asyncio.Event()
        task = asyncio.create_task(_listen(url, count, ready))
        await ready.wait()
        print("ready", flush=True)
        return await task

    print(json.dumps(asyncio.run(go())), flush=True)


if __name__ == "__main__":
    client_main(sys.argv[1], int(sys.argv[2]))

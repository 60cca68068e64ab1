"""Rate limits per caller and per route (``limits``: in memory, or Redis via redis-py at scale).

A limited request is rejected before the endpoint runs, so it changes nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence

from fastapi import Request
from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


class RateLimiter:
    def __init__(self, storage_url: str | None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._storage_url = storage_url
        self._memory = MemoryStorage() if storage_url is None else None
        # redis-py's asyncio connections belong to the event loop that opened them: one storage
        # per loop (a server has one; a test that serves the app from another thread, two).
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[Storage, MovingWindowRateLimiter]
        ] = weakref.WeakKeyDictionary()

    def _storage(self) -> tuple[Storage, MovingWindowRateLimiter]:
        loop = asyncio.get_running_loop()
        if (found := self._by_loop.get(loop)) is not None:
            return found
        if self._memory is not None:
            storage: Storage = self._memory  # in-process counters are shared by every loop
        else:
            assert self._storage_url is not None
            # redis-py's asyncio client, the same library as the app's own Redis connection:
            # one Redis client library in the process (limits defaults to coredis).
            made = storage_from_string(
                self._storage_url.replace("redis://", "async+redis://", 1),
                implementation="redispy",
            )
            assert isinstance(made, Storage)
            storage = made
        self._by_loop[loop] = (storage, MovingWindowRateLimiter(storage))
        return self._by_loop[loop]

    @property
    def storage(self) -> Storage:
        return self._storage()[0]

    @property
    def limiter(self) -> MovingWindowRateLimiter:
        return self._storage()[1]

    async def hit(
        self, item: RateLimitItem, *identifiers: str, cost: int = 1
    ) -> tuple[bool, int, int]:
        """Count ``cost`` hits (none when they do not all fit); returns (allowed, remaining,
        seconds until reset)."""
        allowed = await self.limiter.hit(item, *identifiers, cost=cost)
        stats = await self.limiter.get_window_stats(item, *identifiers)
        reset_in = max(0, math.ceil(stats.reset_time - time.time()))
        return allowed, stats.remaining, reset_in

    async def reset(self) -> None:
        await self.storage.reset()


CallerOf = Callable[[Request], Awaitable[str]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[Network]
) -> bool:
    return any(address in network for network in proxies)


def _bucket(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        # One IPv6 subscriber gets a whole /64: keyed per address, it could rotate without end.
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_address(request: Request, proxies: Sequence[Network]) -> str:
    """The address to rate-limit an anonymous caller by.

    ``X-Forwarded-For`` is read only when the direct peer is one of our ``proxies``; then the
    right-most address that is not one of our proxies is the client (everything to its left was
    written by the client and proves nothing).
    """
    peer_text = request.client.host if request.client else "unknown"
    peer = _parse_ip(peer_text)
    if peer is None:
        return peer_text
    if not _trusted(peer, proxies):
        return _bucket(peer)
    hops = [h for value in request.headers.getlist("x-forwarded-for") for h in value.split(",")]
    client = peer
    for hop in reversed(hops):
        address = _parse_ip(hop)
        if address is None:
            break  # our proxies write addresses: junk came from the client, keep the last hop
        client = address
        if not _trusted(address, proxies):
            break
    return _bucket(client)

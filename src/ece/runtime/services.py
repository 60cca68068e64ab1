"""``Services``: everything a request or a job needs, built once at start-up and closed once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import redis.asyncio as aioredis
from sqlalchemy import make_url

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.chain.setup import build_chain, build_platform
from ece.config import Settings
from ece.controls.service import PauseCache
from ece.core.db import Database
from ece.core.outbox import Doorbell
from ece.core.pagecache import ChangeFeed, Feed, PageCache, SqliteChangeFeed
from ece.core.ratelimit import CallerOf, RateLimiter
from ece.ledger.service import AccountIdCache
from ece.realtime.hub import Hub


@dataclass
class Services:
    settings: Settings
    db: Database
    # One account-id cache per database (its pool); its sessions reach it through their info.
    account_ids: AccountIdCache
    chain: Chain
    platform: Platform
    rate_limiter: RateLimiter
    listing_pages: PageCache
    # The emergency pauses as this process knows them (refreshed from the table, and at once
    # on a Redis announcement).
    pauses: PauseCache
    # Live events to WebSocket subscribers (through Redis pub/sub when configured).
    hub: Hub = field(default_factory=lambda: Hub(None))
    # Wakes the outbox relay when events are committed (here, or on PostgreSQL anywhere).
    outbox_bell: Doorbell = field(default_factory=Doorbell)
    listing_feed: Feed | None = None
    redis: aioredis.Redis | None = None
    # Who a request counts as for rate limits (auth knows); without it, the client address.
    caller_key: CallerOf | None = None
    # Readiness reports the latest reconciliation's warnings without reading the chain itself.
    reconciliation_warnings: list[str] = field(default_factory=list)
    started: bool = False
    # The embedded chain's slot clock (a task while it runs).
    _slot_clock: asyncio.Task[None] | None = None
    _slot_clock_stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        if self.listing_feed is not None:
            await self.listing_feed.start()
        await self.pauses.start()
        await self.hub.start()
        interval = self.settings.slot_interval_s
        if isinstance(self.chain, LiteSvmChain) and interval > 0 and self._slot_clock is None:
            self._slot_clock_stop.clear()
            self._slot_clock = asyncio.create_task(
                self.chain.run_slot_clock(interval, self._slot_clock_stop)
            )

    async def close(self) -> None:
        if self._slot_clock is not None:
            self._slot_clock_stop.set()
            await self._slot_clock
            self._slot_clock = None
        if self.listing_feed is not None:
            await self.listing_feed.stop()
        await self.pauses.stop()
        await self.hub.stop()
        await self.outbox_bell.stop()
        await self.db.dispose()
        if self.redis is not None:
            await self.redis.aclose()
        await self.chain.close()


def build_services(
    settings: Settings,
    *,
    caller_key: CallerOf | None = None,
    listings_channel: str | None = None,
) -> Services:
    """The services of ``settings``. The keys and the embedded chain state must exist (``ece
    init`` makes them); opening the embedded chain takes its process lock until ``close``.
    With ``listings_channel`` the listing page cache follows the changes PostgreSQL announces
    there; on SQLite it follows every commit to the file (``PRAGMA data_version``)."""
    platform = build_platform(settings)
    chain = build_chain(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    account_ids = AccountIdCache()
    db = Database(
        settings.resolved_database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        session_info=account_ids.session_info(),
    )
    feed: Feed | None = None
    if listings_channel is not None and settings.listing_cache_seconds:
        if not db.is_sqlite:
            feed = ChangeFeed(db.libpq_url, listings_channel)
        elif (path := make_url(db.url).database) and path != ":memory:":
            feed = SqliteChangeFeed(path)
    redis = aioredis.from_url(settings.redis_url) if settings.redis_url else None
    return Services(
        settings=settings,
        db=db,
        account_ids=account_ids,
        chain=chain,
        platform=platform,
        rate_limiter=RateLimiter(settings.redis_url, enabled=settings.rate_limit_enabled),
        listing_pages=PageCache(
            "listings",
            feed,
            max_age_seconds=settings.listing_cache_seconds,
            max_bytes=settings.listing_cache_bytes,
        ),
        pauses=PauseCache(db, refresh=timedelta(seconds=settings.pause_refresh_s), redis=redis),
        listing_feed=feed,
        redis=redis,
        hub=Hub(settings.redis_url),
        outbox_bell=Doorbell(None if db.is_sqlite else db.libpq_url),
        caller_key=caller_key,
    )

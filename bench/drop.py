"""The drop: a collectible release where far more people press "buy" in the same second than
there are cards.

100 live listings of one company (the seeded company with the most still unsold) and one buyer
per request, each a different signed-in user with funds (``bench/seed.py``), none the seller of
the listing they press: request ``i`` buys listing ``i % 100``, so every listing has the same
number of buyers racing for it. All requests are sent at once, each on its own connection (one
``httpx`` client, no pool limit), with an ``Idempotency-Key`` as a careful client sends; the
latency of a request runs from the moment the burst starts, so it includes every wait a buyer
would see (connect, the server's queue, the writer lock).

Expected: exactly one 201 per listing, every other answer a clean 409 ``listing_unavailable``,
no 5xx, no transport error; the database then holds exactly one sale per listing.

Where the time goes: ``cpu_ms_per_request`` gives the CPU each side spent per request during
the burst, from the meters the caller passes (the web server's processes, PostgreSQL's) and
this process's own (``client``: the load generator, 2,000 connections opened, sent and read
by one Python process on the same cores as the server).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.seed import World
from ece.config import Settings
from ece.core.db import Database
from ece.market.models import Listing, ListingStatus
from ece.settlement.models import Sale

LISTINGS = 100
BUYERS = 2_000


@dataclass(frozen=True)
class Drop:
    listings: list[str]  # listing ids
    buyers: list[tuple[str, str]]  # (session token, listing id), one per request


async def plan(settings: Settings, world: World, exclude: set[str]) -> Drop | str:
    """The drop's listings and buyers, or why it cannot be run with this data."""
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work(write=False) as session:
            live = (
                Listing.status == ListingStatus.active.value,
                Listing.taker_address.is_(None),
            )
            company = await session.scalar(
                select(Listing.company_id)
                .where(*live)
                .group_by(Listing.company_id)
                .order_by(func.count().desc())
                .limit(1)
            )
            rows = (
                await session.execute(
                    select(Listing.id, Listing.seller_id)
                    .where(*live, Listing.company_id == company)
                    .order_by(Listing.id)
                )
            ).all()
    finally:
        await db.dispose()
    chosen = [(lid, seller) for lid, seller in rows if lid not in exclude][:LISTINGS]
    if len(chosen) < LISTINGS:
        return f"only {len(chosen)} live listings of one company left"
    sellers = {seller for _, seller in chosen}
    people = [user_id for user_id in world.user_ids if user_id not in sellers][:BUYERS]
    if len(people) < BUYERS:
        return f"only {len(people)} users who sell none of the drop's listings"
    buyers = [(world.tokens[u], chosen[i % LISTINGS][0]) for i, u in enumerate(people)]
    return Drop([lid for lid, _ in chosen], buyers)


async def _burst(url: str, drop: Drop) -> tuple[list[float], Counter[str], int]:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    timeout = httpx.Timeout(300.0)  # measured, not cut short: a late answer is a figure
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as client:
        began = time.perf_counter()

        async def press(n: int, token: str, listing_id: str) -> tuple[float, str]:
            try:
                response = await client.post(
                    f"/api/v1/listings/{listing_id}/buy",
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": f"drop-{n}",
                    },
                    json={},
                )
                code = str(response.status_code)
                if response.status_code == 409:
                    code += f" {response.json().get('code')}"
            except httpx.HTTPError as exc:
                code = f"transport {type(exc).__name__}"
            return time.perf_counter() - began, code

        answers = await asyncio.gather(
            *(press(n, token, listing_id) for n, (token, listing_id) in enumerate(drop.buyers))
        )
        wall = time.perf_counter() - began
    latencies = sorted(seconds * 1000 for seconds, _ in answers)
    return latencies, Counter(code for _, code in answers), int(wall * 1000)


def _percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return 0.0
    return round(sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))], 1)


async def _sales_on(settings: Settings, listings: list[str]) -> int:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work(write=False) as session:
            count = await session.scalar(
                select(func.count()).select_from(Sale).where(Sale.ref.in_(listings))
            )
            return int(count or 0)
    finally:
        await db.dispose()


def run(
    url: str,
    settings: Settings,
    world: World,
    exclude: set[str],
    meters: Mapping[str, Callable[[], float]] | None = None,
) -> dict[str, Any]:
    """The drop against the server at ``url``; its figures and verdict. ``meters``: CPU
    seconds used so far by each named side (read before and after the burst)."""
    drop = asyncio.run(plan(settings, world, exclude))
    if isinstance(drop, str):
        return {"skipped": drop, "ok": False, "listings": []}
    meters = dict(meters or {})
    meters["client"] = time.process_time
    before = {name: meter() for name, meter in meters.items()}
    latencies, codes, wall_ms = asyncio.run(_burst(url, drop))
    cpu_ms = {
        name: round((meter() - before[name]) * 1000 / len(drop.buyers), 2)
        for name, meter in meters.items()
    }
    sales = asyncio.run(_sales_on(settings, drop.listings))
    created = codes.get("201", 0)
    clean_409 = codes.get("409 listing_unavailable", 0)
    server_errors = sum(n for code, n in codes.items() if code.startswith("5"))
    transport = sum(n for code, n in codes.items() if code.startswith("transport"))
    expected_409 = len(drop.buyers) - len(drop.listings)
    ok = (
        sales == created == len(drop.listings)
        and clean_409 == expected_409
        and server_errors == 0
        and transport == 0
    )
    return {
        "listings": drop.listings,
        "listing_count": len(drop.listings),
        "buyers": len(drop.buyers),
        "sales": sales,
        "answers": dict(sorted(codes.items())),
        "created_201": created,
        "clean_409": clean_409,
        "server_errors_5xx": server_errors,
        "transport_errors": transport,
        "p50_ms": _percentile(latencies, 0.50),
        "p95_ms": _percentile(latencies, 0.95),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "wall_ms": wall_ms,
        "cpu_ms_per_request": cpu_ms,
        "ok": ok,
    }

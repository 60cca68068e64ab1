"""The drop: a collectible release where far more people press "buy" in the same second than
there are cards.

100 live listings of one company (the seeded company with the most still unsold) and one buyer
per request, each a different signed-in user with funds (``bench/seed.py``), none the seller of
the listing they press: request ``i`` buys listing ``i % 100``, so every listing has the same
number of buyers racing for it. All requests are sent at once, each on its own connection, with
the buyer's own bearer token and ``Idempotency-Key`` as a careful client sends; the latency of a
request runs from the moment the burst starts, so it includes every wait a buyer would see
(connect, the server's queue, the writer lock).

The load generator is built to cost the client little next to the server (the box's cores are
shared): each request's bytes are built before the burst, sent by a bare ``asyncio.Protocol`` on
uvloop as its connection opens (``Connection: close``), and the answer is read until the
server closes the connection, then its status and problem ``code`` parsed. An HTTP client
library (``httpx``: ~9 ms of CPU per request here) cost four times the server's loser.

Expected: exactly one 201 per listing, every other answer a clean 409 ``listing_unavailable``,
no 5xx, no transport error; the database then holds exactly one sale per listing.

Where the time goes: ``cpu_ms_per_request`` gives the CPU each side spent per request during
the burst, from the meters the caller passes (the web server's processes, PostgreSQL's) and
this process's own (``client``: the load generator, on the same cores as the server).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvloop
from sqlalchemy import func, select
from starlette.types import Receive, Scope, Send

from bench.seed import World
from bench.stack import Server
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


class _Press(asyncio.Protocol):
    """One buyer's press on its own connection: the request's bytes, built before the burst,
    written as the connection opens; the answer read until the server closes it (the request
    says ``Connection: close``). Costs the client one connect, one write and a parse."""

    __slots__ = ("answered", "chunks", "request")

    def __init__(self, request: bytes, answered: asyncio.Future[bytes]) -> None:
        self.request = request
        self.chunks: list[bytes] = []
        self.answered = answered

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.answered.done():
            return
        if exc is not None:
            self.answered.set_exception(exc)
        else:
            self.answered.set_result(b"".join(self.chunks))


def requests_of(drop: Drop, host: str, key_prefix: str = "drop") -> list[bytes]:
    """Each buyer's whole request: its own listing, bearer session token and Idempotency-Key."""
    return [
        (
            f"POST /api/v1/listings/{listing_id}/buy HTTP/1.1\r\n"
            f"Host: {host}\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Idempotency-Key: {key_prefix}-{n}\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 2\r\n"
            "Connection: close\r\n\r\n{}"
        ).encode()
        for n, (token, listing_id) in enumerate(drop.buyers)
    ]


def answer_code(raw: bytes) -> str:
    """``"201"``, or the status and the problem's ``code`` (``"409 listing_unavailable"``) of
    one raw HTTP/1.1 answer; ``"malformed"`` when it is not one."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator or not head.startswith(b"HTTP/1.1 ") or not head[9:12].isdigit():
        return "malformed"
    status = head[9:12].decode()
    if 200 <= int(status) < 300:
        return status
    if b"\r\ntransfer-encoding: chunked" in head.lower():
        body = _unchunked(body)
    try:
        problem = json.loads(body)
    except ValueError:
        return f"{status} not-json"
    code = problem.get("code") if isinstance(problem, dict) else None
    return f"{status} {code}"


def _unchunked(body: bytes) -> bytes:
    parts: list[bytes] = []
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";", 1)[0] or b"0", 16)
        if size == 0:
            break
        parts.append(rest[:size])
        body = rest[size + 2 :]
    return b"".join(parts)


async def _burst(url: str, requests: list[bytes]) -> tuple[list[float], Counter[str], int]:
    host, _, port = url.removeprefix("http://").partition(":")
    loop = asyncio.get_running_loop()
    began = time.perf_counter()

    async def press(request: bytes) -> tuple[float, str]:
        answered: asyncio.Future[bytes] = loop.create_future()
        try:
            await loop.create_connection(lambda: _Press(request, answered), host, int(port))
            raw = await answered
        except OSError as exc:
            return time.perf_counter() - began, f"transport {type(exc).__name__}"
        return time.perf_counter() - began, answer_code(raw)

    # Measured, not cut short: a late answer is a figure (five minutes bound a hung server).
    answers = await asyncio.wait_for(asyncio.gather(*map(press, requests)), timeout=300)
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


@dataclass
class Wave:
    """One burst's answers and costs."""

    latencies: list[float]  # ms from the burst's start, sorted
    codes: Counter[str]
    wall_ms: int
    cpu_ms: dict[str, float]  # per request, by side

    def figures(self) -> dict[str, Any]:
        lat = self.latencies
        return {
            "answers": dict(sorted(self.codes.items())),
            "p50_ms": _percentile(lat, 0.50),
            "p95_ms": _percentile(lat, 0.95),
            "p99_ms": _percentile(lat, 0.99),
            "max_ms": round(lat[-1], 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "wall_ms": self.wall_ms,
            "cpu_ms_per_request": self.cpu_ms,
        }


def wave(url: str, requests: list[bytes], meters: Mapping[str, Callable[[], float]]) -> Wave:
    """All ``requests`` at once against ``url``, with each meter's CPU per request (and the
    load generator's own, ``client``)."""
    meters = {**meters, "client": time.process_time}
    before = {name: meter() for name, meter in meters.items()}
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        latencies, codes, wall_ms = runner.run(_burst(url, requests))
    cpu_ms = {
        name: round((meter() - before[name]) * 1000 / len(requests), 3)
        for name, meter in meters.items()
    }
    return Wave(latencies, codes, wall_ms, cpu_ms)


def run(
    url: str,
    settings: Settings,
    world: World,
    exclude: set[str],
    meters: Mapping[str, Callable[[], float]] | None = None,
) -> dict[str, Any]:
    """The drop against the server at ``url``; its figures and verdict. ``meters``: CPU
    seconds used so far by each named side (read before and after the burst). Then the same
    buyers again with fresh keys (``losers_only``: every listing is known closed by then, so
    every answer must be a 409, and the cost is a loser's alone)."""
    drop = asyncio.run(plan(settings, world, exclude))
    if isinstance(drop, str):
        return {"skipped": drop, "ok": False, "listings": []}
    host = url.removeprefix("http://")
    first = wave(url, requests_of(drop, host), meters or {})
    again = wave(url, requests_of(drop, host, key_prefix="drop-again"), meters or {})
    sales = asyncio.run(_sales_on(settings, drop.listings))
    codes = first.codes
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
        and again.codes == Counter({"409 listing_unavailable": len(drop.buyers)})
    )
    return {
        "listings": drop.listings,
        "listing_count": len(drop.listings),
        "buyers": len(drop.buyers),
        "sales": sales,
        "created_201": created,
        "clean_409": clean_409,
        "server_errors_5xx": server_errors,
        "transport_errors": transport,
        **first.figures(),
        "losers_only": again.figures(),
        "ok": ok,
    }


async def floor_app(scope: Scope, receive: Receive, send: Send) -> None:
    """uvicorn's floor: an ASGI app that reads the request and answers the drop's 409
    problem+json, with no work between (``floor`` serves it as the drop's server is served)."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    while (await receive()).get("more_body", False):
        pass
    # GET /healthz (the start-up probe) gets a 200; the burst's POSTs the 409.
    status = 409 if scope["method"] == "POST" else 200
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(_FLOOR_BODY)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": _FLOOR_BODY})


_FLOOR_BODY = json.dumps(
    {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "code": "listing_unavailable",
        "detail": "The listing is no longer available.",
    }
).encode()


def floor(world: World, workers: int, log: Path) -> dict[str, Any]:
    """The same burst (2,000 requests of the drop's shape, one connection each) against
    ``floor_app`` under the same uvicorn command and worker count: what uvicorn alone costs."""
    tokens = list(world.tokens.values())[:BUYERS]
    fake = Drop([], [(token, f"floor-{n % LISTINGS}") for n, token in enumerate(tokens)])
    server = Server("drop-floor", {}, workers, log, target=("bench.drop:floor_app",))
    try:
        server.start()
        requests = requests_of(fake, server.url.removeprefix("http://"))
        floor_wave = wave(server.url, requests, {"server": server.cpu_seconds})
    finally:
        server.stop()
    figures = floor_wave.figures()
    figures["ok"] = floor_wave.codes == Counter({"409 listing_unavailable": len(requests)})
    return figures

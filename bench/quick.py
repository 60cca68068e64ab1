"""A quick in-process buy and bid scenario, for iterating on the per-request cost.

    .venv/bin/python -m bench.quick [--backend sqlite|postgresql] [--buys 300] [--levels 8,32]
                                    [--bids 200] [--bid-clients 1,32] [--drop 20]
                                    [--database NAME] [--profile PATH]

The app runs in this process (``create_app``, lifespan started) on a fresh small world from
``bench/seed.py``; requests go straight to the ASGI app (no HTTP, no client library), so the
process CPU per request is the server's own. Reports, per level: buys/s, p50/p99 ms, process CPU
ms per buy and SQL statements per buy (``before_cursor_execute``), then the same for bids on one
hot auction (32 bidders raising in turn, bid n's max 10 + 10 n USDC: maxes rise in the order
sent), once per ``--bid-clients`` level on a fresh auction, with ``accepted_per_s`` (201s; a
``409 bid_too_low`` is a bid overtaken by two later ones before its turn at the auction's lock,
a correct answer that places no bid). ``--drop N``: first a drop, N buyers on each of 100
listings all at once (exactly 100 201s expected, the rest 409). On a shared box read CPU ms
and statements, which hold under load, more than requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import secrets
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench import seed as seeding
from bench.pg import app_url, drop_database, fresh_database
from bench.stack import base_env, settings_of
from ece.app import create_app
from ece.core import dbmetrics
from ece.core.clock import utcnow
from ece.core.migrate import upgrade
from ece.platform_init import init_platform

PG_DB = "ece_quick"
DROP_LISTINGS = 100


async def call(
    app: Any, method: str, path: str, token: str | None = None, body: Any = None
) -> tuple[int, bytes]:
    """One request straight into the ASGI app: (status, body)."""
    headers = [(b"host", b"bench"), (b"accept", b"application/json")]
    raw = b""
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if body is not None:
        raw = json.dumps(body).encode()
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
            (b"idempotency-key", secrets.token_hex(8).encode()),
        ]
    path_only, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_only,
        "raw_path": path_only.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1234),
        "server": ("bench", 80),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


class Statements:
    """Every statement: through SQLAlchemy (``before_cursor_execute``, each a hop to the
    driver) and those a hot path ran on the driver's connection itself (``driver_statements``:
    a SQLite buy's settlement, all in one hop), which the trace marks with ``~``."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        self.hops = 0
        self.trace: list[str] | None = None
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self.seen)
        dbmetrics.DRIVER_STATEMENT_LISTENERS.append(self.on_driver)

    def seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.count += 1
        self.hops += 1
        if self.trace is not None:
            self.trace.append(" ".join(statement.split())[:160])

    def on_driver(self, statement: str) -> None:
        self.count += 1
        if self.trace is not None:
            self.trace.append("~ " + " ".join(statement.split())[:158])


async def run_level(
    app: Any, requests: list[tuple[str, str, Any]], clients: int, statements: Statements
) -> dict[str, Any]:
    queue = list(reversed(requests))
    latencies: list[float] = []
    statuses: Counter[str] = Counter()

    async def client() -> None:
        while queue:
            token, path, body = queue.pop()
            started = time.perf_counter()
            status, answer = await call(app, "POST", path, token, body)
            latencies.append(time.perf_counter() - started)
            key = str(status)
            if status >= 400:
                key += ":" + str(json.loads(answer).get("code"))
            statuses[key] += 1

    before_stmt, before_hops = statements.count, statements.hops
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(latencies)
    latencies.sort()
    return {
        "clients": clients,
        "requests": n,
        "per_s": round(n / wall, 1),
        "p50_ms": round(latencies[n // 2] * 1000, 1),
        "p99_ms": round(latencies[min(n - 1, int(n * 0.99))] * 1000, 1),
        "cpu_ms": round(cpu * 1000 / n, 2),
        "statements": round((statements.count - before_stmt) / n, 2),
        "sqlalchemy_statements": round((statements.hops - before_hops) / n, 2),
        "statuses": dict(statuses),
    }


async def hot_auction(
    app: Any, world: seeding.World, bidders: int, n: int = 0
) -> tuple[str, list[str]]:
    """An English auction of the seller's ``n``-th last card (no listing holds it)."""
    seller, *others = world.user_ids
    card_id = world.cards_of[seller][-1 - n]
    body = {
        "type": "english",
        "card_id": card_id,
        "currency": "USDC",
        "start_price": "1",
        "ends_at": (utcnow() + timedelta(hours=2)).isoformat().replace("+00:00", "Z"),
    }
    status, raw = await call(app, "POST", "/api/v1/auctions", world.tokens[seller], body)
    assert status == 201, raw
    return json.loads(raw)["id"], [world.tokens[u] for u in others[:bidders]]


async def bid_levels(
    app: Any, world: seeding.World, args: argparse.Namespace, statements: Statements
) -> None:
    """Per level of ``--bid-clients``: ``--bids`` bids on a fresh hot auction."""
    for n, clients in enumerate(args.bid_clients):
        auction_id, bidders = await hot_auction(app, world, 32, n)
        path = f"/api/v1/auctions/{auction_id}/bids"
        bids = [
            (bidders[i % len(bidders)], path, {"max_amount": str(10 + 10 * i)})
            for i in range(args.bids)
        ]
        level = await run_level(app, bids, clients, statements)
        accepted = level["statuses"].get("201", 0)
        level["accepted_per_s"] = round(level["per_s"] * accepted / level["requests"], 1)
        print("bid", json.dumps(level))
    if args.trace:
        statements.trace = []
        top = str(10 + 10 * args.bids)  # the next rung of the ladder: above every max so far
        await run_level(app, [(bidders[0], path, {"max_amount": top})], 1, statements)
        print("\n".join(["one bid:", *statements.trace]))
        statements.trace = None


def drop_requests(world: seeding.World, listings: int, buyers: int) -> list[tuple[str, str, Any]]:
    """A drop in process: ``buyers`` different users (never the seller) on each of the last
    ``listings`` listings (the buy levels never reach them), interleaved as bench/drop.py
    sends them (request ``i`` on listing ``i mod listings``)."""
    chosen = world.listings[-listings:]
    users = world.user_ids
    requests: list[tuple[str, str, Any]] = []
    for i in range(listings * buyers):
        listing_id, seller_id = chosen[i % listings]
        buyer = users[(i // listings) % len(users)]
        if buyer == seller_id:
            buyer = users[(i // listings + buyers) % len(users)]
        requests.append((world.tokens[buyer], f"/api/v1/listings/{listing_id}/buy", {}))
    return requests


async def scenario(args: argparse.Namespace, settings: Any, world: seeding.World) -> None:
    app = create_app(settings, run_workers=False)
    rng = random.Random(3)
    pairs = seeding.buy_pairs(world, rng)
    async with app.router.lifespan_context(app):
        statements = Statements(app.state.services.db.engine.sync_engine)
        buys: list[tuple[str, str, Any]] = [(t, f"/api/v1/listings/{x}/buy", {}) for t, x in pairs]
        if args.drop:
            drop = drop_requests(world, DROP_LISTINGS, args.drop)
            dropped = {path for _, path, _ in drop}
            buys = [b for b in buys if b[1] not in dropped]
            # Every buyer at once: as many clients as requests.
            print("drop", json.dumps(await run_level(app, drop, len(drop), statements)))
            # The same buyers again (fresh keys): every listing is known closed, so this is
            # the cost of a loser answered from memory alone.
            losers = await run_level(app, drop, len(drop), statements)
            print("drop_losers", json.dumps(losers))
        warm, buys = buys[:50], buys[50:]
        await run_level(app, warm, 4, statements)
        profile = cProfile.Profile() if args.profile else None
        for clients in args.levels:
            batch, buys = buys[: args.buys], buys[args.buys :]
            if profile:
                profile.enable()
            print("buy", json.dumps(await run_level(app, batch, clients, statements)))
            if profile:
                profile.disable()
        if args.trace:
            statements.trace = []
            await run_level(app, buys[:1], 1, statements)
            print("\n".join(["one buy:", *statements.trace]))
            statements.trace = None
        if args.bids:
            await bid_levels(app, world, args, statements)
        if profile:
            profile.dump_stats(args.profile)
            pstats.Stats(args.profile).sort_stats("cumulative").print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--buys", type=int, default=300)
    parser.add_argument("--levels", default="8,32")
    parser.add_argument("--bids", type=int, default=200)
    parser.add_argument(
        "--bid-clients", default="1", help="concurrent bidders per bid level, e.g. 1,32"
    )
    parser.add_argument("--profile", default="")
    parser.add_argument(
        "--drop", type=int, default=0, help="buyers per listing of a 100-listing drop (0: none)"
    )
    parser.add_argument(
        "--database", default=PG_DB, help="PostgreSQL database to create and drop (runs apart)"
    )
    parser.add_argument("--trace", action="store_true", help="print one buy's and bid's SQL")
    args = parser.parse_args()
    args.levels = [int(x) for x in args.levels.split(",")]
    args.bid_clients = [int(x) for x in args.bid_clients.split(",")]

    work = Path(tempfile.mkdtemp(prefix="ece-quick-"))
    env = base_env(work / "data")
    (work / "data").mkdir()
    if args.backend == "postgresql":
        assert asyncio.run(fresh_database(args.database))
        env["ECE_DATABASE_URL"] = app_url(args.database)
    os.environ.update(env)
    settings = settings_of(env)
    try:
        upgrade(settings.resolved_database_url)
        asyncio.run(init_platform(settings))
        listings = args.buys * len(args.levels) + 60 + (DROP_LISTINGS if args.drop else 0)
        size = seeding.Size(users=120, cards=listings + 600, listings=listings, companies=8)
        world = asyncio.run(seeding.seed(settings, size))
        asyncio.run(scenario(args, settings, world))
    finally:
        if args.backend == "postgresql":
            asyncio.run(drop_database(args.database))


if __name__ == "__main__":
    main()

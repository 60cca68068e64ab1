"""What a drop's loser costs in each ASGI layer the server runs before it is answered.

    .venv/bin/python -m bench.layers [--backend sqlite|postgresql] [--requests 2000]
                                     [--database NAME]

In process, on a fresh small world: one listing is sold, then ``--requests`` buys of it by
other signed-in users (each its own bearer token and ``Idempotency-Key``) are sent straight into
the app's built middleware stack, entering at each layer in turn (the outermost first), one
at a time. The CPU per request entering at a layer, minus that entering at the next, is that
layer's own cost; the last row is ``ClosedListingBuys`` itself with its one read. Every answer
must be ``409 listing_unavailable``. HTTP parsing and the connection are uvicorn's, not here
(``bench/drop.py``'s floor measures those).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import seed as seeding
from bench.pg import app_url, drop_database, fresh_database
from bench.quick import call
from bench.stack import base_env, settings_of
from ece.app import create_app
from ece.core.migrate import upgrade
from ece.platform_init import init_platform

PG_DB = "ece_layers"


def stack_of(app: Any) -> list[tuple[str, Any]]:
    """The built ASGI layers from the outermost in, down to (not into) the router."""
    layers: list[tuple[str, Any]] = []
    layer = app.middleware_stack
    while layer is not None and layer is not app.router:
        layers.append((type(layer).__name__, layer))
        # SplitCorsMiddleware keeps the API's branch as ``_api``.
        layer = getattr(layer, "app", None) or getattr(layer, "_api", None)
    return layers


async def per_layer(app: Any, requests: list[tuple[str, str]], rounds: int) -> list[dict[str, Any]]:
    """CPU ms per request entering at each layer (best of ``rounds``)."""
    rows: list[dict[str, Any]] = []
    for name, layer in stack_of(app):
        if name in {"ExceptionMiddleware"}:
            break  # past ClosedListingBuys: the route's own path, not a loser's
        best = float("inf")
        for _ in range(rounds):
            cpu = time.process_time()
            for token, path in requests:
                status, body = await call(layer, "POST", path, token, {})
                if status != 409 or json.loads(body)["code"] != "listing_unavailable":
                    raise AssertionError(f"{name}: {status} {body!r}")
            best = min(best, time.process_time() - cpu)
        rows.append({"enter_at": name, "cpu_ms": round(best * 1000 / len(requests), 3)})
    for outer, inner in itertools.pairwise(rows):
        outer["own_ms"] = round(outer["cpu_ms"] - inner["cpu_ms"], 3)
    rows[-1]["own_ms"] = rows[-1]["cpu_ms"]
    return rows


async def scenario(settings: Any, world: seeding.World, count: int, rounds: int) -> None:
    app = create_app(settings, run_workers=False)
    async with app.router.lifespan_context(app):
        listing_id, seller = world.listings[-1]
        buyers = [u for u in world.user_ids if u != seller]
        path = f"/api/v1/listings/{listing_id}/buy"
        status, body = await call(app, "POST", path, world.tokens[buyers[0]], {})
        assert status == 201, body
        # The first loser teaches PostgreSQL's process the listing is closed (SQLite's winner
        # already did).
        await call(app, "POST", path, world.tokens[buyers[1]], {})
        requests = [(world.tokens[buyers[1 + i % (len(buyers) - 1)]], path) for i in range(count)]
        for row in await per_layer(app, requests, rounds):
            print(json.dumps(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3, help="runs per layer; the best counts")
    parser.add_argument("--database", default=PG_DB)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ece-layers-"))
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
        size = seeding.Size(users=120, cards=660, listings=60, companies=8)
        world = asyncio.run(seeding.seed(settings, size))
        asyncio.run(scenario(settings, world, args.requests, args.rounds))
    finally:
        if args.backend == "postgresql":
            asyncio.run(drop_database(args.database))


if __name__ == "__main__":
    main()

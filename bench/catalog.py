"""Catalog and search latency over 10k cards, in-process, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.catalog [--cards 10000] [--queries 200]

Each backend gets a fresh database (a temp SQLite file; ``ece_bench_catalog`` on the local
PostgreSQL when it answers), migrated by Alembic. The cards are seeded as rows only, bypassing
the chain and the blockstore for speed (mint addresses and CIDs are placeholders), then indexed
through the same ``CardSearch`` the service uses. Then ``--queries`` catalog calls go through
``ece.cards.service.list_cards`` (one read transaction each, first page of 50): a mix of word
searches, filters and sorts, and pages 2-3 of a search. Prints p50/p95/max; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.pg import app_url, fresh_database
from bench.rows import CardRows, company_row, insert_catalog
from ece.cards.metadata import Rarity
from ece.cards.service import CardFilters, CardSort, list_cards
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.migrate import upgrade
from ece.core.pagination import PageParams

PG_DB = "ece_bench_catalog"
WORDS = [
    "Quantum", "Genome", "Turbine", "Orbit", "Launch", "Founders", "Keynote", "Patent",
    "Merger", "Grid", "Harbor", "Summit", "Vertex", "Nimbus", "Pulse", "Atlas",
]  # fmt: skip
QUERIES = ["acm", "quantum", "bio", "launch orbit", "energy grid", "zzz", "vertex pu", "AUR"]


async def seed(db: Database, count: int, rng: random.Random) -> list[str]:
    now = utcnow()
    companies = [
        company_row(
            rng,
            i,
            WORDS,
            ticker=f"{chr(65 + i % 26)}{chr(65 + (i * 7) % 26)}{i:02d}",
            royalty_bps=250,
            at=now,
        )
        for i in range(40)
    ]
    companies[0].update(name="Acme Rockets", ticker="ACME")
    companies[1].update(name="Aurora Quantum", ticker="AURQ")
    start = now - timedelta(days=30)
    made = CardRows(rng, WORDS)
    rows: list[dict[str, Any]] = []
    for i in range(count):
        company = companies[i % len(companies)]
        sold = rng.random() < 0.2
        rows.append(
            made.row(
                company,
                created_at=start + timedelta(seconds=i),
                owner_company_id=company["id"],
                list_price=rng.randint(1, 10**9) if rng.random() < 0.3 else None,
                list_asset="USDC",
                last_sale_price=1_000_000 if sold else None,
                last_sale_asset="USDC" if sold else None,
                last_sale_at=start + timedelta(seconds=i) if sold else None,
            )
        )
    async with db.unit_of_work() as session:
        await insert_catalog(session, companies, rows)
    async with db.unit_of_work() as session:
        # Fresh statistics, as autovacuum (PostgreSQL) or `ece db` maintenance would give.
        await session.execute(text("ANALYZE"))
    return [c["id"] for c in companies]


def workload(rng: random.Random, company_ids: list[str], n: int) -> list[tuple[str, CardFilters]]:
    kinds: list[tuple[str, CardFilters]] = []
    for i in range(n):
        pick = i % 5
        if pick == 0:
            kinds.append(("search", CardFilters(q=rng.choice(QUERIES))))
        elif pick == 1:
            sort = rng.choice(list(CardSort))
            kinds.append((f"sort {sort.value}", CardFilters(sort=sort)))
        elif pick == 2:
            filters = CardFilters(
                rarity=rng.choice(list(Rarity)),
                min_power=rng.randint(0, 90),
                company=rng.choice(company_ids),
                sort=CardSort.power,
            )
            kinds.append(("filters", filters))
        elif pick == 3:
            filters = CardFilters(q=rng.choice(QUERIES), rarity=rng.choice(list(Rarity)))
            kinds.append(("search+filter", filters))
        else:
            kinds.append(("search price_asc", CardFilters(q="quantum", sort=CardSort.price_asc)))
    return kinds


async def run(label: str, url: str, cards: int, queries: int) -> None:
    await asyncio.to_thread(upgrade, url)  # Alembic runs its own event loop
    db = Database(url)
    rng = random.Random(11)
    try:
        started = time.perf_counter()
        company_ids = await seed(db, cards, rng)
        print(f"\n{label}: seeded {cards} cards in {time.perf_counter() - started:.1f} s")
        timings: dict[str, list[float]] = {}
        every: list[float] = []
        for kind, filters in workload(rng, company_ids, queries):
            began = time.perf_counter()
            async with db.unit_of_work(write=False) as session:
                _, cursor = await list_cards(session, filters, PageParams(50, None))
                if kind == "search price_asc":  # follow the cursor: pages 2 and 3
                    for _ in range(2):
                        if cursor:
                            _, cursor = await list_cards(session, filters, PageParams(50, cursor))
            elapsed = (time.perf_counter() - began) * 1000
            timings.setdefault(kind, []).append(elapsed)
            every.append(elapsed)
        for kind, values in sorted(timings.items()):
            print(f"  {kind:<18} n={len(values):<4} {_summary(values)}")
        print(f"  {'ALL':<18} n={len(every):<4} {_summary(every)}")
    finally:
        await db.dispose()


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await run(
            "SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", args.cards, args.queries
        )
    if await fresh_database(PG_DB):
        await run("PostgreSQL", app_url(PG_DB), args.cards, args.queries)
    else:
        print("\nPostgreSQL: not reachable at 127.0.0.1:5432, skipped")


if __name__ == "__main__":
    asyncio.run(main())

"""Catalog search at scale, in-process, on SQLite and on PostgreSQL: every query class, facets
and search-as-you-type, each beside its goal.

    .venv/bin/python -m bench.catalog [--cards 1000000] [--queries 60] [--backends ...]
                                      [--out bench/results/catalog.json]

Each backend gets a fresh database (a temp SQLite file; ``ece_bench_catalog`` on the local
PostgreSQL when it answers), migrated by Alembic. 200 companies and ``--cards`` cards are
loaded in bulk as rows only (no chain mint; placeholder mint addresses and CIDs): the cards
table's secondary indexes are dropped first and built again after the load, ``COPY`` on
PostgreSQL and one transaction on SQLite (a plain ``sqlite3`` connection with no journal and no
syncs during the load), then the search structures are filled in one
statement each (FTS5 table, suggestions), then ``ANALYZE``. Then ``--queries`` calls of each
class go through the cards service as the API calls it (one read transaction each, first page
of 50 with the owners' wallets): word search, search + filters, search sorted by price / last
sale / power, filters only, each sort, a deep page (the 20th) by cursor, facets with the page
(``catalog_facets``), and suggestions for misspelt words. Prints p50/p95/max per class and
whether its p95 meets the goal; writes them to ``--out``. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, make_url, text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.pg import app_url, fresh_database
from bench.rows import BASE_COLUMNS, CardRows, company_row
from ece.cards import service
from ece.cards.models import Company
from ece.cards.rules import CardFilters, CardSort, Facet, Rarity
from ece.cards.search_repository import fill_card_search_sql
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.migrate import upgrade
from ece.core.pagination import PageParams

PG_DB = "ece_bench_catalog"
ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "Quantum", "Genome", "Turbine", "Orbit", "Launch", "Founders", "Keynote", "Patent",
    "Merger", "Grid", "Harbor", "Summit", "Vertex", "Nimbus", "Pulse", "Atlas",
    "Falcon", "Meridian", "Cobalt", "Zenith", "Aurora", "Beacon", "Cipher", "Delta",
]  # fmt: skip
QUERIES = ["quantum", "orbit launch", "bio", "energy grid", "vertex pu", "acme", "zzz", "harb"]
TYPOS = ["qantum", "turbien", "meridain", "falcn", "cobolt", "zenit", "acme", "aurra"]
COMPANIES = 200
PAGE = 50
# p95 goals in ms (issue 27): every query class, facets with their page, suggestions.
GOALS = {
    "sqlite": {"query": 100.0, "suggest": 30.0},
    "postgresql": {"query": 50.0, "suggest": 30.0},
}

Query = Callable[[AsyncSession], Awaitable[Any]]


# --- loading ------------------------------------------------------------------------------------

# The columns each card tuple holds: ``BASE_COLUMNS`` then these (owner_user_id stays NULL).
CARD_COLUMNS = (
    *BASE_COLUMNS,
    "owner_company_id", "created_at",
    "list_price", "list_asset", "last_sale_price", "last_sale_asset", "last_sale_at",
)  # fmt: skip


def make_companies(rng: random.Random) -> list[dict[str, Any]]:
    now = utcnow()
    companies = [
        company_row(
            rng,
            i,
            WORDS,
            ticker=f"{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}{i:03d}",
            royalty_bps=250,
            at=now,
        )
        for i in range(COMPANIES)
    ]
    companies[0].update(name="Acme Rockets", ticker="ACME")
    companies[1].update(name="Aurora Quantum", ticker="AURQ")
    return companies


def make_cards(
    count: int, rng: random.Random, companies: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """``count`` card tuples (``CARD_COLUMNS``) in creation order, 30 s apart over the last
    year: tuples, not dicts, and every per-company string built once (``CardRows.base``)."""
    start = utcnow() - timedelta(days=365)
    made = CardRows(rng, WORDS)
    year, thirty_s = 365 * 86400, timedelta(seconds=30)
    unit = {"USDC": 10**6, "ECE": 10**9}
    cards: list[tuple[Any, ...]] = []
    created = start
    random_ = rng.random
    for _ in range(count):
        company = companies[rng.randrange(COMPANIES)]
        created += thirty_s
        if random_() < 0.3:
            asset = "USDC" if random_() < 0.8 else "ECE"
            listing: tuple[Any, ...] = (rng.randint(1, 5_000 * unit[asset]), asset)
        else:
            listing = (None, None)
        sold_at = start + timedelta(seconds=rng.randrange(year))
        sale = (1_000_000, "USDC", sold_at) if random_() < 0.2 else (None, None, None)
        cards.append((*made.base(company), company["id"], created, *listing, *sale))
    return cards


SUGGESTIONS = [
    "INSERT INTO search_suggestions (kind, label, label_lc, ref)"
    " SELECT 'company', name, lower(name), id FROM companies",
    "INSERT INTO search_suggestions (kind, label, label_lc, ref)"
    " SELECT 'ticker', ticker, lower(ticker), id FROM companies",
    "INSERT INTO search_suggestions (kind, label, label_lc, ref)"
    " SELECT DISTINCT 'card', name, lower(name), name FROM cards",
]


def _sqlite_value(value: Any) -> Any:
    """A datetime as SQLAlchemy stores it on SQLite (naive UTC, microseconds)."""
    return f"{value:%Y-%m-%d %H:%M:%S.%f}" if isinstance(value, datetime) else value


class Phases:
    """Wall seconds per load phase, each from the end of the one before, and this process's
    CPU seconds in it (all of SQLite's work; the client's only on PostgreSQL): on a shared box
    the CPU is the steadier figure."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.perf_counter(), time.process_time()

    def end(self, name: str) -> None:
        now = time.perf_counter(), time.process_time()
        self.seconds[name] = round(now[0] - self._mark[0], 1)
        self.seconds[name.replace("_s", "_cpu_s")] = round(now[1] - self._mark[1], 1)
        self._mark = now


def load_sqlite(
    path: str, companies: list[dict[str, Any]], cards: list[tuple[Any, ...]], phases: Phases
) -> None:
    """One ``sqlite3`` connection, no journal and no syncs (a crash loses only a throw-away
    database; the app's own connections keep WAL), a 2 GB page cache, one transaction for
    the rows; then the indexes, the FTS5 table and the suggestions from the rows, then ANALYZE."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2000000"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA temp_store=MEMORY")
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
            " AND tbl_name = 'cards' AND sql IS NOT NULL"
        ).fetchall()
        conn.execute("BEGIN")
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        columns = list(companies[0])
        conn.executemany(
            f"INSERT INTO companies ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})",
            ([_sqlite_value(c[k]) for k in columns] for c in companies),
        )
        at = CARD_COLUMNS.index("created_at"), CARD_COLUMNS.index("last_sale_at")
        conn.executemany(
            f"INSERT INTO cards ({', '.join(CARD_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(CARD_COLUMNS))})",
            (
                (
                    *c[: at[0]],
                    _sqlite_value(c[at[0]]),
                    *c[at[0] + 1 : at[1]],
                    _sqlite_value(c[at[1]]),
                )
                for c in cards
            ),
        )
        conn.execute("COMMIT")
        phases.end("load_s")
        conn.execute("BEGIN")
        for _, create in indexes:
            conn.execute(create)
        phases.end("indexes_s")
        conn.execute(fill_card_search_sql())
        phases.end("fts_s")
        for statement in SUGGESTIONS:
            conn.execute(statement)
        conn.execute("COMMIT")
        phases.end("suggestions_s")
        conn.execute("ANALYZE")  # as `ece db` maintenance would
        phases.end("analyze_s")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()


async def load_postgres(
    db: Database, companies: list[dict[str, Any]], cards: list[tuple[Any, ...]], phases: Phases
) -> None:
    """The cards table's secondary indexes dropped, the rows by ``COPY`` in one transaction,
    then the indexes and the suggestions from the rows, then ANALYZE."""
    async with db.unit_of_work() as session:
        rows = await session.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cards'"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        )
        indexes = [(str(name), str(sql)) for name, sql in rows]
        for name, _ in indexes:
            await session.execute(text(f"DROP INDEX {name}"))
        await session.execute(insert(Company), companies)
        raw = await (await session.connection()).get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            "cards", columns=list(CARD_COLUMNS), records=cards
        )
    phases.end("load_s")
    async with db.unit_of_work() as session:
        await session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        for _, create in indexes:
            await session.execute(text(create))
        phases.end("indexes_s")
        for statement in SUGGESTIONS:
            await session.execute(text(statement))
    phases.end("suggestions_s")
    async with db.unit_of_work() as session:
        await session.execute(text("ANALYZE"))  # as autovacuum would
    phases.end("analyze_s")


async def load(db: Database, count: int, rng: random.Random) -> dict[str, float]:
    phases = Phases()
    companies = make_companies(rng)
    cards = make_cards(count, rng, companies)
    phases.end("generate_s")
    if db.engine.dialect.name == "postgresql":
        await load_postgres(db, companies, cards, phases)
    else:
        path = make_url(str(db.engine.url)).database
        assert path, "a file database"
        await asyncio.to_thread(load_sqlite, path, companies, cards, phases)
    return phases.seconds


# --- the workload --------------------------------------------------------------------------------


def page(filters: CardFilters, cursor: str | None = None) -> Query:
    async def run(session: AsyncSession) -> Any:
        cards, _ = await service.list_cards(session, filters, PageParams(PAGE, cursor))
        await service.wallets_of_owners(session, cards)

    return run


def with_facets(filters: CardFilters) -> Query:
    async def run(session: AsyncSession) -> Any:
        await page(filters)(session)
        await service.catalog_facets(session, filters, set(Facet))

    return run


def suggest(query: str) -> Query:
    async def run(session: AsyncSession) -> Any:
        await service.suggest(session, query, 10)

    return run


async def deep_cursor(db: Database, filters: CardFilters, pages: int) -> str | None:
    cursor = None
    async with db.unit_of_work(write=False) as session:
        for _ in range(pages):
            _, cursor = await service.list_cards(session, filters, PageParams(PAGE, cursor))
    return cursor


async def workload(
    db: Database, rng: random.Random, company_ids: list[str], n: int
) -> dict[str, list[Query]]:
    def q() -> str:
        return rng.choice(QUERIES)

    def rarity() -> Rarity:
        return rng.choice(list(Rarity))

    def ranged(base: CardFilters) -> CardFilters:
        low = rng.randint(0, 80)
        return replace(base, min_power=low, max_power=low + 20, min_growth=rng.randint(0, 50))

    classes: dict[str, Callable[[], Query]] = {
        "word search": lambda: page(CardFilters(q=q())),
        "search + filters": lambda: page(CardFilters(q=q(), rarity=rarity(), min_power=30)),
        "search by price": lambda: page(CardFilters(q=q(), sort=CardSort.price_asc)),
        "search by last sale": lambda: page(CardFilters(q=q(), sort=CardSort.last_sale)),
        "search by power": lambda: page(CardFilters(q=q(), sort=CardSort.power)),
        "filters only": lambda: page(
            ranged(CardFilters(rarity=rarity(), listed=rng.random() < 0.5))
        ),
        "filters + company": lambda: page(
            CardFilters(company=rng.choice(company_ids), rarity=rarity(), sort=CardSort.power)
        ),
        **{
            f"sort {s.value}": (lambda s=s: page(CardFilters(sort=s)))  # type: ignore[misc]
            for s in CardSort
        },
        "facets: all cards": lambda: with_facets(CardFilters()),
        "facets: word search": lambda: with_facets(CardFilters(q=q())),
        "facets: search + filters": lambda: with_facets(
            ranged(CardFilters(q=q(), rarity=rarity()))
        ),
        "facets: filters + company": lambda: with_facets(
            CardFilters(company=rng.choice(company_ids), rarity=rarity())
        ),
        "suggest": lambda: suggest(rng.choice(TYPOS)[: rng.randint(3, 8)]),
    }
    out = {name: [make() for _ in range(n)] for name, make in classes.items()}
    deep: list[Query] = []
    for sort in (CardSort.price_asc, CardSort.power, CardSort.newest):
        cursor = await deep_cursor(db, CardFilters(sort=sort), 19)
        deep.append(page(CardFilters(sort=sort), cursor))
    cursor = await deep_cursor(db, CardFilters(q="quantum", sort=CardSort.price_asc), 19)
    deep.append(page(CardFilters(q="quantum", sort=CardSort.price_asc), cursor))
    out["deep page (20th) by cursor"] = [deep[i % len(deep)] for i in range(n)]
    return out


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


async def run(label: str, url: str, cards: int, queries: int) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, url)  # Alembic runs its own event loop
    db = Database(url)
    rng = random.Random(11)
    backend = db.engine.dialect.name
    try:
        began = time.perf_counter()
        phases = await load(db, cards, rng)
        seeded = time.perf_counter() - began
        after_load = [round(x, 2) for x in os.getloadavg()]
        print(f"\n{label}: loaded {cards:,} cards in {seeded:.1f} s {phases}", flush=True)
        if queries == 0:  # the load alone
            return {
                "cards": cards,
                "seed_seconds": round(seeded, 1),
                **phases,
                "load_average_after_load": after_load,
            }
        async with db.unit_of_work(write=False) as session:
            company_ids = list(await session.scalars(text("SELECT id FROM companies")))
        classes = await workload(db, rng, company_ids, queries)
        timings: dict[str, list[float]] = {name: [] for name in classes}
        cpu: dict[str, list[float]] = {name: [] for name in classes}
        # Interleaved, so a burst of load on the shared box spreads over every class.
        for i in range(queries):
            for name, calls in classes.items():
                began, began_cpu = time.perf_counter(), time.process_time()
                async with db.unit_of_work(write=False) as session:
                    await calls[i](session)
                timings[name].append((time.perf_counter() - began) * 1000)
                cpu[name].append((time.process_time() - began_cpu) * 1000)
        result: dict[str, Any] = {"cards": cards, "seed_seconds": round(seeded, 1), **phases}
        result["load_average_after_load"] = after_load
        result["classes"] = {}
        for name, values in timings.items():
            figures = summary(values)
            # This process's CPU (all of SQLite's work; on PostgreSQL the client side only):
            # steadier than wall time when the shared box is loaded.
            figures["cpu_p50_ms"] = summary(cpu[name])["p50_ms"]
            figures["cpu_p95_ms"] = summary(cpu[name])["p95_ms"]
            goal = GOALS[backend]["suggest" if name == "suggest" else "query"]
            figures["goal_p95_ms"] = goal
            figures["met"] = figures["p95_ms"] < goal
            result["classes"][name] = figures
            mark = "met" if figures["met"] else "MISSED"
            print(
                f"  {name:<28} p50 {figures['p50_ms']:7.1f}  p95 {figures['p95_ms']:7.1f}"
                f"  max {figures['max_ms']:7.1f}  cpu p50 {figures['cpu_p50_ms']:6.1f} ms"
                f"   goal p95 < {goal:.0f} ms: {mark}",
                flush=True,
            )
        result["load_average_after_queries"] = [round(x, 2) for x in os.getloadavg()]
        return result
    finally:
        await db.dispose()


async def catalog(
    cards: int, queries: int, backends: list[str], pg_database: str = PG_DB
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cards": cards,
        "queries_per_class": queries,
        "page": PAGE,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "backends": {},
    }
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            report["backends"]["sqlite"] = await run("SQLite", url, cards, queries)
    if "postgresql" in backends:
        if await fresh_database(pg_database):
            report["backends"]["postgresql"] = await run(
                "PostgreSQL", app_url(pg_database), cards, queries
            )
        else:
            print("\nPostgreSQL: not reachable at 127.0.0.1:5432, skipped")
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument(
        "--queries", type=int, default=60, help="calls per class (0: the load alone)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "catalog.json")
    parser.add_argument(
        "--pg-database", default=PG_DB, help="the throw-away PostgreSQL database (dropped first)"
    )
    args = parser.parse_args()
    began = time.perf_counter()
    backends = args.backends.split(",")
    report = asyncio.run(catalog(args.cards, args.queries, backends, args.pg_database))
    report["elapsed_seconds"] = round(time.perf_counter() - began, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.out} in {report['elapsed_seconds']:.0f} s")


if __name__ == "__main__":
    main()

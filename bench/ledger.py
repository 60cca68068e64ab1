"""Ledger throughput, in-process: transfers per second on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.ledger [--transfers 20000] [--batch 1000] [--single 2000]
                                     [--database ece_bench_ledger]

Each backend gets a fresh database (a temp SQLite file; ``--database`` on the local
PostgreSQL when it answers), migrated by Alembic, with 100 funded user accounts. Then:
batched (``--batch`` transfers per ``create_transfers`` call, one transaction each), single (one
transfer per transaction in a unit of work, sequential) and concurrent single (32 tasks, one
transfer per transaction; on SQLite they take turns at the writer gate as the server's writes
do); then the same two through ``TransferLine`` (each task holds a line; every transfer is
still its own committed transaction; on SQLite the lines' transfers go through the process's
``SqliteWriter``, many per hop to its thread). Prints transfers/s and this process's CPU ms per
transfer (on SQLite all of the database's work; on PostgreSQL only the client's); asserts
nothing except that the ledger still checks out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.pg import app_url, drop_database, fresh_database
from ece.core.db import Database
from ece.core.migrate import upgrade
from ece.core.money import Asset
from ece.ledger import service
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import TransferSpec

PG_DB = "ece_bench_ledger"
ACCOUNTS = 100
CONCURRENCY = 32


class Run:
    def __init__(self, db: Database, seed: int = 7) -> None:
        self.db = db
        self.random = random.Random(seed)
        self.users: list[int] = []
        self.serial = 0

    async def fund(self) -> None:
        async with self.db.unit_of_work() as session:
            custody = await service.account_for(session, OwnerType.custody, "bench", Asset.USDC)
            for i in range(ACCOUNTS):
                self.users.append(
                    await service.account_for(session, OwnerType.user, f"u{i}", Asset.USDC)
                )
            await service.create_transfers(
                session,
                [
                    TransferSpec(f"fund-{a}", custody, a, Asset.USDC, 10**15, TransferCode.deposit)
                    for a in self.users
                ],
            )

    def spec(self) -> TransferSpec:
        self.serial += 1
        debit, credit = self.random.sample(self.users, 2)
        amount = self.random.randint(1, 1_000_000)
        return TransferSpec(
            f"t-{self.serial}", debit, credit, Asset.USDC, amount, TransferCode.trade, "bench"
        )

    async def batched(self, total: int, batch: int) -> float:
        start = time.perf_counter()
        for _ in range(total // batch):
            specs = [self.spec() for _ in range(batch)]
            async with self.db.unit_of_work() as session:
                await service.create_transfers(session, specs)
        return (total // batch) * batch / (time.perf_counter() - start)

    async def single(self, total: int) -> float:
        start = time.perf_counter()
        for _ in range(total):
            spec = self.spec()
            async with self.db.unit_of_work() as session:
                await service.create_transfers(session, [spec])
        return total / (time.perf_counter() - start)

    async def line_single(self, total: int) -> float:
        """One transfer per transaction, sequential, on one ``TransferLine``."""
        start = time.perf_counter()
        async with service.transfer_line(self.db) as line:
            for _ in range(total):
                await line.transfer(self.spec())
        return total / (time.perf_counter() - start)

    async def line_concurrent(self, total: int) -> float:
        """32 tasks, each on its own ``TransferLine``, one transfer per transaction (on SQLite
        the process's writer runs those queued at once in one hop, under the writer gate)."""
        per_task = total // CONCURRENCY

        async def worker() -> None:
            async with service.transfer_line(self.db) as line:
                for _ in range(per_task):
                    await line.transfer(self.spec())

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return per_task * CONCURRENCY / (time.perf_counter() - start)

    async def concurrent(self, total: int) -> float:
        per_task = total // CONCURRENCY

        # SQLite: the tasks take turns at the process's writer gate, as the server's writing
        # requests do (``Database.writer_gate``), instead of polling SQLite's file lock in its
        # busy handler (sleeps of 1 to 100 ms). None on PostgreSQL: row locks, side by side.
        gate = self.db.writer_gate

        async def worker() -> None:
            for _ in range(per_task):
                spec = self.spec()
                async with gate or contextlib.nullcontext(), self.db.unit_of_work() as session:
                    await service.create_transfers(session, [spec])

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return per_task * CONCURRENCY / (time.perf_counter() - start)


async def measured(step: Callable[[int], Awaitable[float]], total: int) -> tuple[float, float]:
    """(transfers/s, this process's CPU ms per transfer) of one step."""
    cpu = time.process_time()
    rate = await step(total)
    return rate, (time.process_time() - cpu) * 1_000 / total


async def bench(name: str, url: str, args: argparse.Namespace) -> None:
    db = Database(url, pool_size=CONCURRENCY, max_overflow=8)
    try:
        run = Run(db)
        await run.fund()
        batched = await run.batched(args.transfers, args.batch)
        print(f"{name:<10} batched ({args.batch}/tx):   {batched:>9,.0f} transfers/s", flush=True)
        steps = (
            ("single (1/tx)", run.single),
            (f"{CONCURRENCY} tasks (1/tx)", run.concurrent),
            ("line single (1/tx)", run.line_single),
            (f"line {CONCURRENCY} tasks (1/tx)", run.line_concurrent),
        )
        for label, step in steps:
            rate, cpu_ms = await measured(step, args.single)
            print(
                f"{name:<10} {label:<22} {rate:>9,.0f} transfers/s {cpu_ms:>7.3f} ms CPU",
                flush=True,
            )
        result = await service.run_check(db)
        print(f"{name:<10} ledger check ok: {result.ok}", flush=True)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=20_000, help="batched transfers")
    parser.add_argument("--batch", type=int, default=1_000, help="transfers per transaction")
    parser.add_argument("--single", type=int, default=2_000, help="one-per-transaction transfers")
    parser.add_argument("--database", default=PG_DB, help="PostgreSQL database (recreated)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        asyncio.run(bench("SQLite", url, args))

    if not asyncio.run(fresh_database(args.database)):
        print("PostgreSQL not reachable at 127.0.0.1:5432: skipped")
        return
    try:
        upgrade(app_url(args.database))
        asyncio.run(bench("PostgreSQL", app_url(args.database), args))
    finally:
        asyncio.run(drop_database(args.database))


if __name__ == "__main__":
    main()

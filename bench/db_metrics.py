"""What the database metrics cost per statement: ``SELECT 1`` on one SQLite connection, with
the statement timing on and off, alternating, best of three rounds each.

    .venv/bin/python -m bench.db_metrics [--statements 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, text

from ece.core import dbmetrics
from ece.core.db import Database


async def _per_statement_us(db: Database, count: int) -> float:
    async with db.engine.connect() as conn:
        started = time.perf_counter()
        for _ in range(count):
            await conn.execute(text("SELECT 1"))
        return (time.perf_counter() - started) / count * 1e6


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        engine = db.engine.sync_engine
        timed, untimed = [], []
        await _per_statement_us(db, count // 5)  # warm up
        for _ in range(3):
            timed.append(await _per_statement_us(db, count))
            event.remove(engine, "before_cursor_execute", dbmetrics._before)
            event.remove(engine, "after_cursor_execute", dbmetrics._after)
            untimed.append(await _per_statement_us(db, count))
            event.listen(engine, "before_cursor_execute", dbmetrics._before)
            event.listen(engine, "after_cursor_execute", dbmetrics._after)
        await db.dispose()
    on, off = min(timed), min(untimed)
    print(f"SELECT 1: {on:.1f} us per statement timed, {off:.1f} us untimed ({on - off:+.1f} us)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=5000)
    asyncio.run(main(parser.parse_args().statements))

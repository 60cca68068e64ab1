"""Can the PostgreSQL + Redis test pass run? Exit 0 yes, 75 skip (local only), 1 fail (CI)."""

from __future__ import annotations

import asyncio
import os
import sys

import asyncpg
import redis

from ece.core.db import libpq_url


async def _pg(url: str) -> None:
    conn = await asyncpg.connect(libpq_url(url), timeout=5)
    await conn.close()


def main() -> int:
    pg_url, redis_url = sys.argv[1], sys.argv[2]
    problems = []
    try:
        asyncio.run(_pg(pg_url))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        problems.append(f"PostgreSQL at {pg_url}: {exc}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at {redis_url}: {exc}")
    if not problems:
        return 0
    for problem in problems:
        print(f"unreachable: {problem}", file=sys.stderr)
    if os.environ.get("CI"):
        print("CI is set: the PostgreSQL + Redis pass is mandatory; failing.", file=sys.stderr)
        return 1
    print("Skipping the PostgreSQL + Redis pass (not in CI).", file=sys.stderr)
    return 75


if __name__ == "__main__":
    sys.exit(main())

"""The local PostgreSQL server the benchmarks use: admin statements and throw-away databases."""

from __future__ import annotations

PG_HOST = "postgresql://postgres@127.0.0.1:5432"
PG_ADMIN = f"{PG_HOST}/postgres"


def app_url(database: str) -> str:
    """The SQLAlchemy URL of ``database`` on that server, as ECE connects to it."""
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"


async def pg_admin(sql: str) -> bool:
    """Run one statement as the server's admin; False when the server does not answer."""
    import asyncpg

    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
    return True


async def drop_database(name: str) -> bool:
    return await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def fresh_database(name: str) -> bool:
    """``name`` dropped if it was there and created empty; False when the server is away."""
    return await drop_database(name) and await pg_admin(f'CREATE DATABASE "{name}"')

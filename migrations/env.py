"""Alembic environment: async engine, URL from ECE settings (or the caller's config)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from ece.config import Settings
from ece.core.db import Database
from ece.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("url") or Settings().resolved_database_url


# FTS5 keeps its index in shadow tables named after the virtual table.
_FTS5_SHADOWS = ("", "_data", "_idx", "_content", "_docsize", "_config")


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Skip objects created by raw SQL in a migration (not in the metadata), which models list
    in ``metadata.info["unmanaged_tables"]`` / ``["unmanaged_indexes"]``, so autogenerate does
    not propose dropping them (e.g. an FTS5 table, a PostgreSQL expression index)."""
    if name is None:
        return True
    if type_ == "table":
        unmanaged = target_metadata.info.get("unmanaged_tables", ())
        return not any(name == table + suffix for table in unmanaged for suffix in _FTS5_SHADOWS)
    if type_ == "index":
        return name not in target_metadata.info.get("unmanaged_indexes", ())
    return True


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    db = Database(_url())
    async with db.engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await db.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())

"""Plain builders for audit tests: read the log as a test sees it."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from ece.audit import service as audit
from ece.core.db import Database
from ece.core.pagination import PageParams

MIGRATIONS = Path(__file__).parents[2] / "migrations" / "versions"


@dataclass(frozen=True)
class Seen:
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]


async def head(app: FastAPI) -> int:
    """The last sequence number written so far."""
    async with app.state.services.db.unit_of_work(write=False) as session:
        return (await audit.verify(session)).entries


async def written_after(app: FastAPI, seq: int) -> list[Seen]:
    """Entries written after ``seq``, oldest first."""
    async with app.state.services.db.unit_of_work(write=False) as session:
        found = [e async for e in audit.every_entry(session, audit.AuditFilters())]
    return [
        Seen(e.actor, e.action, e.object_type, e.object_id, dict(e.details))
        for e in reversed(found)
        if e.seq > seq
    ]


async def latest(app: FastAPI, **filters: Any) -> list[Seen]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        found, _ = await audit.list_entries(
            session, audit.AuditFilters(**filters), PageParams(200, None)
        )
    return [Seen(e.actor, e.action, e.object_type, e.object_id, dict(e.details)) for e in found]


def _audit_migration(name: str = "audit_log") -> ModuleType:
    """The migration that made the guards (its trigger statements put them back)."""
    (path,) = MIGRATIONS.glob(f"*_{name}.py")
    spec = importlib.util.spec_from_file_location(f"{name}_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def change_around_guards(
    db: Database, statement: str, params: dict[str, Any] | None = None
) -> None:
    """Change the log as someone with the database could: drop the triggers, run
    ``statement``, create them again, in one transaction (on PostgreSQL the test database is
    shared by the tests of a run, so the guards must be back for the next one)."""
    guard = _audit_migration()
    if db.engine.dialect.name == "postgresql":
        drops = ["DROP TRIGGER audit_log_no_update ON audit_log"]
        restores = [guard.PG_GUARD[1]]
    else:
        drops = ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]
        # The UPDATE guard as migration 0040 left it (an erasure passes), the DELETE guard.
        restores = [_audit_migration("audit_erasure").SQLITE_GUARD, guard.SQLITE_GUARD[1]]
    async with db.unit_of_work() as session:
        for drop in drops:
            await session.execute(text(drop))
        await session.execute(text(statement), params or {})
        for restore in restores:
            await session.execute(text(restore))

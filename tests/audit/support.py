"""Plain builders for audit tests: read the log as a test sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from ece.audit import service as audit
from ece.core.pagination import PageParams


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

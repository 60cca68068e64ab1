"""Every SQL statement on the deny list."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance.models import DenylistEntry
from ece.core.clock import utcnow
from ece.core.db import insert_or_ignore
from ece.core.pagination import PageParams, SortKey, paginate

CHUNK = 500  # rows (or parameters) per statement


async def add(session: AsyncSession, address: str, reason: str, added_by: str) -> bool:
    """Deny-list ``address``; False if it was listed already (its first reason stays)."""
    result = await session.execute(
        insert_or_ignore(session, DenylistEntry).values(
            address=address, reason=reason, added_by=added_by, created_at=utcnow()
        )
    )
    return getattr(result, "rowcount", 0) == 1


async def add_many(
    session: AsyncSession, addresses: Sequence[str], reason: str, added_by: str
) -> list[str]:
    """Deny-list every address not listed yet, in chunks; the ones this call added."""
    added: list[str] = []
    now = utcnow()
    for start in range(0, len(addresses), CHUNK):
        rows = [
            {"address": a, "reason": reason, "added_by": added_by, "created_at": now}
            for a in addresses[start : start + CHUNK]
        ]
        statement = insert_or_ignore(session, DenylistEntry).values(rows)
        added.extend(await session.scalars(statement.returning(DenylistEntry.address)))
    return added


async def remove(session: AsyncSession, address: str) -> DenylistEntry | None:
    """Take ``address`` off the list; the removed entry, or None if it was not listed."""
    found = await session.get(DenylistEntry, address)
    if found is None:
        return None
    result = await session.execute(delete(DenylistEntry).where(DenylistEntry.address == address))
    assert isinstance(result, CursorResult)
    return found if result.rowcount == 1 else None


async def get(session: AsyncSession, address: str) -> DenylistEntry | None:
    return await session.get(DenylistEntry, address)


async def listed(session: AsyncSession, addresses: Collection[str]) -> set[str]:
    """Those of ``addresses`` on the list (asked in chunks, for a large import)."""
    wanted, found = list(addresses), set[str]()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found |= set(
            await session.scalars(
                select(DenylistEntry.address).where(DenylistEntry.address.in_(chunk))
            )
        )
    return found


async def page(session: AsyncSession, params: PageParams) -> tuple[list[DenylistEntry], str | None]:
    return await paginate(
        session,
        select(DenylistEntry),
        [SortKey(DenylistEntry.created_at, True), SortKey(DenylistEntry.address, True)],
        params,
        lambda row: (row.created_at, row.address),
    )

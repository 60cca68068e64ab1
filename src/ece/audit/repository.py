"""Every SQL statement on the audit tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ece.audit.models import AuditEntry, AuditHead
from ece.audit.rules import EntryFields, entry_hash
from ece.core.pagination import PageParams, SortKey, paginate

entries: Table = AuditEntry.__table__  # type: ignore[assignment]
head: Table = AuditHead.__table__  # type: ignore[assignment]

HEAD_ID = 1
VERIFY_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """An entry recorded during a transaction, written to the chain when that transaction
    commits."""

    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]


def append_all(session: Session, pending: Sequence[PendingEntry]) -> None:
    """Advance the head by ``len(pending)`` (a row lock on PostgreSQL, the write lock on SQLite)
    and write the entries it now names, chained in order: three statements however many.

    Called from the commit itself (synchronously, inside the async session's greenlet), so the
    head is the last lock a transaction takes and is held only for its commit: no transaction
    waits for another lock while holding the head, so appends cannot deadlock with the rows
    the action itself locks."""
    moved = session.execute(
        update(head)
        .where(head.c.id == HEAD_ID)
        .values(seq=head.c.seq + len(pending))
        .returning(head.c.seq, head.c.hash)
    ).one()
    seq, prev_hash = int(moved.seq) - len(pending), str(moved.hash)
    rows = []
    for entry in pending:
        seq += 1
        fields = EntryFields(
            seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.details,
        )
        digest = entry_hash(fields, prev_hash)
        rows.append(
            {
                "seq": seq,
                "at": entry.at,
                "actor": entry.actor,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "details": entry.details,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    session.execute(insert(entries), rows)
    session.execute(update(head).where(head.c.id == HEAD_ID).values(hash=prev_hash))


async def head_row(session: AsyncSession) -> tuple[int, str]:
    row = (await session.execute(select(head.c.seq, head.c.hash).where(head.c.id == HEAD_ID))).one()
    return int(row.seq), str(row.hash)


async def in_order(session: AsyncSession) -> AsyncIterator[Row[Any]]:
    """Every entry by sequence as plain rows (no identity map), read in keyset chunks so memory
    stays flat on a long log."""
    after = 0
    while True:
        batch = (
            await session.execute(
                select(entries)
                .where(entries.c.seq > after)
                .order_by(entries.c.seq)
                .limit(VERIFY_CHUNK)
            )
        ).all()
        for row in batch:
            yield row
        if len(batch) < VERIFY_CHUNK:
            return
        after = int(batch[-1].seq)


def search(
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_seq: int | None = None,
) -> Select[AuditEntry]:
    """Newest first; ``before_seq`` is the keyset cursor."""
    query = select(AuditEntry)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    return query.order_by(AuditEntry.seq.desc())


async def page(
    session: AsyncSession, query: Select[AuditEntry], params: PageParams
) -> tuple[list[AuditEntry], str | None]:
    """One page of ``query`` (from ``search``), newest first, keyset on ``seq``."""
    return await paginate(
        session, query, [SortKey(AuditEntry.seq, True)], params, lambda e: (e.seq,)
    )


async def chunk(session: AsyncSession, query: Select[AuditEntry]) -> list[AuditEntry]:
    return list((await session.scalars(query.limit(VERIFY_CHUNK))).all())

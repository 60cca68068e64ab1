"""Every SQL statement on the audit tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, String, Table, and_, cast, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ece.audit.models import AuditEntry, AuditHead
from ece.audit.rules import (
    PERSONAL_OBJECT_TYPES,
    EntryFields,
    entry_hash,
    new_salts,
    personal_fields,
)
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
        personal = personal_fields(entry.object_type, entry.object_id, entry.details)
        fields = EntryFields(
            seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.details,
            salts=new_salts(personal),
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
                "salts": fields.salts,
            }
        )
        prev_hash = digest
    session.execute(insert(entries), rows)
    session.execute(update(head).where(head.c.id == HEAD_ID).values(hash=prev_hash))


def fields_of(row: Any) -> EntryFields:
    """A stored entry (row or model) as the hash reads it."""
    return EntryFields(
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.object_type,
        row.object_id,
        row.details,
        salts=row.salts,
        erased=row.erased,
    )


async def naming(session: AsyncSession, value: str) -> list[Row[Any]]:
    """Entries that may hold ``value`` in a personal field: as their object, or anywhere in
    their details (the caller checks which field)."""
    query = select(entries).where(
        or_(
            and_(entries.c.object_type.in_(PERSONAL_OBJECT_TYPES), entries.c.object_id == value),
            cast(entries.c.details, String).contains(value, autoescape=True),
        )
    )
    return list((await session.execute(query.order_by(entries.c.seq))).all())


async def with_salts(session: AsyncSession) -> AsyncIterator[Row[Any]]:
    """Every entry that still has a readable personal value, by sequence."""
    query = select(entries).where(entries.c.salts.is_not(None)).order_by(entries.c.seq)
    for row in (await session.execute(query)).all():
        yield row


async def erase_fields(
    session: AsyncSession,
    seq: int,
    object_id: str,
    details: dict[str, Any],
    salts: dict[str, str] | None,
    erased: dict[str, str],
) -> None:
    """The one UPDATE the guard triggers allow: personal values out, commitments in."""
    await session.execute(
        update(entries)
        .where(entries.c.seq == seq)
        .values(object_id=object_id, details=details, salts=salts, erased=erased)
    )


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

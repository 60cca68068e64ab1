"""The audit log's public face: ``record`` an action in the caller's transaction, ``verify`` the
chain. Every staff action, role change and value movement outside a plain trade calls
``record`` before its unit of work commits, so an action and its entry exist together or not
at all. Entries are written by the commit itself (see ``repository.append_all``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from ece.audit import repository
from ece.audit.models import AuditEntry
from ece.audit.rules import ChainCheck, check_details, erasure, personal_fields
from ece.core.clock import utcnow
from ece.core.pagination import PageParams

__all__ = [
    "OPERATOR",
    "SYSTEM",
    "AuditEntry",
    "AuditFilters",
    "Pseudonymized",
    "Verification",
]

SYSTEM = "system"
"""The actor of entries written by the platform itself (the worker, the payment watcher)."""
OPERATOR = "operator"
"""The actor of entries written from the command line (``ece admin``, ``ece init``): someone
with the server's configuration and database, not a signed-in user."""


PENDING = "ece.audit.pending"
"""Where a session keeps the entries recorded in its open transaction."""


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Record one entry in the caller's transaction: it joins the chain when that transaction
    commits, and vanishes with it when it rolls back.

    ``actor`` is a user id (or ``SYSTEM``); ``action`` a dotted name such as
    ``withdrawal.requested``; ``details`` plain JSON without floats (amounts as decimal strings).
    Not inside a savepoint that may roll back alone: the entry would outlive it.
    """
    body = dict(details or {})
    check_details(body)
    entry = repository.PendingEntry(utcnow(), actor, action, object_type, str(object_id), body)
    session.info.setdefault(PENDING, []).append(entry)


@event.listens_for(Session, "before_commit")
def _write_recorded(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        repository.append_all(session, pending)


@event.listens_for(Session, "after_transaction_end")
def _forget_recorded(session: Session, transaction: SessionTransaction) -> None:
    # A rolled-back (or closed) transaction takes its recorded entries with it.
    if transaction.parent is None:
        session.info.pop(PENDING, None)


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    entries: int
    head: str
    first_bad_seq: int | None


async def verify(session: AsyncSession) -> Verification:
    """Recompute every hash from the stored rows; report the first entry that does not match."""
    check = ChainCheck()
    async for row in repository.in_order(session):
        check.feed(repository.fields_of(row), row.prev_hash, row.hash)
    head_seq, head_hash = await repository.head_row(session)
    check.finish(head_seq, head_hash)
    return Verification(check.ok, check.entries, check.head, check.first_bad_seq)


@dataclass(frozen=True, slots=True)
class Pseudonymized:
    """What an erasure did to the log: entries whose personal value it replaced, and entries
    naming the value in the clear that it had to keep as written (written before personal
    values were salted, migration 0040: changing them would break the chain)."""

    entries: int
    kept: int


async def pseudonymize(session: AsyncSession, value: str, pseudonym: str) -> Pseudonymized:
    """Replace ``value`` (a wallet address) by ``pseudonym`` in every entry's personal fields,
    in the caller's transaction. Each entry keeps its hash: the value's salted commitment
    stands in for it, and its salt is dropped. The same pseudonym everywhere keeps the entries
    about one person linked to each other, and to nothing else."""
    changed = kept = 0
    for row in await repository.naming(session, value):
        fields = repository.fields_of(row)
        erased = erasure(fields, value, pseudonym)
        if erased is None:
            kept += value in (row.object_id, *map(str, row.details.values()))
            continue
        await repository.erase_fields(session, row.seq, *erased)
        changed += 1
    return Pseudonymized(changed, kept)


async def readable_personal_values(session: AsyncSession) -> list[str]:
    """Every personal value the log still holds readable (for masking a copy), in order."""
    found: dict[str, None] = {}
    async for row in repository.with_salts(session):
        fields = repository.fields_of(row)
        for name, value in personal_fields(
            fields.object_type, fields.object_id, fields.details
        ).items():
            if name in (fields.salts or {}):
                found.setdefault(value)
    return list(found)


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """What a search keeps: each field given must match exactly; ``since`` is inclusive,
    ``until`` exclusive."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _search(filters: AuditFilters, before_seq: int | None = None) -> Select[AuditEntry]:
    return repository.search(
        actor=filters.actor,
        action=filters.action,
        object_type=filters.object_type,
        object_id=filters.object_id,
        since=filters.since,
        until=filters.until,
        before_seq=before_seq,
    )


async def list_entries(
    session: AsyncSession, filters: AuditFilters, params: PageParams
) -> tuple[list[AuditEntry], str | None]:
    """Entries matching ``filters``, newest first, a keyset page on ``seq``."""
    return await repository.page(session, _search(filters), params)


async def every_entry(session: AsyncSession, filters: AuditFilters) -> AsyncIterator[AuditEntry]:
    """Every entry matching ``filters``, newest first, read in keyset chunks (for the CSV
    export: memory stays flat however long the log)."""
    before: int | None = None
    while True:
        batch = await repository.chunk(session, _search(filters, before))
        for entry in batch:
            yield entry
        if len(batch) < repository.VERIFY_CHUNK:
            return
        before = batch[-1].seq

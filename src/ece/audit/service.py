"""The audit log's public face: ``record`` an action in the caller's transaction, ``verify`` the
chain. Every staff action, role change and value movement outside a plain trade calls
``record`` before its unit of work commits, so an action and its entry exist together or not
at all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import repository
from ece.audit.models import AuditEntry
from ece.audit.rules import ChainCheck, EntryFields, check_details
from ece.core.clock import utcnow

SYSTEM = "system"
"""The actor of entries written by the platform itself (the worker, the payment watcher)."""


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    ``actor`` is a user id (or ``SYSTEM``); ``action`` a dotted name such as
    ``withdrawal.requested``; ``details`` plain JSON without floats (amounts as decimal strings).
    """
    body = dict(details or {})
    check_details(body)
    return await repository.append(
        session,
        at=utcnow(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=body,
    )


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
        fields = EntryFields(
            row.seq, row.at, row.actor, row.action, row.object_type, row.object_id, row.details
        )
        check.feed(fields, row.prev_hash, row.hash)
    head_seq, head_hash = await repository.head_row(session)
    check.finish(head_seq, head_hash)
    return Verification(check.ok, check.entries, check.head, check.first_bad_seq)

"""What the audit viewer shows (admins and compliance officers): the chain's verification and a
filtered page of entries, newest first. Read only, from ``ece.audit.service``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth.service import Role, User
from ece.core.errors import Forbidden, Unprocessable
from ece.core.pagination import PageParams

READERS = (Role.admin, Role.compliance)
PAGE_SIZE = 50
FILTERS = ("actor", "action", "object_type", "object_id", "from", "to")


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    details: str  # compact JSON
    hash: str


@dataclass(frozen=True)
class AuditView:
    verification: audit.Verification
    rows: list[AuditRow]
    next_cursor: str | None
    filters: dict[str, str]  # as typed, to fill the form
    typed: dict[str, str]  # the non-blank ones, for the "older" link
    api_query: dict[str, str]  # the same for the JSON API and CSV (times with their offset)


def is_reader(viewer: User | None) -> bool:
    return viewer is not None and viewer.has_role(*READERS)


def _moment(name: str, text: str) -> datetime | None:
    """A ``datetime-local`` field (read as UTC) or a full ISO 8601 time; blank is no bound."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Unprocessable(f"{name}: not a date and time.", code="invalid_time") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def audit_page(
    session: AsyncSession, viewer: User, typed: dict[str, str], cursor: str | None
) -> AuditView:
    if not is_reader(viewer):
        raise Forbidden("The audit log is for admins and compliance officers.", code="forbidden")
    filters = audit.AuditFilters(
        actor=typed["actor"] or None,
        action=typed["action"] or None,
        object_type=typed["object_type"] or None,
        object_id=typed["object_id"] or None,
        since=_moment("from", typed["from"]),
        until=_moment("to", typed["to"]),
    )
    entries, next_cursor = await audit.list_entries(session, filters, PageParams(PAGE_SIZE, cursor))
    rows = [
        AuditRow(
            e.seq,
            e.at,
            e.actor,
            e.action,
            e.object_type,
            e.object_id,
            json.dumps(e.details, sort_keys=True, separators=(",", ":")),
            e.hash,
        )
        for e in entries
    ]
    given = {k: v for k, v in typed.items() if v}
    api_query = {**given}
    for name, moment in (("from", filters.since), ("to", filters.until)):
        if moment is not None:
            api_query[name] = moment.isoformat()
    return AuditView(await audit.verify(session), rows, next_cursor, typed, given, api_query)

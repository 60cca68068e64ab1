"""API shapes of the audit log: entries, a page of them, the chain's verification, the CSV."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ece.audit.service import AuditEntry, Verification
from ece.core.csvcells import csv_line

CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "details",
    "prev_hash",
    "hash",
)


class AuditEntryOut(BaseModel):
    seq: int = Field(description="Position in the chain, gap-free from 1")
    at: datetime
    actor: str = Field(description="The acting user's id, or `system` / `operator`")
    action: str = Field(description="`<object>.<verb>` in the past tense")
    object_type: str
    object_id: str
    details: dict[str, Any] = Field(description="Plain JSON; amounts are decimal strings")
    prev_hash: str
    hash: str = Field(description="sha256(canonical JSON of the entry + prev_hash), hex")

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            details=entry.details,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None = None


class AuditVerifyOut(BaseModel):
    ok: bool
    entries: int = Field(description="Entries read")
    head: str = Field(description="Hash of the last entry that verified (64 zeros if none)")
    first_bad_seq: int | None = Field(
        default=None, description="The first entry that does not match; absent when ok"
    )

    @classmethod
    def of(cls, result: Verification) -> AuditVerifyOut:
        return cls(
            ok=result.ok,
            entries=result.entries,
            head=result.head,
            first_bad_seq=result.first_bad_seq,
        )


def csv_row(entry: AuditEntry) -> str:
    """One CSV line; ``details`` as compact JSON with sorted keys. Cells that a spreadsheet
    would run as a formula are prefixed with a quote (OWASP CSV injection)."""
    details = json.dumps(entry.details, sort_keys=True, separators=(",", ":"))
    cells = [
        str(entry.seq),
        entry.at.isoformat(),
        entry.actor,
        entry.action,
        entry.object_type,
        entry.object_id,
        details,
        entry.prev_hash,
        entry.hash,
    ]
    return csv_line(cells)

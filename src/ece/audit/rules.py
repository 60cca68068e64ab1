"""Pure rules of the audit chain: the canonical form of an entry, its hash, and verification.

``hash = sha256(canonical JSON of the entry + prev_hash)``, where the canonical JSON has sorted
keys, no spaces, UTF-8, and ``at`` as ISO 8601 UTC with microseconds. The first entry's
``prev_hash`` is ``GENESIS``. Anyone with the rows can recompute the chain (``ece audit verify``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class EntryFields:
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    details: Mapping[str, Any]


def canonical_at(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(fields: EntryFields) -> str:
    return json.dumps(
        {
            "seq": fields.seq,
            "at": canonical_at(fields.at),
            "actor": fields.actor,
            "action": fields.action,
            "object_type": fields.object_type,
            "object_id": fields.object_id,
            "details": fields.details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def entry_hash(fields: EntryFields, prev_hash: str) -> str:
    return hashlib.sha256((canonical_json(fields) + prev_hash).encode()).hexdigest()


def check_details(details: Mapping[str, Any]) -> None:
    """Details hold strings, integers, booleans, None, lists and objects: never floats, whose
    text form could differ between writer and verifier (money is a decimal string anyway)."""
    stack: list[Any] = [details]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            if not all(isinstance(k, str) for k in value):
                raise ValueError("audit details keys must be strings")
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif value is not None and not isinstance(value, str | int | bool):
            raise ValueError(f"audit details cannot hold {type(value).__name__}")


@dataclass(slots=True)
class ChainCheck:
    """Feeds entries in sequence order and remembers the first that breaks the chain."""

    entries: int = 0
    head: str = GENESIS
    first_bad_seq: int | None = None

    def feed(self, fields: EntryFields, prev_hash: str, stored_hash: str) -> None:
        self.entries += 1
        if self.first_bad_seq is not None:
            return
        expected_seq = self.entries
        if (
            fields.seq != expected_seq
            or prev_hash != self.head
            or entry_hash(fields, prev_hash) != stored_hash
        ):
            self.first_bad_seq = min(fields.seq, expected_seq)
            return
        self.head = stored_hash

    def finish(self, head_seq: int, head_hash: str) -> None:
        """The head row must name the last entry: rows cut from the end are found here."""
        if self.first_bad_seq is None and (head_seq != self.entries or head_hash != self.head):
            self.first_bad_seq = self.entries + 1

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None

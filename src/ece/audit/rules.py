"""Pure rules of the audit chain: the canonical form of an entry, its hash, and verification.

``hash = sha256(canonical JSON of the entry + prev_hash)``, where the canonical JSON has sorted
keys, no spaces, UTF-8, and ``at`` as ISO 8601 UTC with microseconds. The first entry's
``prev_hash`` is ``GENESIS``. Anyone with the rows can recompute the chain (``ece audit verify``).

Personal values (a wallet address as the object, or under a personal details key) are hashed
through a salted commitment, ``sha256:<sha256(salt + ":" + value)>``, with the entry's salts
stored beside it and ``"v": 2`` in its canonical JSON. Erasure replaces such a value with a
pseudonym, drops its salt and keeps its commitment (``erased``): the entry's hash stays the
same, and the commitment without its salt says nothing about the address. Entries with no
personal value (and every entry written before migration 0040) hash their plain values.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
# What names a person in an entry: the object when it is a wallet address, and these keys
# of its details (top level).
PERSONAL_OBJECT_TYPES = frozenset({"address"})
PERSONAL_DETAIL_KEYS = frozenset({"address", "wallet", "destination", "sender"})
OBJECT_FIELD = "object_id"
DETAIL_FIELD = "details."


@dataclass(frozen=True, slots=True)
class EntryFields:
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    details: Mapping[str, Any]
    # Per personal field, its salt (while readable) or its commitment (once erased).
    salts: Mapping[str, str] | None = field(default=None)
    erased: Mapping[str, str] | None = field(default=None)


def personal_fields(object_type: str, object_id: str, details: Mapping[str, Any]) -> dict[str, str]:
    """The entry's personal values by field name (``object_id``, ``details.<key>``)."""
    found = {OBJECT_FIELD: object_id} if object_type in PERSONAL_OBJECT_TYPES else {}
    for key in sorted(PERSONAL_DETAIL_KEYS.intersection(details)):
        if isinstance(details[key], str):
            found[DETAIL_FIELD + key] = details[key]
    return found


def new_salts(fields: Mapping[str, str]) -> dict[str, str] | None:
    """A fresh random salt per personal field; None for an entry without any."""
    return {name: secrets.token_hex(16) for name in fields} or None


def commitment(salt: str, value: str) -> str:
    return "sha256:" + hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def _committed(fields: EntryFields) -> tuple[str, dict[str, Any]]:
    """object_id and details with each personal value replaced by its commitment."""
    salts, erased = fields.salts or {}, fields.erased or {}

    def stand_in(name: str, value: str) -> str:
        if name in erased:
            return erased[name]
        if name in salts:
            return commitment(salts[name], value)
        return value

    object_id = stand_in(OBJECT_FIELD, fields.object_id)
    details = dict(fields.details)
    for key, value in details.items():
        if isinstance(value, str):
            details[key] = stand_in(DETAIL_FIELD + key, value)
    return object_id, details


def erasure(
    fields: EntryFields, value: str, pseudonym: str
) -> tuple[str, dict[str, Any], dict[str, str] | None, dict[str, str]] | None:
    """The entry with every salted personal field equal to ``value`` replaced by
    ``pseudonym``: (object_id, details, salts left, erased), or None when nothing changes."""
    salts, erased = dict(fields.salts or {}), dict(fields.erased or {})
    names = [
        name
        for name, seen in personal_fields(
            fields.object_type, fields.object_id, fields.details
        ).items()
        if seen == value and name in salts
    ]
    if not names:
        return None
    object_id, details = fields.object_id, dict(fields.details)
    for name in names:
        erased[name] = commitment(salts.pop(name), value)
        if name == OBJECT_FIELD:
            object_id = pseudonym
        else:
            details[name.removeprefix(DETAIL_FIELD)] = pseudonym
    return object_id, details, salts or None, erased


def canonical_at(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(fields: EntryFields) -> str:
    body: dict[str, Any] = {
        "seq": fields.seq,
        "at": canonical_at(fields.at),
        "actor": fields.actor,
        "action": fields.action,
        "object_type": fields.object_type,
        "object_id": fields.object_id,
        "details": fields.details,
    }
    if fields.salts is not None or fields.erased is not None:
        body["v"] = 2
        body["object_id"], body["details"] = _committed(fields)
    return json.dumps(
        body,
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

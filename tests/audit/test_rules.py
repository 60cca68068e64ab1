"""The audit chain's pure rules: canonical form, hashing and verification, without a database."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ece.audit.rules import (
    GENESIS,
    ChainCheck,
    EntryFields,
    canonical_json,
    check_details,
    entry_hash,
)

AT = datetime(2026, 11, 30, 19, 0, 0, 123456, tzinfo=UTC)


def fields(seq: int, **changes: object) -> EntryFields:
    base = EntryFields(seq, AT, "u1", "kyc.verified", "user", "u2", {"amount": "1.5", "n": 2})
    return replace(base, **changes)  # type: ignore[arg-type]


def chain(count: int) -> list[tuple[EntryFields, str, str]]:
    rows, prev = [], GENESIS
    for seq in range(1, count + 1):
        entry = fields(seq)
        digest = entry_hash(entry, prev)
        rows.append((entry, prev, digest))
        prev = digest
    return rows


def test_canonical_json_is_sorted_compact_and_utc() -> None:
    text = canonical_json(fields(1, details={"b": 1, "a": "é"}))
    assert text == (
        '{"action":"kyc.verified","actor":"u1","at":"2026-11-30T19:00:00.123456+00:00",'
        '"details":{"a":"é","b":1},"object_id":"u2","object_type":"user","seq":1}'
    )


def test_hash_is_sha256_of_canonical_json_then_prev_hash() -> None:
    entry = fields(1)
    expected = hashlib.sha256((canonical_json(entry) + GENESIS).encode()).hexdigest()
    assert entry_hash(entry, GENESIS) == expected
    assert entry_hash(entry, "1" * 64) != expected


def test_an_intact_chain_verifies() -> None:
    check = ChainCheck()
    rows = chain(5)
    for entry, prev, digest in rows:
        check.feed(entry, prev, digest)
    check.finish(5, rows[-1][2])
    assert check.ok and check.entries == 5 and check.head == rows[-1][2]


@pytest.mark.parametrize(
    ("bad", "tamper"),
    [
        (3, lambda e, p, h: (replace(e, details={"amount": "9.5", "n": 2}), p, h)),
        (3, lambda e, p, h: (replace(e, actor="u9"), p, h)),
        (3, lambda e, p, h: (e, p, "f" * 64)),
        (3, lambda e, p, h: (e, "f" * 64, h)),
        (3, lambda e, p, h: (replace(e, seq=7), p, h)),
    ],
)
def test_a_changed_entry_is_the_first_bad_one(bad: int, tamper: object) -> None:
    check = ChainCheck()
    rows = chain(5)
    for entry, prev, digest in rows:
        if entry.seq == bad:
            entry, prev, digest = tamper(entry, prev, digest)  # type: ignore[operator]
        check.feed(entry, prev, digest)
    check.finish(5, rows[-1][2])
    assert not check.ok and check.first_bad_seq == bad


def test_a_removed_middle_entry_is_found() -> None:
    check = ChainCheck()
    rows = chain(5)
    for entry, prev, digest in rows[:2] + rows[3:]:
        check.feed(entry, prev, digest)
    check.finish(5, rows[-1][2])
    assert check.first_bad_seq == 3


def test_entries_cut_from_the_end_are_found_by_the_head() -> None:
    check = ChainCheck()
    rows = chain(5)
    for entry, prev, digest in rows[:3]:
        check.feed(entry, prev, digest)
    check.finish(5, rows[-1][2])
    assert check.first_bad_seq == 4


@pytest.mark.parametrize("details", [{"x": 1.5}, {"x": [object()]}, {1: "a"}])
def test_details_refuse_floats_and_other_types(details: dict[object, object]) -> None:
    with pytest.raises(ValueError, match="audit details"):
        check_details(details)  # type: ignore[arg-type]


def test_details_accept_plain_json() -> None:
    check_details({"a": "1.5", "b": [1, True, None, {"c": "d"}]})

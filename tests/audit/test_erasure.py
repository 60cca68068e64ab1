"""Erasure in the audit log: a person's wallet address leaves every entry that names it, each
entry keeps its place and hash, and the chain still finds any other change."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ece.audit import service as audit
from ece.audit.models import AuditEntry
from ece.audit.rules import EntryFields, commitment, entry_hash, erasure, new_salts
from ece.privacy.service import pseudonym
from tests.audit.support import change_around_guards
from tests.builders import sign_in
from tests.compliance.support import deny, officer

ADDRESS = str(Keypair().pubkey())


def entry(**changes: object) -> EntryFields:
    base = EntryFields(
        7,
        datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        "officer-1",
        "denylist.added",
        "address",
        ADDRESS,
        {"reason": "OFAC SDN", "sender": ADDRESS},
        salts={"object_id": "aa" * 16, "details.sender": "bb" * 16},
    )
    return EntryFields(**{**{f: getattr(base, f) for f in base.__slots__}, **changes})  # type: ignore[arg-type]


def test_an_erased_entry_keeps_its_hash_and_a_changed_one_does_not() -> None:
    written = entry()
    before = entry_hash(written, "0" * 64)
    object_id, details, salts, erased = erasure(written, ADDRESS, "erased:x") or pytest.fail(
        "nothing erased"
    )
    after = entry(object_id=object_id, details=details, salts=salts, erased=erased)

    assert entry_hash(after, "0" * 64) == before
    assert (object_id, details["sender"], salts) == ("erased:x", "erased:x", None)
    assert erased["object_id"] == commitment("aa" * 16, ADDRESS)
    assert ADDRESS not in str((object_id, details, salts, erased))
    # Another address in place of the real one, or a changed reason: another hash.
    assert entry_hash(entry(object_id=str(Keypair().pubkey())), "0" * 64) != before
    assert entry_hash(entry(details={**written.details, "reason": "x"}), "0" * 64) != before
    # Nothing to erase for another value; an entry without salts (before 0040) keeps it.
    assert erasure(written, "someone-else", "erased:x") is None
    assert erasure(entry(salts=None), ADDRESS, "erased:x") is None


def test_only_personal_fields_are_salted() -> None:
    assert new_salts({}) is None
    salts = new_salts({"object_id": ADDRESS})
    assert salts is not None and len(salts["object_id"]) == 32
    assert new_salts({"object_id": ADDRESS}) != salts  # fresh each time


async def _rows(app: FastAPI, object_type: str = "address") -> list[AuditEntry]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        found = await session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == object_type).order_by(AuditEntry.seq)
        )
        return list(found)


async def test_erasing_a_user_pseudonymizes_the_log_and_the_chain_still_verifies(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    staff = await officer(client, app)
    user = await sign_in(client)
    stranger = str(Keypair().pubkey())
    for address in (user.address, stranger):
        await deny(client, staff, address)
    removed = await client.delete(
        f"/api/v1/compliance/denylist/{user.address}", headers=staff.headers
    )
    assert removed.status_code == 204, removed.text
    written = {(e.seq, e.hash) for e in await _rows(app)}
    assert sum(e.object_id == user.address for e in await _rows(app)) == 2

    erased = await client.delete("/api/v1/users/me", headers=user.headers)

    assert erased.status_code == 204, erased.text
    rows = await _rows(app)
    assert {(e.seq, e.hash) for e in rows} == written  # every entry in place, same hash
    name = pseudonym(user.user["id"])
    assert [(e.action, e.object_id) for e in rows] == [
        ("denylist.added", name),
        ("denylist.added", stranger),
        ("denylist.removed", name),
    ]
    assert all(e.salts is None and set(e.erased or {}) == {"object_id"} for e in rows[::2])
    assert rows[1].salts is not None and rows[1].erased is None  # someone else's: untouched
    async with app.state.services.db.unit_of_work(write=False) as session:
        hits = await session.execute(
            text("SELECT seq FROM audit_log WHERE object_id = :a OR CAST(details AS TEXT) LIKE :l"),
            {"a": user.address, "l": f"%{user.address}%"},
        )
        assert hits.all() == []
        assert (await audit.verify(session)).ok
    (done,) = [e for e in await _rows(app, "user") if e.action == "user.erased"]
    assert (done.action, done.details["audit_entries_pseudonymized"]) == ("user.erased", 2)
    # Staff still find the entries by the pseudonym, linked as one person's.
    listed = await client.get("/api/v1/audit", params={"object_id": name}, headers=staff.headers)
    assert [e["action"] for e in listed.json()["items"]] == ["denylist.removed", "denylist.added"]


async def test_the_guard_lets_only_an_erasure_through_and_the_chain_finds_a_fake_one(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    staff = await officer(client, app)
    victim = str(Keypair().pubkey())
    await deny(client, staff, victim)
    (row,) = await _rows(app)
    db = app.state.services.db
    for refused in (
        "UPDATE audit_log SET object_id = 'x' WHERE seq = :s",  # no erasure recorded
        "UPDATE audit_log SET action = 'x', erased = '{}' WHERE seq = :s",  # a hashed column
        "DELETE FROM audit_log WHERE seq = :s",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.unit_of_work() as session:
                await session.execute(text(refused), {"s": row.seq})
    # An "erasure" that names another commitment (or swaps in another address) is found.
    async with db.unit_of_work() as session:
        await session.execute(
            text(
                "UPDATE audit_log SET object_id = 'erased:x', salts = NULL, "
                "erased = :e WHERE seq = :s"
            ),
            {"e": '{"object_id": "sha256:' + "0" * 64 + '"}', "s": row.seq},
        )
    async with db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert not result.ok and result.first_bad_seq == row.seq


async def test_an_address_changed_around_the_guards_is_found(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    staff = await officer(client, app)
    await deny(client, staff, str(Keypair().pubkey()))
    (row,) = await _rows(app)
    await change_around_guards(
        app.state.services.db,
        "UPDATE audit_log SET object_id = :other WHERE seq = :s",
        {"other": str(Keypair().pubkey()), "s": row.seq},
    )
    async with app.state.services.db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert not result.ok and result.first_bad_seq == row.seq

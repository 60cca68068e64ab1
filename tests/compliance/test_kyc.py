"""KYC through the API: submit, the officers' queue and decisions (four eyes), resubmission
rules, masking, and the personal data sealed at rest: unreadable in the database and in logs,
a changed or swapped value refused with a clear problem, keys rotated (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from ece.auth.models import Role
from ece.config import Settings
from ece.core.db import Base, Database
from tests.builders import api_client, grant, served, sign_in
from tests.compliance.support import (
    BIRTH,
    DOCUMENT,
    NAME,
    decide_kyc,
    kyc_body,
    my_kyc,
    officer,
    submit,
)

SECRETS = (NAME, *NAME.split(), DOCUMENT, BIRTH, DOCUMENT.lower())


def db_of(app: FastAPI) -> Database:
    database: Database = app.state.services.db
    return database


async def test_submit_queue_verify_and_masking(client: httpx.AsyncClient, app: FastAPI) -> None:
    user = await sign_in(client)
    assert (await my_kyc(client, user))["status"] == "none"
    response = await submit(client, user, "full")
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pending"
    mine = await my_kyc(client, user)
    assert mine["level"] == "none" and mine["requested_level"] == "full"
    assert mine["personal_data"] == {
        "full_name": "J*** D***",
        "country": "DE",
        "date_of_birth": "****-**-**",
        "document_number": "****QZ",
    }
    staff = await officer(client, app)
    queue = await client.get("/api/v1/compliance/kyc?status=pending", headers=staff.headers)
    assert queue.status_code == 200, queue.text
    (item,) = queue.json()["items"]
    assert item["user_id"] == user.user["id"]
    assert item["personal_data"]["full_name"] == "J*** D***"
    assert not any(s in queue.text for s in SECRETS)

    response = await decide_kyc(client, staff, user.user["id"])
    assert response.status_code == 200, response.text
    assert response.json()["level"] == "full" and response.json()["status"] == "verified"
    assert (await my_kyc(client, user))["level"] == "full"
    empty = await client.get("/api/v1/compliance/kyc?status=pending", headers=staff.headers)
    assert empty.json()["items"] == []
    async with db_of(app).unit_of_work(write=False) as session:
        rows = (await session.execute(text("SELECT action, actor, details FROM audit_log"))).all()
    actions = {(r.action, r.actor) for r in rows}
    assert ("kyc.submitted", user.user["id"]) in actions
    assert ("kyc.verified", staff.user["id"]) in actions
    assert not any(s in str(rows) for s in SECRETS)


async def test_only_officers_see_the_queue_and_decide(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await sign_in(client)
    other = await sign_in(client)
    assert (await submit(client, user)).status_code == 202
    queue = await client.get("/api/v1/compliance/kyc", headers=other.headers)
    assert queue.status_code == 403
    assert (await decide_kyc(client, other, user.user["id"])).status_code == 403
    assert (await my_kyc(client, user))["status"] == "pending"


async def test_four_eyes_an_officer_cannot_decide_their_own(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    first, second = await officer(client, app), await officer(client, app)
    assert (await submit(client, first)).status_code == 202
    response = await decide_kyc(client, first, first.user["id"])
    assert response.status_code == 403
    assert response.json()["code"] == "four_eyes"
    assert (await my_kyc(client, first))["status"] == "pending"
    assert (await decide_kyc(client, second, first.user["id"])).status_code == 200
    assert (await my_kyc(client, first))["level"] == "basic"


async def test_resubmission_rejection_and_downgrade(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await sign_in(client)
    staff = await officer(client, app)
    uid = user.user["id"]
    response = await submit(client, user, "full", document_number=None)
    assert response.status_code == 422 and response.json()["code"] == "document_required"
    bad_country = await submit(client, user, country="XX")
    assert bad_country.status_code == 422
    assert "XX" not in bad_country.text or "country" in bad_country.text
    assert (await submit(client, user, date_of_birth="2999-01-01")).status_code == 422
    assert (await submit(client, user)).status_code == 202
    again = await submit(client, user)
    assert again.status_code == 409 and again.json()["code"] == "kyc_pending"
    assert (await decide_kyc(client, staff, uid, "reject")).status_code == 200
    assert (await my_kyc(client, user))["status"] == "rejected"
    assert (await decide_kyc(client, staff, uid)).json()["code"] == "kyc_not_pending"
    assert (await submit(client, user)).status_code == 202  # after a rejection: again
    assert (await decide_kyc(client, staff, uid)).status_code == 200
    held = await submit(client, user)
    assert held.status_code == 409 and held.json()["code"] == "kyc_level_held"
    downgrade = await submit(client, user, "none")
    assert downgrade.status_code == 422
    assert (await submit(client, user, "full")).status_code == 202
    assert (await decide_kyc(client, staff, uid, "reject")).status_code == 200
    mine = await my_kyc(client, user)
    assert mine["level"] == "basic" and mine["status"] == "rejected"  # basic kept
    unknown = await decide_kyc(client, staff, "0" * 32)
    assert unknown.status_code == 404 and unknown.json()["code"] == "kyc_not_found"


def _dump(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


async def _raw_rows(db: Database) -> bytes:
    """Every row of every table, as the database returns them (bytes, text, JSON)."""
    found = b""
    async with db.unit_of_work(write=False) as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(text(f'SELECT * FROM "{table.name}"'))).all():
                found += b"|".join(_dump(v) for v in row) + b"\n"
    return found


@pytest.fixture
async def debug_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The app logging everything (DEBUG), to show no personal data reaches a log line."""
    async with served(settings.model_copy(update={"log_level": "DEBUG"})) as application:
        yield application


async def test_personal_data_unreadable_in_the_database_and_logs(
    debug_app: FastAPI,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with api_client(debug_app) as client:
        user = await sign_in(client)
        staff = await officer(client, debug_app)
        assert (await submit(client, user, "full")).status_code == 202
        assert (await submit(client, user, "full")).status_code == 409  # an error path too
        assert (await client.get("/api/v1/compliance/kyc", headers=staff.headers)).is_success
        assert (await decide_kyc(client, staff, user.user["id"])).is_success
        assert (await my_kyc(client, user))["level"] == "full"
    raw = await _raw_rows(db_of(debug_app))
    assert raw.count(b"\n") > 5
    if settings.is_sqlite:  # the database file itself, with its write-ahead log
        path = settings.data_dir / "ece.db"
        raw += path.read_bytes()
        for extra in (path.with_name("ece.db-wal"), path.with_name("ece.db-journal")):
            raw += extra.read_bytes() if extra.exists() else b""
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
        assert secret.encode("utf-16-le") not in raw, secret
    logs = capsys.readouterr()
    captured = logs.out + logs.err + caplog.text
    assert captured  # DEBUG logging was on and wrote something
    for secret in SECRETS:
        assert secret not in captured, secret


async def test_a_changed_or_swapped_value_is_refused_clearly(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    alice, bob = await sign_in(client), await sign_in(client)
    staff = await officer(client, app)
    assert (await submit(client, alice, full_name="Alice Aardvark")).status_code == 202
    assert (await submit(client, bob, full_name="Bob Bobbington")).status_code == 202
    db = db_of(app)
    async with db.unit_of_work() as session:  # move Bob's sealed name into Alice's row
        await session.execute(
            text(
                "UPDATE kyc_records SET full_name = (SELECT full_name FROM kyc_records "
                "WHERE user_id = :bob), full_name_key = (SELECT full_name_key FROM kyc_records "
                "WHERE user_id = :bob) WHERE user_id = :alice"
            ),
            {"alice": alice.user["id"], "bob": bob.user["id"]},
        )
    response = await client.get("/api/v1/users/me/kyc", headers=alice.headers)
    assert response.status_code == 500
    problem = response.json()
    assert problem["code"] == "personal_data_unreadable"
    assert "full_name" in problem["detail"]
    assert "Bob" not in response.text and "Traceback" not in response.text
    async with db.unit_of_work() as session:  # flip one byte of Bob's sealed country
        blob = await session.scalar(
            text("SELECT country FROM kyc_records WHERE user_id = :u"), {"u": bob.user["id"]}
        )
        changed = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
        await session.execute(
            text("UPDATE kyc_records SET country = :c WHERE user_id = :u"),
            {"c": changed, "u": bob.user["id"]},
        )
    response = await client.get("/api/v1/users/me/kyc", headers=bob.headers)
    assert response.status_code == 500 and "country" in response.json()["detail"]
    queue = await client.get("/api/v1/compliance/kyc", headers=staff.headers)
    assert queue.status_code == 200  # the list still works, the two are marked unreadable
    assert [i["readable"] for i in queue.json()["items"]] == [False, False]


async def test_two_first_submissions_at_once_make_one_record(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await sign_in(client)
    first, second = await asyncio.gather(submit(client, user), submit(client, user, "full"))
    assert sorted([first.status_code, second.status_code]) == [202, 409]
    assert (await my_kyc(client, user))["status"] == "pending"


async def test_api_keys_never_carry_identity_data(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await sign_in(client)
    await grant(app, owner.address, Role.developer)
    owner = await sign_in(client, owner.keypair)
    made = await client.post(
        "/api/v1/users/me/api-keys",
        json={"name": "bot", "scopes": ["read", "trade", "withdraw"]},
        headers=owner.headers,
    )
    assert made.status_code == 201, made.text
    key = {"Authorization": f"Bearer {made.json()['key']}"}
    for response in (
        await client.post("/api/v1/users/me/kyc", json=kyc_body(), headers=key),
        await client.get("/api/v1/users/me/kyc", headers=key),
    ):
        assert response.status_code == 403 and response.json()["code"] == "session_required"

"""The audit API: who may read it, filters, the keyset cursor, the CSV export, and tampering
found through ``GET /api/v1/audit/verify`` after real actions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.audit import service as audit
from ece.auth.service import Role
from ece.core.clock import clock
from ece.core.db import Database
from tests.audit.support import change_around_guards
from tests.builders import SignedInUser, grant, make_admin, sign_in
from tests.cards.cards_builders import make_company

ROUTES = ("/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit.csv")
START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def write(db: Database, actor: str, action: str, object_id: str, **details: Any) -> None:
    async with db.unit_of_work() as session:
        await audit.record(
            session,
            actor=actor,
            action=action,
            object_type=action.split(".")[0],
            object_id=object_id,
            details=details,
        )


async def officer(client: httpx.AsyncClient, app: FastAPI) -> SignedInUser:
    keypair = Keypair()
    await grant(app, str(keypair.pubkey()), Role.compliance)
    return await sign_in(client, keypair)


async def test_only_admins_and_compliance_officers_read_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    plain = await sign_in(client)
    signer = Keypair()
    await grant(app, str(signer.pubkey()), Role.treasury_signer)
    treasury = await sign_in(client, signer)
    staff = [await make_admin(client, app), await officer(client, app)]
    for route in ROUTES:
        assert (await client.get(route)).status_code == 401
        for outsider in (plain, treasury):
            refused = await client.get(route, headers=outsider.headers)
            assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
        for reader in staff:
            assert (await client.get(route, headers=reader.headers)).status_code == 200


async def test_filters_and_the_cursor(client: httpx.AsyncClient, app: FastAPI) -> None:
    reader = await officer(client, app)
    db = app.state.services.db
    clock.freeze(START)
    for n in range(5):
        await write(db, "a1" if n % 2 else "a2", "deposit.credited", f"d{n}", amount=f"{n}.5")
        clock.advance(timedelta(hours=1))
    await write(db, "a1", "withdrawal.requested", "w1", amount="1")

    async def ids(**query: Any) -> list[str]:
        got = await client.get("/api/v1/audit", params=query, headers=reader.headers)
        assert got.status_code == 200, got.text
        return [e["object_id"] for e in got.json()["items"]]

    assert await ids(action="deposit.credited") == ["d4", "d3", "d2", "d1", "d0"]
    assert await ids(actor="a1") == ["w1", "d3", "d1"]
    assert await ids(object_type="withdrawal") == ["w1"]
    assert await ids(object_type="deposit", object_id="d2") == ["d2"]
    window = {
        "from": (START + timedelta(hours=1)).isoformat(),
        "to": (START + timedelta(hours=3)).isoformat(),
    }
    assert await ids(action="deposit.credited", **window) == ["d2", "d1"]  # from in, to out

    seen: list[str] = []
    cursor = None
    while True:
        query = {"object_type": "deposit", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/audit", params=query, headers=reader.headers)).json()
        seen += [e["object_id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["d4", "d3", "d2", "d1", "d0"]
    first = (await client.get("/api/v1/audit", params={"limit": 1}, headers=reader.headers)).json()
    entry = first["items"][0]
    assert set(entry) == {
        "seq",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "details",
        "prev_hash",
        "hash",
    }
    assert (entry["object_id"], entry["actor"], entry["details"]) == ("w1", "a1", {"amount": "1"})
    assert len(entry["hash"]) == 64 and entry["at"].startswith("2026-11-30T17:00:00")


@pytest.mark.parametrize(
    "query",
    [{"cursor": "not-a-cursor"}, {"from": "2026-11-30T12:00:00"}, {"limit": 0}],
)
async def test_bad_queries_are_422(
    client: httpx.AsyncClient, app: FastAPI, query: dict[str, Any]
) -> None:
    admin = await make_admin(client, app)
    assert (
        await client.get("/api/v1/audit", params=query, headers=admin.headers)
    ).status_code == 422


async def test_the_csv_export_streams_the_filtered_entries(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    reader = await officer(client, app)
    db = app.state.services.db
    await write(db, "a1", "deposit.credited", "d1", amount="2.5", note="=HYPERLINK(1)")
    await write(db, "a2", "deposit.credited", "d2", amount="3")
    await write(db, "a1", "withdrawal.requested", "w1", amount="1")
    response = await client.get(
        "/api/v1/audit.csv", params={"action": "deposit.credited"}, headers=reader.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["object_id"] for r in rows] == ["d2", "d1"]
    assert rows[1]["details"] == '{"amount":"2.5","note":"=HYPERLINK(1)"}'
    listed = (
        await client.get("/api/v1/audit", params={"object_id": "d1"}, headers=reader.headers)
    ).json()
    assert rows[1]["hash"] == listed["items"][0]["hash"]
    assert rows[1]["seq"] == str(listed["items"][0]["seq"])
    everything = await client.get("/api/v1/audit.csv", headers=reader.headers)
    total = (await client.get("/api/v1/audit/verify", headers=reader.headers)).json()["entries"]
    assert len(list(csv.DictReader(io.StringIO(everything.text)))) == total


async def test_a_row_changed_after_real_actions_is_reported_by_verify(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    target = await sign_in(client)
    roles = await client.put(
        f"/api/v1/admin/users/{target.user['id']}/roles",
        json={"roles": ["compliance"]},
        headers=admin.headers,
    )
    assert roles.status_code == 200
    company = await make_company(client, admin)
    await make_company(client, admin, ticker="OTHR", name="Other Co")
    intact = (await client.get("/api/v1/audit/verify", headers=admin.headers)).json()
    assert intact["ok"] is True and "first_bad_seq" not in intact
    assert intact["entries"] >= 4 and len(intact["head"]) == 64

    created = (
        await client.get(
            "/api/v1/audit", params={"object_id": company["id"]}, headers=admin.headers
        )
    ).json()["items"][0]
    db: Database = app.state.services.db
    await change_around_guards(
        db,
        "UPDATE audit_log SET details = :d WHERE seq = :s",
        {"d": '{"ticker": "ACME", "royalty_bps": 9999}', "s": created["seq"]},
    )
    broken = (await client.get("/api/v1/audit/verify", headers=admin.headers)).json()
    assert broken == {
        "ok": False,
        "entries": intact["entries"],
        "head": created["prev_hash"],
        "first_bad_seq": created["seq"],
    }

"""Acceptance: a deny-listed wallet cannot sign in, and a deposit from a deny-listed wallet is
not credited (it waits in the unclaimed queue); the deny list itself, by API and CLI."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from sqlalchemy import select
from typer.testing import CliRunner

from ece.audit.models import AuditEntry
from ece.auth import service as auth
from ece.cli import app as cli
from ece.config import Settings
from ece.core.db import Database
from ece.payments import jobs
from tests.builders import make_admin, sign, sign_in
from tests.compliance.support import audit_entries, deny, officer, staff_get
from tests.payments.support import (
    admin_get,
    balance,
    funded_stranger,
    open_deposit,
    pay,
    send_tokens,
    units,
)


async def test_a_deny_listed_wallet_cannot_sign_in(client: httpx.AsyncClient, app: FastAPI) -> None:
    staff = await officer(client, app)
    known = await sign_in(client)  # signed in before it was listed
    stranger = Keypair()
    for address in (known.address, str(stranger.pubkey())):
        await deny(client, staff, address)

    for keypair in (known.keypair, stranger):
        challenge = await client.post(
            "/api/v1/auth/challenge", json={"address": str(keypair.pubkey())}
        )
        message = challenge.json()["message"]
        login = await client.post(
            "/api/v1/auth/login", json={"message": message, "signature": sign(keypair, message)}
        )
        assert (login.status_code, login.json()["code"]) == (403, "sanctioned")
        assert "access_token" not in login.text and "set-cookie" not in login.headers
        # Refused after its signature was verified: the challenge is spent.
        again = await client.post(
            "/api/v1/auth/login", json={"message": message, "signature": sign(keypair, message)}
        )
        assert (again.status_code, again.json()["code"]) == (401, "invalid_signin")

    async with app.state.services.db.unit_of_work(write=False) as session:
        assert await auth.user_by_address(session, str(stranger.pubkey())) is None
    page = await staff_get(client, staff, "/api/v1/compliance/checks?subject_type=signin")
    checks = {c["subject_id"]: c for c in page["items"]}
    assert checks[known.address]["user_id"] == known.user["id"]
    assert checks[str(stranger.pubkey())]["user_id"] is None
    assert {(c["score"], c["decision"]) for c in checks.values()} == {(100, "block")}
    entries = await audit_entries(app, str(stranger.pubkey()))
    assert [(actor, action) for actor, action, _ in entries] == [
        (staff.user["id"], "denylist.added"),
        ("system", "signin.refused"),
    ]


async def test_a_deposit_from_a_deny_listed_wallet_is_not_credited(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff, admin = await officer(client, app), await make_admin(client, app)
    user = await sign_in(client)
    payer = await funded_stranger(client, user, "USDC", "5")
    await deny(client, staff, str(payer.pubkey()))
    deposit = await open_deposit(client, user, "USDC", "5")
    signature, _ = await pay(rpc, payer, deposit, units("5", "USDC"))

    assert await jobs.watch_deposits(app.state.services) == 0
    assert (await balance(client, user, "USDC"))["total"] == "0"
    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    assert shown["status"] == "awaiting_transfer"
    [receipt] = (await admin_get(client, admin, "/api/v1/admin/deposit-receipts"))["items"]
    assert (receipt["outcome"], receipt["user_id"]) == ("blocked", None)
    [parked] = (await admin_get(client, admin, "/api/v1/admin/unclaimed"))["items"]
    assert (parked["status"], parked["amount"]) == ("open", "5")
    page = await staff_get(client, staff, "/api/v1/compliance/checks?subject_type=deposit")
    [check] = page["items"]
    assert (check["score"], check["decision"], check["user_id"]) == (100, "block", user.user["id"])
    assert "sender" in check["reasons"][0]["detail"]
    key = f"{signature}:{receipt['instruction_index']}"
    [(actor, action, details)] = await audit_entries(app, key)
    assert (actor, action, details["unclaimed_id"]) == ("system", "deposit.blocked", parked["id"])
    # Watched again (another worker, a replay): still one receipt, one check, nothing credited.
    assert await jobs.watch_deposits(app.state.services) == 0
    page = await staff_get(client, staff, "/api/v1/compliance/checks?subject_type=deposit")
    assert len(page["items"]) == 1
    assert (await balance(client, user, "USDC"))["total"] == "0"


async def test_the_deny_list_api(client: httpx.AsyncClient, app: FastAPI) -> None:
    staff = await officer(client, app)
    user = await sign_in(client)
    address = str(Keypair().pubkey())
    body = {"address": address, "reason": "OFAC SDN"}
    refused = await client.post("/api/v1/compliance/denylist", json=body, headers=user.headers)
    assert refused.status_code == 403
    bad = await client.post(
        "/api/v1/compliance/denylist",
        json={"address": "0OIl", "reason": "x"},
        headers=staff.headers,
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_address")

    first = await deny(client, staff, address)
    again = await deny(client, staff, address, reason="another list")
    assert first == again and again["reason"] == "OFAC SDN"  # listing again changes nothing
    listed = await staff_get(client, staff, "/api/v1/compliance/denylist")
    assert [e["address"] for e in listed["items"]] == [address]

    url = f"/api/v1/compliance/denylist/{address}"
    assert (await client.delete(url, headers=user.headers)).status_code == 403
    assert (await client.delete(url, headers=staff.headers)).status_code == 204
    gone = await client.delete(url, headers=staff.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "not_listed")
    assert (await staff_get(client, staff, "/api/v1/compliance/denylist"))["items"] == []
    entries = await audit_entries(app, address)
    assert [(actor, action) for actor, action, _ in entries] == [
        (staff.user["id"], "denylist.added"),
        (staff.user["id"], "denylist.removed"),
    ]


async def imports(settings: Settings) -> list[dict[str, Any]]:
    """The details of every ``denylist.imported`` audit entry, oldest first."""
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work(write=False) as session:
            rows = await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "denylist.imported")
                .order_by(AuditEntry.seq)
            )
            return [dict(row.details) for row in rows]
    finally:
        await db.dispose()


def test_import_denylist_from_a_file_is_idempotent(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    a, b, c = (str(Keypair().pubkey()) for _ in range(3))
    lines = tmp_path / "sdn.txt"
    lines.write_text(f"# published list\n{a}\n{b}\nnot-an-address\n{a}\n")
    table = tmp_path / "sdn.csv"
    table.write_text(f"name,address\nmixer,{b}\nbridge,{c}\n")
    runner = CliRunner()

    first = runner.invoke(cli, ["compliance", "import-denylist", str(lines)])
    assert first.exit_code == 0, first.output
    assert "added 2, already listed 0, invalid 1, duplicates 1" in first.output
    second = runner.invoke(cli, ["compliance", "import-denylist", str(table)])
    assert "added 1, already listed 1, invalid 0, duplicates 0" in second.output
    third = runner.invoke(cli, ["compliance", "import-denylist", str(lines)])
    assert "added 0, already listed 2" in third.output
    entries = asyncio.run(imports(settings))
    assert [(e["added"], e["already_listed"], e["invalid"]) for e in entries] == [
        (2, 0, 1),
        (1, 1, 0),
    ]
    assert entries[0]["sha256"] == hashlib.sha256("\n".join(sorted([a, b])).encode()).hexdigest()
    assert entries[1]["sha256"] == hashlib.sha256(c.encode()).hexdigest()
    junk = tmp_path / "junk.txt"
    junk.write_text("nothing here\n")
    assert runner.invoke(cli, ["compliance", "import-denylist", str(junk)]).exit_code == 1


async def test_an_unreferenced_payment_from_a_deny_listed_stranger_is_blocked(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff, admin = await officer(client, app), await make_admin(client, app)
    sponsor = await sign_in(client)
    stranger = await funded_stranger(client, sponsor, "USDC", "3")
    await deny(client, staff, str(stranger.pubkey()))
    platform = app.state.services.platform
    await send_tokens(
        rpc,
        stranger,
        mint=platform.mints["USDC"],
        to_owner=platform.custody_owner,
        amount=units("3", "USDC"),
        decimals=6,
    )
    assert await jobs.watch_deposits(app.state.services) == 0
    [receipt] = (await admin_get(client, admin, "/api/v1/admin/deposit-receipts"))["items"]
    assert receipt["outcome"] == "blocked"  # not merely unclaimed: screened like any source
    [parked] = (await admin_get(client, admin, "/api/v1/admin/unclaimed"))["items"]
    assert parked["amount"] == "3" and parked["sender"] == str(stranger.pubkey())
    page = await staff_get(client, staff, "/api/v1/compliance/checks?subject_type=deposit")
    [check] = page["items"]
    assert (check["score"], check["user_id"]) == (100, None)

"""The HTTP surface: the caller's balances and entries, and the admins' ledger check."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from ece.core.clock import clock
from ece.core.db import Database
from ece.core.money import Asset
from ece.ledger import service
from ece.ledger.models import OwnerType
from ece.ledger.service import PostPending, VoidPending
from tests.builders import make_admin, sign_in
from tests.ledger.support import custody, funded_user, pay


async def test_new_user_sees_every_asset_at_zero(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    response = await client.get("/api/v1/users/me/balances", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "balances": [
            {"asset": "ECE", "available": "0", "held": "0", "total": "0"},
            {"asset": "USDC", "available": "0", "held": "0", "total": "0"},
        ]
    }


async def test_balances_are_exact_decimal_strings(client: httpx.AsyncClient, db: Database) -> None:
    user = await sign_in(client)
    async with db.unit_of_work() as session:
        usdc = await funded_user(session, user.user["id"], 12_500_000)  # 12.5 USDC
        await funded_user(session, user.user["id"], 1, Asset.ECE)  # 1e-9 ECE
        seller = await service.user_account(session, "seller", Asset.USDC)
        await service.create_transfers(session, [pay(usdc, seller, 2_000_001, pending=True)])
    response = await client.get("/api/v1/users/me/balances", headers=user.headers)
    assert response.json()["balances"] == [
        {"asset": "ECE", "available": "0.000000001", "held": "0", "total": "0.000000001"},
        {"asset": "USDC", "available": "10.499999", "held": "2.000001", "total": "12.5"},
    ]


async def test_ledger_lists_own_entries_newest_first_with_status(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await sign_in(client)
    other = await sign_in(client)
    async with db.unit_of_work() as session:
        mine = await funded_user(session, user.user["id"], 100_000_000)
        theirs = await funded_user(session, other.user["id"], 5_000_000)
        await funded_user(session, user.user["id"], 3, Asset.ECE)
    steps = [
        [pay(mine, theirs, 1_000_000, id="buy")],
        [pay(theirs, mine, 250_000, id="refund")],
        [pay(mine, theirs, 4_000_000, id="bid-posted", pending=True)],
        [pay(mine, theirs, 7_000_000, id="bid-voided", pending=True)],
        [pay(mine, theirs, 9_000_000, id="bid-open", pending=True)],
        [PostPending("settle", "bid-posted", 3_000_000), VoidPending("cancel", "bid-voided")],
    ]
    for batch in steps:
        clock.advance(timedelta(seconds=1))  # distinct times, so "newest first" is observable
        async with db.unit_of_work() as session:
            await service.create_transfers(session, batch)

    response = await client.get("/api/v1/users/me/ledger?asset=USDC", headers=user.headers)
    assert response.status_code == 200, response.text
    entries = [(e["id"], e["amount"], e["status"]) for e in response.json()["items"]]
    deposit = entries.pop()
    assert deposit[1:] == ("100", "posted")
    assert entries == [
        ("bid-open", "-9", "pending"),
        ("bid-voided", "-7", "voided"),
        ("bid-posted", "-3", "posted"),  # the amount actually posted
        ("refund", "0.25", "posted"),
        ("buy", "-1", "posted"),
    ]
    first = response.json()["items"][0]
    assert first["asset"] == "USDC" and first["code"] == "hold" and "time" in first
    everything = await client.get("/api/v1/users/me/ledger", headers=user.headers)
    assert len(everything.json()["items"]) == 7  # plus the ECE deposit
    # The counterparty sees the same transfers from its side, and none of the caller's others.
    theirs = await client.get("/api/v1/users/me/ledger", headers=other.headers)
    seen = {e["id"]: (e["amount"], e["status"]) for e in theirs.json()["items"]}
    assert len(seen) == 6
    assert seen["buy"] == ("1", "posted") and seen["refund"] == ("-0.25", "posted")
    assert seen["bid-open"] == ("9", "pending")


async def test_ledger_pages_with_a_cursor(client: httpx.AsyncClient, db: Database) -> None:
    user = await sign_in(client)
    async with db.unit_of_work() as session:
        mine = await funded_user(session, user.user["id"], 1_000)
        sink = await service.user_account(session, "sink", Asset.USDC)
        await service.create_transfers(session, [pay(mine, sink, 1, id=f"p{i}") for i in range(4)])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get("/api/v1/users/me/ledger", params=params, headers=user.headers)
        ).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5


async def test_ledger_rejects_bad_queries_as_problems(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    for query in ("asset=DOGE", "cursor=%%%", "limit=0"):
        response = await client.get(f"/api/v1/users/me/ledger?{query}", headers=user.headers)
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/v1/users/me/balances")).status_code == 401


async def test_admin_check_reports_ok_and_catches_a_broken_ledger(
    client: httpx.AsyncClient, app: FastAPI, db: Database
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        await service.create_transfers(
            session, [pay(alice, await custody(session), 10, id="hold", pending=True)]
        )
    assert (await client.get("/api/v1/admin/ledger/check", headers=user.headers)).status_code == 403
    response = await client.get("/api/v1/admin/ledger/check", headers=admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    assert [a["asset"] for a in body["assets"]] == ["ECE", "USDC"]
    assert body["assets"][1]["balance_sum"] == "0"

    # An old hold is reported...
    stale = await client.get(
        "/api/v1/admin/ledger/check?max_pending_age_seconds=0", headers=admin.headers
    )
    assert stale.json()["ok"] is False
    assert stale.json()["assets"][1]["stale_pending"] == 1
    # ...and so is a balance changed behind the ledger's back.
    async with db.unit_of_work() as session:
        await session.execute(
            text("UPDATE ledger_accounts SET credits_posted = credits_posted + 5 WHERE id = :id"),
            {"id": alice},
        )
    result = await service.run_check(db)
    usdc = result.assets[1]
    assert not result.ok
    assert (usdc.balance_sum, usdc.mismatched_accounts) == (5, 1)
    broken = (await client.get("/api/v1/admin/ledger/check", headers=admin.headers)).json()
    assert broken["ok"] is False and broken["assets"][1]["balance_sum"] == "0.000005"


async def test_platform_accounts_are_separate_by_purpose(db: Database) -> None:
    async with db.unit_of_work() as session:
        fees = await service.account_for(session, OwnerType.platform, "ece", Asset.USDC, "fees")
        revenue = await service.account_for(session, OwnerType.platform, "ece", Asset.USDC)
        assert fees != revenue

"""The weekly schedule runs a slot once; an Idempotency-Key replays a batch; a payout the gate
sends to review waits with its amount in flight until approved, or is rejected and given back."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from ece.core.clock import clock, utcnow
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.treasury import jobs, screening
from ece.treasury import service as treasury
from ece.treasury.rules import next_slot
from tests.market.support import account_total, ledger_ok
from tests.treasury.support import company_with_royalties, configure_signers, run_batch


async def royalties(app: FastAPI, company_id: str) -> int:
    return await account_total(app, ledger.OwnerType.company, company_id, Asset.USDC, "royalties")


async def test_the_weekly_slot_runs_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    monday = next_slot(utcnow(), "mon 00:00")
    clock.freeze(monday + timedelta(seconds=30))
    assert await jobs.weekly_payouts(app.state.services) is True
    assert await jobs.weekly_payouts(app.state.services) is False
    batches = (
        await client.get("/api/v1/treasury/payout-batches", headers=seller.market.admin.headers)
    ).json()["items"]
    assert [b["slot"] for b in batches] == [monday.strftime("%Y-%m-%dT00:00Z")]
    assert len(batches[0]["payouts"]) == 1 and batches[0]["created_by"] == "system"


async def test_an_idempotency_key_replays_the_batch(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    headers = {**seller.market.admin.headers, "Idempotency-Key": "batch-1"}
    first = await client.post("/api/v1/treasury/payout-batches", headers=headers)
    again = await client.post("/api/v1/treasury/payout-batches", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json() and len(first.json()["payouts"]) == 1


async def test_below_the_minimum_nothing_moves(client: httpx.AsyncClient, app: FastAPI) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("100", "USDC")])  # 5 USDC royalty
    assert (await run_batch(client, seller.market.admin))["payouts"] == []
    assert await royalties(app, seller.market.company_id) == 5_000_000


@pytest.mark.parametrize("approve", [True, False])
async def test_a_payout_in_review_waits_then_goes_on_or_back(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch, approve: bool
) -> None:
    async def unverified(_session: object, _company_id: str) -> str:
        return "unverified"

    monkeypatch.setattr(screening, "_kyb_status", unverified)
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    assert payout["status"] == "review"
    assert await royalties(app, seller.market.company_id) == 0  # held in flight meanwhile
    services = app.state.services
    async with services.db.unit_of_work() as session:
        decided = await treasury.resolve_review(
            session,
            services.settings,
            services.chain,
            services.platform,
            payout_id=payout["id"],
            approve=approve,
            actor=seller.market.admin.user["id"],
        )
        status = decided.status
    assert status == ("awaiting_signatures" if approve else "rejected")
    assert await royalties(app, seller.market.company_id) == (0 if approve else 12_500_000)
    assert await ledger_ok(app)

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
from ece.treasury import batches, jobs, multisig, service
from ece.treasury.rules import next_slot
from tests.compliance.support import decide, deny, officer, staff_get
from tests.market.support import account_total, ledger_ok
from tests.treasury.support import (
    approved_message,
    company_with_royalties,
    configure_signers,
    post_signature,
    prepare,
    run_batch,
    send,
    set_kyb,
)


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
async def test_a_payout_in_review_waits_for_another_officer(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch, approve: bool
) -> None:
    """A payout scoring at or above the review threshold waits in compliance's queue with its
    amount in flight; whoever ran the batch cannot approve it; another officer's approval
    gives it its nonce (treasury_prepare job), a rejection gives the amount back."""
    monkeypatch.setattr(app.state.services.settings, "compliance_review_score", 1)
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    admin = seller.market.admin
    [payout] = (await run_batch(client, admin))["payouts"]
    assert payout["status"] == "review"
    assert await royalties(app, seller.market.company_id) == 0  # held in flight meanwhile
    reviews = await staff_get(client, admin, "/api/v1/compliance/reviews?status=open")
    [review] = [r for r in reviews["items"] if r["subject_id"] == payout["id"]]

    own = await decide(client, admin, review["id"], "approve")
    assert (own.status_code, own.json()["code"]) == (403, "four_eyes")
    staff = await officer(client, app)
    decided = await decide(client, staff, review["id"], "approve" if approve else "reject")
    assert decided.status_code == 200, decided.text
    await jobs.prepare_payouts(app.state.services)

    shown = await client.get(f"/api/v1/treasury/payouts/{payout['id']}", headers=admin.headers)
    assert shown.json()["status"] == ("awaiting_signatures" if approve else "rejected")
    assert await royalties(app, seller.market.company_id) == (0 if approve else 12_500_000)
    assert await ledger_ok(app)


@pytest.mark.parametrize("kyb", ["unverified", "rejected"])
async def test_a_company_without_verified_kyb_is_not_paid(
    client: httpx.AsyncClient, app: FastAPI, kyb: str
) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    await set_kyb(app, seller.market.company_id, kyb)
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    assert payout["status"] == "rejected"
    assert await royalties(app, seller.market.company_id) == 12_500_000  # payable intact
    assert await ledger_ok(app)


async def test_a_deny_listed_payout_address_is_not_paid(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    staff = await officer(client, app)
    await deny(client, staff, str(seller.payout_wallet.pubkey()))
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    assert payout["status"] == "rejected"
    assert await royalties(app, seller.market.company_id) == 12_500_000  # payable intact
    checks = await staff_get(client, staff, "/api/v1/compliance/checks?subject_type=payout")
    [check] = [c for c in checks["items"] if c["subject_id"] == payout["id"]]
    assert (check["score"], check["decision"]) == (100, "block")
    assert await ledger_ok(app)


async def test_a_payouts_pause_stops_batches_and_the_jobs(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    admin = seller.market.admin
    paused = await client.post(
        "/api/v1/admin/pause",
        json={"scope": "payouts", "reason": "treasury audit"},
        headers=admin.headers,
    )
    assert paused.status_code == 200, paused.text
    refused = await client.post("/api/v1/treasury/payout-batches", headers=admin.headers)
    assert (refused.status_code, refused.json()["code"]) == (503, "paused")
    clock.freeze(next_slot(utcnow(), "mon 00:00") + timedelta(seconds=30))
    assert await jobs.weekly_payouts(app.state.services) is False
    assert await royalties(app, seller.market.company_id) == 12_500_000  # nothing moved
    resumed = await client.post(
        "/api/v1/admin/resume", json={"scope": "payouts"}, headers=admin.headers
    )
    assert resumed.status_code == 200, resumed.text
    assert len((await run_batch(client, admin))["payouts"]) == 1


async def test_the_batch_request_does_no_chain_work_and_a_crashed_prepare_resumes(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request only records the batch (the chain may be away); the treasury_prepare job
    makes the nonce. A job dying after the nonce account was made, before its commit, leaves
    the payout approved; the next run finds the same account, and the payout is paid once."""
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])

    async def chain_away(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("no chain work inside the request")

    with monkeypatch.context() as patched:
        patched.setattr(multisig, "ensure_multisig", chain_away)
        patched.setattr(multisig, "ensure_nonce", chain_away)
        [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    assert payout["status"] == "approved"

    real_move = batches._move

    def crash(*_args: object) -> None:
        raise RuntimeError("worker killed")

    with monkeypatch.context() as patched:
        patched.setattr(batches, "_move", crash)
        with pytest.raises(RuntimeError):
            await prepare(app)
    assert batches._move is real_move
    services = app.state.services
    treasury_ = service.treasury_of(services.settings, services.platform)
    nonce_account, _ = treasury_.nonce_account(payout["id"])
    made = await multisig.current_nonce(services.chain, nonce_account)
    assert made is not None  # the chain step happened before the crash
    shown = await client.get(
        f"/api/v1/treasury/payouts/{payout['id']}", headers=signers.users[0].headers
    )
    assert shown.json()["status"] == "approved"

    assert await prepare(app) == 1
    assert await prepare(app) == 0
    async with services.db.unit_of_work(write=False) as session:
        row = await service.get_payout(session, payout["id"])
    assert (row.status, row.nonce_account, row.nonce) == (
        "awaiting_signatures",
        str(nonce_account),
        str(made),
    )
    message = await approved_message(client, app, signers.users[:2], payout["id"])
    for user, keypair in zip(signers.users[:2], signers.keypairs[:2], strict=True):
        assert (
            await post_signature(client, user, payout["id"], keypair, message)
        ).status_code == 200
    assert await send(app) == 1
    assert await send(app) == 0
    assert await royalties(app, seller.market.company_id) == 0
    assert await ledger_ok(app)

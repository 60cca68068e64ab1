"""Acceptance: every withdrawal is screened and scored once held. A deny-listed destination is
blocked (score 100, hold released, nothing sent); a score at or above the review threshold
waits in review with its hold until an officer other than the requester decides."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.auth.models import Role
from ece.payments import jobs
from tests.builders import SignedInUser, grant
from tests.compliance.support import audit_entries, decide, deny, officer, staff_get
from tests.payments.support import balance, funded_user, token_balance
from tests.payments.test_withdrawals import entry_status, shown, transfers_into, withdraw


def usdc_mint(app: FastAPI) -> Pubkey:
    mint: Pubkey = app.state.services.platform.mints["USDC"]
    return mint


async def check_of(client: httpx.AsyncClient, staff: SignedInUser, subject_id: str) -> Any:
    page = await staff_get(client, staff, "/api/v1/compliance/checks?subject_type=withdrawal")
    return next(c for c in page["items"] if c["subject_id"] == subject_id)


async def test_withdrawal_to_a_deny_listed_address_is_blocked_and_nothing_is_sent(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff = await officer(client, app)
    user = await funded_user(client, app, rpc, "USDC", "10")
    sanctioned = Keypair().pubkey()
    await deny(client, staff, str(sanctioned))

    created = await withdraw(client, user, "4", str(sanctioned))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "blocked" and body["failure_reason"]
    held = {"asset": "USDC", "available": "10", "held": "0", "total": "10"}
    assert await balance(client, user, "USDC") == held
    assert await entry_status(client, user, body["id"]) == "voided"

    await jobs.send_withdrawals(app.state.services)
    after = await shown(client, user, body["id"])
    assert after["status"] == "blocked" and after["signature"] is None
    assert await transfers_into(rpc, sanctioned, usdc_mint(app)) == 0
    assert await balance(client, user, "USDC") == held

    check = await check_of(client, staff, body["id"])
    assert (check["score"], check["decision"]) == (100, "block")
    assert [r["code"] for r in check["reasons"]] == ["sanctions_hit"]
    assert "destination" in check["reasons"][0]["detail"]
    entries = await audit_entries(app, body["id"])
    assert [action for _, action, _ in entries] == ["withdrawal.requested", "withdrawal.blocked"]
    actor, action, details = entries[1]
    assert (actor, action, details["check_id"], details["score"]) == (
        "system",
        "withdrawal.blocked",
        check["id"],
        100,
    )
    reviews = await staff_get(client, staff, "/api/v1/compliance/reviews?status=open")
    assert reviews["items"] == []
    # The blocked amount gave its share of the daily limit back, and the balance is whole.
    clean = await withdraw(client, user, "10", str(Keypair().pubkey()))
    assert clean.status_code == 201 and clean.json()["status"] == "pending"


async def test_a_deny_listed_requester_wallet_is_blocked_whatever_the_destination(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff = await officer(client, app)
    user = await funded_user(client, app, rpc, "USDC", "5")
    await deny(client, staff, user.address)  # listed after signing in: the session still works
    created = (await withdraw(client, user, "2", str(Keypair().pubkey()))).json()
    assert created["status"] == "blocked"
    check = await check_of(client, staff, created["id"])
    assert check["score"] == 100 and "account" in check["reasons"][0]["detail"]
    assert (await balance(client, user, "USDC"))["available"] == "5"


async def risky_withdrawal(
    client: httpx.AsyncClient, user: SignedInUser, destination: Pubkey
) -> dict[str, Any]:
    """Three usual withdrawals of 1 USDC, then 12 to a destination never used: 12x the median,
    a new destination, three in the hour, a new account: a score of at least 70."""
    usual = str(Keypair().pubkey())
    for _ in range(3):
        small = await withdraw(client, user, "1", usual)
        assert small.status_code == 201 and small.json()["status"] == "pending", small.text
    risky = await withdraw(client, user, "12", str(destination))
    assert risky.status_code == 201, risky.text
    return dict(risky.json())


async def open_review(client: httpx.AsyncClient, staff: SignedInUser, withdrawal_id: str) -> Any:
    page = await staff_get(client, staff, "/api/v1/compliance/reviews?status=open")
    return next(r for r in page["items"] if r["subject_id"] == withdrawal_id)


async def test_a_high_score_waits_in_review_and_another_officer_approves_it(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff, other = await officer(client, app), await officer(client, app)
    user = await funded_user(client, app, rpc, "USDC", "20")
    destination = Keypair().pubkey()
    body = await risky_withdrawal(client, user, destination)
    assert body["status"] == "review"
    assert (await balance(client, user, "USDC"))["held"] == "15"  # 3 x 1 pending + 12 in review

    review = await open_review(client, staff, body["id"])
    assert review["score"] >= 70 and review["requested_by"] == user.user["id"]
    codes = {r["code"] for r in review["check"]["reasons"]}
    assert {"amount_over_10x_median", "new_destination", "new_account"} <= codes
    assert review["check"]["amount"] == "12" and review["check"]["destination"] == str(destination)

    # Waiting in review, the sender does not touch it.
    await jobs.send_withdrawals(app.state.services)
    assert (await shown(client, user, body["id"]))["status"] == "review"
    assert await transfers_into(rpc, destination, usdc_mint(app)) == 0

    # Four eyes: the requester, even as a compliance officer, cannot approve their own.
    await grant(app, user.address, Role.compliance)
    own = await decide(client, user, review["id"], "approve")
    assert (own.status_code, own.json()["code"]) == (403, "four_eyes")
    assert (await shown(client, user, body["id"]))["status"] == "review"

    approved = await decide(client, other, review["id"], "approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == other.user["id"]
    again = await decide(client, staff, review["id"], "reject")
    assert (again.status_code, again.json()["code"]) == (409, "review_decided")

    await jobs.send_withdrawals(app.state.services)
    assert (await shown(client, user, body["id"]))["status"] == "confirmed"
    assert await token_balance(rpc, str(destination), str(usdc_mint(app))) == 12_000_000
    assert await transfers_into(rpc, destination, usdc_mint(app)) == 1
    actions = [action for _, action, _ in await audit_entries(app, review["id"])]
    assert actions == ["review.approved"]
    assert [a for _, a, _ in await audit_entries(app, body["id"])] == [
        "withdrawal.requested",
        "withdrawal.held_for_review",
        "withdrawal.sent",
        "withdrawal.confirmed",
    ]


async def test_rejecting_a_review_releases_the_hold_and_sends_nothing(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff = await officer(client, app)
    user = await funded_user(client, app, rpc, "USDC", "20")
    destination = Keypair().pubkey()
    body = await risky_withdrawal(client, user, destination)
    review = await open_review(client, staff, body["id"])
    rejected = await decide(client, staff, review["id"], "reject", key="r-1")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    # A retried request (same key): the first answer again, no second decision.
    replay = await decide(client, staff, review["id"], "reject", key="r-1")
    assert (replay.status_code, replay.json()) == (200, rejected.json())
    assert replay.headers.get("Idempotent-Replayed") == "true"
    after = await shown(client, user, body["id"])
    assert after["status"] == "rejected" and after["finished_at"] is not None
    assert await balance(client, user, "USDC") == {
        "asset": "USDC",
        "available": "17",
        "held": "3",
        "total": "20",
    }
    assert await entry_status(client, user, body["id"]) == "voided"
    await jobs.send_withdrawals(app.state.services)
    assert await transfers_into(rpc, destination, usdc_mint(app)) == 0
    assert (await shown(client, user, body["id"]))["status"] == "rejected"


async def test_two_officers_deciding_at_once_make_one_decision(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    first, second = await officer(client, app), await officer(client, app)
    user = await funded_user(client, app, rpc, "USDC", "20")
    body = await risky_withdrawal(client, user, Keypair().pubkey())
    review = await open_review(client, first, body["id"])

    answers = await asyncio.gather(
        decide(client, first, review["id"], "approve"),
        decide(client, second, review["id"], "reject"),
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.text for a in answers]
    winner = next(a.json() for a in answers if a.status_code == 200)
    after = await shown(client, user, body["id"])
    if winner["status"] == "approved":
        assert after["status"] == "pending"
        assert (await balance(client, user, "USDC"))["held"] == "15"
    else:
        assert after["status"] == "rejected"
        assert (await balance(client, user, "USDC"))["held"] == "3"
    decided = [a for _, a, _ in await audit_entries(app, review["id"])]
    assert decided == [f"review.{winner['status']}"]


async def test_plain_users_cannot_reach_the_queue(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "20")
    body = await risky_withdrawal(client, user, Keypair().pubkey())
    staff = await officer(client, app)
    review = await open_review(client, staff, body["id"])
    refused = await decide(client, user, review["id"], "approve")
    assert refused.status_code == 403 and refused.json()["code"] != "four_eyes"
    listed = await client.get("/api/v1/compliance/reviews", headers=user.headers)
    assert listed.status_code == 403
    missing = await decide(client, staff, "nope", "approve")
    assert (missing.status_code, missing.json()["code"]) == (404, "review_not_found")

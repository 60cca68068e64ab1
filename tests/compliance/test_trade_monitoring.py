"""Post-trade monitoring: the worker scan checks every settled sale once (run twice, or two at
once), sends risky sales to the four-eyes queue, and a rejection flags the parties, whose
withdrawals then wait in review until the flag is lifted (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import func, select

from ece.compliance import service as compliance
from ece.compliance.models import ComplianceCheck
from ece.core.clock import clock
from ece.runtime.jobs import registered
from tests.builders import SignedInUser, sign_in
from tests.compliance.support import audit_entries, decide, deny, officer, staff_get
from tests.market.support import Market, fund, list_card, open_market, quick_card

LAG = timedelta(seconds=61)  # past ECE_COMPLIANCE_TRADE_SCAN_LAG_S (60)


async def sell(
    client: httpx.AsyncClient,
    app: FastAPI,
    market: Market,
    seller: SignedInUser,
    buyer: SignedInUser,
    price: str,
    card_id: str | None = None,
) -> dict[str, Any]:
    """``seller`` lists a card (a new one unless ``card_id``) and ``buyer`` buys it."""
    card = card_id or await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card, price)
    bought = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=buyer.headers, json={}
    )
    assert bought.status_code == 201, bought.text
    return dict(bought.json())


async def scan(app: FastAPI) -> int:
    return await compliance.scan_trades(app.state.services.db, app.state.services.settings)


async def trade_checks(app: FastAPI, sale_id: str) -> list[ComplianceCheck]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        found = await session.scalars(
            select(ComplianceCheck).where(
                ComplianceCheck.subject_type == "trade", ComplianceCheck.subject_id == sale_id
            )
        )
        return list(found)


async def trade_reviews(client: httpx.AsyncClient, staff: SignedInUser) -> dict[str, Any]:
    page = await staff_get(client, staff, "/api/v1/compliance/reviews?status=open&limit=200")
    return {r["subject_id"]: r for r in page["items"] if r["subject_type"] == "trade"}


def test_the_job_is_registered() -> None:
    assert "trade_monitoring" in {job.name for job in registered()}


async def test_every_sale_is_checked_once_whoever_runs_the_scan(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    sellers = [await sign_in(client) for _ in range(3)]
    buyer = await sign_in(client)
    await fund(app, buyer.user["id"], "100")
    sales = [await sell(client, app, market, seller, buyer, "5") for seller in sellers]
    assert await scan(app) == 0  # too fresh: a sale may still be committing
    clock.advance(LAG)
    # Two workers at once, then a third run: each sale gets exactly one check.
    first, second = await asyncio.gather(scan(app), scan(app))
    assert first + second == 3
    assert await scan(app) == 0
    for sale in sales:
        (check,) = await trade_checks(app, sale["trade_id"])
        assert (check.user_id, check.decision, check.amount) == (
            buyer.user["id"],
            "allow",
            5_000_000,
        )
        assert [r["code"] for r in check.reasons] == ["new_account"]
    late = await sell(client, app, market, sellers[0], buyer, "6")
    clock.advance(LAG)
    assert await scan(app) == 1
    assert len(await trade_checks(app, late["trade_id"])) == 1
    async with app.state.services.db.unit_of_work(write=False) as session:
        total = await session.scalar(
            select(func.count()).where(ComplianceCheck.subject_type == "trade")
        )
    assert total == 4


async def test_a_large_trade_by_a_new_account_is_reviewed_and_a_rejection_flags_both(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    settings = app.state.services.settings
    settings.compliance_large_amount_usdc = "50"
    market = await open_market(client, app)
    # Both parties are officers themselves: neither may clear their own sale.
    seller, buyer = await officer(client, app), await officer(client, app)
    other = await officer(client, app)
    await fund(app, buyer.user["id"], "100")
    sale = await sell(client, app, market, seller, buyer, "60")
    clock.advance(LAG)
    assert await scan(app) == 1
    review = (await trade_reviews(client, other))[sale["trade_id"]]
    assert review["score"] == 70 and review["check"]["decision"] == "review"
    assert {r["code"] for r in review["check"]["reasons"]} == {
        "large_trade",
        "new_account",
        "new_account_large_trade",
    }
    for party in (buyer, seller):
        refused = await decide(client, party, review["id"], "approve")
        assert (refused.status_code, refused.json()["code"]) == (403, "four_eyes")
    rejected = await decide(client, other, review["id"], "reject", key="trade-review")
    assert rejected.status_code == 200, rejected.text
    replay = await decide(client, other, review["id"], "reject", key="trade-review")
    assert replay.json() == rejected.json()
    again = await decide(client, other, review["id"], "approve")
    assert (again.status_code, again.json()["code"]) == (409, "review_decided")

    flags = await staff_get(client, other, "/api/v1/compliance/flags")
    assert {f["user_id"] for f in flags["items"]} == {buyer.user["id"], seller.user["id"]}
    actions = [a for _, a, _ in await audit_entries(app, buyer.user["id"])]
    assert "user.flagged" in actions

    # A flagged user's withdrawal waits in review, whatever its score.
    destination = str(Keypair().pubkey())
    async with app.state.services.db.unit_of_work() as session:
        held = await compliance.assess(
            session,
            settings,
            compliance.Subject(
                type=compliance.SubjectType.withdrawal,
                id="w-flagged",
                user_id=buyer.user["id"],
                asset="USDC",
                amount=1_000_000,
                destination=destination,
            ),
        )
    assert held.decision is compliance.Decision.review
    assert "flagged_user" in {r["code"] for r in held.check.reasons}

    # The flagged officer cannot lift their own flag; another officer can, once.
    own = await client.delete(f"/api/v1/compliance/flags/{buyer.user['id']}", headers=buyer.headers)
    assert (own.status_code, own.json()["code"]) == (403, "four_eyes")
    lifted = await client.delete(
        f"/api/v1/compliance/flags/{buyer.user['id']}", headers=other.headers
    )
    assert lifted.status_code == 204
    twice = await client.delete(
        f"/api/v1/compliance/flags/{buyer.user['id']}", headers=other.headers
    )
    assert (twice.status_code, twice.json()["code"]) == (404, "not_flagged")
    async with app.state.services.db.unit_of_work() as session:
        clear = await compliance.assess(
            session,
            settings,
            compliance.Subject(
                type=compliance.SubjectType.withdrawal,
                id="w-unflagged",
                user_id=buyer.user["id"],
                asset="USDC",
                amount=1_000_000,
                destination=destination,
            ),
        )
    assert clear.decision is compliance.Decision.allow


async def test_a_card_bounced_between_two_users_is_reviewed_and_approval_flags_nobody(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    alice, bob = await sign_in(client), await sign_in(client)
    staff = await officer(client, app)
    await fund(app, alice.user["id"], "100")
    await fund(app, bob.user["id"], "100")
    card = await quick_card(app, market.company_id, alice.user["id"])
    await sell(client, app, market, alice, bob, "5", card)
    await sell(client, app, market, bob, alice, "5", card)
    third = await sell(client, app, market, alice, bob, "5", card)
    clock.advance(LAG)
    assert await scan(app) == 3
    (check,) = await trade_checks(app, third["trade_id"])
    assert {r["code"] for r in check.reasons} == {"wash_suspect", "repeated_pair", "new_account"}
    review = (await trade_reviews(client, staff))[third["trade_id"]]
    approved = await decide(client, staff, review["id"], "approve")
    assert approved.status_code == 200, approved.text
    flags = await staff_get(client, staff, "/api/v1/compliance/flags")
    assert flags["items"] == []


async def test_a_sale_with_a_deny_listed_party_stands_and_waits_for_review(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    seller, buyer = await sign_in(client), await sign_in(client)
    staff = await officer(client, app)
    await fund(app, buyer.user["id"], "100")
    sale = await sell(client, app, market, seller, buyer, "5")
    await deny(client, staff, seller.user["address"])
    clock.advance(LAG)
    assert await scan(app) == 1
    (check,) = await trade_checks(app, sale["trade_id"])
    assert (check.score, check.decision) == (100, "review")
    assert check.reasons[0]["code"] == "sanctions_hit"
    assert sale["trade_id"] in await trade_reviews(client, staff)

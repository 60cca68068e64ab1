"""Four-eyes limit overrides: an officer proposes raising a user's 24 h limit, it applies only
once another officer approves it (never the proposer, never the user), until it expires; a
rejected one never applies (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ece.compliance import service as compliance
from ece.core.clock import clock, utcnow
from ece.core.errors import Forbidden
from ece.core.money import Asset, parse_amount
from tests.builders import SignedInUser, sign_in
from tests.compliance.support import audit_entries, decide, officer
from tests.market.support import fund, list_card, open_market, quick_card

URL = "/api/v1/compliance/limit-overrides"


def proposal(user_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "user_id": user_id,
        "activity": "purchase",
        "amount": "5000",
        "currency": "USDC",
        "reason": "verified source of funds for a collection purchase",
        "expires_at": (utcnow() + timedelta(days=7)).isoformat(),
    }
    return {**body, **changes}


async def propose(
    client: httpx.AsyncClient, staff: SignedInUser, user_id: str, **changes: Any
) -> httpx.Response:
    return await client.post(URL, json=proposal(user_id, **changes), headers=staff.headers)


async def try_buy(
    client: httpx.AsyncClient, app: FastAPI, buyer: SignedInUser, price: str
) -> httpx.Response:
    """A fresh 'price' USDC listing, and ``buyer`` tries to buy it."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    card = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card, price)
    return await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=buyer.headers, json={}
    )


async def test_a_raise_applies_only_after_another_officers_approval_until_it_expires(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    proposer, second = await officer(client, app), await officer(client, app)
    # The user is an officer too: they may not approve their own raise either.
    user = await officer(client, app)
    await fund(app, user.user["id"], "5000")
    refused = await try_buy(client, app, user, "1500")  # level none: 1000 USDC a day
    assert (refused.status_code, refused.json()["code"]) == (403, "kyc_required")

    expires = (utcnow() + timedelta(hours=2)).isoformat()
    proposed = await propose(client, proposer, user.user["id"], expires_at=expires)
    assert proposed.status_code == 201, proposed.text
    override = proposed.json()
    assert (override["status"], override["amount"], override["proposed_by"]) == (
        "pending",
        "5000",
        proposer.user["id"],
    )
    still = await try_buy(client, app, user, "1500")
    assert (still.status_code, still.json()["code"]) == (403, "kyc_required")

    for who in (proposer, user):
        own = await decide(client, who, override["review_id"], "approve")
        assert (own.status_code, own.json()["code"]) == (403, "four_eyes")
    approved = await decide(client, second, override["review_id"], "approve", key="raise-1")
    assert approved.status_code == 200, approved.text
    replay = await decide(client, second, override["review_id"], "approve", key="raise-1")
    assert replay.json() == approved.json()
    again = await decide(client, second, override["review_id"], "reject")
    assert (again.status_code, again.json()["code"]) == (409, "review_decided")

    shown = await client.get(f"{URL}/{override['id']}", headers=second.headers)
    assert shown.json()["status"] == "active"
    assert shown.json()["decided_by"] == second.user["id"]
    bought = await try_buy(client, app, user, "1500")
    assert bought.status_code == 201, bought.text
    over = await try_buy(client, app, user, "3600")  # 1500 + 3600 passes the raised 5000
    assert (over.status_code, over.json()["code"]) == (403, "kyc_required")
    actions = [(actor, action) for actor, action, _ in await audit_entries(app, override["id"])]
    assert actions == [
        (proposer.user["id"], "limit_override.proposed"),
        (second.user["id"], "limit_override.approved"),
    ]

    small = await try_buy(client, app, user, "100")  # 1600 in the window: under the raise
    assert small.status_code == 201, small.text
    clock.advance(timedelta(hours=3))  # expired: 1600 + 100 passes the level's 1000 again
    late = await try_buy(client, app, user, "100")
    assert (late.status_code, late.json()["code"]) == (403, "kyc_required")


async def test_a_rejected_raise_never_applies(client: httpx.AsyncClient, app: FastAPI) -> None:
    proposer, second = await officer(client, app), await officer(client, app)
    user = await sign_in(client)
    await fund(app, user.user["id"], "5000")
    override = (await propose(client, proposer, user.user["address"])).json()
    assert override["user_id"] == user.user["id"]  # a wallet address names the user too
    rejected = await decide(client, second, override["review_id"], "reject")
    assert rejected.status_code == 200
    refused = await try_buy(client, app, user, "1500")
    assert (refused.status_code, refused.json()["code"]) == (403, "kyc_required")
    listed = await client.get(
        URL, params={"user_id": user.user["id"], "status": "rejected"}, headers=second.headers
    )
    assert [o["id"] for o in listed.json()["items"]] == [override["id"]]
    actions = [action for _, action, _ in await audit_entries(app, override["id"])]
    assert actions == ["limit_override.proposed", "limit_override.rejected"]


async def test_an_expired_proposal_cannot_be_approved(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    proposer, second = await officer(client, app), await officer(client, app)
    user = await sign_in(client)
    expires = (utcnow() + timedelta(hours=1)).isoformat()
    override = (await propose(client, proposer, user.user["id"], expires_at=expires)).json()
    clock.advance(timedelta(hours=2))
    late = await decide(client, second, override["review_id"], "approve")
    assert (late.status_code, late.json()["code"]) == (409, "override_expired")
    assert (await decide(client, second, override["review_id"], "reject")).status_code == 200


async def test_a_withdrawal_raise_lifts_the_withdrawal_limit_only(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    services = app.state.services
    proposer, second = await officer(client, app), await officer(client, app)
    user = await sign_in(client)
    override = (
        await propose(
            client, proposer, user.user["id"], activity="withdrawal", amount="20000", currency="ECE"
        )
    ).json()
    assert (await decide(client, second, override["review_id"], "approve")).status_code == 200

    async def used(_since: object) -> dict[Asset, int]:
        return {Asset.USDC: parse_amount("900", Asset.USDC)}

    async def check(amount: str) -> None:
        async with services.db.unit_of_work() as session:
            await compliance.check_within_limit(
                session,
                services.settings,
                user.user["id"],
                compliance.Activity.withdrawal,
                parse_amount(amount, Asset.USDC),
                Asset.USDC,
                used,
            )

    # 20,000 ECE at 0.10 USDC = 2,000 USDC-equivalent a day.
    await check("1100")
    with pytest.raises(Forbidden) as refused:
        await check("1101")
    assert refused.value.instance_code == "kyc_required"
    purchase = await try_buy(client, app, user, "1500")
    assert purchase.status_code == 403  # the purchase limit is untouched


async def test_bad_proposals_are_refused_and_change_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    staff = await officer(client, app)
    user = await sign_in(client)
    uid = user.user["id"]
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"amount": "0"}, 422, "validation_error"),
        ({"amount": "-5"}, 422, "validation_error"),
        ({"amount": "1.0000001"}, 422, "validation_error"),  # finer than a USDC base unit
        ({"expires_at": (utcnow() - timedelta(minutes=1)).isoformat()}, 422, "invalid_expiry"),
        ({"expires_at": (utcnow() + timedelta(days=91)).isoformat()}, 422, "invalid_expiry"),
        ({"expires_at": "2030-01-01T00:00:00"}, 422, "validation_error"),  # no time zone
        ({"activity": "deposit"}, 422, "validation_error"),
        ({"surprise": True}, 422, "validation_error"),
    ]
    for changes, status, code in cases:
        response = await propose(client, staff, uid, **changes)
        assert (response.status_code, response.json()["code"]) == (status, code), changes
    unknown = await propose(client, staff, "u" * 32)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "user_not_found")
    stranger = await propose(client, user, uid)
    assert stranger.status_code == 403  # not an officer
    listed = await client.get(URL, headers=staff.headers)
    assert listed.json()["items"] == []
    assert await audit_entries(app, uid) == []


async def test_officers_who_raised_a_limit_cannot_approve_that_users_actions(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The issue's four eyes: "an admin who raised a limit for it cannot approve it"."""
    app.state.services.settings.compliance_large_amount_usdc = "1200"
    proposer, approver = await officer(client, app), await officer(client, app)
    third = await officer(client, app)
    user = await sign_in(client)
    await fund(app, user.user["id"], "5000")
    override = (await propose(client, proposer, user.user["id"])).json()
    assert (await decide(client, approver, override["review_id"], "approve")).status_code == 200
    bought = await try_buy(client, app, user, "1500")  # allowed by the raise; a large trade
    assert bought.status_code == 201, bought.text
    clock.advance(timedelta(seconds=61))
    services = app.state.services
    assert await compliance.scan_trades(services.db, services.settings) >= 1
    reviews = await client.get(
        "/api/v1/compliance/reviews", params={"status": "open"}, headers=third.headers
    )
    (review,) = [r for r in reviews.json()["items"] if r["subject_type"] == "trade"]
    for who in (proposer, approver):
        refused = await decide(client, who, review["id"], "approve")
        assert (refused.status_code, refused.json()["code"]) == (403, "four_eyes")
    assert (await decide(client, third, review["id"], "approve")).status_code == 200

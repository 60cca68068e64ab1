"""The emergency pause through the API: a paused action answers 503 ``paused``, holds and
writes nothing; reads, cancels and the other scopes keep working; resume restores them."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import text

from ece.audit import service as audit
from ece.core.clock import utcnow
from tests.auctions.support import bid, open_auction
from tests.builders import SignedInUser, make_admin, sign_in
from tests.controls.support import pause, refused, resume, status
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.trades.support import act, offer

DESTINATION = str(Keypair().pubkey())


async def withdraw(
    client: httpx.AsyncClient, user: SignedInUser, amount: str, key: str | None = None
) -> httpx.Response:
    headers = {**user.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        "/api/v1/withdrawals",
        json={"asset": "USDC", "amount": amount, "destination": DESTINATION},
        headers=headers,
    )


async def balances(client: httpx.AsyncClient, user: SignedInUser) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/users/me/balances", headers=user.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["balances"])


async def deposit_request(client: httpx.AsyncClient, user: SignedInUser) -> httpx.Response:
    return await client.post(
        "/api/v1/deposits", json={"asset": "USDC", "amount": "1"}, headers=user.headers
    )


async def test_paused_withdrawals_hold_nothing_and_run_again_after_resume(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    user = await buyer(client, app, "50")
    before = await balances(client, user)
    await pause(client, admin, "withdrawals", "hot wallet check")

    assert refused(await withdraw(client, user, "5", key="w-1"), "withdrawals")
    assert await balances(client, user) == before  # nothing held
    # Reads and the other scopes keep working.
    listed = await client.get("/api/v1/withdrawals", headers=user.headers)
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert (await deposit_request(client, user)).status_code == 201
    shown = await status(client)
    assert shown["paused"] is True
    assert [(p["scope"], p["reason"]) for p in shown["pauses"]] == [
        ("withdrawals", "hot wallet check")
    ]

    assert (await resume(client, admin, "withdrawals")).status_code == 200
    assert await status(client) == {"paused": False, "pauses": []}
    # The key of the refused request was never stored: the retry executes.
    again = await withdraw(client, user, "5", key="w-1")
    assert again.status_code == 201, again.text
    assert "Idempotent-Replayed" not in again.headers
    usdc = next(b for b in await balances(client, user) if b["asset"] == "USDC")
    assert usdc["held"] == "5"
    replay = await withdraw(client, user, "5", key="w-1")
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == again.json()["id"]


async def test_paused_trading_refuses_every_trade_and_nothing_else(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    taker = await buyer(client, app, "500")
    listed_card, free_card, auctioned = [
        await quick_card(app, market.company_id, seller.user["id"]) for _ in range(3)
    ]
    listing = await list_card(client, seller, listed_card, "25")
    auction = await open_auction(client, seller, auctioned, buy_now_price="90")
    made = await client.post(
        "/api/v1/offers",
        json={"card_id": free_card, "price": "5", "currency": "USDC"},
        headers=taker.headers,
    )
    assert made.status_code == 201, made.text
    trade = await offer(client, seller, taker.address, {"cards": [free_card]}, {"USDC": "7"})
    before = await balances(client, taker)
    await pause(client, market.admin, "trading", "settlement bug")

    s, t = seller.headers, taker.headers
    refusals = [
        await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=t),
        await client.post(
            "/api/v1/sweeps",
            json={"listing_ids": [listing["id"]], "currency": "USDC", "max_total": "30"},
            headers=t,
        ),
        await client.post(
            "/api/v1/listings",
            json={"card_id": free_card, "price": "9", "currency": "USDC"},
            headers=s,
        ),
        await client.patch(f"/api/v1/listings/{listing['id']}", json={"price": "1"}, headers=s),
        await client.post(
            "/api/v1/offers",
            json={"card_id": listed_card, "price": "3", "currency": "USDC"},
            headers=t,
        ),
        await client.post(f"/api/v1/offers/{made.json()['id']}/accept", headers=s),
        await client.post(
            "/api/v1/trades", json={"to": taker.address, "give": {"USDC": "1"}}, headers=s
        ),
        await act(client, taker, trade["id"], "accept"),
        await act(client, taker, trade["id"], "counter", json={"give": {"USDC": "2"}}),
        await bid(client, taker, auction["id"], "20"),
        await client.post(f"/api/v1/auctions/{auction['id']}/buy", headers=t),
        await client.post(
            "/api/v1/auctions",
            json={
                "type": "english",
                "card_id": free_card,
                "currency": "USDC",
                "start_price": "1",
                "ends_at": (utcnow() + timedelta(hours=2)).isoformat(),
            },
            headers=s,
        ),
    ]
    assert all(refused(r, "trading") for r in refusals)
    assert await balances(client, taker) == before  # nothing bought, held or released

    # Reads, deposits, withdrawals and the ways out keep working.
    assert (await client.get(f"/api/v1/listings/{listing['id']}")).json()["price"] == "25"
    assert (await client.get(f"/api/v1/auctions/{auction['id']}")).status_code == 200
    assert (await client.get("/api/v1/offers", headers=t)).status_code == 200
    assert (await deposit_request(client, taker)).status_code == 201
    assert (await withdraw(client, taker, "2")).status_code == 201
    cancelled = await client.delete(f"/api/v1/offers/{made.json()['id']}", headers=t)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await act(client, seller, trade["id"], "cancel")).status_code == 200

    assert (await resume(client, market.admin, "trading")).status_code == 200
    bought = await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=t)
    assert bought.status_code == 201, bought.text


async def test_paused_auctions_refuse_bids_but_not_listings(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    bidder = await buyer(client, app, "100")
    auctioned = await quick_card(app, market.company_id, seller.user["id"])
    other = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, auctioned)
    await pause(client, market.admin, "auctions", "proxy bidding review")

    assert refused(await bid(client, bidder, auction["id"], "20"), "auctions")
    await list_card(client, seller, other, "12")  # trading runs
    cancelled = await client.delete(f"/api/v1/auctions/{auction['id']}", headers=seller.headers)
    assert cancelled.status_code == 200, cancelled.text  # no bids: the seller may leave


async def test_all_pauses_every_scope_until_resumed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    taker = await buyer(client, app, "100")
    listing = await list_card(
        client, seller, await quick_card(app, market.company_id, seller.user["id"]), "10"
    )
    await pause(client, market.admin, "trading", "first")
    await pause(client, market.admin, "all", "full stop")

    buy = await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=taker.headers)
    assert refused(buy, "all")  # the pause to lift is named, not the narrower one
    assert refused(await withdraw(client, taker, "2"), "all")
    assert refused(await deposit_request(client, taker), "all")
    assert (await client.get("/api/v1/listings")).status_code == 200
    assert [p["scope"] for p in (await status(client))["pauses"]] == ["all", "trading"]

    await resume(client, market.admin, "all")
    assert refused(
        await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=taker.headers),
        "trading",
    )
    assert (await withdraw(client, taker, "2")).status_code == 201


async def test_only_admins_pause_and_anyone_reads_the_status(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    body = {"scope": "trading", "reason": "x"}
    assert (await client.post("/api/v1/admin/pause", json=body)).status_code == 401
    denied = await client.post("/api/v1/admin/pause", json=body, headers=user.headers)
    assert denied.status_code == 403
    await pause(client, admin, "trading", "x")
    stopped = await client.post(
        "/api/v1/admin/resume", json={"scope": "trading"}, headers=user.headers
    )
    assert stopped.status_code == 403
    assert (await status(client))["pauses"][0]["scope"] == "trading"  # still paused
    for bad in ({"scope": "everything", "reason": "x"}, {"scope": "all", "reason": "  "}):
        invalid = await client.post("/api/v1/admin/pause", json=bad, headers=admin.headers)
        assert invalid.status_code == 422, invalid.text


async def test_pause_and_resume_are_audited_and_answer_clearly(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    first = await pause(client, admin, "deposits", "chain halt")
    second = await pause(client, admin, "deposits", "chain halt, day 2")
    assert second["reason"] == "chain halt, day 2"
    assert second["since"] == first["since"]  # paused since the first pause
    lifted = await resume(client, admin, "deposits")
    assert lifted.status_code == 200 and lifted.json()["paused_since"] == first["since"]
    again = await resume(client, admin, "deposits")
    assert again.status_code == 409 and again.json()["code"] == "not_paused"

    async with app.state.services.db.unit_of_work(write=False) as session:
        check = await audit.verify(session)
        rows = (
            await session.execute(
                text(
                    "SELECT actor, action, object_id, details FROM audit_log"
                    " WHERE action IN ('platform.paused', 'platform.resumed') ORDER BY seq"
                )
            )
        ).all()
    assert check.ok and len(rows) == 3
    entries = [
        (r[0], r[1], r[2], r[3] if isinstance(r[3], dict) else json.loads(r[3])) for r in rows
    ]
    who = admin.user["id"]
    assert entries[:2] == [
        (who, "platform.paused", "deposits", {"reason": "chain halt", "already_paused": False}),
        (
            who,
            "platform.paused",
            "deposits",
            {"reason": "chain halt, day 2", "already_paused": True},
        ),
    ]
    actor, action, scope, details = entries[2]
    assert (actor, action, scope, details["reason"]) == (
        who,
        "platform.resumed",
        "deposits",
        "chain halt, day 2",
    )
    assert datetime.fromisoformat(details["paused_since"]) == datetime.fromisoformat(first["since"])


async def test_admins_pausing_at_once_leave_one_pause_and_every_entry(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admins = [await make_admin(client, app) for _ in range(4)]
    answers = await asyncio.gather(
        *(
            client.post(
                "/api/v1/admin/pause",
                json={"scope": "trading", "reason": f"admin {n}"},
                headers=a.headers,
            )
            for n, a in enumerate(admins)
        )
    )
    assert [r.status_code for r in answers] == [200] * 4
    assert len({r.json()["since"] for r in answers}) == 1  # one pause, paused once
    pauses = (await status(client))["pauses"]
    assert len(pauses) == 1 and pauses[0]["reason"] in {f"admin {n}" for n in range(4)}
    async with app.state.services.db.unit_of_work(write=False) as session:
        check = await audit.verify(session)
        paused = await session.scalar(
            text("SELECT count(*) FROM audit_log WHERE action = 'platform.paused'")
        )
    assert check.ok and paused == 4

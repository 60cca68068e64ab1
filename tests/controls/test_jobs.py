"""Worker jobs skip while their scope is paused, and catch up after the resume."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient

from ece.auctions import jobs as auction_jobs
from ece.core.clock import clock
from ece.payments import jobs as payment_jobs
from tests.auctions.support import ok_bid, open_auction, shown
from tests.builders import make_admin, sign_in
from tests.controls.support import pause, resume
from tests.controls.test_pause import withdraw
from tests.market.support import buyer, open_market, quick_card
from tests.payments.support import balance, faucet, open_deposit, pay, units


async def test_the_sender_sends_nothing_while_withdrawals_are_paused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    user = await buyer(client, app, "50")
    created = await withdraw(client, user, "5")
    assert created.status_code == 201, created.text
    path = f"/api/v1/withdrawals/{created.json()['id']}"
    await pause(client, admin, "withdrawals")

    await payment_jobs.send_withdrawals(app.state.services)
    held = (await client.get(path, headers=user.headers)).json()
    assert held["status"] == "pending" and held["signature"] is None

    await resume(client, admin, "withdrawals")
    await payment_jobs.send_withdrawals(app.state.services)
    assert (await client.get(path, headers=user.headers)).json()["signature"] is not None


async def test_paused_deposits_are_credited_after_the_resume(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "USDC", "5")
    deposit = await open_deposit(client, user, "USDC", "5")
    await pause(client, admin, "deposits", "chain reorg")
    await pay(rpc, user.keypair, deposit, units("5", "USDC"))  # the chain does not wait

    assert await payment_jobs.watch_deposits(app.state.services) == 0
    assert (await balance(client, user, "USDC"))["total"] == "0"

    await resume(client, admin, "deposits")
    assert await payment_jobs.watch_deposits(app.state.services) == 1
    assert (await balance(client, user, "USDC"))["total"] == "5"


async def test_auctions_do_not_settle_while_trading_is_paused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    bidder = await buyer(client, app, "100")
    card = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card, hours=1.5)
    await ok_bid(client, bidder, auction["id"], "20")
    await pause(client, market.admin, "trading")
    clock.advance(timedelta(hours=2))  # past its end

    assert await auction_jobs.settle_auctions(app.state.services) == 0
    assert (await shown(client, auction["id"])).get("winner") is None

    await resume(client, market.admin, "trading")
    assert await auction_jobs.settle_auctions(app.state.services) == 1
    assert (await shown(client, auction["id"]))["winner"]

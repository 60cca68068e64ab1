"""A deposit and a withdrawal tell their user each step in-app: deposit credited, withdrawal
sent (signed, with its signature), then confirmed, or failed with the funds back. No one else
hears of them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair

from ece.payments import jobs, service
from tests.builders import sign_in
from tests.notifications.support import notifications, relay
from tests.payments.support import funded_user
from tests.payments.test_withdrawals import drain_custody, shown, withdraw


async def kinds(client: httpx.AsyncClient, user: object) -> list[str]:
    """The user's notification types, oldest first."""
    page = await notifications(client, user)  # type: ignore[arg-type]
    return [n["type"] for n in reversed(page["items"])]


async def test_deposit_and_withdrawal_steps_notify_their_user(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    stranger = await sign_in(client)
    await relay(app)
    assert await kinds(client, user) == ["deposit_credited"]
    credited = (await notifications(client, user))["items"][0]
    assert (credited["data"]["asset"], credited["data"]["amount"]) == ("USDC", "10")

    created = (await withdraw(client, user, "4", str(Keypair().pubkey()))).json()
    services = app.state.services
    assert await service.sign_pending(services.db, services.chain, services.platform) == 1
    await relay(app)
    assert await kinds(client, user) == ["deposit_credited", "withdrawal_sent"]
    sent = (await notifications(client, user))["items"][0]
    signed = await shown(client, user, created["id"])
    assert signed["status"] == "sent"
    assert sent["data"] == {
        "event": "withdrawal.sent",
        "ref": created["id"],
        "asset": "USDC",
        "amount": "4",
        "signature": signed["signature"],
    }

    await jobs.send_withdrawals(services)
    await relay(app)
    assert await kinds(client, user) == [
        "deposit_credited",
        "withdrawal_sent",
        "withdrawal_confirmed",
    ]
    assert (await notifications(client, stranger))["items"] == []


async def test_a_failed_withdrawal_notifies_sent_then_failed(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    await drain_custody(app, "USDC", 9_000_000)  # custody can no longer pay 4 USDC
    created = (await withdraw(client, user, "4", str(Keypair().pubkey()))).json()
    await jobs.send_withdrawals(app.state.services)
    assert (await shown(client, user, created["id"]))["status"] == "failed"
    await relay(app)  # all in one batch: the events' ids tell their order
    page = await notifications(client, user)
    assert sorted(n["type"] for n in page["items"]) == [
        "deposit_credited",
        "withdrawal_failed",
        "withdrawal_sent",
    ]
    failed = next(n for n in page["items"] if n["type"] == "withdrawal_failed")
    sent = next(n for n in page["items"] if n["type"] == "withdrawal_sent")
    assert failed["event_id"] > sent["event_id"]

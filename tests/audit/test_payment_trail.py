"""Value moving outside a plain trade is audited: a deposit credited, a withdrawal requested,
sent, confirmed or failed. Replays and refusals add nothing."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair

from ece.audit import service as audit
from ece.payments import jobs
from tests.audit.support import head, written_after
from tests.payments.conftest import rpc  # noqa: F401 (the fixture)
from tests.payments.support import funded_user
from tests.payments.test_withdrawals import drain_custody, withdraw


async def test_deposit_and_withdrawal_write_their_entries(
    client: httpx.AsyncClient,
    app: FastAPI,
    rpc: AsyncClient,  # noqa: F811
) -> None:
    mark = await head(app)
    user = await funded_user(client, app, rpc, "USDC", "10.5")
    uid = user.user["id"]
    (credited,) = await written_after(app, mark)
    assert (credited.actor, credited.action, credited.object_type) == (
        audit.SYSTEM,
        "deposit.credited",
        "deposit",
    )
    assert {k: credited.details[k] for k in ("asset", "amount", "user_id")} == {
        "asset": "USDC",
        "amount": "10.5",
        "user_id": uid,
    }

    mark = await head(app)
    destination = str(Keypair().pubkey())
    first = await withdraw(client, user, "4.25", destination, key="w-1")
    replay = await withdraw(client, user, "4.25", destination, key="w-1")
    refused = await withdraw(client, user, "100", destination)  # more than the balance
    assert (first.status_code, replay.status_code, refused.status_code) == (201, 201, 409)
    await jobs.send_withdrawals(app.state.services)
    wid = first.json()["id"]
    trail = await written_after(app, mark)
    assert [(e.actor, e.action, e.object_id) for e in trail] == [
        (uid, "withdrawal.requested", wid),
        (audit.SYSTEM, "withdrawal.sent", wid),
        (audit.SYSTEM, "withdrawal.confirmed", wid),
    ]
    assert trail[0].details == {"asset": "USDC", "amount": "4.25"}
    signature = trail[1].details["signature"]
    assert trail[2].details == {
        "asset": "USDC",
        "amount": "4.25",
        "user_id": uid,
    }
    assert signature and destination not in str(trail)  # an address is never recorded


async def test_a_failed_withdrawal_is_recorded_with_its_reason(
    client: httpx.AsyncClient,
    app: FastAPI,
    rpc: AsyncClient,  # noqa: F811
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    await drain_custody(app, "USDC", 9_000_000)  # custody can no longer pay 4 USDC
    created = (await withdraw(client, user, "4", str(Keypair().pubkey()))).json()
    mark = await head(app)
    await jobs.send_withdrawals(app.state.services)
    sent, failed = await written_after(app, mark)
    assert (sent.action, failed.action) == ("withdrawal.sent", "withdrawal.failed")
    assert failed.object_id == created["id"] and failed.actor == audit.SYSTEM
    assert "failed on chain" in failed.details["reason"]
    assert failed.details["amount"] == "4"

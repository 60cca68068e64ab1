"""A sent payout notifies the user signed in with its destination wallet (the one the USDC
reached; companies have no other users), in the app and on their own socket channel only;
no one else (the company's card sellers, the admin, the signers) hears of it as theirs."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient

from ece.realtime.rules import channels_for
from tests.builders import SignedInUser, sign_in
from tests.notifications.support import notifications, relay
from tests.treasury.support import (
    approved_message,
    company_with_royalties,
    configure_signers,
    post_signature,
    run_batch,
    send,
)


async def kinds(client: httpx.AsyncClient, user: SignedInUser) -> list[str]:
    return [n["type"] for n in (await notifications(client, user))["items"]]


async def test_a_sent_payout_notifies_the_user_of_its_destination_wallet(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    receiver = await sign_in(client, seller.payout_wallet)  # the company's payout wallet
    bystander = await sign_in(client)

    batch = await run_batch(client, seller.market.admin)
    [payout] = batch["payouts"]
    message = await approved_message(client, app, signers.users[:2], payout["id"])
    for user, keypair in zip(signers.users[:2], signers.keypairs[:2], strict=True):
        signed = await post_signature(client, user, payout["id"], keypair, message)
        assert signed.status_code == 200, signed.text
    await relay(app)
    assert await kinds(client, receiver) == []  # nothing before the money lands
    assert await send(app) == 1
    await relay(app)

    assert await kinds(client, receiver) == ["payout_sent"]
    note = (await notifications(client, receiver))["items"][0]
    assert note["data"]["ref"] == payout["id"]
    assert (note["data"]["amount"], note["data"]["company_id"]) == (
        "12.5",
        seller.market.company_id,
    )
    assert note["data"]["signature"]
    others = [bystander, seller.market.admin, *signers.users]
    for user in others:
        assert "payout_sent" not in await kinds(client, user)

    # On the socket: the receiver's own channel (and the company's public one), no other user's.
    payload = {"company_id": seller.market.company_id, "user_id": receiver.user["id"]}
    found = channels_for("payout.sent", payout["id"], payload)
    assert [c for c in found if c.startswith("user:")] == [f"user:{receiver.user['id']}"]


async def test_a_payout_to_a_wallet_no_user_holds_notifies_no_one(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    batch = await run_batch(client, seller.market.admin)
    [payout] = batch["payouts"]
    message = await approved_message(client, app, signers.users[:2], payout["id"])
    for user, keypair in zip(signers.users[:2], signers.keypairs[:2], strict=True):
        signed = await post_signature(client, user, payout["id"], keypair, message)
        assert signed.status_code == 200, signed.text
    assert await send(app) == 1
    await relay(app)
    for user in [seller.market.admin, *signers.users]:
        assert "payout_sent" not in await kinds(client, user)

"""Any M of the N multisig members pay a payout: the first M to approve are the signers its
transaction names. Signers 2 and 3 of a 2-of-3 pay without signer 1; a non-member, a
repeated approval or signature, a member outside the chosen set, and a signature before the
choice are refused and move nothing; a withdrawn approval drops the transaction."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.message import Message

from ece.auth.service import Role
from ece.core.money import Asset
from tests.builders import grant, sign_in
from tests.treasury.support import (
    approve,
    company_with_royalties,
    configure_signers,
    message_of,
    post_signature,
    prepare,
    run_batch,
    send,
    usdc_at,
)


def named_signers(message: bytes) -> list[str]:
    """The signer keys the message requires, after custody (the fee payer)."""
    parsed = Message.from_bytes(message)
    return [str(k) for k in parsed.account_keys[1 : parsed.header.num_required_signatures]]


async def transaction(client: httpx.AsyncClient, user: object, pid: str) -> dict[str, object]:
    response = await client.get(
        f"/api/v1/treasury/payouts/{pid}/transaction",
        headers=user.headers,  # type: ignore[attr-defined]
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_signers_two_and_three_pay_without_signer_one(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app, count=3, threshold=2)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    pid = payout["id"]
    alice, bob, carol = signers.users
    _, bob_key, carol_key = signers.keypairs
    early = await approve(client, bob, pid)
    assert (early.status_code, early.json()["code"]) == (409, "payout_not_awaiting_signatures")
    assert await prepare(app) == 1

    # Nothing to sign before M members approved; a signature now counts for nothing.
    waiting = await transaction(client, carol, pid)
    assert waiting["message"] is None and waiting["signers"] == []
    premature = await post_signature(client, carol, pid, carol_key, b"anything")
    assert (premature.status_code, premature.json()["code"]) == (409, "signers_not_chosen")

    first = await approve(client, carol, pid)
    assert first.status_code == 200 and first.json()["approvals"] == [carol.address]
    repeat = await approve(client, carol, pid)
    assert (repeat.status_code, repeat.json()["code"]) == (409, "already_approved")
    second = await approve(client, bob, pid)
    assert second.status_code == 200, second.text
    chosen = second.json()
    assert chosen["signers"] == [bob.address, carol.address]  # member order
    message = await message_of(client, bob, pid)
    assert sorted(named_signers(message)) == sorted([bob.address, carol.address])
    late = await approve(client, alice, pid)
    assert (late.status_code, late.json()["code"]) == (409, "signers_chosen")

    # Signer 1 is outside the chosen set: refused, even with a valid signature of the message.
    outside = await post_signature(client, alice, pid, signers.keypairs[0], message)
    assert (outside.status_code, outside.json()["code"]) == (403, "not_a_required_signer")
    signed = await post_signature(client, carol, pid, carol_key, message)
    assert signed.status_code == 200 and signed.json()["status"] == "awaiting_signatures"
    twice = await post_signature(client, carol, pid, carol_key, message)
    assert (twice.status_code, twice.json()["code"]) == (409, "already_signed")
    assert await send(app) == 0
    done = await post_signature(client, bob, pid, bob_key, message)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert await send(app) == 1
    assert await usdc_at(app, rpc, seller.payout_wallet.pubkey()) == 12_500_000
    shown = await client.get(f"/api/v1/treasury/payouts/{pid}", headers=alice.headers)
    assert shown.json()["status"] == "confirmed"


async def test_a_non_member_or_a_user_without_the_role_cannot_approve(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    await prepare(app)
    outsider = Keypair()
    await grant(app, str(outsider.pubkey()), Role.treasury_signer)
    member_role_only = await approve(client, await sign_in(client, outsider), payout["id"])
    assert (member_role_only.status_code, member_role_only.json()["code"]) == (
        403,
        "not_a_signer",
    )
    no_role = await approve(client, await sign_in(client), payout["id"])
    assert no_role.status_code == 403
    admin = await approve(client, seller.market.admin, payout["id"])
    assert admin.status_code == 403
    view = await transaction(client, signers.users[0], payout["id"])
    assert view["approvals"] == [] and view["message"] is None
    missing = await approve(client, signers.users[0], "no-such-payout")
    assert missing.status_code == 404


async def test_a_withdrawn_approval_drops_the_transaction_and_others_take_over(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Alice and Bob are chosen, Alice signs, then Bob withdraws (his key is away): the
    transaction and Alice's signature go; Carol approves, and Alice and Carol pay."""
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    pid = payout["id"]
    alice, bob, carol = signers.users
    alice_key, _, carol_key = signers.keypairs
    await prepare(app)
    for user in (alice, bob):
        assert (await approve(client, user, pid)).status_code == 200
    old = await message_of(client, alice, pid)
    assert (await post_signature(client, alice, pid, alice_key, old)).status_code == 200

    url = f"/api/v1/treasury/payouts/{pid}/approvals"
    not_admin = await client.delete(url, params={"all": "true"}, headers=bob.headers)
    assert (not_admin.status_code, not_admin.json()["code"]) == (403, "not_admin")
    withdrawn = await client.delete(url, headers=bob.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() | {"threshold": 0} == {
        "message": None,
        "signers": [],
        "threshold": 0,
        "approvals": [alice.address],
        "signatures": [],
    }
    again = await client.delete(url, headers=bob.headers)
    assert (again.status_code, again.json()["code"]) == (404, "approval_not_found")

    assert (await approve(client, carol, pid)).status_code == 200
    new = await message_of(client, carol, pid)
    assert new != old
    stale = await post_signature(client, alice, pid, alice_key, old)
    assert (stale.status_code, stale.json()["code"]) == (422, "invalid_signature")
    for user, key in ((alice, alice_key), (carol, carol_key)):
        assert (await post_signature(client, user, pid, key, new)).status_code == 200
    assert await send(app) == 1
    assert await usdc_at(app, rpc, seller.payout_wallet.pubkey()) == 12_500_000


async def test_an_admin_clears_every_approval(client: httpx.AsyncClient, app: FastAPI) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    await prepare(app)
    for user in signers.users[:2]:
        assert (await approve(client, user, payout["id"])).status_code == 200
    cleared = await client.delete(
        f"/api/v1/treasury/payouts/{payout['id']}/approvals",
        params={"all": "true"},
        headers=seller.market.admin.headers,
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["approvals"] == [] and cleared.json()["message"] is None
    usdc = app.state.services.platform.mint(Asset.USDC)
    assert usdc  # the payout is still in flight, waiting for new approvals
    shown = await client.get(
        f"/api/v1/treasury/payouts/{payout['id']}", headers=seller.market.admin.headers
    )
    assert shown.json()["status"] == "awaiting_signatures"


async def test_three_members_approving_at_once_choose_exactly_two(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    await prepare(app)
    answers = await asyncio.gather(*(approve(client, u, payout["id"]) for u in signers.users))
    assert sorted(a.status_code for a in answers) == [200, 200, 409]
    [late] = [a for a in answers if a.status_code == 409]
    assert late.json()["code"] == "signers_chosen"
    winners = {
        u.address for u, a in zip(signers.users, answers, strict=True) if a.status_code == 200
    }
    view = await transaction(client, signers.users[0], payout["id"])
    assert set(view["signers"]) == winners  # type: ignore[arg-type]
    message = await message_of(client, signers.users[0], payout["id"])
    assert set(named_signers(message)) == winners

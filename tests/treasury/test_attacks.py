"""Refused signatures send nothing; batches, senders and replays never pay twice; a crash
between sending and confirming is resolved from the chain; a failed or blocked payout gives
its amount back to the payables it came from."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.transaction import Transaction
from sqlalchemy import update

from ece.auth.service import Role
from ece.cards.models import Company
from ece.chain.platform import send_instructions
from ece.chain.protocol import TransactionFailed
from ece.chain.tokens import spl
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.payments import service as payments
from ece.treasury import service as treasury
from ece.treasury.models import Payout
from tests.builders import grant, sign_in
from tests.market.support import account_total, ledger_ok
from tests.treasury.support import (
    approved_message,
    company_with_royalties,
    configure_signers,
    post_signature,
    run_batch,
    send,
    usdc_at,
)

SALES = [("250", "USDC"), ("2000", "ECE")]


async def royalties(app: FastAPI, company_id: str) -> dict[Asset, int]:
    return {
        a: await account_total(app, ledger.OwnerType.company, company_id, a, "royalties")
        for a in Asset
    }


async def status_of(app: FastAPI, payout_id: str) -> Payout:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return await treasury.get_payout(session, payout_id)


async def test_refused_signatures_send_nothing(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, SALES)
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    pid, (alice, bob, carol) = payout["id"], signers.users
    message = await approved_message(client, app, [alice, bob], pid)

    outsider = Keypair()  # has the role, is not a member of the multisig
    await grant(app, str(outsider.pubkey()), Role.treasury_signer)
    outsider_user = await sign_in(client, outsider)
    no_role = await sign_in(client)
    refusals = [
        (await post_signature(client, outsider_user, pid, outsider, message), 403, "not_a_signer"),
        (await post_signature(client, no_role, pid, no_role.keypair, message), 403, None),
        (
            await post_signature(client, alice, pid, signers.keypairs[0], message + b"x"),
            422,
            "invalid_signature",
        ),
        (
            await post_signature(client, alice, pid, signers.keypairs[1], message),
            403,
            "not_your_wallet",
        ),
        # The transaction names the two approvers; the third member cannot complete it.
        (
            await post_signature(client, carol, pid, signers.keypairs[2], message),
            403,
            "not_a_required_signer",
        ),
        (
            await post_signature(client, seller.market.admin, pid, signers.keypairs[0], message),
            403,
            None,
        ),
    ]
    for response, status, code in refusals:
        assert response.status_code == status, response.text
        if code is not None:
            assert response.json()["code"] == code
    signed = await post_signature(client, alice, pid, signers.keypairs[0], message)
    assert signed.status_code == 200
    again = await post_signature(client, alice, pid, signers.keypairs[0], message)
    assert again.status_code == 409 and again.json()["code"] == "already_signed"

    assert await send(app) == 0
    assert (await status_of(app, pid)).status == "awaiting_signatures"
    view = (
        await client.get(f"/api/v1/treasury/payouts/{pid}/transaction", headers=bob.headers)
    ).json()
    assert [s["signer"] for s in view["signatures"]] == [alice.address]
    usdc = app.state.services.platform.mint(Asset.USDC)
    paid_to = spl.get_associated_token_address(seller.payout_wallet.pubkey(), usdc)
    assert (await rpc.get_account_info(paid_to)).value is None  # nothing sent


async def _signed_payout(client: httpx.AsyncClient, app: FastAPI) -> tuple[object, str, Keypair]:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, SALES)
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    message = await approved_message(client, app, signers.users[:2], payout["id"])
    for user, keypair in zip(signers.users[:2], signers.keypairs[:2], strict=True):
        response = await post_signature(client, user, payout["id"], keypair, message)
        assert response.status_code == 200, response.text
    return seller, payout["id"], seller.payout_wallet


async def test_batch_twice_and_senders_at_once_pay_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    seller, pid, wallet = await _signed_payout(client, app)
    again = await run_batch(client, seller.market.admin)  # type: ignore[attr-defined]
    assert again["payouts"] == []
    ended = await asyncio.gather(send(app), send(app))
    assert sum(ended) == 1
    assert await send(app) == 0
    assert await usdc_at(app, rpc, wallet.pubkey()) == 22_500_000
    # The signed transaction replayed by anyone: its nonce has moved on.
    row = await status_of(app, pid)
    assert row.signed_transaction is not None
    with pytest.raises(TransactionFailed):
        await app.state.services.chain.send_transaction(
            Transaction.from_bytes(row.signed_transaction)
        )
    assert await usdc_at(app, rpc, wallet.pubkey()) == 22_500_000
    assert await ledger_ok(app)


async def test_two_batches_at_once_drain_each_payable_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, SALES)
    services = app.state.services

    async def batch() -> int:
        async with services.db.unit_of_work() as session:
            made = await treasury.create_batch(
                session, services.settings, services.platform, actor="test"
            )
            assert made is not None
            return len((await treasury.payouts_of(session, [made.id]))[made.id])

    assert sorted(await asyncio.gather(batch(), batch())) == [0, 1]
    assert await royalties(app, seller.market.company_id) == {Asset.ECE: 0, Asset.USDC: 0}
    assert await ledger_ok(app)


async def test_a_crash_between_send_and_confirm_is_resolved_from_the_chain(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    _seller, pid, wallet = await _signed_payout(client, app)
    row = await status_of(app, pid)
    assert row.status == "submitted" and row.signed_transaction is not None
    # The sender put it on chain, then the process died before recording the outcome.
    await app.state.services.chain.send_transaction(Transaction.from_bytes(row.signed_transaction))
    assert (await status_of(app, pid)).status == "submitted"
    assert await send(app) == 1  # the restarted sender reads the chain: landed, so confirmed
    assert (await status_of(app, pid)).status == "confirmed"
    assert await usdc_at(app, rpc, wallet.pubkey()) == 22_500_000
    services = app.state.services
    assert await ledger_ok(app)
    result = await payments.reconcile(services.db, services.chain, services.platform)
    assert all(a.ok for a in result.assets), result


async def test_a_payout_refused_by_the_chain_fails_and_its_payables_come_back(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    seller, pid, _wallet = await _signed_payout(client, app)
    services = app.state.services
    platform = services.platform
    custody_usdc = platform.custody_token_account(Asset.USDC)
    held = (await services.chain.get_token_account_balance(custody_usdc)).amount
    elsewhere = Keypair().pubkey()
    # Custody's USDC gone (on chain only): the payout transaction cannot pay.
    await send_instructions(
        services.chain,
        [
            spl.create_associated_token_account_idempotent(
                payer=platform.custody_owner, owner=elsewhere, mint=platform.mint(Asset.USDC)
            ),
            spl.transfer_checked(
                source=custody_usdc,
                mint=platform.mint(Asset.USDC),
                destination=spl.get_associated_token_address(elsewhere, platform.mint(Asset.USDC)),
                owner=platform.custody_owner,
                amount=held,
                decimals=6,
            ),
        ],
        [],
        platform.custody,
    )
    assert await send(app) == 1
    row = await status_of(app, pid)
    assert row.status == "failed" and row.reason is not None
    company = seller.market.company_id  # type: ignore[attr-defined]
    assert await royalties(app, company) == {Asset.ECE: 100_000_000_000, Asset.USDC: 12_500_000}
    # Its nonce is burnt: the signed transaction can never land later.
    assert row.signed_transaction is not None
    with pytest.raises(TransactionFailed):
        await services.chain.send_transaction(Transaction.from_bytes(row.signed_transaction))
    assert await ledger_ok(app)


async def test_a_payout_to_a_platform_address_is_rejected_and_nothing_is_drained(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await configure_signers(client, app)
    seller = await company_with_royalties(client, app, SALES)
    services = app.state.services
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Company)
            .where(Company.id == seller.market.company_id)
            .values(payout_address=str(services.platform.custody_owner))
        )
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    assert payout["status"] == "rejected"
    row = await status_of(app, payout["id"])
    assert row.reason == "destination_is_platform"
    assert await royalties(app, seller.market.company_id) == {
        Asset.ECE: 100_000_000_000,
        Asset.USDC: 12_500_000,
    }
    assert await ledger_ok(app)


async def test_the_last_two_signatures_at_once_complete_the_payout_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app, count=3, threshold=3)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    message = await approved_message(client, app, signers.users, payout["id"])
    first = await post_signature(
        client, signers.users[0], payout["id"], signers.keypairs[0], message
    )
    assert first.status_code == 200
    both = await asyncio.gather(
        *(
            post_signature(client, user, payout["id"], keypair, message)
            for user, keypair in zip(signers.users[1:], signers.keypairs[1:], strict=True)
        )
    )
    assert sorted(r.status_code for r in both) == [200, 200]
    assert (await status_of(app, payout["id"])).status == "submitted"
    assert await send(app) == 1
    assert await usdc_at(app, rpc, seller.payout_wallet.pubkey()) == 12_500_000

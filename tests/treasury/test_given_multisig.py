"""A real cluster's treasury: the multisig and its USDC account are made beforehand and given
by address (``ECE_TREASURY_MULTISIG`` / ``ECE_TREASURY_USDC_ACCOUNT``); payouts go through
them once they match the configured signers and threshold, and nothing moves otherwise."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.system_program import CreateAccountParams, create_account
from spl.token import instructions as spl_ix
from spl.token import models as spl_models
from spl.token.constants import MULTISIG_LEN

from ece.chain.platform import send_instructions
from ece.chain.tokens import spl
from ece.core.errors import Conflict
from ece.core.money import Asset
from tests.market.support import ledger_ok
from tests.treasury.support import (
    approved_message,
    company_with_royalties,
    configure_signers,
    post_signature,
    prepare,
    run_batch,
    send,
    usdc_at,
)


async def made_beforehand(app: FastAPI, members: list[Keypair], threshold: int) -> Keypair:
    """An SPL multisig at an address of its own (not custody's seed) and its USDC account,
    as an operator makes them on a real cluster."""
    services = app.state.services
    chain, custody = services.chain, services.platform.custody
    address = Keypair()
    rent = await chain.get_minimum_balance_for_rent_exemption(MULTISIG_LEN)
    usdc = services.platform.mint(Asset.USDC)
    instructions = [
        create_account(
            CreateAccountParams(
                from_pubkey=custody.pubkey(),
                to_pubkey=address.pubkey(),
                lamports=rent,
                space=MULTISIG_LEN,
                owner=spl.TOKEN_PROGRAM_ID,
            )
        ),
        spl_ix.initialize_multisig2(
            spl_models.InitializeMultisig2Params(
                program_id=spl.TOKEN_PROGRAM_ID,
                multisig=address.pubkey(),
                m=threshold,
                signers=[k.pubkey() for k in members],
            )
        ),
        spl.create_associated_token_account_idempotent(
            payer=custody.pubkey(), owner=address.pubkey(), mint=usdc
        ),
    ]
    await send_instructions(chain, instructions, [address], custody)
    return address


def give(app: FastAPI, multisig: Keypair) -> None:
    settings = app.state.services.settings
    settings.treasury_multisig = str(multisig.pubkey())
    usdc = app.state.services.platform.mint(Asset.USDC)
    settings.treasury_usdc_account = str(spl.get_associated_token_address(multisig.pubkey(), usdc))


async def test_a_multisig_given_by_address_pays(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app)
    give(app, await made_beforehand(app, signers.keypairs, 2))
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    summary = await client.get("/api/v1/treasury/summary", headers=signers.users[0].headers)
    assert summary.json()["multisig"]["address"] == app.state.services.settings.treasury_multisig
    message = await approved_message(client, app, signers.users[1:], payout["id"])
    for user, key in zip(signers.users[1:], signers.keypairs[1:], strict=True):
        assert (await post_signature(client, user, payout["id"], key, message)).status_code == 200
    assert await send(app) == 1
    assert await usdc_at(app, rpc, seller.payout_wallet.pubkey()) == 12_500_000
    assert await ledger_ok(app)


@pytest.mark.parametrize("mismatch", ["threshold", "signers"])
async def test_a_given_multisig_that_does_not_match_the_settings_is_refused(
    client: httpx.AsyncClient, app: FastAPI, mismatch: str
) -> None:
    signers = await configure_signers(client, app)
    members = signers.keypairs if mismatch == "threshold" else [*signers.keypairs[:2], Keypair()]
    give(app, await made_beforehand(app, members, 3 if mismatch == "threshold" else 2))
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    with pytest.raises(Conflict) as refused:
        await prepare(app)
    assert refused.value.instance_code == "treasury_not_configured"
    shown = await client.get(
        f"/api/v1/treasury/payouts/{payout['id']}", headers=seller.market.admin.headers
    )
    assert shown.json()["status"] == "approved"  # waits, in flight, for a fixed configuration


async def test_half_a_given_treasury_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    await configure_signers(client, app)
    app.state.services.settings.treasury_multisig = str(Keypair().pubkey())
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    refused = await client.post(
        "/api/v1/treasury/payout-batches", headers=seller.market.admin.headers
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "treasury_not_configured")

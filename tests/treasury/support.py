"""Builders for treasury tests: signers, a company whose cards sold in ECE and USDC (real
trades, on-chain-backed balances so reconciliation holds), signing through the API."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.auth.service import Role
from ece.chain.platform import send_instructions
from ece.chain.tokens import spl
from ece.compliance import service as compliance
from ece.core.money import Asset, parse_amount
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import TransferSpec
from ece.treasury import jobs
from tests.builders import SignedInUser, grant, sign_in
from tests.market.support import Market, list_card, minted_card, open_market

_serial = itertools.count()


@dataclass
class Signers:
    keypairs: list[Keypair]
    users: list[SignedInUser]


async def configure_signers(
    client: httpx.AsyncClient, app: FastAPI, count: int = 3, threshold: int = 2
) -> Signers:
    keypairs = [Keypair() for _ in range(count)]
    settings = app.state.services.settings
    settings.treasury_signers = [str(k.pubkey()) for k in keypairs]
    settings.treasury_threshold = threshold
    users = []
    for keypair in keypairs:
        await grant(app, str(keypair.pubkey()), Role.treasury_signer)
        users.append(await sign_in(client, keypair))
    return Signers(keypairs, users)


async def deposit(app: FastAPI, user_id: str, amount: str, asset: Asset) -> None:
    """A deposit as the watcher would credit it: tokens into custody on chain, the user's
    ledger balance up by the same amount (so reconciliation holds)."""
    services = app.state.services
    platform = services.platform
    units = parse_amount(amount, asset)
    await send_instructions(
        services.chain,
        [
            spl.mint_to(
                mint=platform.mint(asset),
                destination=platform.custody_token_account(asset),
                mint_authority=platform.authority.pubkey(),
                amount=units,
            )
        ],
        [platform.authority],
        platform.custody,
    )
    async with services.db.unit_of_work() as session:
        custody = await ledger.account_for(session, OwnerType.custody, "solana", asset)
        await ledger.create_transfers(
            session,
            [
                TransferSpec(
                    f"test-deposit-{next(_serial)}",
                    custody,
                    await ledger.user_account(session, user_id, asset),
                    asset,
                    units,
                    TransferCode.deposit,
                )
            ],
        )


@dataclass
class Seller:
    market: Market
    payout_wallet: Keypair


async def company_with_royalties(
    client: httpx.AsyncClient, app: FastAPI, sales: list[tuple[str, str]]
) -> Seller:
    """A company (royalty 5 %) whose cards were resold once per (price, currency) in ``sales``."""
    wallet = Keypair()
    market = await open_market(client, app, payout_address=str(wallet.pubkey()))
    seller = await sign_in(client)
    buyer = await sign_in(client)
    for price, currency in sales:
        card_id = await minted_card(client, market, seller)
        await deposit(app, buyer.user["id"], price, Asset(currency))
        listing = await list_card(client, seller, card_id, price, currency)
        bought = await client.post(
            f"/api/v1/listings/{listing['id']}/buy", json={}, headers=buyer.headers
        )
        assert bought.status_code == 201, bought.text
    await set_kyb(app, market.company_id, "verified")
    return Seller(market, wallet)


async def set_kyb(app: FastAPI, company_id: str, status: str) -> None:
    """Compliance sets the company's KYB (only a verified company is paid)."""
    async with app.state.services.db.unit_of_work() as session:
        await compliance.set_kyb(
            session, "kyb-officer", company_id, compliance.KybStatus(status), "checked"
        )


async def run_batch(client: httpx.AsyncClient, admin: SignedInUser) -> dict[str, Any]:
    response = await client.post("/api/v1/treasury/payout-batches", headers=admin.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def prepare(app: FastAPI) -> int:
    """The treasury_prepare job: approved payouts get their durable nonce."""
    return await jobs.prepare_payouts(app.state.services)


async def approve(client: httpx.AsyncClient, user: SignedInUser, payout_id: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/treasury/payouts/{payout_id}/approvals",
        headers={**user.headers, "Idempotency-Key": f"approve-{next(_serial)}"},
    )


async def message_of(client: httpx.AsyncClient, user: SignedInUser, payout_id: str) -> bytes:
    response = await client.get(
        f"/api/v1/treasury/payouts/{payout_id}/transaction", headers=user.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["message"] is not None, response.text
    return base64.b64decode(response.json()["message"])


async def approved_message(
    client: httpx.AsyncClient, app: FastAPI, approvers: list[SignedInUser], payout_id: str
) -> bytes:
    """Prepare the payout, have ``approvers`` (M members) approve it, return its message."""
    await prepare(app)
    for user in approvers:
        response = await approve(client, user, payout_id)
        assert response.status_code == 200, response.text
    return await message_of(client, approvers[0], payout_id)


async def post_signature(
    client: httpx.AsyncClient,
    user: SignedInUser,
    payout_id: str,
    signer: Keypair,
    message: bytes,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/treasury/payouts/{payout_id}/signatures",
        json={"signer": str(signer.pubkey()), "signature": str(signer.sign_message(message))},
        headers=user.headers,
    )


async def send(app: FastAPI) -> int:
    return await jobs.send_payouts(app.state.services)


async def usdc_at(app: FastAPI, rpc: AsyncClient, wallet: Pubkey) -> int:
    """The wallet's USDC, read through the served ``/rpc`` like any client would."""
    mint = app.state.services.platform.mint(Asset.USDC)
    reply = await rpc.get_token_account_balance(spl.get_associated_token_address(wallet, mint))
    return int(reply.value.amount)

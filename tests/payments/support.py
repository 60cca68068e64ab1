"""Plain builders for payment tests: wallets funded by the faucet, Solana Pay payments sent
through the served ``/rpc`` with solana-py, and jobs run directly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from ece.chain.tokens import spl
from ece.payments import jobs
from tests.builders import SignedInUser, sign_in

DECIMALS = {"USDC": 6, "ECE": 9}


def units(amount: str, asset: str) -> int:
    return int(Decimal(amount) * 10 ** DECIMALS[asset])


async def faucet(
    client: httpx.AsyncClient,
    user: SignedInUser,
    asset: str,
    amount: str,
    address: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"asset": asset, "amount": amount}
    if address is not None:
        body["address"] = address
    response = await client.post("/api/v1/dev/faucet", json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def funded_stranger(
    client: httpx.AsyncClient, sponsor: SignedInUser, asset: str, amount: str
) -> Keypair:
    """A wallet that never signed in here, with SOL for fees and ``amount`` of ``asset``."""
    stranger = Keypair()
    await faucet(client, sponsor, "SOL", "1", address=str(stranger.pubkey()))
    await faucet(client, sponsor, asset, amount, address=str(stranger.pubkey()))
    return stranger


async def open_deposit(
    client: httpx.AsyncClient, user: SignedInUser, asset: str, amount: str
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/deposits", json={"asset": asset, "amount": amount}, headers=user.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def signed_payment(
    payer: Keypair, deposit: dict[str, Any], amount: int, blockhash: Any, *, mint: str | None = None
) -> VersionedTransaction:
    """What a wallet builds from the Solana Pay URL: transfer_checked with the reference key."""
    query = parse_qs(urlparse(deposit["solana_pay_url"]).query)
    token = Pubkey.from_string(mint or query["spl-token"][0])
    recipient = Pubkey.from_string(urlparse(deposit["solana_pay_url"]).path)
    decimals = DECIMALS[deposit["asset"]]
    instruction = spl.transfer_checked(
        source=spl.get_associated_token_address(payer.pubkey(), token),
        mint=token,
        destination=spl.get_associated_token_address(recipient, token),
        owner=payer.pubkey(),
        amount=amount,
        decimals=decimals,
        references=[Pubkey.from_string(query["reference"][0])],
    )
    message = MessageV0.try_compile(payer.pubkey(), [instruction], [], blockhash)
    return VersionedTransaction(message, [payer])


async def pay(
    rpc: AsyncClient, payer: Keypair, deposit: dict[str, Any], amount: int
) -> tuple[Signature, VersionedTransaction]:
    blockhash = (await rpc.get_latest_blockhash()).value.blockhash
    tx = signed_payment(payer, deposit, amount, blockhash)
    signature = (await rpc.send_transaction(tx)).value
    return signature, tx


async def balance(client: httpx.AsyncClient, user: SignedInUser, asset: str) -> dict[str, str]:
    response = await client.get("/api/v1/users/me/balances", headers=user.headers)
    assert response.status_code == 200, response.text
    return next(b for b in response.json()["balances"] if b["asset"] == asset)


async def funded_user(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, asset: str, amount: str
) -> SignedInUser:
    """A signed-in user whose ledger holds ``amount`` deposited for real through the chain."""
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, asset, amount)
    deposit = await open_deposit(client, user, asset, amount)
    await pay(rpc, user.keypair, deposit, units(amount, asset))
    assert await jobs.watch_deposits(app.state.services) == 1
    return user


async def token_balance(rpc: AsyncClient, owner: str, mint: str) -> int:
    account = spl.get_associated_token_address(Pubkey.from_string(owner), Pubkey.from_string(mint))
    return int((await rpc.get_token_account_balance(account)).value.amount)


async def send_tokens(
    rpc: AsyncClient,
    payer: Keypair,
    *,
    mint: Pubkey,
    to_owner: Pubkey,
    amount: int,
    decimals: int,
    references: Sequence[Pubkey] = (),
    token_program: Pubkey = spl.TOKEN_PROGRAM_ID,
) -> Signature:
    """Any TransferChecked an outsider can send: any amount (0 too), mint and references."""
    instruction = spl.transfer_checked(
        source=spl.get_associated_token_address(payer.pubkey(), mint, token_program),
        mint=mint,
        destination=spl.get_associated_token_address(to_owner, mint, token_program),
        owner=payer.pubkey(),
        amount=amount,
        decimals=decimals,
        token_program=token_program,
        references=list(references),
    )
    blockhash = (await rpc.get_latest_blockhash()).value.blockhash
    message = MessageV0.try_compile(payer.pubkey(), [instruction], [], blockhash)
    return (await rpc.send_transaction(VersionedTransaction(message, [payer]))).value


async def admin_get(client: httpx.AsyncClient, admin: SignedInUser, path: str) -> dict[str, Any]:
    response = await client.get(path, headers=admin.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())

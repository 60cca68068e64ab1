"""Cards off and on the platform: a withdrawal sends the NFT, a deposit brings it back."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from ece.cards import service as cards
from ece.chain.tokens import spl
from ece.payments import jobs
from tests.builders import SignedInUser, make_admin, sign_in
from tests.cards.cards_builders import make_company, mint
from tests.payments.support import faucet


async def user_with_card(
    client: httpx.AsyncClient, app: FastAPI
) -> tuple[SignedInUser, dict[str, Any]]:
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    card = await mint(client, admin, company["id"])
    user = await sign_in(client)
    async with app.state.services.db.unit_of_work() as session:
        await cards.transfer_card(
            session,
            card["id"],
            cards.CardOwner.issuer(company["id"]),
            cards.CardOwner.user(user.user["id"]),
            "grant",
            "test",
        )
    return user, card


async def withdrawn_card_with_deposit(
    client: httpx.AsyncClient, app: FastAPI
) -> tuple[SignedInUser, dict[str, Any], dict[str, Any]]:
    """A user who withdrew a card to their own wallet and opened its deposit (with SOL for fees)."""
    user, card = await user_with_card(client, app)
    created = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": user.address},
        headers=user.headers,
    )
    assert created.status_code == 201, created.text
    await jobs.send_withdrawals(app.state.services)
    await faucet(client, user, "SOL", "1")
    deposit = await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card["id"]}, headers=user.headers
    )
    assert deposit.status_code == 201, deposit.text
    return user, card, dict(deposit.json())


async def card_status(client: httpx.AsyncClient, card_id: str) -> dict[str, Any]:
    return dict((await client.get(f"/api/v1/cards/{card_id}")).json())


async def nft_amount(rpc: AsyncClient, owner: Pubkey, mint_address: str) -> int:
    account = spl.get_associated_token_address(
        owner, Pubkey.from_string(mint_address), spl.TOKEN_2022_PROGRAM_ID
    )
    return int((await rpc.get_token_account_balance(account)).value.amount)


async def test_card_leaves_and_comes_back(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user, card = await user_with_card(client, app)
    wallet = user.keypair.pubkey()
    on_platform = await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card["id"]}, headers=user.headers
    )
    assert (on_platform.status_code, on_platform.json()["code"]) == (409, "card_not_withdrawn")

    created = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": str(wallet)},
        headers={**user.headers, "Idempotency-Key": "card-out"},
    )
    assert created.status_code == 201, created.text
    assert (created.json()["asset"], created.json()["amount"]) == ("CARD", "1")
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"
    await jobs.send_withdrawals(app.state.services)
    done = (
        await client.get(f"/api/v1/withdrawals/{created.json()['id']}", headers=user.headers)
    ).json()
    assert done["status"] == "confirmed"
    assert await nft_amount(rpc, wallet, card["mint"]) == 1
    assert await nft_amount(rpc, app.state.services.platform.custody_owner, card["mint"]) == 0
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"

    # Someone whose wallet does not hold the card cannot open its deposit.
    stranger = await sign_in(client)
    refused = await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card["id"]}, headers=stranger.headers
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "card_not_held")

    await faucet(client, user, "SOL", "1")
    deposit = await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card["id"]}, headers=user.headers
    )
    assert deposit.status_code == 201, deposit.text
    assert deposit.json()["mint"] == card["mint"]
    built = await client.post(
        f"/api/v1/deposits/{deposit.json()['id']}/transaction",
        json={"account": str(wallet)},
        headers=user.headers,
    )
    tx = Transaction.from_bytes(base64.b64decode(built.json()["transaction"]))
    tx.sign([user.keypair], tx.message.recent_blockhash)
    await rpc.send_raw_transaction(bytes(tx))
    assert await jobs.watch_deposits(app.state.services) == 1
    assert await jobs.watch_deposits(app.state.services) == 0

    back = await card_status(client, card["id"])
    assert back["status"] == "available"
    assert back["owner"]["id"] == user.user["id"]
    assert await nft_amount(rpc, app.state.services.platform.custody_owner, card["mint"]) == 1
    assert await nft_amount(rpc, wallet, card["mint"]) == 0
    shown = (
        await client.get(f"/api/v1/deposits/{deposit.json()['id']}", headers=user.headers)
    ).json()
    assert shown["status"] == "credited"


async def test_only_ece_cards_can_be_deposited(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    foreign = await client.post(
        "/api/v1/deposits",
        json={"asset": "CARD", "card_id": Keypair().pubkey().__str__()[:32]},
        headers=user.headers,
    )
    assert foreign.status_code == 404
    assert foreign.json()["code"] == "card_not_found"


async def test_someone_elses_card_cannot_be_withdrawn(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _owner, card = await user_with_card(client, app)
    thief = await sign_in(client)
    response = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": thief.address},
        headers=thief.headers,
    )
    assert response.status_code == 403
    assert (await card_status(client, card["id"]))["status"] == "available"
    assert (await client.get("/api/v1/withdrawals", headers=thief.headers)).json()["items"] == []

"""Withdrawals: held at once, sent once, posted on confirmation, voided on failure or expiry."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.chain.platform import send_instructions
from ece.chain.protocol import AnyTransaction, ChainUnavailable
from ece.chain.tokens import spl
from ece.payments import jobs
from tests.builders import SignedInUser, sign_in
from tests.payments.support import balance, funded_user, token_balance


class SimulatedCrash(Exception):
    """The process dies here."""


async def withdraw(
    client: httpx.AsyncClient,
    user: SignedInUser,
    amount: str,
    destination: str,
    *,
    asset: str = "USDC",
    key: str | None = None,
) -> httpx.Response:
    headers = {**user.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        "/api/v1/withdrawals",
        json={"asset": asset, "amount": amount, "destination": destination},
        headers=headers,
    )


async def shown(
    client: httpx.AsyncClient, user: SignedInUser, withdrawal_id: str
) -> dict[str, Any]:
    response = await client.get(f"/api/v1/withdrawals/{withdrawal_id}", headers=user.headers)
    assert response.status_code == 200
    return dict(response.json())


async def transfers_into(rpc: AsyncClient, owner: Pubkey, mint: Pubkey) -> int:
    """How many transactions touched the owner's token account: the on-chain transfer count."""
    account = spl.get_associated_token_address(owner, mint)
    return len((await rpc.get_signatures_for_address(account)).value)


async def entry_status(client: httpx.AsyncClient, user: SignedInUser, withdrawal_id: str) -> str:
    entries = (await client.get("/api/v1/users/me/ledger", headers=user.headers)).json()["items"]
    return str(next(e["status"] for e in entries if e["reference"] == withdrawal_id))


async def test_withdrawal_lands_and_posts_the_hold(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    destination = Keypair().pubkey()
    created = await withdraw(client, user, "4", str(destination), key="w-1")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "pending" and body["signature"] is None
    assert await balance(client, user, "USDC") == {
        "asset": "USDC",
        "available": "6",
        "held": "4",
        "total": "10",
    }
    # The same key and body: the same answer, no second withdrawal.
    again = await withdraw(client, user, "4", str(destination), key="w-1")
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert (await balance(client, user, "USDC"))["held"] == "4"

    await jobs.send_withdrawals(app.state.services)
    done = await shown(client, user, body["id"])
    assert done["status"] == "confirmed" and done["signature"]
    mint = app.state.services.platform.mints["USDC"]
    assert await token_balance(rpc, str(destination), str(mint)) == 4_000_000
    assert await balance(client, user, "USDC") == {
        "asset": "USDC",
        "available": "6",
        "held": "0",
        "total": "6",
    }
    assert await entry_status(client, user, body["id"]) == "posted"
    # The memo on chain names the withdrawal.
    infos = (await rpc.get_signatures_for_address(destination_ata(destination, mint))).value
    assert body["id"] in (infos[0].memo or "")

    await jobs.send_withdrawals(app.state.services)  # nothing left to do
    assert await transfers_into(rpc, destination, mint) == 1
    listed = (await client.get("/api/v1/withdrawals", headers=user.headers)).json()
    assert [w["id"] for w in listed["items"]] == [body["id"]]


def destination_ata(owner: Pubkey, mint: Pubkey) -> Pubkey:
    return spl.get_associated_token_address(owner, mint)


async def test_crash_after_persisting_before_sending_sends_exactly_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    destination = Keypair().pubkey()
    created = (await withdraw(client, user, "2.5", str(destination))).json()
    chain = app.state.services.chain

    async def crash(tx: AnyTransaction, *, skip_preflight: bool = False) -> Any:
        raise SimulatedCrash

    monkeypatch.setattr(chain, "send_transaction", crash)
    with pytest.raises(SimulatedCrash):
        await jobs.send_withdrawals(app.state.services)
    stored = await shown(client, user, created["id"])
    assert stored["status"] == "sent" and stored["signature"]  # persisted before the send
    mint = app.state.services.platform.mints["USDC"]
    assert await transfers_into(rpc, destination, mint) == 0

    monkeypatch.undo()  # restart
    await jobs.send_withdrawals(app.state.services)
    await jobs.send_withdrawals(app.state.services)
    done = await shown(client, user, created["id"])
    assert done["status"] == "confirmed" and done["signature"] == stored["signature"]
    assert await transfers_into(rpc, destination, mint) == 1
    assert await token_balance(rpc, str(destination), str(mint)) == 2_500_000
    assert (await balance(client, user, "USDC"))["total"] == "7.5"


async def test_crash_after_sending_before_confirming_sends_exactly_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    destination = Keypair().pubkey()
    created = (await withdraw(client, user, "3", str(destination))).json()
    chain = app.state.services.chain
    real_send = chain.send_transaction

    async def send_then_crash(tx: AnyTransaction, *, skip_preflight: bool = False) -> Any:
        await real_send(tx, skip_preflight=skip_preflight)
        raise SimulatedCrash

    monkeypatch.setattr(chain, "send_transaction", send_then_crash)
    with pytest.raises(SimulatedCrash):
        await jobs.send_withdrawals(app.state.services)
    assert (await shown(client, user, created["id"]))["status"] == "sent"
    assert (await balance(client, user, "USDC"))["held"] == "3"

    monkeypatch.undo()
    await jobs.send_withdrawals(app.state.services)
    assert (await shown(client, user, created["id"]))["status"] == "confirmed"
    mint = app.state.services.platform.mints["USDC"]
    assert await transfers_into(rpc, destination, mint) == 1
    assert await token_balance(rpc, str(destination), str(mint)) == 3_000_000
    assert (await balance(client, user, "USDC"))["total"] == "7"


async def drain_custody(app: FastAPI, asset: str, amount: int) -> None:
    """Move tokens out of custody behind the ledger's back (an injected mismatch)."""
    platform = app.state.services.platform
    mint = platform.mints[asset]
    thief = Keypair().pubkey()
    await send_instructions(
        app.state.services.chain,
        [
            spl.create_associated_token_account_idempotent(
                payer=platform.custody_owner, owner=thief, mint=mint
            ),
            spl.transfer_checked(
                source=platform.custody_token_account(asset),
                mint=mint,
                destination=spl.get_associated_token_address(thief, mint),
                owner=platform.custody_owner,
                amount=amount,
                decimals=6 if asset == "USDC" else 9,
            ),
        ],
        [],
        platform.custody,
    )


async def test_failing_transaction_voids_the_hold(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    await drain_custody(app, "USDC", 9_000_000)  # custody can no longer pay 4 USDC
    destination = Keypair().pubkey()
    created = (await withdraw(client, user, "4", str(destination))).json()
    assert (await balance(client, user, "USDC"))["available"] == "6"

    await jobs.send_withdrawals(app.state.services)
    failed = await shown(client, user, created["id"])
    assert failed["status"] == "failed" and failed["signature"]
    assert "failed on chain" in failed["failure_reason"]
    assert await balance(client, user, "USDC") == {
        "asset": "USDC",
        "available": "10",
        "held": "0",
        "total": "10",
    }
    assert await entry_status(client, user, created["id"]) == "voided"
    await jobs.send_withdrawals(app.state.services)
    assert (await balance(client, user, "USDC"))["available"] == "10"


async def test_unseen_transaction_fails_only_after_its_blockhash_expires(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    destination = Keypair().pubkey()
    created = (await withdraw(client, user, "1", str(destination))).json()
    chain = app.state.services.chain

    async def lost(tx: AnyTransaction, *, skip_preflight: bool = False) -> Any:
        raise ChainUnavailable("the network ate it")

    monkeypatch.setattr(chain, "send_transaction", lost)
    await jobs.send_withdrawals(app.state.services)
    await jobs.send_withdrawals(app.state.services)
    # Unknown but still valid: it might land, so the hold stays.
    assert (await shown(client, user, created["id"]))["status"] == "sent"
    assert (await balance(client, user, "USDC"))["held"] == "1"

    monkeypatch.undo()
    # Other traffic moves the embedded chain past the transaction's last valid block height.
    stale_height = chain.block_height + 151
    while chain.block_height <= stale_height:
        await chain.request_airdrop(Keypair().pubkey(), 1_000_000)
    await jobs.send_withdrawals(app.state.services)
    failed = await shown(client, user, created["id"])
    assert failed["status"] == "failed" and "expired" in failed["failure_reason"]
    assert (await balance(client, user, "USDC"))["available"] == "10"
    assert await transfers_into(rpc, destination, app.state.services.platform.mints["USDC"]) == 0


@pytest.mark.parametrize(
    ("destination", "code"),
    [
        ("not base58 0OIl", "invalid_destination"),
        ("3yZe7d", "invalid_destination"),  # base58 but not 32 bytes
        ("custody", "invalid_destination"),
        ("custody_token_account", "invalid_destination"),
        ("usdc_mint", "invalid_destination"),
    ],
)
async def test_bad_destination_is_422_and_holds_nothing(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, destination: str, code: str
) -> None:
    user = await funded_user(client, app, rpc, "USDC", "10")
    platform = app.state.services.platform
    named = {
        "custody": str(platform.custody_owner),
        "custody_token_account": str(platform.custody_token_account("USDC")),
        "usdc_mint": str(platform.mints["USDC"]),
    }
    response = await withdraw(client, user, "2", named.get(destination, destination))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert (await balance(client, user, "USDC"))["held"] == "0"
    assert (await client.get("/api/v1/withdrawals", headers=user.headers)).json()["items"] == []


async def test_minimum_limit_funds_and_ownership(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    app.state.services.settings.withdrawal_daily_limit_usdc = "8"
    user = await funded_user(client, app, rpc, "USDC", "20")
    wallet = str(Keypair().pubkey())
    below = await withdraw(client, user, "0.5", wallet)
    assert (below.status_code, below.json()["code"]) == (422, "amount_below_minimum")
    assert (await withdraw(client, user, "5", wallet)).status_code == 201
    over = await withdraw(client, user, "3.5", wallet)
    assert (over.status_code, over.json()["code"]) == (409, "withdrawal_limit_exceeded")
    assert (await withdraw(client, user, "3", wallet)).status_code == 201
    assert (await balance(client, user, "USDC"))["held"] == "8"

    poor = await sign_in(client)
    broke = await withdraw(client, poor, "1", wallet)
    assert (broke.status_code, broke.json()["code"]) == (409, "insufficient_funds")
    assert (await client.get("/api/v1/withdrawals", headers=poor.headers)).json()["items"] == []
    mine = (await client.get("/api/v1/withdrawals", headers=user.headers)).json()["items"]
    other = await client.get(f"/api/v1/withdrawals/{mine[0]['id']}", headers=poor.headers)
    assert other.status_code == 404


async def test_withdrawal_to_a_program_sysvar_or_off_curve_address_is_refused(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding 11: tokens sent to these can never be spent; nothing is held or sent."""
    user = await funded_user(client, app, rpc, "USDC", "10")
    pda, _bump = Pubkey.find_program_address([b"vault"], spl.TOKEN_PROGRAM_ID)
    refused = [
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",  # SPL Token
        "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",  # Token-2022
        "11111111111111111111111111111111",  # System
        "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",  # Memo
        "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",  # Associated Token Account
        "SysvarC1ock11111111111111111111111111111111",  # the Clock sysvar
        "SysvarRent111111111111111111111111111111111",
        str(pda),  # off the ed25519 curve: no key can ever sign for it
    ]
    for destination in refused:
        response = await withdraw(client, user, "2", destination)
        assert response.status_code == 422, (destination, response.text)
        assert response.json()["code"] == "invalid_destination"
    assert (await balance(client, user, "USDC"))["held"] == "0"
    assert (await client.get("/api/v1/withdrawals", headers=user.headers)).json()["items"] == []
    await jobs.send_withdrawals(app.state.services)
    assert (await balance(client, user, "USDC"))["available"] == "10"
    # A fresh wallet, on the curve and unknown to the chain, is still fine.
    assert (await withdraw(client, user, "2", str(Keypair().pubkey()))).status_code == 201


@pytest.mark.parametrize(
    "destination",
    [
        "Feature111111111111111111111111111111111111",
        "So11111111111111111111111111111111111111112",  # wrapped SOL's mint
        "9pan9bMn5HatX4EJdBwg9VgCa7Uz5HL8N1m5D3NdXejP",  # wrapped SOL's Token-2022 mint
        "Sysvar1nstructions1111111111111111111111111",
        "1nc1nerator11111111111111111111111111111111",
        "Vote111111111111111111111111111111111111111",
        "Config1111111111111111111111111111111111111",
        "Stake11111111111111111111111111111111111111",
        "ComputeBudget111111111111111111111111111111",
        "AddressLookupTab1e1111111111111111111111111",
        "BPFLoader1111111111111111111111111111111111",
        "BPFLoader2111111111111111111111111111111111",
        "BPFLoaderUpgradeab1e11111111111111111111111",
    ],
)
async def test_withdrawal_to_a_well_known_non_wallet_id_is_refused(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, destination: str
) -> None:
    """Program ids, the native mint and the incinerator: no one can spend what goes there."""
    user = await funded_user(client, app, rpc, "USDC", "10")
    response = await withdraw(client, user, "2", destination)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_destination")
    assert (await balance(client, user, "USDC"))["held"] == "0"

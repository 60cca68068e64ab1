"""Solana Pay transaction requests: each deposit's unguessable link answers a wallet's GET (label,
icon) and POST (the transaction paying it) with no sign-in, until the deposit is credited or
expires; and the attacks on it."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from ece.core.clock import clock
from ece.payments import jobs
from ece.payments.solana_pay import qr_svg
from tests.builders import sign_in
from tests.payments.support import balance, faucet, funded_stranger, open_deposit, pay, units

LINK_PREFIX = "https://127.0.0.1:8000/pay/deposits/"


def link_of(deposit: dict[str, Any]) -> str:
    """The HTTPS link inside the deposit's ``solana:`` transaction-request URL."""
    url: str = deposit["transaction_request_url"]
    assert url.startswith("solana:https%3A%2F%2F")  # the link is URL-encoded as the pathname
    pathname, _, _ = url.removeprefix("solana:").partition("?")
    return unquote(pathname)


def path_of(deposit: dict[str, Any]) -> str:
    return urlparse(link_of(deposit)).path


async def _state(client: httpx.AsyncClient, user: Any, deposit: dict[str, Any]) -> tuple[str, str]:
    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    return shown["status"], shown["received_amount"]


async def test_the_deposit_carries_a_transaction_request_url(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "2.5")
    link = link_of(deposit)
    assert link.startswith(LINK_PREFIX)
    token = link.removeprefix(LINK_PREFIX)
    assert len(token) >= 43  # 256 random bits
    assert token not in (deposit["id"], deposit["reference"])
    assert token not in deposit["solana_pay_url"]  # the transfer request stays, without it
    query = parse_qs(deposit["transaction_request_url"].partition("?")[2])
    assert query["label"] == ["ECE"]
    assert query["message"] == [f"Deposit 2.5 USDC to ECE ({deposit['id']})"]
    again = await open_deposit(client, user, "USDC", "2.5")
    assert link_of(again) != link
    listed = (await client.get("/api/v1/deposits", headers=user.headers)).json()["items"]
    assert {d["transaction_request_url"] for d in listed} == {
        deposit["transaction_request_url"],
        again["transaction_request_url"],
    }


async def test_a_wallet_pays_through_the_link_without_signing_in(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    owner = await sign_in(client)
    deposit = await open_deposit(client, owner, "USDC", "3")
    payer = await funded_stranger(client, owner, "USDC", "5")  # a wallet that never signed in

    shown = await client.get(path_of(deposit), headers={"Origin": "https://wallet.example"})
    assert shown.status_code == 200, shown.text
    assert shown.json() == {
        "label": "ECE",
        "icon": "https://127.0.0.1:8000/static/icons/icon-192.png",
    }
    assert shown.headers["access-control-allow-origin"] == "*"
    preflight = await client.options(
        path_of(deposit),
        headers={
            "Origin": "https://wallet.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"

    built = await client.post(path_of(deposit), json={"account": str(payer.pubkey())})
    assert built.status_code == 200, built.text
    assert built.json()["message"] == f"Deposit 3 USDC to ECE ({deposit['id']})"
    unsigned = Transaction.from_bytes(base64.b64decode(built.json()["transaction"]))
    assert unsigned.message.account_keys[0] == payer.pubkey()  # the wallet pays the fee
    assert Pubkey.from_string(deposit["reference"]) in unsigned.message.account_keys
    unsigned.sign([payer], unsigned.message.recent_blockhash)
    await rpc.send_raw_transaction(bytes(unsigned))
    assert await jobs.watch_deposits(app.state.services) == 1
    assert await _state(client, owner, deposit) == ("credited", "3")
    assert (await balance(client, owner, "USDC"))["available"] == "3"

    # Replays after credit: the link is closed, for GET and POST alike.
    for method in ("GET", "POST"):
        closed = await client.request(
            method, path_of(deposit), json={"account": str(payer.pubkey())}
        )
        assert (closed.status_code, closed.json()["code"]) == (409, "deposit_closed")


async def test_a_link_asks_only_for_what_is_still_owed(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    owner = await sign_in(client)
    await faucet(client, owner, "SOL", "1")
    await faucet(client, owner, "USDC", "5")
    deposit = await open_deposit(client, owner, "USDC", "3")
    await pay(rpc, owner.keypair, deposit, units("1", "USDC"))  # a short payment first
    await jobs.watch_deposits(app.state.services)
    assert await _state(client, owner, deposit) == ("awaiting_transfer", "1")
    built = await client.post(path_of(deposit), json={"account": owner.address})
    unsigned = Transaction.from_bytes(base64.b64decode(built.json()["transaction"]))
    transfer = unsigned.message.instructions[-1]
    assert bytes(transfer.data)[0] == 12  # TransferChecked
    assert int.from_bytes(bytes(transfer.data)[1:9], "little") == units("2", "USDC")


async def test_wrong_and_malformed_tokens_are_refused(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "1")
    guess = "/pay/deposits/" + secrets.token_urlsafe(32)
    for method in ("GET", "POST"):
        refused = await client.request(method, guess, json={"account": user.address})
        assert (refused.status_code, refused.json()["code"]) == (404, "pay_link_not_found")
    # Neither the deposit's id nor its reference opens it.
    for known in (deposit["id"], deposit["reference"]):
        refused = await client.get(f"/pay/deposits/{known}")
        assert refused.status_code in (404, 422), refused.text
    for bad in ("short", "x" * 65, "a" * 20 + "%21" + "b" * 20):
        refused = await client.get(f"/pay/deposits/{bad}")
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert await _state(client, user, deposit) == ("awaiting_transfer", "0")


@pytest.mark.parametrize(
    "account",
    ["0OIl" * 10, "", "abc", 7, "1" * 44, None],
)
async def test_an_account_that_is_not_a_base58_wallet_is_422(
    client: httpx.AsyncClient, account: object
) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "1")
    refused = await client.post(path_of(deposit), json={"account": account})
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] in ("invalid_account", "validation_error")
    missing = await client.post(path_of(deposit), json={})
    assert missing.status_code == 422
    assert await _state(client, user, deposit) == ("awaiting_transfer", "0")


async def test_custody_and_programs_cannot_be_the_payer(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "1")
    custody = str(app.state.services.platform.custody_owner)
    for payer in (custody, "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"):
        refused = await client.post(path_of(deposit), json={"account": payer})
        assert (refused.status_code, refused.json()["code"]) == (422, "invalid_account")


async def test_a_link_expires_with_its_deposit(client: httpx.AsyncClient, app: FastAPI) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "1")
    assert (await client.get(path_of(deposit))).status_code == 200
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    for _ in range(2):  # past its time, then marked expired by the watcher
        for method in ("GET", "POST"):
            gone = await client.request(method, path_of(deposit), json={"account": user.address})
            assert (gone.status_code, gone.json()["code"]) == (410, "deposit_expired")
        await jobs.watch_deposits(app.state.services)
    assert (await _state(client, user, deposit))[0] == "expired"


async def test_another_users_deposit_stays_theirs(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    owner, other = await sign_in(client), await sign_in(client)
    deposit = await open_deposit(client, owner, "USDC", "2")
    # The other user cannot read the deposit (so cannot learn its link) by id.
    for path in (f"/api/v1/deposits/{deposit['id']}", f"/api/v1/deposits/{deposit['id']}/qr.svg"):
        assert (await client.get(path, headers=other.headers)).status_code == 404
    listed = (await client.get("/api/v1/deposits", headers=other.headers)).json()
    assert listed["items"] == []
    # Holding the link, they can only pay it: into its owner's balance, with their bearer or not.
    await faucet(client, other, "SOL", "1")
    await faucet(client, other, "USDC", "2")
    built = await client.post(
        path_of(deposit), json={"account": other.address}, headers=other.headers
    )
    unsigned = Transaction.from_bytes(base64.b64decode(built.json()["transaction"]))
    unsigned.sign([other.keypair], unsigned.message.recent_blockhash)
    await rpc.send_raw_transaction(bytes(unsigned))
    await jobs.watch_deposits(app.state.services)
    assert (await balance(client, owner, "USDC"))["available"] == "2"
    assert (await balance(client, other, "USDC"))["total"] == "0"


async def test_the_qr_code_shows_the_transaction_request(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "1")
    path = f"/api/v1/deposits/{deposit['id']}/qr.svg"
    shown = await client.get(path, headers=user.headers)
    assert shown.content == qr_svg(deposit["transaction_request_url"])
    transfer = await client.get(path, params={"kind": "transfer"}, headers=user.headers)
    assert transfer.content == qr_svg(deposit["solana_pay_url"])
    bad = await client.get(path, params={"kind": "other"}, headers=user.headers)
    assert bad.status_code == 422

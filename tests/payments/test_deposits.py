"""Deposits: a Solana Pay transfer sent through /rpc with solana-py is credited exactly once."""

from __future__ import annotations

import asyncio
import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from ece.chain.tokens import spl
from ece.core.clock import clock
from ece.payments import jobs
from ece.payments.solana_pay import qr_svg
from tests.builders import sign_in
from tests.payments.support import (
    balance,
    faucet,
    open_deposit,
    pay,
    signed_payment,
    token_balance,
    units,
)


async def test_chain_facts(client: httpx.AsyncClient, app: FastAPI) -> None:
    response = await client.get("/api/v1/chain")
    assert response.status_code == 200
    body = response.json()
    platform = app.state.services.platform
    assert body["cluster"] == "embedded"
    assert body["rpc_url"].endswith("/rpc")
    assert body["custody"] == str(platform.custody_owner)
    assert body["assets"]["USDC"] == {"mint": str(platform.mints["USDC"]), "decimals": 6}
    assert body["assets"]["ECE"] == {"mint": str(platform.mints["ECE"]), "decimals": 9}


async def test_solana_pay_deposit_is_credited_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await sign_in(client)
    dripped = await faucet(client, user, "USDC", "20")
    await faucet(client, user, "SOL", "1")
    assert dripped["address"] == user.address
    usdc_mint = str(app.state.services.platform.mints["USDC"])
    assert await token_balance(rpc, user.address, usdc_mint) == 20_000_000

    deposit = await open_deposit(client, user, "USDC", "12.5")
    assert deposit["status"] == "awaiting_transfer"
    assert deposit["recipient"] == str(app.state.services.platform.custody_owner)
    assert deposit["mint"] == usdc_mint
    url = urlparse(deposit["solana_pay_url"])
    query = parse_qs(url.query)
    assert url.scheme == "solana" and url.path == deposit["recipient"]
    assert query["amount"] == ["12.5"] and query["spl-token"] == [usdc_mint]
    assert query["reference"] == [deposit["reference"]] and "label" in query and "message" in query

    # Not paid yet: nothing to credit.
    assert await jobs.watch_deposits(app.state.services) == 0
    signature, tx = await pay(rpc, user.keypair, deposit, 12_500_000)

    # Two watchers at once, then a third run: one credit in all.
    credited = await asyncio.gather(
        jobs.watch_deposits(app.state.services), jobs.watch_deposits(app.state.services)
    )
    assert sum(credited) == 1
    assert await jobs.watch_deposits(app.state.services) == 0

    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    assert shown["status"] == "credited"
    assert shown["received_amount"] == "12.5"
    assert shown["signature"] == str(signature)
    assert (await balance(client, user, "USDC"))["available"] == "12.5"

    # The same signed transaction again is refused by the chain, and credits nothing.
    with pytest.raises(RPCException):
        await rpc.send_transaction(tx)
    assert await jobs.watch_deposits(app.state.services) == 0
    assert (await balance(client, user, "USDC"))["available"] == "12.5"
    assert await token_balance(rpc, user.address, usdc_mint) == 7_500_000

    listed = (await client.get("/api/v1/deposits", headers=user.headers)).json()
    assert [d["id"] for d in listed["items"]] == [deposit["id"]]
    stranger = await sign_in(client)
    hidden = await client.get(f"/api/v1/deposits/{deposit['id']}", headers=stranger.headers)
    assert hidden.status_code == 404


async def test_amount_actually_received_is_credited(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "ECE", "10")
    deposit = await open_deposit(client, user, "ECE", "5")
    await pay(rpc, user.keypair, deposit, units("2.25", "ECE"))
    assert await jobs.watch_deposits(app.state.services) == 1
    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    # Credited to the balance at once; the request stays open for the 2.75 still owed.
    assert (shown["status"], shown["received_amount"]) == ("awaiting_transfer", "2.25")
    assert (await balance(client, user, "ECE"))["total"] == "2.25"


async def test_transaction_request_builds_a_payable_transaction(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "USDC", "3")
    deposit = await open_deposit(client, user, "USDC", "3")
    response = await client.post(
        f"/api/v1/deposits/{deposit['id']}/transaction",
        json={"account": user.address},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    unsigned = Transaction.from_bytes(base64.b64decode(response.json()["transaction"]))
    assert unsigned.message.account_keys[0] == user.keypair.pubkey()  # the wallet pays the fee
    unsigned.sign([user.keypair], unsigned.message.recent_blockhash)
    await rpc.send_raw_transaction(bytes(unsigned))
    assert await jobs.watch_deposits(app.state.services) == 1
    assert (await balance(client, user, "USDC"))["available"] == "3"

    closed = await client.post(
        f"/api/v1/deposits/{deposit['id']}/transaction",
        json={"account": user.address},
        headers=user.headers,
    )
    assert closed.status_code == 409
    bad = await client.post(
        f"/api/v1/deposits/{deposit['id']}/transaction",
        json={"account": "not-a-key"},
        headers=user.headers,
    )
    assert bad.status_code in (409, 422)


async def test_a_deposit_is_never_built_to_be_paid_by_custody_or_a_program(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "3")
    platform = app.state.services.platform
    payers = [
        str(platform.custody_owner),
        *(str(a) for a in sorted(platform.custody_addresses(), key=str)[:2]),
        str(spl.TOKEN_PROGRAM_ID),
        str(Pubkey.find_program_address([b"x"], spl.TOKEN_PROGRAM_ID)[0]),
    ]
    for payer in payers:
        refused = await client.post(
            f"/api/v1/deposits/{deposit['id']}/transaction",
            json={"account": payer},
            headers=user.headers,
        )
        assert refused.status_code == 422, (payer, refused.text)
        assert refused.json()["code"] == "invalid_account"
    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    assert (shown["status"], shown["received_amount"]) == ("awaiting_transfer", "0")


async def test_wrong_mint_is_not_the_deposit_but_is_given_back_to_its_sender(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "ECE", "5")
    deposit = await open_deposit(client, user, "USDC", "5")
    # ECE sent to custody with the USDC deposit's reference: the wrong mint for this deposit,
    # yet custody did receive 1 ECE from the user's own wallet.
    blockhash = (await rpc.get_latest_blockhash()).value.blockhash
    ece_mint = str(app.state.services.platform.mints["ECE"])
    wrong = signed_payment(
        user.keypair, {**deposit, "asset": "ECE"}, 10**9, blockhash, mint=ece_mint
    )
    await rpc.send_transaction(wrong)
    assert await jobs.watch_deposits(app.state.services) == 1
    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    assert shown["status"] == "awaiting_transfer"
    assert (await balance(client, user, "USDC"))["total"] == "0"
    assert (await balance(client, user, "ECE"))["total"] == "1"
    assert await jobs.watch_deposits(app.state.services) == 0


async def test_unpaid_deposit_expires(client: httpx.AsyncClient, app: FastAPI) -> None:
    user = await sign_in(client)
    deposit = await open_deposit(client, user, "USDC", "1")
    assert await jobs.watch_deposits(app.state.services) == 0
    assert (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()[
        "status"
    ] == "awaiting_transfer"
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    shown = (await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)).json()
    assert shown["status"] == "expired"


@pytest.mark.parametrize(
    "body",
    [
        {"asset": "USDC", "amount": "-1"},
        {"asset": "USDC", "amount": "1.0000001"},
        {"asset": "USDC", "amount": "0"},
        {"asset": "USDC"},
        {"asset": "DOGE", "amount": "1"},
        {"asset": "CARD", "amount": "1"},
        {"asset": "USDC", "amount": 1.5},
    ],
)
async def test_bad_deposit_requests_are_422(
    client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    user = await sign_in(client)
    response = await client.post("/api/v1/deposits", json=body, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    listed = (await client.get("/api/v1/deposits", headers=user.headers)).json()
    assert listed["items"] == []


async def test_faucet_needs_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/dev/faucet", json={"asset": "SOL", "amount": "1"})
    assert response.status_code == 401
    user = await sign_in(client)
    other = Keypair()
    bad = await client.post(
        "/api/v1/dev/faucet",
        json={"asset": "USDC", "amount": "1", "address": "xyz"},
        headers=user.headers,
    )
    assert bad.status_code == 422
    good = await client.post(
        "/api/v1/dev/faucet",
        json={"asset": "SOL", "amount": "0.5", "address": str(other.pubkey())},
        headers=user.headers,
    )
    assert good.status_code == 200


async def test_deposit_qr_code_encodes_its_own_solana_pay_url(client: httpx.AsyncClient) -> None:
    user, stranger = await sign_in(client), await sign_in(client)
    first = await open_deposit(client, user, "USDC", "12.5")
    second = await open_deposit(client, user, "USDC", "12.5")
    shown = await client.get(f"/api/v1/deposits/{first['id']}/qr.svg", headers=user.headers)
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/svg+xml"
    root = ElementTree.fromstring(shown.content)
    assert root.tag.endswith("svg")
    # The code is of this deposit's URL (its own reference), not a fixed or shared picture.
    assert shown.content == qr_svg(first["transaction_request_url"])
    other = await client.get(f"/api/v1/deposits/{second['id']}/qr.svg", headers=user.headers)
    assert other.content != shown.content
    hidden = await client.get(f"/api/v1/deposits/{first['id']}/qr.svg", headers=stranger.headers)
    assert hidden.status_code == 404

"""The embedded chain's JSON-RPC endpoint over real HTTP, driven by unmodified clients:
solana-py's AsyncClient (which validates every response with solders types) and raw JSON-RPC."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solana.rpc.models import TokenAccountOpts
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.rpc.errors import SendTransactionPreflightFailureMessage
from solders.rpc.responses import GetTransactionResp
from solders.transaction import VersionedTransaction
from solders.transaction_status import EncodedConfirmedTransactionWithStatusMeta

from ece.chain.b58 import b58encode
from ece.chain.tokens import spl
from tests.chain.chain_builders import (
    SOL,
    ServedChain,
    make_chain,
    make_token_setup,
    serve_chain,
    signed_transfer,
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedChain]:
    with serve_chain(make_chain(tmp_path), tmp_path) as served_chain:
        yield served_chain


def rpc(url: str, method: str, *params: Any) -> Any:
    response = httpx.post(
        url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}
    )
    assert response.status_code == 200
    return response.json()


async def test_solana_py_async_client_end_to_end(served: ServedChain) -> None:
    client = AsyncClient(served.url)
    payer, mint, alice, bob = Keypair(), Keypair(), Keypair(), Keypair()
    airdrop = await client.request_airdrop(payer.pubkey(), 5 * SOL)
    await client.confirm_transaction(airdrop.value)
    await client.request_airdrop(alice.pubkey(), SOL)
    assert (await client.get_balance(payer.pubkey())).value == 5 * SOL

    rent = (await client.get_minimum_balance_for_rent_exemption(spl.MINT_LEN)).value
    alice_ata = spl.get_associated_token_address(alice.pubkey(), mint.pubkey())
    bob_ata = spl.get_associated_token_address(bob.pubkey(), mint.pubkey())
    setup_ixs = [
        *spl.create_mint_instructions(
            payer=payer.pubkey(),
            mint=mint.pubkey(),
            decimals=9,
            mint_authority=payer.pubkey(),
            rent_lamports=rent,
        ),
        spl.create_associated_token_account_idempotent(
            payer=payer.pubkey(), owner=alice.pubkey(), mint=mint.pubkey()
        ),
        spl.create_associated_token_account_idempotent(
            payer=payer.pubkey(), owner=bob.pubkey(), mint=mint.pubkey()
        ),
        spl.mint_to(
            mint=mint.pubkey(),
            destination=alice_ata,
            mint_authority=payer.pubkey(),
            amount=7 * 10**9,
        ),
    ]
    blockhash = (await client.get_latest_blockhash()).value.blockhash
    setup_tx = VersionedTransaction(
        MessageV0.try_compile(payer.pubkey(), setup_ixs, [], blockhash), [payer, mint]
    )
    await client.send_transaction(setup_tx)

    reference = Keypair().pubkey()
    pay = spl.transfer_checked(
        source=alice_ata,
        mint=mint.pubkey(),
        destination=bob_ata,
        owner=alice.pubkey(),
        amount=1_500_000_000,
        decimals=9,
        references=[reference],
    )
    blockhash = (await client.get_latest_blockhash()).value.blockhash
    pay_tx = VersionedTransaction(
        MessageV0.try_compile(alice.pubkey(), [pay], [], blockhash), [alice]
    )
    signature = (await client.send_transaction(pay_tx)).value
    await client.confirm_transaction(signature)

    found = (await client.get_signatures_for_address(reference)).value
    assert [item.signature for item in found] == [signature]
    landed = (await client.get_transaction(signature, max_supported_transaction_version=0)).value
    assert landed is not None and landed.transaction.meta is not None
    meta = landed.transaction.meta
    assert meta.err is None
    assert meta.fee == 5000
    pre = {
        b.account_index: b.ui_token_amount.ui_amount_string for b in meta.pre_token_balances or []
    }
    post = {
        b.account_index: b.ui_token_amount.ui_amount_string for b in meta.post_token_balances or []
    }
    keys = landed.transaction.transaction.message.account_keys  # type: ignore[union-attr]
    by_key = {str(keys[i]): (pre.get(i), post.get(i)) for i in set(pre) | set(post)}
    assert by_key == {str(alice_ata): ("7", "5.5"), str(bob_ata): ("0", "1.5")}

    # The same signed bytes again: refused, nothing moves.
    with pytest.raises(RPCException) as replay:
        await client.send_transaction(pay_tx)
    error = replay.value.args[0]
    assert isinstance(error, SendTransactionPreflightFailureMessage)
    assert "already been processed" in error.message

    # More than the balance: a preflight failure with the program's error and logs.
    blockhash = (await client.get_latest_blockhash()).value.blockhash
    too_much = spl.transfer_checked(
        source=alice_ata,
        mint=mint.pubkey(),
        destination=bob_ata,
        owner=alice.pubkey(),
        amount=6 * 10**9,
        decimals=9,
    )
    with pytest.raises(RPCException) as failed:
        await client.send_transaction(
            VersionedTransaction(
                MessageV0.try_compile(alice.pubkey(), [too_much], [], blockhash), [alice]
            )
        )
    error = failed.value.args[0]
    assert isinstance(error, SendTransactionPreflightFailureMessage)
    assert error.message.endswith("custom program error: 0x1")
    assert any("insufficient funds" in log.lower() for log in error.data.logs or [])
    assert (await client.get_token_account_balance(alice_ata)).value.ui_amount_string == "5.5"
    assert (await client.get_token_account_balance(bob_ata)).value.amount == "1500000000"

    mint_info = (await client.get_account_info_json_parsed(mint.pubkey())).value
    assert mint_info is not None
    assert mint_info.data.program == "spl-token"  # type: ignore[union-attr]
    assert mint_info.data.parsed["type"] == "mint"  # type: ignore[union-attr]
    assert mint_info.data.parsed["info"] == {  # type: ignore[union-attr]
        "decimals": 9,
        "freezeAuthority": None,
        "isInitialized": True,
        "mintAuthority": str(payer.pubkey()),
        "supply": "7000000000",
    }
    account_info = (await client.get_account_info_json_parsed(bob_ata)).value
    assert account_info is not None
    info = account_info.data.parsed["info"]  # type: ignore[union-attr]
    assert (info["mint"], info["owner"], info["state"]) == (
        str(mint.pubkey()),
        str(bob.pubkey()),
        "initialized",
    )
    assert info["tokenAmount"] == {
        "amount": "1500000000",
        "decimals": 9,
        "uiAmount": 1.5,
        "uiAmountString": "1.5",
    }
    by_owner = (
        await client.get_token_accounts_by_owner_json_parsed(
            bob.pubkey(), TokenAccountOpts(mint=mint.pubkey())
        )
    ).value
    assert [item.pubkey for item in by_owner] == [bob_ata]
    supply = (await client.get_token_supply(mint.pubkey())).value
    assert (supply.amount, supply.decimals) == ("7000000000", 9)
    raw = (await client.get_account_info(bob_ata)).value
    assert raw is not None and spl.decode_token_account(bytes(raw.data)).amount == 1_500_000_000
    await client.close()

    # Restart: a new chain on the same data dir answers the same.
    await served.chain.close()
    served.services.chain = make_chain(served.chain_dir)
    client = AsyncClient(served.url)
    assert (await client.get_token_account_balance(bob_ata)).value.amount == "1500000000"
    assert [i.signature for i in (await client.get_signatures_for_address(reference)).value] == [
        signature
    ]
    again = (await client.get_transaction(signature, max_supported_transaction_version=0)).value
    assert again is not None and again.slot == landed.slot
    await client.close()


async def test_sync_json_rpc_shapes_parse_with_solders(served: ServedChain) -> None:
    setup = await make_token_setup(served.chain)
    tx = signed_transfer(setup, 5, served.chain.latest_blockhash().blockhash)
    body = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "sendTransaction",
        "params": [b58encode(bytes(tx))],
    }
    sent = httpx.post(served.url, json=body).json()
    assert sent == {"jsonrpc": "2.0", "result": str(tx.signatures[0]), "id": 7}

    for encoding in ("json", "jsonParsed", "base64"):
        raw = httpx.post(
            served.url,
            json={
                "jsonrpc": "2.0",
                "id": 1,
                "method": "getTransaction",
                "params": [
                    str(tx.signatures[0]),
                    {"encoding": encoding, "maxSupportedTransactionVersion": 0},
                ],
            },
        ).text
        parsed = GetTransactionResp.from_json(raw)
        assert isinstance(parsed.value, EncodedConfirmedTransactionWithStatusMeta), raw
        assert parsed.value.transaction.meta is not None
        assert parsed.value.transaction.meta.err is None
    # A v0 transaction needs maxSupportedTransactionVersion, as on a validator.
    unsupported = rpc(served.url, "getTransaction", str(tx.signatures[0]))
    assert unsupported["error"]["code"] == -32015

    statuses = rpc(
        served.url,
        "getSignatureStatuses",
        [str(tx.signatures[0]), str(Keypair().sign_message(b""))],
    )
    first, second = statuses["result"]["value"]
    assert first["confirmationStatus"] == "finalized" and first["status"] == {"Ok": None}
    assert second is None
    assert statuses["result"]["context"]["slot"] >= first["slot"]


async def test_json_rpc_protocol_errors_and_batches(served: ServedChain) -> None:
    url = served.url
    parse = httpx.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert parse.status_code == 200
    assert parse.json() == {
        "jsonrpc": "2.0",
        "error": {"code": -32700, "message": "Parse error"},
        "id": None,
    }
    assert rpc(url, "noSuchMethod")["error"]["code"] == -32601
    assert rpc(url, "getBalance", "not-a-key")["error"]["code"] == -32602
    assert rpc(url, "getBalance")["error"]["code"] == -32602
    assert httpx.post(url, json={"id": 1, "method": "getSlot"}).json()["error"]["code"] == -32600
    assert httpx.post(url, json=[]).json()["error"]["code"] == -32600

    batch = httpx.post(
        url,
        json=[
            {"jsonrpc": "2.0", "id": 1, "method": "getHealth"},
            {"jsonrpc": "2.0", "id": 2, "method": "getVersion"},
            {"jsonrpc": "2.0", "method": "getSlot"},  # notification: no answer
            {"jsonrpc": "2.0", "id": 3, "method": "nope"},
            5,
        ],
    ).json()
    assert [item.get("id") for item in batch] == [1, 2, 3, None]
    assert batch[0]["result"] == "ok"
    assert "solana-core" in batch[1]["result"]
    assert batch[2]["error"]["code"] == -32601
    assert batch[3]["error"]["code"] == -32600


async def test_send_transaction_signature_failure_and_blockhash(served: ServedChain) -> None:
    setup = await make_token_setup(served.chain)
    tx = signed_transfer(setup, 5, served.chain.latest_blockhash().blockhash)
    forged = VersionedTransaction.populate(tx.message, [Keypair().sign_message(b"forged")])
    bad = rpc(
        served.url,
        "sendTransaction",
        base64.b64encode(bytes(forged)).decode(),
        {"encoding": "base64"},
    )
    assert bad["error"]["code"] == -32003

    latest = rpc(served.url, "getLatestBlockhash")["result"]
    assert (
        rpc(served.url, "isBlockhashValid", latest["value"]["blockhash"])["result"]["value"] is True
    )
    assert rpc(served.url, "getBlockHeight")["result"] <= latest["value"]["lastValidBlockHeight"]
    fee = rpc(served.url, "getFeeForMessage", base64.b64encode(bytes(tx.message)).decode())
    assert fee["result"]["value"] == 5000
    simulated = rpc(
        served.url,
        "simulateTransaction",
        base64.b64encode(bytes(tx)).decode(),
        {"encoding": "base64"},
    )
    assert simulated["result"]["value"]["err"] is None
    assert (
        rpc(served.url, "getTokenAccountBalance", str(setup.bob_ata))["result"]["value"]["amount"]
        == "0"
    )
    missing = rpc(served.url, "getAccountInfo", str(Keypair().pubkey()), {"encoding": "base64"})
    assert missing["result"]["value"] is None
